// «Trabajos» in the admin (cms/templates/cms/jobs/): a static file, not an inline script, so the
// staff screens' Content-Security-Policy needs no exception for it (cms/security_headers.py).
// Loaded with «defer»: Wagtail puts the page's scripts before its content, where this one found
// no job on the page and never polled.
(function () {
  "use strict";

  // The list reloads every five seconds while a job is waiting or running.
  if (document.querySelector("[data-jobs-active]")) {
    setTimeout(function () { window.location.reload(); }, 5000);
  }

  // A running job's page polls its row every two seconds; it reloads when the job ends.
  var box = document.querySelector("[data-job-status-url]");
  if (!box || box.dataset.jobFinished === "1") {
    return;
  }
  var bar = box.querySelector("progress");
  function poll() {
    fetch(box.dataset.jobStatusUrl, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.finished) { window.location.reload(); return; }
        if (data.percent !== null) { bar.value = data.percent; }
        box.querySelector("[data-job-state]").textContent = data.status_label;
        box.querySelector("[data-job-note]").textContent = data.note;
        box.querySelector("[data-job-figures]").textContent =
          data.total ? data.done + " / " + data.total + " (" + data.percent + " %)" : data.done || "";
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
