"""Stored monitoring state: one row per published contract and its dated money events.

Rows are derived (``indicadores.monitoring.store``) from the compiled records — never typed — and
replaced whole for a process each time it is recomputed, like the projections of ``ocds_pages``.
The dashboards and the API filter and aggregate these indexed columns instead of parsing JSON.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.models import Entity, PurchasingUnit
from indicadores.engine.bulk import digest_field
from indicadores.monitoring.choices import ContractStatus, OverdueGrade


def _money(name, help_text, **kwargs):
    return models.DecimalField(name, max_digits=20, decimal_places=4, help_text=help_text, **kwargs)


def _share(name, help_text):
    return models.DecimalField(
        name, max_digits=9, decimal_places=4, null=True, blank=True, help_text=help_text
    )


class MonitoredContract(models.Model):
    """The computed state of one contract of a published process, as of ``assessed_on``."""

    record = models.ForeignKey(
        "ocds_pages.Record",
        on_delete=models.CASCADE,
        related_name="monitored_contracts",
        verbose_name=_("registro"),
        help_text=_("Registro compilado del que se calculó."),
    )
    ocid = models.CharField(_("ocid"), max_length=128, db_index=True, help_text=_("ocid."))
    contract_id = models.CharField(
        _("contrato"), max_length=255, help_text=_("contracts/id dentro del proceso.")
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="monitored_contracts",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitored_contracts",
        verbose_name=_("unidad compradora"),
        help_text=_("Unidad compradora, si el proceso la tiene."),
    )
    title = models.TextField(_("título"), blank=True, help_text=_("Título del contrato."))
    procurement_method = models.CharField(
        _("procedimiento"),
        max_length=200,
        blank=True,
        help_text=_("tender/procurementMethodDetails (o procurementMethod)."),
    )
    category = models.CharField(
        _("categoría"), max_length=20, blank=True, help_text=_("tender/mainProcurementCategory.")
    )
    contract_status = models.CharField(
        _("estado OCDS"), max_length=20, blank=True, help_text=_("contracts/status.")
    )
    supplier_id = models.CharField(
        _("id del proveedor"), max_length=255, blank=True, help_text=_("parties/id del proveedor.")
    )
    supplier_name = models.CharField(
        _("proveedor"), max_length=500, blank=True, help_text=_("Nombre del proveedor.")
    )
    supplier_rfc = models.CharField(
        _("RFC del proveedor"), max_length=13, blank=True, help_text=_("RFC normalizado.")
    )
    currency = models.CharField(_("moneda"), max_length=3, blank=True, help_text=_("ISO 4217."))
    date_signed = models.DateField(_("firma"), null=True, blank=True, help_text=_("Firma."))
    start = models.DateField(_("inicio"), null=True, blank=True, help_text=_("Inicio de vigencia."))
    end = models.DateField(_("fin"), null=True, blank=True, help_text=_("Fin de vigencia vigente."))
    original_amount = _money(
        _("monto original"), _("Primer monto publicado del contrato."), null=True, blank=True
    )
    amount = _money(
        _("monto vigente"), _("Monto con sus convenios modificatorios."), null=True, blank=True
    )
    paid = _money(_("pagado"), _("Suma de los pagos en la moneda del contrato."), default=0)
    penalties_amount = _money(
        _("penas y deducciones"), _("Suma de penas convencionales y deducciones."), default=0
    )
    value_increase = _share(_("aumento del monto"), _("Aumento del monto sobre el original."))
    period_increase = _share(_("aumento del plazo"), _("Aumento del plazo sobre el original."))
    amendments = models.PositiveIntegerField(
        _("convenios"), default=0, help_text=_("Convenios modificatorios publicados.")
    )
    milestones = models.PositiveIntegerField(
        _("entregas"), default=0, help_text=_("Entregas (hitos) programadas.")
    )
    milestones_met = models.PositiveIntegerField(
        _("entregas cumplidas"), default=0, help_text=_("Entregas cumplidas.")
    )
    late_deliveries = models.PositiveIntegerField(
        _("entregas tardías"),
        default=0,
        help_text=_("Entregas cumplidas después de su fecha o vencidas sin cumplir."),
    )
    physical = _share(_("avance físico"), _("Proporción de entregas cumplidas."))
    financial = _share(_("avance financiero"), _("Proporción del monto vigente pagada."))
    days_to_end = models.IntegerField(
        _("días al fin"), null=True, blank=True, help_text=_("Negativo si ya pasó el fin.")
    )
    days_overdue = models.PositiveIntegerField(
        _("días de atraso"), default=0, help_text=_("Días del mayor atraso.")
    )
    overdue_grade = models.CharField(
        _("grado de atraso"),
        max_length=10,
        blank=True,
        choices=OverdueGrade.choices,
        help_text=_("Leve, moderado o grave según los umbrales de MX-OVERDUE."),
    )
    guarantee_expiry = models.DateField(
        _("vencimiento de garantía"),
        null=True,
        blank=True,
        help_text=_("Fin de vigencia más próximo de sus garantías."),
    )
    guarantee_warning = models.CharField(
        _("aviso de garantía"),
        max_length=12,
        blank=True,
        help_text=_("vencida, por_vencer o no_cubre (vence antes que el contrato)."),
    )
    status = models.CharField(
        _("estado"),
        max_length=20,
        choices=ContractStatus.choices,
        help_text=_("Estado calculado: el más grave de sus hallazgos."),
    )
    overdue = models.BooleanField(_("atrasado"), default=False, help_text=_("Tiene atraso."))
    at_risk = models.BooleanField(_("en riesgo"), default=False, help_text=_("Está en riesgo."))
    paid_ahead = models.BooleanField(
        _("pago adelantado"), default=False, help_text=_("Pagado por delante de las entregas.")
    )
    overpaid = models.BooleanField(
        _("pagado de más"), default=False, help_text=_("Pagos por encima del monto vigente.")
    )
    over_amended = models.BooleanField(
        _("modificado de más"),
        default=False,
        help_text=_("Convenios por más del 20 % del monto o del plazo (LAASSP art. 52)."),
    )
    detail = models.JSONField(
        _("detalle"),
        default=dict,
        help_text=_("Entregas, pagos, penas, garantías, convenios y motivos de riesgo."),
    )
    assessed_on = models.DateField(_("calculado para"), help_text=_("Día de la evaluación."))
    digest = digest_field(
        _("huella"),
        _(
            "Huella de las demás columnas y de los pagos y entregas del contrato: un recálculo "
            "que da la misma huella sólo renueva el día de la evaluación."
        ),
    )

    class Meta:
        verbose_name = _("contrato en seguimiento")
        verbose_name_plural = _("contratos en seguimiento")
        constraints = [
            models.UniqueConstraint(
                fields=["ocid", "contract_id"], name="monitored_contract_unique"
            )
        ]
        indexes = [
            models.Index(fields=["entity", "status"], name="monitoring_entity_status"),
            models.Index(fields=["unit", "status"], name="monitoring_unit_status"),
            models.Index(fields=["status"], name="monitoring_status"),
            models.Index(fields=["supplier_rfc"], name="monitoring_supplier_rfc"),
            models.Index(fields=["entity", "guarantee_expiry"], name="monitoring_guarantee"),
        ]

    def __str__(self):
        return f"{self.ocid} {self.contract_id}"


class MonitoredEvent(models.Model):
    """A dated amount of a contract: a payment, or the value of a delivery met (the contract's
    amended value shared equally among its deliveries), for «ejecutado contra pagado» by month."""

    class Kind(models.TextChoices):
        PAYMENT = "pago", _("Pago")
        DELIVERY = "entrega", _("Entrega")

    contract = models.ForeignKey(
        MonitoredContract,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("contrato"),
        help_text=_("Contrato en seguimiento."),
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador (copiado para filtrar sin unir)."),
    )
    kind = models.CharField(
        _("tipo"), max_length=10, choices=Kind.choices, help_text=_("Pago o entrega.")
    )
    date = models.DateField(_("fecha"), help_text=_("Fecha del pago o de la entrega."))
    amount = _money(_("importe"), _("Importe pagado o valor de la entrega."))

    class Meta:
        verbose_name = _("evento de contrato")
        verbose_name_plural = _("eventos de contratos")
        indexes = [models.Index(fields=["entity", "date"], name="monitoring_event_entity_date")]

    def __str__(self):
        return f"{self.kind} {self.date} {self.amount}"


class CitizenReport(models.Model):
    """A problem with a contract's delivery reported by anyone from the public page.

    Keyed by (ocid, contract id), not by the monitoring row, which is replaced at every
    recomputation. The entity moderates it (accept or reject, with a note); accepted reports are
    shown to the OIC beside the contract. The reporter's contact and photo are never published.
    """

    class Kind(models.TextChoices):
        NOT_DELIVERED = "no_entregado", _("No se entregó")
        INCOMPLETE = "incompleto", _("Se entregó incompleto")
        QUALITY = "calidad", _("Mala calidad o no sirve")
        OTHER = "otro", _("Otro problema")

    class Status(models.TextChoices):
        PENDING = "pendiente", _("Por moderar")
        ACCEPTED = "aceptado", _("Aceptado")
        REJECTED = "rechazado", _("Rechazado")

    ocid = models.CharField(_("ocid"), max_length=128, help_text=_("Proceso del contrato."))
    contract_id = models.CharField(
        _("contrato"), max_length=255, help_text=_("contracts/id dentro del proceso.")
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="citizen_reports",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador: lo modera."),
    )
    kind = models.CharField(
        _("problema"), max_length=20, choices=Kind.choices, help_text=_("Qué tipo de problema.")
    )
    description = models.TextField(
        _("descripción"), max_length=2000, help_text=_("Lo que vio la persona, con sus palabras.")
    )
    place = models.CharField(
        _("lugar"), max_length=200, blank=True, help_text=_("Dónde (unidad médica, escuela, obra).")
    )
    photo = models.ImageField(
        _("foto"),
        upload_to="reportes-ciudadanos/%Y/%m/",
        blank=True,
        help_text=_("Foto opcional, sin metadatos (se vuelve a codificar al recibirla)."),
    )
    contact = models.EmailField(
        _("correo de contacto"),
        blank=True,
        help_text=_("Opcional; sólo lo ve el ente, nunca se publica."),
    )
    status = models.CharField(
        _("estado"),
        max_length=12,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_("Por moderar, aceptado o rechazado."),
    )
    moderation_note = models.TextField(
        _("nota de moderación"), blank=True, help_text=_("Por qué se aceptó o rechazó.")
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderado por"),
        help_text=_("Quién lo moderó."),
    )
    moderated_at = models.DateTimeField(
        _("moderado"), null=True, blank=True, help_text=_("Cuándo se moderó.")
    )
    created_at = models.DateTimeField(_("recibido"), auto_now_add=True, help_text=_("Recibido."))

    class Meta:
        verbose_name = _("reporte ciudadano")
        verbose_name_plural = _("reportes ciudadanos")
        permissions = [("moderate_citizenreport", _("Moderar reportes ciudadanos"))]
        indexes = [
            models.Index(fields=["ocid", "contract_id"], name="citizen_report_contract"),
            models.Index(fields=["entity", "status"], name="citizen_report_entity_status"),
        ]

    def __str__(self):
        return f"{self.ocid} {self.contract_id} {self.kind}"
