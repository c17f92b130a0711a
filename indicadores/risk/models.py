"""Stored rows of the risk index: one per published process, one per unit or entity and year.

``ProcessRisk`` keeps what each process contributes (its tally, risk/tally.py) so a publication
can take the old contribution out of its year's aggregates and put the new one in; ``RiskScore``
keeps the sums, with the derived index, components and quality score as columns to sort and
serve. Both are rewritten by ``calcular_indicadores`` and kept current on every publication.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.models import Entity, PurchasingUnit
from indicadores.engine.bulk import digest_field


class ProcessRisk(models.Model):
    """One published process's contribution to the risk index."""

    ocid = models.CharField(_("ocid"), max_length=128, unique=True, help_text=_("ocid."))
    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unidad compradora"),
        help_text=_("Unidad compradora, si se conoce."),
    )
    year = models.PositiveSmallIntegerField(
        _("año"),
        help_text=_("Año del inicio de la licitación, o de la adjudicación, firma o entrega."),
    )
    procurement_method = models.CharField(
        _("procedimiento"),
        max_length=20,
        blank=True,
        help_text=_("tender/procurementMethod (open, selective, limited, direct)."),
    )
    category = models.CharField(
        _("categoría"),
        max_length=20,
        blank=True,
        help_text=_("tender/mainProcurementCategory (goods, works, services)."),
    )
    amount = models.DecimalField(
        _("monto"),
        max_digits=22,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Monto adjudicado, contratado o estimado, en pesos."),
    )
    flagged_codes = models.CharField(
        _("indicadores con bandera"),
        max_length=1000,
        blank=True,
        help_text=_("Códigos con bandera separados y rodeados por espacios: « R018 MX-DOCS »."),
    )
    tally = models.JSONField(
        _("aporte"),
        default=dict,
        help_text=_("Cuentas que el proceso suma al índice (docs/indicadores.md §7)."),
    )
    computed_at = models.DateTimeField(
        _("calculado"),
        # Not renewed when a recompute repeats the row: a date on every row was 100,000 row
        # writes a night at 100,000 processes for a value no screen shows.
        help_text=_("Cuándo se calculó por última vez con un resultado distinto."),
    )
    digest = digest_field(
        _("huella"),
        _(
            "Huella de las demás columnas: un recálculo que da la misma huella no escribe la "
            "fila ni la relee."
        ),
    )
    inputs = digest_field(
        _("huella de las entradas"),
        _(
            "Huella de aquello de lo que se calcula la fila (el texto de la entrega compilada, el "
            "ente y la unidad, lo que dijo cada indicador, S2, la versión del cálculo): un "
            "recálculo que da la misma no la vuelve a calcular."
        ),
    )

    class Meta:
        verbose_name = _("riesgo de un proceso")
        verbose_name_plural = _("riesgo de los procesos")
        # The dashboard filters by entity or unit and year, then method and category.
        indexes = [
            models.Index(fields=["entity", "year", "procurement_method"], name="risk_process_ent"),
            models.Index(fields=["unit", "year"], name="risk_process_unit"),
        ]

    def __str__(self):
        return self.ocid


class IndexColumns(models.Model):
    """A summed tally and, as columns to sort and serve, what it derives to (score.py)."""

    processes = models.PositiveIntegerField(_("procesos"), help_text=_("Procesos del año."))
    index = models.FloatField(
        _("índice de riesgo"),
        null=True,
        blank=True,
        help_text=_("0 a 100; promedio de los componentes calculables. Vacío: no calculable."),
    )
    competition = models.FloatField(
        _("competencia"), null=True, blank=True, help_text=_("Componente de competencia, 0 a 100.")
    )
    transparency = models.FloatField(
        _("transparencia"),
        null=True,
        blank=True,
        help_text=_("Componente de transparencia, 0 a 100."),
    )
    legality = models.FloatField(
        _("legalidad"), null=True, blank=True, help_text=_("Componente de legalidad, 0 a 100.")
    )
    integrity = models.FloatField(
        _("integridad"), null=True, blank=True, help_text=_("Componente de integridad, 0 a 100.")
    )
    quality = models.FloatField(
        _("calidad de los datos"),
        null=True,
        blank=True,
        help_text=_("0 a 100; aparte del índice, nunca promediada con él."),
    )
    tally = models.JSONField(
        _("cuentas"),
        default=dict,
        help_text=_("Suma de los aportes de sus procesos: numeradores y denominadores elegibles."),
    )

    class Meta:
        abstract = True

    def refresh_columns(self) -> None:
        """Derive the index, components and quality columns from the tally."""
        from indicadores.risk.score import Score

        score = Score.of(self.tally)
        self.processes = score.processes
        self.index = score.index
        for component in score.components:
            setattr(self, component.key, component.value)
        self.quality = score.quality


class RiskScore(IndexColumns):
    """The risk index of an entity (``unit`` empty) or a purchasing unit in one year."""

    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unidad compradora"),
        help_text=_("Vacío: el ente completo (todas sus unidades y los procesos sin unidad)."),
    )
    year = models.PositiveSmallIntegerField(_("año"), help_text=_("Año de los procesos."))
    updated_at = models.DateTimeField(
        _("actualizado"), auto_now=True, help_text=_("Último cambio.")
    )

    class Meta:
        verbose_name = _("índice de riesgo")
        verbose_name_plural = _("índices de riesgo")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "year"],
                condition=Q(unit__isnull=True),
                name="risk_score_entity_year",
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(unit__isnull=False),
                name="risk_score_unit_year",
            ),
        ]
        indexes = [models.Index(fields=["year", "entity"], name="risk_score_year")]

    def __str__(self):
        return f"{self.entity_id}/{self.unit_id or '-'}/{self.year}"


ALL = "*"  # a RiskCut's procedure type or category: every one
ALL_YEARS = 0  # a RiskCut's year: every year


class RiskCut(IndexColumns):
    """The summed tallies of one cut of the dashboard, ready to show: every entity (``entity``
    empty), an entity (``unit`` empty) or a unit; one year or all (``ALL_YEARS``); one procedure
    type or all (``ALL``); one category or all. Each process counts in the 24 cuts that contain
    it, so whatever the filters the dashboard reads its figures from a few rows — one per year for
    the series, one per entity or unit for the breakdown — instead of summing the processes
    (docs/benchmarks.md, «Tablero de riesgo»)."""

    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ente público"),
        help_text=_("Vacío: todos los entes."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unidad compradora"),
        help_text=_("Vacío: el ente completo (todas sus unidades y los procesos sin unidad)."),
    )
    year = models.PositiveSmallIntegerField(_("año"), help_text=_("Año de los procesos; 0: todos."))
    procurement_method = models.CharField(
        _("procedimiento"),
        max_length=20,
        blank=True,
        help_text=_("tender/procurementMethod (open, selective, limited, direct); «*»: todos."),
    )
    category = models.CharField(
        _("categoría"),
        max_length=20,
        blank=True,
        help_text=_("tender/mainProcurementCategory (goods, works, services); «*»: todas."),
    )

    class Meta:
        verbose_name = _("corte del índice de riesgo")
        verbose_name_plural = _("cortes del índice de riesgo")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "procurement_method", "category"],
                condition=Q(entity__isnull=True),
                name="risk_cut_all",
            ),
            models.UniqueConstraint(
                fields=["entity", "year", "procurement_method", "category"],
                condition=Q(entity__isnull=False, unit__isnull=True),
                name="risk_cut_entity",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "procurement_method", "category"],
                condition=Q(unit__isnull=False),
                name="risk_cut_unit",
            ),
        ]
        # The national breakdown reads every entity's row of one cut, highest index first.
        indexes = [
            models.Index(
                fields=["procurement_method", "category", "year", "-index"], name="risk_cut_cut"
            )
        ]

    def __str__(self):
        return (
            f"{self.entity_id or '*'}/{self.unit_id or '-'}/{self.year}/"
            f"{self.procurement_method or '-'}/{self.category or '-'}"
        )


class SupplierRisk(models.Model):
    """A supplier of an indexed process, beside the process's cut and flags: the dashboard's
    supplier table sums these narrow rows instead of joining the wide published projections."""

    process = models.ForeignKey(
        ProcessRisk,
        on_delete=models.CASCADE,
        related_name="suppliers",
        verbose_name=_("proceso"),
        help_text=_("Riesgo del proceso."),
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the (entity, year) index below leads with it
        verbose_name=_("ente público"),
        help_text=_("Ente comprador."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unidad compradora"),
        help_text=_("Unidad compradora, si se conoce."),
    )
    year = models.PositiveSmallIntegerField(_("año"), help_text=_("Año del proceso."))
    procurement_method = models.CharField(
        _("procedimiento"), max_length=20, blank=True, help_text=_("Tipo de procedimiento.")
    )
    category = models.CharField(
        _("categoría"), max_length=20, blank=True, help_text=_("Categoría de la compra.")
    )
    party_id = models.CharField(_("id"), max_length=255, help_text=_("parties/id del proveedor."))
    name = models.CharField(_("nombre"), max_length=500, help_text=_("Nombre del proveedor."))
    identifier = models.CharField(
        _("identificador"), max_length=255, blank=True, help_text=_("RFC u otro identificador.")
    )
    amount = models.DecimalField(
        _("monto"),
        max_digits=22,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Monto contratado o adjudicado del proceso, en pesos."),
    )
    flagged_codes = models.CharField(
        _("indicadores con bandera"),
        max_length=1000,
        blank=True,
        help_text=_("Los del proceso: « R018 MX-DOCS »."),
    )

    class Meta:
        verbose_name = _("proveedor de un proceso con índice")
        verbose_name_plural = _("proveedores de los procesos con índice")
        indexes = [
            models.Index(fields=["entity", "year", "procurement_method"], name="risk_supplier_ent"),
            models.Index(fields=["party_id"], name="risk_supplier_party"),
        ]

    def __str__(self):
        return f"{self.process_id}/{self.party_id}"


EVERY = 0  # an AlertCount's entity or unit: every entity, or the whole entity


class AlertCount(models.Model):
    """How many alerts of one cut of the dashboard have one status and were first flagged on one
    day (UTC): the alerts table sums these rows instead of counting the alerts, so it reads at
    most statuses × days rows whatever the number of processes. The cuts are ``RiskCut``'s
    (every entity, an entity or a unit × year or all × procedure type or all × category or all),
    keyed by the alert's own entity and unit and its process's year, procedure type and
    category; an alert whose process has no index counts only where all three are «all».
    Plain integers, not foreign keys, so the unique key has no NULL and one statement can add
    to a row or create it (``INSERT … ON CONFLICT``, indicadores/risk/counts.py)."""

    entity_ref = models.PositiveIntegerField(
        _("ente público"), help_text=_("Clave primaria del ente; 0: todos los entes.")
    )
    unit_ref = models.PositiveIntegerField(
        _("unidad compradora"),
        help_text=_("Clave primaria de la unidad; 0: el ente completo (o todos los entes)."),
    )
    year = models.PositiveSmallIntegerField(_("año"), help_text=_("Año de los procesos; 0: todos."))
    procurement_method = models.CharField(
        _("procedimiento"), max_length=20, help_text=_("Tipo de procedimiento; «*»: todos.")
    )
    category = models.CharField(
        _("categoría"), max_length=20, help_text=_("Categoría de la compra; «*»: todas.")
    )
    status = models.CharField(_("estado"), max_length=20, help_text=_("Estado de las alertas."))
    day = models.DateField(_("día"), help_text=_("Día (UTC) en que se señalaron por primera vez."))
    alerts = models.IntegerField(_("alertas"), help_text=_("Cuántas alertas."))

    class Meta:
        verbose_name = _("conteo de alertas de un corte")
        verbose_name_plural = _("conteos de alertas de los cortes")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "entity_ref",
                    "unit_ref",
                    "year",
                    "procurement_method",
                    "category",
                    "status",
                    "day",
                ],
                name="risk_alert_count_cell",
            )
        ]

    def __str__(self):
        return f"{self.entity_ref}/{self.unit_ref}/{self.year}/{self.status}/{self.day}"


class SupplierCut(models.Model):
    """One supplier's sums in one cut of the dashboard (``AlertCount``'s cuts, over the
    ``SupplierRisk`` rows): the supplier table reads the largest of one cut through an index
    instead of summing every supplier row of the cut (docs/benchmarks.md, «Tablero de riesgo»)."""

    entity_ref = models.PositiveIntegerField(
        _("ente público"), help_text=_("Clave primaria del ente; 0: todos los entes.")
    )
    unit_ref = models.PositiveIntegerField(
        _("unidad compradora"),
        help_text=_("Clave primaria de la unidad; 0: el ente completo (o todos los entes)."),
    )
    year = models.PositiveSmallIntegerField(_("año"), help_text=_("Año de los procesos; 0: todos."))
    procurement_method = models.CharField(
        _("procedimiento"), max_length=20, help_text=_("Tipo de procedimiento; «*»: todos.")
    )
    category = models.CharField(
        _("categoría"), max_length=20, help_text=_("Categoría de la compra; «*»: todas.")
    )
    party_id = models.CharField(_("id"), max_length=255, help_text=_("parties/id del proveedor."))
    name = models.CharField(_("nombre"), max_length=500, help_text=_("Nombre del proveedor."))
    identifier = models.CharField(
        _("identificador"), max_length=255, blank=True, help_text=_("RFC u otro identificador.")
    )
    processes = models.IntegerField(_("procesos"), help_text=_("Procesos del proveedor."))
    priced = models.IntegerField(
        _("procesos con monto"),
        help_text=_(
            "Cuántos de esos procesos tienen monto; con ninguno, el proveedor va después de los "
            "de monto cero."
        ),
    )
    amount = models.DecimalField(
        _("monto"),
        max_digits=22,
        decimal_places=4,
        default=0,
        help_text=_("Suma de los montos contratados o adjudicados, en pesos."),
    )

    class Meta:
        verbose_name = _("proveedor en un corte del índice de riesgo")
        verbose_name_plural = _("proveedores en los cortes del índice de riesgo")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "entity_ref",
                    "unit_ref",
                    "year",
                    "procurement_method",
                    "category",
                    "party_id",
                ],
                name="risk_supplier_cut_cell",
            )
        ]
        # The table reads the largest amounts of one cut.
        indexes = [
            models.Index(
                "entity_ref",
                "unit_ref",
                "year",
                "procurement_method",
                "category",
                models.F("amount").desc(),
                name="risk_supplier_cut_top",
            )
        ]

    def __str__(self):
        return f"{self.entity_ref}/{self.unit_ref}/{self.year}/{self.party_id}"


ANY_FLAG = "*"  # a SupplierFlagCount's code: processes with any flag


class SupplierFlagCount(models.Model):
    """How many of one supplier's processes in one cut (``SupplierCut``'s cells) have one
    indicator flagged (or any, ``ANY_FLAG``): the supplier table's findings for its fifteen
    suppliers, read instead of splitting the codes of every flagged process of theirs."""

    entity_ref = models.PositiveIntegerField(
        _("ente público"), help_text=_("Clave primaria del ente; 0: todos los entes.")
    )
    unit_ref = models.PositiveIntegerField(
        _("unidad compradora"),
        help_text=_("Clave primaria de la unidad; 0: el ente completo (o todos los entes)."),
    )
    year = models.PositiveSmallIntegerField(_("año"), help_text=_("Año de los procesos; 0: todos."))
    procurement_method = models.CharField(
        _("procedimiento"), max_length=20, help_text=_("Tipo de procedimiento; «*»: todos.")
    )
    category = models.CharField(
        _("categoría"), max_length=20, help_text=_("Categoría de la compra; «*»: todas.")
    )
    party_id = models.CharField(_("id"), max_length=255, help_text=_("parties/id del proveedor."))
    code = models.CharField(
        _("indicador"), max_length=50, help_text=_("Código del indicador; «*»: cualquiera.")
    )
    processes = models.IntegerField(
        _("procesos"), help_text=_("Procesos del proveedor con esa bandera.")
    )

    class Meta:
        verbose_name = _("banderas de un proveedor en un corte")
        verbose_name_plural = _("banderas de los proveedores en los cortes")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "entity_ref",
                    "unit_ref",
                    "year",
                    "procurement_method",
                    "category",
                    "party_id",
                    "code",
                ],
                name="risk_supplier_flag_cell",
            )
        ]

    def __str__(self):
        return f"{self.entity_ref}/{self.unit_ref}/{self.year}/{self.party_id}/{self.code}"
