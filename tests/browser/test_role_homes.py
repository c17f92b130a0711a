"""Each role's home page in the admin, in Spanish, with its tasks one click away (issue 16, 9–10).

Also the screenshots of docs/manual-usuario.md («Su página de inicio»).
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_forms_editor import imss_people, log_in
from tests.workflows import form_values as values
from workflows.processes import process_services
from workflows.processes.process_models import StageProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# English that Wagtail showed on staff screens before its missing strings were translated (kept
# honest: words a Spanish screen of ours never contains, matched as whole words).
ENGLISH = re.compile(
    r"\b(Search all pages|Go to the first error|Select an option|Keyboard shortcuts?|Shortcuts|"
    r"editor guide|Editor Guide|What's new|Dashboard|Help|Save changes|Toggle|Your|Welcome|"
    r"Pages|Edit|Delete|Cancel|Account|Log out|Recent|Locked|Awaiting|created in|Sort by|"
    r"Filter|Close|Section|More contrast|Skip to|Actions)\b"
)

VISIBLE_TEXT = """() => {
  const attrs = [...document.querySelectorAll('[placeholder],[aria-label],[title]')]
    .flatMap(e => ['placeholder', 'aria-label', 'title'].map(name => e.getAttribute(name)))
    .filter(Boolean);
  return document.body.innerText + "\\n" + attrs.join("\\n") + "\\n" + document.title;
}"""


def english_on(page) -> list[str]:
    return sorted(set(ENGLISH.findall(page.evaluate(VISIBLE_TEXT))))


def work_for_the_homes():
    """A process returned to the capturista with a reason, and one waiting for the aprobador."""
    # A transactional test starts from an empty database: the forms the migrations install are
    # gone after the previous test's flush.
    call_command("instalar_formularios", verbosity=0)
    people = imss_people()

    def submitted(title):
        process = process_services.process_create(
            user=people["capturista"],
            unit=people["unit"],
            title=title,
            main_procurement_category="goods",
            procedure_type="adjudicacion_directa",
            fiscal_year=2027,
        )
        run = StageProcess.objects.get(contracting_process=process)
        process_services.capture_submit(
            task=process_services.active_task(run),
            user=people["capturista"],
            values=values.planning(),
        )
        return run

    returned = submitted("Guantes de nitrilo para hospitales")
    process_services.review_return(
        task=process_services.active_task(returned),
        user=people["aprobador"],
        reason="Falta el oficio de suficiencia presupuestal.",
    )
    waiting = submitted("Material de curación 2027")
    return process_services.active_task(returned), process_services.active_task(waiting)


def open_help_and_shortcuts(page):
    page.get_by_role("button", name="Ayuda").click()
    page.get_by_role("link", name="Manual de usuario").first.wait_for()
    page.keyboard.press("Escape")


def test_each_role_lands_on_its_home_in_spanish(live_server, page):
    call_command("cargar_demo")
    returned, waiting = work_for_the_homes()
    base = live_server.url

    log_in(page, base, "capturista.imss")
    panel = page.locator("#mi-captura-section")
    assert "Falta el oficio de suficiencia presupuestal." in panel.inner_text()
    assert english_on(page) == []
    open_help_and_shortcuts(page)
    screenshot(page, "inicio-capturista")
    panel.locator(f'a[href="/tramite/tareas/{returned.pk}/"]').click()
    page.wait_for_url(f"{base}/tramite/tareas/{returned.pk}/")  # one click from login

    page.context.clear_cookies()
    log_in(page, base, "aprobador.imss")
    panel = page.locator("#mis-revisiones-section")
    assert "Material de curación 2027" in panel.inner_text()
    assert english_on(page) == []
    screenshot(page, "inicio-aprobador")
    panel.locator(f'a[href="/tramite/tareas/{waiting.pk}/"]').click()
    page.wait_for_url(f"{base}/tramite/tareas/{waiting.pk}/")

    for username, panel_id, shot in [
        ("oic.imss", "#panorama-ente-section", "inicio-oic"),
        ("admin_ente.imss", "#mi-ente-section", "inicio-admin-ente"),
        ("editor.imss", "#mis-formularios-section", "inicio-editor"),
    ]:
        page.context.clear_cookies()
        log_in(page, base, username)
        page.locator(panel_id).wait_for()
        assert english_on(page) == [], username
        screenshot(page, shot)


def test_help_opens_our_manual_and_the_shortcuts_dialog_is_spanish(live_server, page):
    call_command("cargar_demo")
    base = live_server.url
    log_in(page, base, "editor.imss")
    page.keyboard.press("?")
    dialog = page.locator("#keyboard-shortcuts-dialog")
    dialog.wait_for()
    assert "Atajos de teclado" in dialog.inner_text()
    assert english_on(page) == []
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Ayuda").click()
    page.get_by_role("link", name="Manual de usuario").first.click()
    page.wait_for_url(f"{base}/admin/manual/")
    expect(page.locator("h2#capturista")).to_be_visible()
    assert english_on(page) == []


STAFF_SCREENS = {
    "editor.imss": [
        "/admin/formularios/definiciones/",
        "/admin/formularios/definiciones/add/",
        "/admin/formularios/fundamentos/",
        "/admin/pages/",
        "/admin/account/",
    ],
    "admin_ente.imss": [
        "/admin/auth/user/",
        "/admin/auth/user/create/",
        "/admin/cms/purchasingunit/",
        "/admin/cms/membership/create/",
    ],
    "capturista.imss": ["/tramite/", "/tramite/procesos/", "/tramite/procesos/nuevo/"],
}


def test_staff_screens_carry_no_wagtail_english(live_server, page):
    call_command("cargar_demo")
    call_command("instalar_formularios", verbosity=0)
    base = live_server.url
    found = {}
    for username, paths in STAFF_SCREENS.items():
        page.context.clear_cookies()
        log_in(page, base, username)
        for path in paths:
            page.goto(base + path)
            if english := english_on(page):
                found[path] = english
    assert found == {}
