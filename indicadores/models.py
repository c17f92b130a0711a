"""Integrity alerts worked by the OIC, their full history, and in-app notices.

An ``Alert`` is the lasting, human side of a flagged ``indicadores.outcomes.Outcome``: one per
(ocid, indicator code, subject). The engine's recomputations update it; only a person closes it,
through the lifecycle in ``indicadores.alerts`` (docs/manual-usuario.md, sección «OIC»).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.models import Entity, PurchasingUnit
from indicadores.engine.bulk import digest_field
from indicadores.outcomes import Severity


class AlertStatus(models.TextChoices):
    OPEN = "abierta", _("Abierta")
    IN_REVIEW = "en_revision", _("En revisión")
    DISMISSED = "descartada", _("Descartada")
    CONFIRMED = "confirmada", _("Confirmada")
    REFERRED = "turnada", _("Turnada")


class Alert(models.Model):
    """A flagged finding about one process, kept until a person resolves it."""

    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="alerts",
        verbose_name=_("ente público"),
        help_text=_("Ente comprador del proceso; su OIC trabaja la alerta."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("unidad compradora"),
        help_text=_("Unidad compradora del proceso, si se conoce."),
    )
    ocid = models.CharField(_("ocid"), max_length=128, help_text=_("ocid del proceso."))
    code = models.CharField(
        _("indicador"), max_length=40, help_text=_("Clave del indicador, p. ej. MX-SANC.")
    )
    version = models.PositiveIntegerField(
        _("versión del indicador"), help_text=_("Versión del indicador del último cálculo.")
    )
    subject = models.CharField(
        _("sujeto"),
        max_length=255,
        blank=True,
        help_text=_("A qué parte o adjudicación se refiere el hallazgo; vacío si hay uno solo."),
    )
    severity = models.CharField(
        _("severidad"), max_length=10, choices=Severity.choices, help_text=_("Severidad.")
    )
    status = models.CharField(
        _("estado"),
        max_length=12,
        choices=AlertStatus.choices,
        default=AlertStatus.OPEN,
        help_text=_("Etapa del ciclo de vida de la alerta."),
    )
    explanation = models.TextField(
        _("explicación"), help_text=_("Una línea en español que dice qué se encontró.")
    )
    evidence = models.JSONField(
        _("evidencia"),
        default=dict,
        help_text=_("Valores, umbrales y fila del registro que coincidió (último cálculo)."),
    )
    links = models.JSONField(
        _("enlaces"), default=list, help_text=_("Pares [etiqueta, URL] que acompañan la evidencia.")
    )
    digest = digest_field(
        _("huella del resultado"),
        _(
            "Huella de la versión, severidad, explicación y evidencia del último resultado con "
            "bandera: un recálculo que da la misma huella sólo renueva la fecha."
        ),
    )
    still_flagged = models.BooleanField(
        _("sigue con bandera"),
        default=True,
        help_text=_("Si el último cálculo volvió a marcar el hallazgo."),
    )
    supplier_name = models.CharField(
        _("proveedor"),
        max_length=500,
        blank=True,
        help_text=_("Proveedor al que se refiere la alerta (o los adjudicados del proceso)."),
    )
    supplier_key = models.CharField(
        _("proveedor para buscar"),
        max_length=600,
        blank=True,
        help_text=_("Nombre normalizado y RFC del proveedor, para el filtro de la bandeja."),
    )
    first_computed_at = models.DateTimeField(
        _("primer cálculo"), help_text=_("Cuándo se marcó por primera vez.")
    )
    last_computed_at = models.DateTimeField(
        _("último cálculo"), help_text=_("Cuándo se calculó por última vez.")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_alerts",
        verbose_name=_("asignada a"),
        help_text=_("Persona del OIC que atiende la alerta."),
    )
    reference_number = models.CharField(
        _("número de turno"),
        max_length=100,
        blank=True,
        help_text=_("Referencia del turno a la Unidad de Responsabilidades."),
    )
    response_question = models.TextField(
        _("solicitud a la unidad"),
        blank=True,
        help_text=_("Lo que el OIC pidió a la unidad compradora que explique."),
    )
    response_deadline = models.DateField(
        _("plazo de respuesta"),
        null=True,
        blank=True,
        help_text=_("Fecha límite para que la unidad compradora responda."),
    )
    response_requested_at = models.DateTimeField(
        _("solicitada el"), null=True, blank=True, help_text=_("Cuándo se pidió la respuesta.")
    )
    response_answer = models.TextField(
        _("respuesta de la unidad"), blank=True, help_text=_("Lo que respondió la unidad.")
    )
    responded_at = models.DateTimeField(
        _("respondida el"), null=True, blank=True, help_text=_("Cuándo respondió la unidad.")
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("respondida por"),
        help_text=_("Persona de la unidad compradora que respondió."),
    )
    updated_at = models.DateTimeField(
        _("actualizada"), auto_now=True, help_text=_("Último cambio de la alerta.")
    )

    class Meta:
        verbose_name = _("alerta")
        verbose_name_plural = _("alertas")
        permissions = [
            ("work_alert", _("Trabajar alertas (OIC)")),
            ("answer_alert", _("Responder solicitudes sobre alertas (unidad compradora)")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ocid", "code", "subject"], name="alert_unique_finding")
        ]
        # The OIC queue filters by entity plus one of these (docs/manual-usuario.md, «OIC»).
        indexes = [
            # Not on last_computed_at: a night renews it on every repeated finding, and an
            # indexed column would make each renewal write every index (no HOT update).
            models.Index(fields=["entity", "status"], name="alert_entity_status"),
            models.Index(fields=["entity", "severity"], name="alert_severity"),
            models.Index(fields=["entity", "code"], name="alert_code"),
            models.Index(fields=["entity", "unit"], name="alert_unit"),
            models.Index(fields=["entity", "-first_computed_at"], name="alert_first"),
            models.Index(fields=["supplier_key"], name="alert_supplier"),
            # The market's screening counts a supplier's live alerts per indicator and status
            # (indicadores/market/screening.py) from this index alone.
            models.Index(fields=["subject", "status", "code", "id"], name="alert_subject"),
            models.Index(fields=["unit", "response_deadline"], name="alert_response"),
        ]

    def __str__(self):
        return f"{self.code} · {self.ocid}"

    @property
    def response_pending(self) -> bool:
        return bool(self.response_requested_at) and not self.responded_at


class EventKind(models.TextChoices):
    OPENED = "abierta", _("Alerta abierta")
    RECOMPUTED = "recalculada", _("Nuevo cálculo con bandera")
    NOT_FLAGGED = "sin_bandera", _("Nuevo cálculo sin bandera")
    NOT_COMPUTABLE = "no_calculable", _("Nuevo cálculo: no calculable")
    REOPENED = "reabierta", _("Reabierta por datos nuevos")
    STATUS = "estado", _("Cambio de estado")
    COMMENT = "comentario", _("Comentario")
    ASSIGNED = "asignada", _("Asignación")
    RESPONSE_REQUESTED = "solicitud", _("Solicitud a la unidad compradora")
    RESPONSE_GIVEN = "respuesta", _("Respuesta de la unidad compradora")
    RESPONSE_OVERDUE = "plazo_vencido", _("Venció el plazo de respuesta")


class AlertEvent(models.Model):
    """One entry of an alert's history; never edited or deleted."""

    alert = models.ForeignKey(
        Alert,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("alerta"),
        help_text=_("Alerta a la que pertenece."),
    )
    kind = models.CharField(
        _("tipo"), max_length=20, choices=EventKind.choices, help_text=_("Qué ocurrió.")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persona"),
        help_text=_("Quién lo hizo; vacío si fue el cálculo de indicadores."),
    )
    from_status = models.CharField(
        _("estado anterior"),
        max_length=12,
        choices=AlertStatus.choices,
        blank=True,
        help_text=_("Estado antes del evento."),
    )
    to_status = models.CharField(
        _("estado nuevo"),
        max_length=12,
        choices=AlertStatus.choices,
        blank=True,
        help_text=_("Estado después del evento."),
    )
    text = models.TextField(
        _("texto"), blank=True, help_text=_("Justificación, comentario, solicitud o respuesta.")
    )
    data = models.JSONField(
        _("datos"),
        default=dict,
        blank=True,
        help_text=_("Detalle: versión y evidencia del cálculo, persona asignada, plazo, turno."),
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, help_text=_("Cuándo ocurrió."))

    class Meta:
        verbose_name = _("evento de alerta")
        verbose_name_plural = _("eventos de alertas")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["alert", "created_at"], name="alert_event_alert")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.alert_id}"


class Notification(models.Model):
    """An in-app notice for one person (the same text goes by e-mail)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_notifications",
        verbose_name=_("destinatario"),
        help_text=_("Persona que recibe el aviso."),
    )
    alert = models.ForeignKey(
        Alert,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("alerta"),
        help_text=_("Alerta de la que trata el aviso."),
    )
    message = models.CharField(_("aviso"), max_length=500, help_text=_("Texto del aviso."))
    url = models.CharField(
        _("enlace"), max_length=300, blank=True, help_text=_("Pantalla donde se atiende.")
    )
    created_at = models.DateTimeField(
        _("fecha"), auto_now_add=True, help_text=_("Cuándo se generó.")
    )
    read_at = models.DateTimeField(
        _("leído"), null=True, blank=True, help_text=_("Cuándo lo marcó como leído.")
    )

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")
        ]

    def __str__(self):
        return self.message


# The engine's dataset statistics and legal maxima live in indicadores/engine/stats_model.py.
from indicadores.engine.stats_model import (  # noqa: E402, F401
    IndicatorStatistic,
    IndicatorThreshold,
    LegalMaximum,
    OfficialHoliday,
)

# Contract monitoring (issue 19) keeps its rows in indicadores/monitoring/models.py.
from indicadores.monitoring.models import (  # noqa: E402, F401
    CitizenReport,
    MonitoredContract,
    MonitoredEvent,
)

# The risk index (issue 17) lives in indicadores/risk/models.py.
from indicadores.risk.models import ProcessRisk, RiskScore  # noqa: E402, F401
