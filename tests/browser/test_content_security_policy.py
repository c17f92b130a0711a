"""The Content-Security-Policy holds in the browser (issue 20, item 9): the public site (search,
process, entity, supplier, content) and the staff screens (Wagtail's admin, the capture screens,
the API's Swagger UI, the OAuth consent page) work under it — chromium reports no refused script,
style, image or font, and what their scripts build is there — and an injected inline script does
not run on the site."""

import re

import pytest

from cms.models import OAuthClient
from tests.browser.test_public_site import (  # noqa: F401 (fixture)
    dataset,
    ensure_site_pages,
    page_paths,
)
from tests.factories import PASSWORD, make_client, make_entity, make_member, make_user

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


def log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")


def open_under_nonce_policy(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    script_src = response.headers["content-security-policy"].split("script-src ")[1].split(";")[0]
    assert re.fullmatch(r"'self' 'nonce-[\w-]{22}'", script_src), script_src
    page.wait_for_load_state("networkidle")


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


def test_wagtail_admin_works_under_the_nonce_policy(live_server, page):
    ensure_site_pages()  # the page chooser opens on the page tree
    make_user("raiz.csp", is_superuser=True, is_staff=True)
    base = live_server.url
    initialised = {}

    def visit():
        log_in(page, base, "raiz.csp")
        open_under_nonce_policy(page, base + "/admin/")
        # The sidebar is drawn by Wagtail's scripts; with them refused it stays empty.
        page.locator(".sidebar-menu-item").first.wait_for()
        assert page.get_by_role("link", name="Trabajos").count() == 1
        # The users' date filters: each nonced init script builds its date picker.
        open_under_nonce_policy(page, base + "/admin/users/")
        initialised["pickers"] = page.locator(".xdsoft_datetimepicker").count()
        # A new workflow: an inline panel whose «add» inserts a form with a page chooser's nonced
        # script, run by Wagtail's jQuery after the page loaded.
        open_under_nonce_policy(page, base + "/admin/workflows/add/")
        forms = page.locator("#id_pages-TOTAL_FORMS")
        before = int(forms.input_value())
        page.locator("#id_pages-ADD").click()
        page.wait_for_function(f"document.querySelector('#id_pages-TOTAL_FORMS').value > {before}")
        # The chooser's script ran: its button opens the page-chooser dialog.
        page.locator(f"#id_pages-{before}-page-chooser [data-chooser-action-choose]").click()
        page.locator(".modal-dialog").wait_for()
        initialised["chooser_dialog"] = page.locator(".modal-dialog").is_visible()

    assert violations_while(page, visit) == []
    assert initialised["pickers"] >= 2
    assert initialised["chooser_dialog"]


def test_swagger_ui_renders_the_operations_under_the_nonce_policy(live_server, page):
    def visit():
        open_under_nonce_policy(page, live_server.url + "/api/docs/")
        page.locator(".opblock-summary").first.wait_for()
        assert page.locator(".opblock-summary").count() > 10

    assert violations_while(page, visit) == []


def test_oauth_consent_works_under_the_nonce_policy(live_server, page):
    callback = "https://app.example.org/callback"
    make_client(
        "app-csp",
        grant=OAuthClient.GRANT_AUTHORIZATION_CODE,
        pdn=False,
        redirect_uris=callback,
        scopes="read",
    )
    make_member("oic", make_entity("CSPO"), username="oic.csp")
    # The third-party app is not on this machine: its callback is answered here.
    page.route(callback + "*", lambda route: route.fulfill(status=200, body="ok"))
    query = (
        "response_type=code&client_id=app-csp&scope=read&state=xyz"
        f"&redirect_uri={callback}&code_challenge_method=S256"
        "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )

    def visit():
        log_in(page, live_server.url, "oic.csp")
        open_under_nonce_policy(page, f"{live_server.url}/oauth/authorize/?{query}")
        page.locator("#authorizationForm input[name=allow]").click()
        page.wait_for_url(callback + "*")

    assert violations_while(page, visit) == []
    assert "code=" in page.url and "state=xyz" in page.url
