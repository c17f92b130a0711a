"""The Wagtail preview of a definition shows its form and the OCDS that sample input produces."""

import pytest

from tests.workflows.factories import national

pytestmark = pytest.mark.django_db


def test_preview_shows_form_and_ocds_fragment(rf, admin_user):
    definition = national("award")
    request = rf.get("/")
    request.user = admin_user

    html = definition.serve_preview(request, "").render().content.decode()

    assert "Proveedores adjudicados" in html
    assert 'name="proveedores-TOTAL_FORMS"' in html
    assert "&quot;suppliers&quot;" in html
    assert "MX-RFC-MME920427EM3" in html
