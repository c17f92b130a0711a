"""Publication: the one path by which a release enters the system (workflows and imports use it).

``publish_release`` validates, stores the release, recompiles the record of its ocid and rebuilds
the query projections, all in one transaction: either everything is stored or nothing is.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import orjson
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import Entity, PurchasingUnit
from ocds_pages.compile import compile_releases, get_merger
from ocds_pages.declared_extensions import declared_release_schema, ordered_union
from ocds_pages.extension import ReleaseSchema, release_schema
from ocds_pages.models import OcidCounter, Record, Release
from ocds_pages.projections import project_record
from ocds_pages.signals import release_published
from ocds_pages.validation import OWN_PREFIX, ValidationIssue, parse_datetime, validate_release


class ReleaseInvalid(Exception):
    """The release was not published; ``issues`` says why, field by field, in Spanish."""

    def __init__(self, issues: list[ValidationIssue], *, release_id: str | None = None):
        self.issues = issues
        self.release_id = release_id  # which release of a batch failed, when known
        super().__init__("; ".join(str(issue) for issue in issues))


@dataclass(frozen=True)
class PublicationRules:
    """What the validation demands besides the schema: our own releases vs imported ones."""

    ocid_prefix: str | None = OWN_PREFIX
    language: str | None = "es"
    # Our capture rules (LAASSP) beyond OCDS: own releases only (validation.capture_rule_issues).
    capture_rules: bool = True


OWN_RULES = PublicationRules()
# Imports keep the ocid prefix and language of the system that published them, and are checked
# against OCDS: our capture rules are reported as warnings by the importer, never a refusal.
IMPORT_RULES = PublicationRules(ocid_prefix=None, language=None, capture_rules=False)


def dumps(data: dict) -> str:
    """The JSON text stored and served (UTF-8, compact)."""
    return orjson.dumps(data).decode()


# --- ocid and release ids -------------------------------------------------------------------------


def next_ocid(*, entity: Entity) -> str:
    """A new ocid ``<OCID_PREFIX>-<entity key>-<serial>``; serials only grow and are never reused.

    The entity's counter row is locked (select_for_update) so concurrent allocations wait.
    """
    with transaction.atomic():
        counter = _locked_counter(entity)
        while True:
            counter.last_serial += 1
            ocid = f"{settings.OCID_PREFIX}-{entity.key}-{counter.last_serial:06d}"
            # An import may already hold this ocid (the same prefix published elsewhere): skip it.
            if not Record.objects.filter(ocid=ocid).exists():
                break
        counter.save(update_fields=["last_serial"])
    return ocid


def _locked_counter(entity: Entity) -> OcidCounter:
    try:
        with transaction.atomic():
            OcidCounter.objects.get_or_create(entity=entity)
    except IntegrityError:
        pass  # another transaction created it first; the lock below waits for it
    return OcidCounter.objects.select_for_update().get(entity=entity)


def build_release_id(*, ocid: str, number: int) -> str:
    """The id of the ``number``-th release of ``ocid`` (1-based): ``<ocid>-0001``."""
    return f"{ocid}-{number:04d}"


@dataclass(frozen=True)
class ReleaseSlot:
    """Where a new release goes in its process: its id, its date, and the release before it
    (the one its amendments amend). Publication assigns it; the release builder fills it."""

    id: str
    date: str
    previous_id: str | None = None
    # The roles each party already has in the process (party id -> roles). ``roles`` is a list of
    # strings, which OCDS merging replaces whole, so a party named again must repeat them or the
    # record would forget that the payee is also the supplier.
    party_roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def party_roles(release: dict, known: Mapping[str, tuple[str, ...]] | None = None) -> dict:
    """The roles of each party of ``release`` joined with those ``known`` before."""
    roles = dict(known or {})
    for party in release.get("parties") or []:
        if isinstance(party, dict) and isinstance(party.get("roles"), list):
            joined = {*roles.get(party.get("id"), ()), *party["roles"]}
            roles[party.get("id")] = tuple(sorted(joined))
    return roles


def release_date(moment: datetime | None = None) -> str:
    """``moment`` (now by default) in local time with its offset (RFC 3339), as OCDS ``date``
    expects."""
    return timezone.localtime(moment).isoformat(timespec="milliseconds")


def next_release_slot(*, ocid: str) -> ReleaseSlot:
    """The slot of the next release of ``ocid``: numbered after the stored ones, dated now.

    Ask for it with the process locked (as the approval of a stage does), so that two approvals
    never take the same number.
    """
    stored = list(
        Release.objects.filter(ocid=ocid)
        .order_by("-date", "-pk")
        .values_list("release_id", flat=True)
    )
    compiled = Record.objects.filter(ocid=ocid).values_list("compiled_release", flat=True).first()
    return ReleaseSlot(
        id=build_release_id(ocid=ocid, number=len(stored) + 1),
        date=release_date(),
        previous_id=stored[0] if stored else None,
        party_roles=party_roles(orjson.loads(compiled)) if compiled else {},
    )


def new_process_slots(*, ocid: str, dates: list[str]) -> list[ReleaseSlot]:
    """The slots of the releases of a process not stored yet, one per date, in order: what
    ``next_release_slot`` would give each after the ones before were published (a bulk load
    builds whole processes in memory). Their ``party_roles`` are left empty: such a builder joins
    them release after release with ``party_roles(release, known)``."""
    ids = [build_release_id(ocid=ocid, number=number) for number in range(1, len(dates) + 1)]
    return [
        ReleaseSlot(id=release_id, date=date, previous_id=previous)
        for release_id, date, previous in zip(ids, dates, [None, *ids[:-1]], strict=True)
    ]


# --- publication ---------------------------------------------------------------------------------


def publish_release(
    *,
    release: dict,
    entity: Entity,
    unit: PurchasingUnit | None = None,
    rules: PublicationRules = OWN_RULES,
) -> Release:
    """Validate and store one release, recompile its record and projections (one transaction).

    Raises ``ReleaseInvalid`` (nothing stored) when the release does not validate.
    """
    return publish_releases(releases=[release], entity=entity, unit=unit, rules=rules)[0]


def publish_releases(
    *,
    releases: list[dict],
    entity: Entity,
    unit: PurchasingUnit | None = None,
    rules: PublicationRules = OWN_RULES,
    extensions: Sequence[str] | None = None,
) -> list[Release]:
    """Store several releases of ONE ocid atomically: all of them, or none (ReleaseInvalid).

    Imports use it to store a whole process at once, so an invalid item never leaves half a
    process. The record is compiled once, after all the releases are in.

    ``extensions`` are the extension URLs an imported package declares (None: this
    installation's own release): the releases keep them, the record adds them to those its
    earlier imports declared, and both the validation and the compilation use OCDS patched
    with them (``ocds_pages.declared_extensions``) instead of our schema.
    """
    ocid = _single_ocid(releases)
    try:
        with transaction.atomic():
            return _publish_locked(ocid, releases, entity, unit, rules, extensions)
    except IntegrityError as error:
        # Two first publications of one ocid at once: the record row did not exist to be
        # locked, so the unique constraints decide and the loser is rolled back whole.
        message = _("Otra publicación del proceso %(ocid)s se guardó al mismo tiempo; repita.")
        raise ReleaseInvalid([ValidationIssue("ocid", message % {"ocid": ocid})]) from error


def _publish_locked(ocid, releases, entity, unit, rules, extensions) -> list[Release]:
    record = Record.objects.select_for_update().filter(ocid=ocid).first()
    _check_owner(record, entity, ocid)
    stored = _stored_releases(ocid)
    declared = record_extensions(record, extensions)
    schema = schema_for(declared)
    _validate_batch(releases, stored, record, rules, schema)
    rows = Release.objects.bulk_create(_release_row(r, entity, unit, extensions) for r in releases)
    record = _recompile(
        ocid=ocid,
        record=record,
        entity=entity,
        unit=unit,
        releases=stored + releases,
        extensions=declared,
    )
    transaction.on_commit(
        lambda: release_published.send(Release, ocid=ocid, releases=rows, record=record)
    )
    return rows


def _single_ocid(releases: list[dict]) -> str:
    if not releases or not all(isinstance(release, dict) for release in releases):
        raise ReleaseInvalid([ValidationIssue("", _("Se esperaba un objeto JSON (una entrega)."))])
    ocids = {release.get("ocid") for release in releases}
    if len(ocids) != 1 or not all(isinstance(ocid, str) and ocid for ocid in ocids):
        issue = ValidationIssue(
            "ocid", _("Las entregas de una publicación deben tener un mismo ocid, no vacío.")
        )
        raise ReleaseInvalid([issue])
    return ocids.pop()


def _check_owner(record: Record | None, entity: Entity, ocid: str) -> None:
    if record is not None and record.entity_id != entity.pk:
        message = _("El proceso %(ocid)s pertenece a otro ente público.") % {"ocid": ocid}
        raise ReleaseInvalid([ValidationIssue("ocid", message)])


def _stored_releases(ocid: str) -> list[dict]:
    texts = Release.objects.filter(ocid=ocid).order_by("date", "pk").values_list("data", flat=True)
    return [orjson.loads(text) for text in texts]


def record_extensions(record: Record | None, extensions: Sequence[str] | None) -> list | None:
    """The extensions a record declares after an import declaring ``extensions``: the union of
    its earlier imports' and these. None for this installation's own processes."""
    before = record.extensions if record is not None else None
    if extensions is None and before is None:
        return None
    return list(ordered_union(before, extensions))


def schema_for(extensions: Sequence[str] | None) -> ReleaseSchema:
    """The schema a record is validated and compiled with: ours (the bundled one plus the form
    fields) for our own processes, OCDS plus the declared extensions for imported ones."""
    if extensions is None:
        return release_schema()
    return declared_release_schema(extensions).schema


def _validate_batch(releases, stored, record, rules: PublicationRules, schema) -> None:
    """Each release is validated against the state the earlier ones leave (in date order);
    ``schema`` is read once, so every release of the batch is checked against the same one."""
    previous = orjson.loads(record.compiled_release) if record else None
    seen = {release.get("id") for release in stored}
    for position, release in enumerate(_date_ordered(releases)):
        issues = validate_release(
            release,
            schema=schema,
            previous=previous,
            ocid_prefix=rules.ocid_prefix,
            language=rules.language,
            capture_rules=rules.capture_rules,
        )
        issues += _duplicate_release_issues(release, seen)
        if issues:
            raise ReleaseInvalid(issues, release_id=release.get("id"))
        seen.add(release.get("id"))
        if position < len(releases) - 1:
            merger = get_merger(schema)
            previous = merger.create_compiled_release([r for r in (previous, release) if r])


def _date_ordered(releases: list[dict]) -> list[dict]:
    """By instant, not by text: dates of one process may carry different UTC offsets."""

    def instant(release: dict):
        parsed = parse_datetime(release.get("date"))
        return (parsed is None, parsed.timestamp() if parsed else 0)

    return sorted(releases, key=instant)


def _duplicate_release_issues(release: dict, seen: set) -> list[ValidationIssue]:
    if release.get("id") not in seen:
        return []
    message = _("La entrega '%(id)s' ya está publicada en el proceso %(ocid)s.") % {
        "id": release.get("id"),
        "ocid": release.get("ocid"),
    }
    return [ValidationIssue("id", message)]


def release_fields(release: dict) -> dict:
    """The stored columns of one release but its entity and unit (bulk generator too)."""
    return {
        "ocid": release["ocid"],
        "release_id": release["id"],
        "date": parse_datetime(release["date"]),
        "tags": release["tag"],
        "data": dumps(release),
    }


def record_fields(
    releases: list[dict], *, schema: ReleaseSchema | None = None
) -> tuple[dict, dict]:
    """The stored columns of the record compiled from ``releases``, and its compiled release
    (for the projections). Shared with the bulk generator, so both store the same record.
    ``schema`` is the release schema to merge with (read from the database if None; forked
    workers must pass it, as they may not use the inherited connection)."""
    compilation = compile_releases(releases, schema=schema)
    compiled = compilation.compiled
    fields = {
        "compiled_release": dumps(compiled),
        "versioned_release": dumps(compilation.versioned),
        "release_count": len(releases),
        "last_release_date": parse_datetime(compiled.get("date")),
    }
    return fields, compiled


def _release_row(release: dict, entity: Entity, unit, extensions) -> Release:
    extensions = list(extensions) if extensions is not None else None
    return Release(**release_fields(release), entity=entity, unit=unit, extensions=extensions)


def _recompile(
    *, ocid, record: Record | None, entity, unit, releases: list[dict], extensions
) -> Record:
    """Write the compiled and versioned release of ``releases`` to the (locked) record, merged
    with the schema of its ``extensions`` (ours when None)."""
    fields, compiled = record_fields(releases, schema=schema_for(extensions))
    record = record or Record(ocid=ocid)
    record.entity = entity
    record.extensions = extensions
    record.unit = unit or record.unit
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    project_record(record=record, compiled=compiled)
    return record


def recompile_record(*, record: Record) -> Record:
    """Recompile one stored record from its releases (after a schema or merge-rule change)."""
    with transaction.atomic():
        record = Record.objects.select_for_update().get(pk=record.pk)
        return _recompile(
            ocid=record.ocid,
            record=record,
            entity=record.entity,
            unit=None,
            releases=_stored_releases(record.ocid),
            extensions=record.extensions,
        )
