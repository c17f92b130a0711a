"""Mirror a provider page by page, with a checkpoint, never losing what the mirror had.

The rule that keeps the mirror safe: pages are *upserted* as they arrive (each page in its own
transaction) and rows are *deleted* only after a complete run, and only those the run did not see
again. A failed run leaves its checkpoint on the SyncRun; the next run of the provider continues
from there with the same generation, so the rows the failed run already stored count as seen.
"""

import time
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integraciones.clients import Page, RegistryClient, client_for
from integraciones.conf import SyncSettings, sync_settings
from integraciones.exceptions import RegistryError
from integraciones.mirrors import store_records, sweep_stale_rows
from integraciones.models import RegistryProvider, SyncRun

PageCallback = Callable[[SyncRun, str, Page], None]


def _resumable_run(provider: RegistryProvider, *, collections: list[str]) -> SyncRun | None:
    """The provider's latest run, if it failed or was interrupted with a checkpoint to continue.

    A run still marked "running" when a new one starts was interrupted (the process was killed
    or the machine restarted): runs of one provider never overlap, because the scheduler is set
    up not to start one while another is going (flock or a systemd timer, docs/registros.md).
    """
    latest = provider.runs.order_by("-started_at", "-id").first()
    if latest and latest.status == SyncRun.Status.RUNNING:
        latest.status, latest.finished_at = SyncRun.Status.ERROR, timezone.now()
        latest.error_message = str(
            _("Interrumpida: el proceso terminó sin cerrar la corrida; se reanuda después.")
        )
        latest.save(update_fields=["status", "finished_at", "error_message"])
    if (
        latest
        and latest.status == SyncRun.Status.ERROR
        and latest.checkpoint
        # A provider reconfigured with other collections starts over: the old position and the
        # rows already seen belong to another listing.
        and latest.checkpoint.get("collections") == collections
    ):
        return latest
    return None


def _finish(run: SyncRun, *, status: str, message: str = "") -> SyncRun:
    now = timezone.now()
    run.status, run.finished_at, run.error_message = status, now, message
    run.save(update_fields=["status", "finished_at", "error_message"])
    provider = run.provider
    if status == SyncRun.Status.OK:
        provider.last_success_at = now
        provider.save(update_fields=["last_success_at"])
    else:
        provider.last_error_at, provider.last_error_message = now, message
        provider.save(update_fields=["last_error_at", "last_error_message"])
    return run


def _walk(
    *,
    run: SyncRun,
    client: RegistryClient,
    settings: SyncSettings,
    on_page: PageCallback | None,
) -> bool:
    """Read every collection to its end from the checkpoint; False if the page bound stopped it."""
    collections = list(client.collections)
    start = run.checkpoint.get("collection_index", 0)
    position = run.checkpoint.get("position", client.first_position)
    for index in range(start, len(client.collections)):
        collection = client.collections[index]
        if index != start:
            position = client.first_position
        while position is not None:
            if run.pages >= settings.max_pages:
                return False
            page = client.fetch_page(
                collection=collection, position=position, page_size=settings.page_size
            )
            run.rows += store_records(
                provider=run.provider,
                collection=collection,
                records=page.records,
                generation=run.generation,
                fetched_at=timezone.now(),
            )
            run.pages += 1
            position = page.next_position
            run.checkpoint = (
                {"collections": collections, "collection_index": index, "position": position}
                if position is not None
                else {
                    "collections": collections,
                    "collection_index": index + 1,
                    "position": client.first_position,
                }
            )
            run.save(update_fields=["pages", "rows", "checkpoint"])
            if on_page:
                on_page(run, collection, page)
    return True


def registry_sync(
    *,
    provider: RegistryProvider,
    restart: bool = False,
    on_page: PageCallback | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncRun:
    """Mirror one provider; resumes its last failed run unless ``restart``. Never raises
    RegistryError: the outcome (ok, error, partial) and its Spanish message are on the run."""
    settings = sync_settings()
    try:
        client = client_for(provider=provider, settings=settings, sleep=sleep)
    except RegistryError as exc:
        run = SyncRun.objects.create(provider=provider)
        return _finish(run, status=SyncRun.Status.ERROR, message=str(exc))
    collections = list(client.collections)
    previous = None if restart else _resumable_run(provider, collections=collections)
    run = SyncRun.objects.create(
        provider=provider,
        generation=previous.generation if previous else uuid.uuid4(),
        resumed_from=previous,
        checkpoint=dict(previous.checkpoint) if previous else {},
    )
    try:
        complete = _walk(run=run, client=client, settings=settings, on_page=on_page)
    except RegistryError as exc:
        message = _(
            "%(error)s Se guardó el avance: la próxima sincronización continúa desde la página "
            "pendiente y el espejo conserva lo que tenía."
        ) % {"error": exc}
        return _finish(run, status=SyncRun.Status.ERROR, message=message)
    finally:
        client.close()
    if not complete:
        message = _(
            "Se alcanzó el máximo de %(pages)s páginas sin llegar al final (el servidor sigue "
            "indicando que hay más). No se borró nada del espejo."
        ) % {"pages": settings.max_pages}
        return _finish(run, status=SyncRun.Status.PARTIAL, message=message)
    with transaction.atomic():
        sweep_stale_rows(provider=provider, generation=run.generation)
        run.checkpoint = {}
        run.save(update_fields=["checkpoint"])
        return _finish(run, status=SyncRun.Status.OK)


def providers_select(*, system: str | None = None, name: str | None = None):
    """Active providers, optionally of one system; a provider named by its key is selected even
    when inactive (whoever names it means it)."""
    providers = RegistryProvider.objects.filter(active=True)
    if system:
        providers = providers.filter(system=system)
    if name:
        providers = RegistryProvider.objects.filter(name=name)
    return providers.order_by("system", "name")


def registries_sync(
    *,
    system: str | None = None,
    provider_name: str | None = None,
    restart: bool = False,
    on_page: PageCallback | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[SyncRun]:
    """Mirror every selected provider one after the other; one failure does not stop the rest."""
    return [
        registry_sync(provider=provider, restart=restart, on_page=on_page, sleep=sleep)
        for provider in providers_select(system=system, name=provider_name)
    ]
