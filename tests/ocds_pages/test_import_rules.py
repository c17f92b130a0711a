"""What an import may touch and how third-party data is judged (issue 22, items 9 and 10): our own
ocids are never imported, prefixes must have the registered form, a changed release is a conflict
(not a repeat), and our capture rules only warn on imported data."""

import io

import orjson
import pytest
from django.conf import settings
from django.core.management import call_command

from ocds_pages.models import Record, Release
from ocds_pages.publication import publish_release
from tests.ocds_pages.factories import (
    make_award_release,
    make_contract_release,
    make_entity,
    make_tender_release,
    own_ocid,
)

pytestmark = pytest.mark.django_db


def run_import(path, *extra):
    out, err = io.StringIO(), io.StringIO()
    call_command("importar_ocds", str(path), "--sin-progreso", *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_jsonl(path, releases):
    path.write_bytes(b"\n".join(orjson.dumps(release) for release in releases))
    return path


def test_an_own_prefix_ocid_is_refused_and_our_process_is_untouched(tmp_path):
    entity = make_entity()
    ocid = own_ocid(entity)
    publish_release(release=make_tender_release(ocid=ocid, entity=entity), entity=entity)
    compiled_before = Record.objects.get(ocid=ocid).compiled_release
    intruder = make_award_release(ocid=ocid, entity=entity, number=9)
    intruder["tender"] = {"id": f"{ocid}-tender", "title": "Título cambiado por un archivo"}

    out, err = run_import(write_jsonl(tmp_path / "ajeno.jsonl", [intruder]))

    assert "Rechazadas por su ocid: 1" in out
    assert f"usa el prefijo de esta instalación ({settings.OCID_PREFIX})" in err
    assert Release.objects.filter(ocid=ocid).count() == 1
    assert Record.objects.get(ocid=ocid).compiled_release == compiled_before


def test_an_unregistered_prefix_is_refused_unless_allowed_and_then_reported(tmp_path):
    entity = make_entity()
    release = make_tender_release(ocid="OCDS-MX-IMSS-1", entity=entity)
    path = write_jsonl(tmp_path / "prefijo.jsonl", [release])

    out, err = run_import(path)
    assert "Rechazadas por su ocid: 1" in out and "--cualquier-prefijo" in err
    assert not Release.objects.exists()

    out, err = run_import(path, "--cualquier-prefijo")
    assert "Importadas: 1" in out
    assert "Aviso: prefijo.jsonl:1: El ocid OCDS-MX-IMSS-1 no empieza con un prefijo" in err


def test_the_same_release_with_other_content_is_a_conflict_not_a_repeat(tmp_path):
    entity = make_entity()
    release = make_tender_release(ocid="ocds-zzzzzz-IMSS-5", entity=entity)
    run_import(write_jsonl(tmp_path / "a.jsonl", [release]))
    changed = {**release, "tender": {**release["tender"], "title": "Otro título"}}

    out, err = run_import(write_jsonl(tmp_path / "b.jsonl", [release]))
    assert (
        "Omitidas por repetidas: 1" in out and "En conflicto (mismo id, otro contenido): 0" in out
    )

    out, err = run_import(write_jsonl(tmp_path / "c.jsonl", [changed]))
    assert "Omitidas por repetidas: 0" in out
    assert "En conflicto (mismo id, otro contenido): 1" in out
    assert "ya está guardada con otro contenido" in err
    stored = orjson.loads(Release.objects.get(ocid="ocds-zzzzzz-IMSS-5").data)
    assert stored["tender"]["title"] == release["tender"]["title"]


def test_a_contract_signed_hours_before_its_award_date_imports_with_a_warning(tmp_path):
    entity = make_entity()
    ocid = "ocds-zzzzzz-IMSS-6"
    tender = make_tender_release(ocid=ocid, entity=entity)
    award = make_award_release(ocid=ocid, entity=entity)
    contract = make_contract_release(
        ocid=ocid,
        entity=entity,
        contract={"dateSigned": "2025-03-05T08:00:00-06:00"},  # the award is dated 12:00
    )

    out, err = run_import(write_jsonl(tmp_path / "real.jsonl", [tender, award, contract]))

    assert "Importadas: 3" in out
    assert "Avisos de las reglas de captura: 1" in out
    assert (
        f"real.jsonl:3: contracts/0/dateSigned: El contrato {ocid}-contract-1 se firmó "
        "(2025-03-05T08:00:00-06:00) antes de la adjudicación"
    ) in err


def test_our_own_releases_still_refuse_a_contract_signed_before_its_award():
    from ocds_pages.publication import ReleaseInvalid

    entity = make_entity()
    ocid = own_ocid(entity)
    for release in (
        make_tender_release(ocid=ocid, entity=entity),
        make_award_release(ocid=ocid, entity=entity),
    ):
        publish_release(release=release, entity=entity)
    early = make_contract_release(
        ocid=ocid, entity=entity, contract={"dateSigned": "2025-03-05T08:00:00-06:00"}
    )
    with pytest.raises(ReleaseInvalid, match="antes de la adjudicación"):
        publish_release(release=early, entity=entity)
