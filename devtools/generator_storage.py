"""Generated processes built into rows, in this process or in workers.

``process_rows`` turns one plan into the rows ``publish_release`` would store, through
``ocds_pages.bulk_publication.process_rows`` (no database, so worker processes can run it).
``generar_datos`` stores each batch with ``ocds_pages.bulk_publication.store_processes``: the
bulk path belongs to ocds_pages (COPY on PostgreSQL), which tests it against ``publish_releases``.
"""

import gc
import multiprocessing
import os
from collections.abc import Iterator

from devtools.generator import Plan, form_specs, plan_releases
from ocds_pages.bulk_publication import ProcessRows
from ocds_pages.bulk_publication import process_rows as bulk_rows
from ocds_pages.extension import ReleaseSchema, release_schema
from workflows.forms import catalogues


def process_rows(plan: Plan, specs: dict, schema: ReleaseSchema | None = None) -> ProcessRows:
    """The rows publish_release would leave for ``plan``."""
    return bulk_rows(
        ocid=plan.ocid,
        entity_id=plan.entity.pk,
        unit_id=plan.unit.pk,
        releases=plan_releases(plan, specs),
        schema=schema,
    )


# --- building, in this process or in workers -----------------------------------------------------

_specs: dict = {}
# The release schema, read once in the parent: forked workers must never query the database (they
# share the parent's connection socket; a query there hangs both).
_schema: list[ReleaseSchema] = []


def _build_chunk(plans: list[Plan]) -> list[ProcessRows]:
    return [process_rows(plan, _specs, _schema[0]) for plan in plans]


def default_workers() -> int:
    return os.cpu_count() or 1


def built(plans: list[Plan], *, batch: int, workers: int) -> Iterator[list[ProcessRows]]:
    """The rows of ``plans`` in batches of ``batch``, in plan order whatever ``workers`` is.

    Workers are forked after the forms and catalogues were read, so they never query the
    database.
    """
    _specs.clear()
    _specs.update(form_specs())
    _schema[:] = [release_schema()]
    chunks = [plans[start : start + batch] for start in range(0, len(plans), batch)]
    with catalogues.preloaded():
        if workers <= 1:
            for chunk in chunks:
                yield _build_chunk(chunk)
            return
        # The children never use the inherited database connection (and exit without closing it).
        # Small pieces keep both workers busy; imap keeps their order.
        pieces = [chunk[i : i + 25] for chunk in chunks for i in range(0, len(chunk), 25)]
        # The plans stay in the parent (≈ 1.4 KB each); frozen, the children's garbage collector
        # does not touch (and so copy) their pages.
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pending: list[ProcessRows] = []
                for rows in pool.imap(_build_chunk, pieces):
                    pending += rows
                    while len(pending) >= batch:
                        yield pending[:batch]
                        pending = pending[batch:]
                if pending:
                    yield pending
        finally:
            gc.unfreeze()
