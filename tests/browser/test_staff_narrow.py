"""Staff screens fit a 360 px telephone: nothing wider than the screen (issue 16, item 11).

Before, the process list and the process page measured a scrollWidth of 528 and 681 px.
"""

import pytest
from django.core.management import call_command

from tests.browser.test_forms_editor import log_in
from tests.browser.test_role_homes import work_for_the_homes
from workflows.processes.process_models import ContractingProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360


def overflow(page) -> dict:
    """The page's scrollWidth and the widest elements that stick out, to tell what to fix."""
    return page.evaluate(
        """(width) => {
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .slice(0, 5)
            .map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().width}px`);
          return {scrollWidth: document.documentElement.scrollWidth, wide};
        }""",
        WIDTH,
    )


def test_staff_pages_fit_360_px(live_server, browser):
    call_command("cargar_demo")
    returned, waiting = work_for_the_homes()
    process = ContractingProcess.objects.get(stage_runs__pk=returned.process_id)
    context = browser.new_context(locale="es-MX", viewport={"width": WIDTH, "height": 740})
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "capturista.imss")
    pages = [
        "/tramite/",
        "/tramite/procesos/",
        "/tramite/procesos/nuevo/",
        f"/tramite/procesos/{process.pk}/",
        f"/tramite/tareas/{returned.pk}/",
        f"/tramite/tareas/{waiting.pk}/",
    ]
    measured = {}
    for path in pages:
        page.goto(base + path)
        measured[path] = overflow(page)
    context.close()
    too_wide = {path: m for path, m in measured.items() if m["scrollWidth"] > WIDTH}
    assert too_wide == {}, too_wide
