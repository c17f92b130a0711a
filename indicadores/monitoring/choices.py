"""The computed statuses of a monitored contract (no imports beyond Django: models use them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractStatus(models.TextChoices):
    """The headline status of a contract, the most serious of its findings (``PRECEDENCE``)."""

    OVERPAID = "sobrepagado", _("Pagado de más")
    PAID_AHEAD = "pago_adelantado", _("Pagado antes de las entregas")
    OVERDUE = "atrasado", _("Con atraso")
    OVER_AMENDED = "modificado_excedido", _("Modificado más allá del límite")
    AT_RISK = "en_riesgo", _("En riesgo")
    ON_TIME = "en_tiempo", _("En tiempo")
    COMPLETED = "concluido", _("Concluido")


PRECEDENCE = list(ContractStatus)


class OverdueGrade(models.TextChoices):
    NONE = "", _("Sin atraso")
    MILD = "leve", _("Leve")
    MODERATE = "moderado", _("Moderado")
    SEVERE = "grave", _("Grave")
