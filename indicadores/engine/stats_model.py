"""Dataset statistics the set-relative indicators compare one process with (Tukey fences).

Cardinal's bid-price and disqualification flags are relative: a process is unusual against the
quartiles of all the others (docs/indicadores.md §3.2). ``calcular_indicadores`` computes them over
every published process and stores them here; each evaluation of one process (capture, review,
publication) reads them, and its evidence carries the quartiles and fences it used, so the finding
stays explainable and reproducible until the next recomputation.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorStatistic(models.Model):
    """Quartiles and fences of one measure over the dataset, or one buyer's own ratio."""

    measure = models.CharField(
        _("medida"),
        max_length=40,
        help_text=_(
            "Qué se midió: bid_gap (distancia de la segunda propuesta a la ganadora), "
            "unit_disqualified (proporción de propuestas descalificadas por unidad compradora)."
        ),
    )
    key = models.CharField(
        _("grupo"),
        max_length=100,
        help_text=_(
            "Sobre qué procesos: «*» todos, «cucop:253» una familia CUCoP, «unit:12» una unidad."
        ),
    )
    sample = models.PositiveIntegerField(
        _("muestra"), help_text=_("Cuántos procesos o unidades entraron en el cálculo.")
    )
    values = models.JSONField(
        _("valores"),
        help_text=_(
            "Cuartiles (q1, median, q3), rango intercuartil y vallas de Tukey (lower_fence, "
            "upper_fence), o la proporción de una unidad (submitted, disqualified, ratio)."
        ),
    )
    computed_at = models.DateTimeField(
        _("calculada"), help_text=_("Cuándo la calculó calcular_indicadores.")
    )

    class Meta:
        verbose_name = _("estadística de indicadores")
        verbose_name_plural = _("estadísticas de indicadores")
        constraints = [
            models.UniqueConstraint(fields=["measure", "key"], name="indicator_statistic_unique")
        ]

    def __str__(self):
        return f"{self.measure} {self.key}"


class LegalMaximum(models.Model):
    """A monto máximo de adjudicación directa or de invitación for a year and type of contract.

    Rows are only added, never edited: a correction is a new row, and the newest row of a year,
    type and procedure is the one in force, so the table keeps its own history. Read by MX-ADMAX
    and MX-FRAC (indicadores/indicators/legal.py) before the settings and the shipped table.
    """

    class Category(models.TextChoices):
        GOODS = "goods", _("Bienes (adquisiciones)")
        SERVICES = "services", _("Servicios")
        WORKS = "works", _("Obra pública")

    class Method(models.TextChoices):
        DIRECT = "direct", _("Adjudicación directa")
        SELECTIVE = "selective", _("Invitación a cuando menos tres personas")

    year = models.PositiveSmallIntegerField(
        _("ejercicio"), help_text=_("Año del Presupuesto de Egresos al que corresponde.")
    )
    category = models.CharField(
        _("tipo de contratación"),
        max_length=10,
        choices=Category.choices,
        help_text=_("tender/mainProcurementCategory de los procesos a los que se aplica."),
    )
    method = models.CharField(
        _("procedimiento"),
        max_length=10,
        choices=Method.choices,
        help_text=_("Adjudicación directa o invitación a cuando menos tres personas."),
    )
    amount = models.DecimalField(
        _("monto máximo (pesos)"),
        max_digits=16,
        decimal_places=2,
        help_text=_(
            "En pesos (el PEF los publica en miles de pesos sin IVA), para el rango de "
            "presupuesto autorizado de esta instalación."
        ),
    )
    source = models.CharField(
        _("fuente"),
        max_length=500,
        help_text=_("De dónde sale: p. ej. «PEF 2025, anexo de montos máximos, rango 3»."),
    )
    recorded_at = models.DateTimeField(
        _("registrado"), auto_now_add=True, help_text=_("Cuándo se agregó esta fila.")
    )

    class Meta:
        verbose_name = _("monto máximo de adjudicación")
        verbose_name_plural = _("montos máximos de adjudicación")
        ordering = ["-year", "category", "method", "-recorded_at"]
        indexes = [models.Index(fields=["year", "category", "method", "-recorded_at"])]

    def __str__(self):
        return f"{self.year} · {self.get_category_display()} · {self.get_method_display()}"
