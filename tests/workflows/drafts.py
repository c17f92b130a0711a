"""People for the flow tests and the check that every published release validates.

What a capturista types in each stage form is in ``tests/workflows/form_values.py``: a stage
keeps one draft, its form values, and the OCDS is computed from them.
"""

from cms.roles import Role
from tests.factories import make_entity, make_member, make_unit


def people(entity_key="IMSS"):
    """An entity, a unit, two capturistas and two aprobadores of that unit."""
    entity = make_entity(entity_key, rfc="IMS421231I45")
    unit = make_unit(entity, "050GYR047", name="Coordinación de Abastecimiento")
    return {
        "entity": entity,
        "unit": unit,
        "capturista": make_member(Role.CAPTURISTA, entity, unit, f"cap-{entity_key}"),
        "capturista2": make_member(Role.CAPTURISTA, entity, unit, f"cap2-{entity_key}"),
        "aprobador": make_member(Role.APROBADOR, entity, unit, f"apr-{entity_key}"),
        "aprobador2": make_member(Role.APROBADOR, entity, None, f"apr2-{entity_key}"),
    }


def assert_releases_valid(ocid):
    """Every stored release of ``ocid`` validates against the state the earlier ones left."""
    import orjson

    from ocds_pages.compile import compile_releases
    from ocds_pages.models import Release
    from ocds_pages.validation import validate_release

    releases = [
        orjson.loads(text)
        for text in Release.objects.filter(ocid=ocid)
        .order_by("date", "pk")
        .values_list("data", flat=True)
    ]
    for index, release in enumerate(releases):
        previous = compile_releases(releases[:index]).compiled if index else None
        assert validate_release(release, previous=previous) == [], release["tag"]
    return releases


def tender_in_capture(world, procedure_type="lp_nacional"):
    """A process of the world's unit with its planning published and its tender in capture.

    Returns the tender's stage run and its capture task (its one draft is ``run.stage_draft``).
    """
    from tests.workflows import form_values
    from workflows.processes import process_services

    process = process_services.process_create(
        user=world["capturista"],
        unit=world["unit"],
        title="Adquisición de medicamentos 2027",
        main_procurement_category="goods",
        procedure_type=procedure_type,
        fiscal_year=2027,
    )
    planning = process.stage_runs.get(stage="planning")
    issues = process_services.capture_submit(
        task=process_services.active_task(planning),
        user=world["capturista"],
        values=form_values.planning(),
    )
    assert issues == [], issues
    process_services.review_approve(
        task=process_services.active_task(planning), user=world["aprobador"]
    )
    run = process_services.stage_start(process=process, stage="tender", user=world["capturista"])
    return run, process_services.active_task(run)
