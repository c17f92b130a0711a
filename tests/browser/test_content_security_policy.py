"""The Content-Security-Policy holds in the browser (issue 20, item 9): the public site (search,
process, entity, supplier, content) and the staff screens work under it — chromium reports no
refused script, style, image or font — and an injected inline script does not run on the site."""

import pytest

from tests.browser.test_public_site import dataset, page_paths  # noqa: F401 (fixture)
from tests.factories import PASSWORD, make_entity, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations_while(page, visit):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    visit()
    return refused


def test_public_pages_load_everything_they_need_under_the_policy(live_server, page, dataset):  # noqa: F811
    def visit():
        for path in page_paths(dataset).values():
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert "script-src 'self'" in response.headers["content-security-policy"]
            assert "camera=()" in response.headers["permissions-policy"]
            page.wait_for_load_state("networkidle")

    assert violations_while(page, visit) == []


def test_an_injected_inline_script_does_not_run(live_server, page, dataset):  # noqa: F811
    page.goto(live_server.url + "/")
    page.set_content(
        page.content().replace("</body>", "<script>document.title = 'inyectado';</script></body>")
    )
    assert page.title() != "inyectado"


def test_staff_screens_work_under_their_policy(live_server, page):
    user = make_member("capturista", make_entity("CSP"), username="capturista.csp")

    def visit():
        page.goto(live_server.url + "/admin/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for path in ("/admin/", "/tramite/", "/tramite/procesos/"):
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert "object-src 'none'" in response.headers["content-security-policy"]
            page.wait_for_load_state("networkidle")

    assert violations_while(page, visit) == []
