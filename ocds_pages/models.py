"""Published OCDS data: append-only releases, one compiled record per ocid, query projections.

The JSON of releases and records is stored as text, exactly as it is served: exporting it is a
matter of streaming bytes, never of parsing and serialising again (docs/arquitectura.md, decision 3
and §6: 5–11× cheaper).
"""

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cms.models import Entity, PurchasingUnit


class AppendOnlyError(Exception):
    """A published release was about to be changed or deleted; OCDS releases are immutable."""


class ReleaseQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(_("Las entregas (releases) publicadas no se pueden modificar."))

    def delete(self):
        raise AppendOnlyError(_("Las entregas (releases) publicadas no se pueden eliminar."))

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(_("Las entregas (releases) publicadas no se pueden modificar."))

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError(_("Las entregas (releases) publicadas no se pueden modificar."))


class Release(models.Model):
    """One OCDS release: what was published about a contracting process at one moment.

    Append-only on every backend (save refuses updates, delete is refused); on PostgreSQL a trigger
    also refuses UPDATE and DELETE issued by any other client (migration 0002).
    """

    ocid = models.CharField(
        _("ocid"),
        max_length=128,
        help_text=_("Identificador del proceso de contratación (prefijo OCID + ente + serie)."),
    )
    release_id = models.CharField(
        _("id de la entrega"),
        max_length=255,
        help_text=_("El campo id de la entrega; único dentro de su ocid."),
    )
    date = models.DateTimeField(
        _("fecha"),
        db_index=True,
        help_text=_("El campo date de la entrega: cuándo se registró la información."),
    )
    tags = models.JSONField(
        _("etiquetas"),
        help_text=_("El campo tag de la entrega (lista cerrada releaseTag)."),
    )
    data = models.TextField(
        _("JSON"),
        help_text=_("La entrega completa en JSON (UTF-8), tal como se sirve."),
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="releases",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador que publicó la entrega."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("unidad compradora"),
        help_text=_("Unidad compradora responsable, si se conoce."),
    )
    created_at = models.DateTimeField(
        _("guardada"),
        auto_now_add=True,
        help_text=_("Cuándo se guardó en este sistema."),
    )
    extensions = models.JSONField(
        _("extensiones declaradas"),
        null=True,
        blank=True,
        help_text=_(
            "Las URL de las extensiones que declaró el paquete de donde se importó la entrega; "
            "vacío en las entregas de esta instalación (que declaran las propias)."
        ),
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrega OCDS (release)")
        verbose_name_plural = _("entregas OCDS (releases)")
        constraints = [
            models.UniqueConstraint(fields=["ocid", "release_id"], name="release_unique_id_in_ocid")
        ]
        # The API counts and filters releases by when they were stored (the watermark, ?since=):
        # without it the count read the whole table (0.8 s at 470,000 releases).
        indexes = [
            models.Index(fields=["ocid", "date"], name="release_ocid_date"),
            models.Index(fields=["created_at"], name="release_created_at"),
        ]

    def __str__(self):
        return self.release_id

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(_("Las entregas (releases) publicadas no se pueden modificar."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("Las entregas (releases) publicadas no se pueden eliminar."))


class Record(models.Model):
    """The record of one ocid: its releases compiled with the OCDS merge rules."""

    ocid = models.CharField(
        _("ocid"), max_length=128, unique=True, help_text=_("Identificador del proceso.")
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador del proceso."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("unidad compradora"),
        help_text=_("Unidad compradora de la entrega más reciente que la indicó."),
    )
    compiled_release = models.TextField(
        _("entrega compilada"),
        help_text=_("compiledRelease en JSON: el último valor de cada campo."),
    )
    versioned_release = models.TextField(
        _("entrega versionada"),
        help_text=_("versionedRelease en JSON: la historia de cada campo."),
    )
    release_count = models.PositiveIntegerField(
        _("entregas"), default=0, help_text=_("Número de entregas del proceso.")
    )
    last_release_date = models.DateTimeField(
        _("última entrega"),
        db_index=True,
        help_text=_("Fecha (date) de la entrega más reciente del proceso."),
    )
    updated_at = models.DateTimeField(
        _("actualizado"), auto_now=True, db_index=True, help_text=_("Última recompilación.")
    )
    extensions = models.JSONField(
        _("extensiones declaradas"),
        null=True,
        blank=True,
        help_text=_(
            "Proceso importado: las URL de las extensiones que declararon sus publicaciones (la "
            "unión, en orden); con ellas se valida, se compila y se sirve. Vacío en los procesos "
            "de esta instalación."
        ),
    )

    class Meta:
        verbose_name = _("registro OCDS (record)")
        verbose_name_plural = _("registros OCDS (records)")

    def __str__(self):
        return self.ocid


class OcidCounter(models.Model):
    """The last serial used in the ocids of one entity; locked while a new ocid is allocated."""

    entity = models.OneToOneField(
        Entity,
        on_delete=models.PROTECT,
        related_name="ocid_counter",
        verbose_name=_("ente público"),
        help_text=_("Ente al que pertenece la serie."),
    )
    last_serial = models.PositiveBigIntegerField(
        _("último número"),
        default=0,
        help_text=_("Último número asignado; sólo crece, nunca se reutiliza."),
    )

    class Meta:
        verbose_name = _("contador de ocid")
        verbose_name_plural = _("contadores de ocid")

    def __str__(self):
        return f"{self.entity_id}: {self.last_serial}"


def _folded_field(label, source: str):
    """The folded copy of a searchable column: written with the projection, read by S6 filters."""
    return models.TextField(
        label,
        blank=True,
        default="",
        help_text=format_lazy(
            _(
                "{} en minúsculas y sin acentos (lo que calcula ci_fold): los filtros de texto "
                "de S6 la recorren con un índice trigram, sin calcular nada por fila."
            ),
            source,
        ),
    )


def _amount_field(label, help_text):
    return models.DecimalField(
        label, max_digits=22, decimal_places=4, null=True, blank=True, help_text=help_text
    )


class ProcessProjection(models.Model):
    """One row per contracting process, derived from its compiled release, for search/filters."""

    record = models.OneToOneField(
        Record,
        on_delete=models.CASCADE,
        related_name="projection",
        verbose_name=_("registro"),
        help_text=_("Registro del que se deriva esta fila."),
    )
    ocid = models.CharField(_("ocid"), max_length=128, unique=True, help_text=_("ocid."))
    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unidad compradora"),
        help_text=_("Unidad compradora."),
    )
    buyer_id = models.CharField(
        _("id del comprador"), max_length=255, blank=True, help_text=_("buyer/id.")
    )
    buyer_name = models.CharField(
        _("comprador"), max_length=500, blank=True, help_text=_("buyer/name.")
    )
    title = models.TextField(_("título"), blank=True, help_text=_("tender/title."))
    description = models.TextField(_("descripción"), blank=True, help_text=_("tender/description."))
    procurement_method = models.CharField(
        _("procedimiento"),
        max_length=20,
        blank=True,
        help_text=_("tender/procurementMethod (open, selective, limited, direct)."),
    )
    procurement_method_details = models.CharField(
        _("detalle del procedimiento"),
        max_length=500,
        blank=True,
        help_text=_("tender/procurementMethodDetails, p. ej. Licitación pública."),
    )
    main_procurement_category = models.CharField(
        _("categoría"),
        max_length=20,
        blank=True,
        help_text=_("tender/mainProcurementCategory (goods, works, services)."),
    )
    tender_status = models.CharField(
        _("estado de la licitación"),
        max_length=20,
        blank=True,
        help_text=_("tender/status."),
    )
    award_status = models.CharField(
        _("estado de la adjudicación"),
        max_length=20,
        blank=True,
        help_text=_("Estado de la adjudicación más reciente (awards/status)."),
    )
    contract_status = models.CharField(
        _("estado del contrato"),
        max_length=20,
        blank=True,
        help_text=_("Estado del contrato más reciente (contracts/status)."),
    )
    tender_amount = _amount_field(_("monto de la licitación"), _("tender/value/amount."))
    tender_currency = models.CharField(
        _("moneda de la licitación"),
        max_length=3,
        blank=True,
        help_text=_("tender/value/currency."),
    )
    awarded_amount = _amount_field(
        _("monto adjudicado"),
        _("Suma de awards/value/amount de las adjudicaciones activas o sin estado."),
    )
    contracted_amount = _amount_field(
        _("monto contratado"), _("Suma de contracts/value/amount de los contratos no cancelados.")
    )
    currency = models.CharField(
        _("moneda"),
        max_length=3,
        blank=True,
        help_text=_("Moneda de los montos adjudicado y contratado (la primera encontrada)."),
    )
    tender_start = models.DateTimeField(
        _("inicio del periodo de licitación"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("tender/tenderPeriod/startDate."),
    )
    tender_end = models.DateTimeField(
        _("fin del periodo de licitación"),
        null=True,
        blank=True,
        help_text=_("tender/tenderPeriod/endDate."),
    )
    award_date = models.DateTimeField(
        _("fecha de adjudicación"),
        null=True,
        blank=True,
        help_text=_("La primera awards/date."),
    )
    contract_date_signed = models.DateTimeField(
        _("fecha de firma"),
        null=True,
        blank=True,
        help_text=_("La primera contracts/dateSigned."),
    )
    number_of_tenderers = models.PositiveIntegerField(
        _("número de licitantes"),
        null=True,
        blank=True,
        help_text=_("tender/numberOfTenderers."),
    )
    last_release_date = models.DateTimeField(
        _("última entrega"), db_index=True, help_text=_("date de la entrega compilada.")
    )
    search_text = models.TextField(
        _("texto de búsqueda"),
        blank=True,
        default="",
        help_text=_(
            "ocid, título, descripción, comprador, proveedores y partidas, en mayúsculas y sin "
            "acentos: lo que recorre la búsqueda pública (índices de texto en PostgreSQL)."
        ),
    )
    title_folded = _folded_field(_("título para buscar"), "tender/title")
    buyer_name_folded = _folded_field(_("comprador para buscar"), "buyer/name")

    class Meta:
        verbose_name = _("proceso (proyección)")
        verbose_name_plural = _("procesos (proyección)")
        # Only what a query filters or sorts on (docs/benchmarks.md, «Índices»): every index is
        # paid on each publication. Meta indexes, not db_index, so PostgreSQL gets no
        # varchar_pattern_ops twin that no LIKE here would use.
        indexes = [
            models.Index(fields=["entity", "-last_release_date"], name="process_entity_recent"),
            models.Index(fields=["buyer_id"], name="process_buyer_id"),
            models.Index(fields=["procurement_method"], name="process_method"),
            models.Index(fields=["tender_status"], name="process_tender_status"),
            models.Index(fields=["award_status"], name="process_award_status"),
            # The indicators' peers (indicadores/engine/peers.py): a unit's processes in a year or
            # a window, with their amounts. On PostgreSQL migration 0013 makes it cover the
            # columns those queries read, so they come from the index alone instead of from a
            # heap page per process (docs/benchmarks.md, «Motor de indicadores»).
            models.Index(fields=["unit", "award_date"], name="process_unit_award"),
            # The public search filters on this expression (public_search.py); its amount twin,
            # sorted largest first with unknown amounts last, is PostgreSQL-only (migration
            # 0008: SQLite indexes cannot say NULLS LAST).
            models.Index(
                Coalesce("tender_start", "award_date", "contract_date_signed", "last_release_date"),
                name="process_reference_date",
            ),
        ]

    def __str__(self):
        return self.ocid


class SupplierProjection(models.Model):
    """A supplier of a process (awards/suppliers and contract parties with role supplier)."""

    process = models.ForeignKey(
        ProcessProjection,
        on_delete=models.CASCADE,
        related_name="suppliers",
        verbose_name=_("proceso"),
        help_text=_("Proceso al que pertenece."),
    )
    party_id = models.CharField(_("id"), max_length=255, help_text=_("parties/id del proveedor."))
    identifier = models.CharField(
        _("RFC o identificador"),
        max_length=255,
        blank=True,
        help_text=_("parties/identifier/id (en México, normalmente el RFC)."),
    )
    name = models.CharField(_("nombre"), max_length=500, help_text=_("Nombre del proveedor."))
    normalized_name = models.CharField(
        _("nombre normalizado"),
        max_length=500,
        help_text=_(
            "Nombre en mayúsculas, sin acentos, puntuación ni forma jurídica (S.A. de C.V.…): "
            "la misma clave que los espejos de la PDN, para cruzarlos."
        ),
    )
    name_folded = _folded_field(_("nombre para buscar"), _("El nombre del proveedor"))

    class Meta:
        verbose_name = _("proveedor (proyección)")
        verbose_name_plural = _("proveedores (proyección)")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "party_id"], name="supplier_unique_in_process"
            )
        ]
        indexes = [
            models.Index(fields=["party_id"], name="supplier_party_id"),
            models.Index(fields=["identifier"], name="supplier_identifier"),
            models.Index(fields=["normalized_name"], name="supplier_normalized_name"),
        ]

    def __str__(self):
        return self.name


class ItemProjection(models.Model):
    """An item of a process (tender, award or contract), for market research and unit prices."""

    class Section(models.TextChoices):
        TENDER = "tender", _("Licitación")
        AWARD = "award", _("Adjudicación")
        CONTRACT = "contract", _("Contrato")

    process = models.ForeignKey(
        ProcessProjection,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("proceso"),
        help_text=_("Proceso al que pertenece."),
    )
    section = models.CharField(
        _("sección"),
        max_length=10,
        choices=Section.choices,
        help_text=_("Sección OCDS de la que viene la partida."),
    )
    item_id = models.CharField(_("id"), max_length=255, help_text=_("items/id."))
    classification_scheme = models.CharField(
        _("esquema de clasificación"),
        max_length=50,
        blank=True,
        help_text=_("items/classification/scheme, p. ej. CUCOP o UNSPSC."),
    )
    classification_id = models.CharField(
        _("clave de clasificación"),
        max_length=100,
        blank=True,
        help_text=_("items/classification/id."),
    )
    description = models.TextField(_("descripción"), blank=True, help_text=_("items/description."))
    quantity = models.DecimalField(
        _("cantidad"),
        max_digits=22,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("items/quantity."),
    )
    unit_name = models.CharField(
        _("unidad"), max_length=255, blank=True, help_text=_("items/unit/name.")
    )
    unit_price = _amount_field(_("precio unitario"), _("items/unit/value/amount."))
    unit_price_currency = models.CharField(
        _("moneda del precio unitario"),
        max_length=3,
        blank=True,
        help_text=_("items/unit/value/currency."),
    )
    description_folded = _folded_field(_("descripción para buscar"), "items/description")

    class Meta:
        verbose_name = _("partida (proyección)")
        verbose_name_plural = _("partidas (proyección)")
        indexes = [
            models.Index(
                fields=["classification_scheme", "classification_id"], name="item_classification"
            ),
            models.Index(fields=["unit_price"], name="item_unit_price"),
        ]

    def __str__(self):
        return self.description or self.item_id


class ExtensionField(models.Model):
    """One property a higher layer adds to the project's OCDS extension (e.g. a form's own field).

    The release schema every process validates and merges with is the bundled one plus these rows
    (``ocds_pages.extension.release_schema``), so a field declared by one process is known to all
    of them as soon as its transaction commits.
    """

    source = models.CharField(
        _("origen"),
        max_length=100,
        help_text=_(
            "Quién declara el campo, p. ej. «form:12» (un formulario por etapa) o «workflows» "
            "(los campos que necesitan los procedimientos mexicanos). Cada origen reemplaza "
            "sólo sus propias filas."
        ),
    )
    definition = models.CharField(
        _("definición"),
        max_length=100,
        help_text=_("Definición del esquema de entrega que recibe el campo, p. ej. Tender."),
    )
    name = models.CharField(
        _("nombre"),
        max_length=100,
        help_text=_("Nombre de la propiedad en camelCase, p. ej. montoReservadoMipymes."),
    )
    schema = models.JSONField(
        _("esquema"),
        help_text=_(
            "JSON Schema (draft 4, estilo OCDS: title, description, type) de la propiedad."
        ),
    )

    class Meta:
        verbose_name = _("campo de la extensión")
        verbose_name_plural = _("campos de la extensión")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "definition", "name"], name="extension_field_unique_in_source"
            )
        ]

    def __str__(self):
        return f"{self.definition}.{self.name} ({self.source})"
