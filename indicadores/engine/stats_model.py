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
