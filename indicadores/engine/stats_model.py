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


class IndicatorThreshold(models.Model):
    """Thresholds of one indicator set by the national administrator: a new version of it.

    Rows are only added: the newest row of a code is in force (merged over the indicator's
    defaults and ``INDICADORES_UMBRALES``) and every row counts as one more version of the
    indicator, so outcomes computed before and after a change never share a version.
    """

    code = models.CharField(
        _("indicador"), max_length=20, help_text=_("Código del indicador, p. ej. MX-NEWCO.")
    )
    values = models.JSONField(
        _("umbrales"),
        help_text=_(
            'Los umbrales que cambian, como JSON: p. ej. {"days": 180}. Los nombres son los de '
            "docs/indicadores.md; los que no se escriben conservan su valor."
        ),
    )
    reason = models.CharField(
        _("motivo"), max_length=500, help_text=_("Por qué se cambia (queda en la historia).")
    )
    recorded_at = models.DateTimeField(
        _("registrado"), auto_now_add=True, help_text=_("Cuándo se agregó esta fila.")
    )

    class Meta:
        verbose_name = _("umbral de indicador")
        verbose_name_plural = _("umbrales de indicadores")
        ordering = ["code", "-recorded_at"]

    def __str__(self):
        return f"{self.code} · {self.recorded_at:%Y-%m-%d %H:%M}" if self.recorded_at else self.code

    def clean(self):
        from django.core.exceptions import ValidationError

        from indicadores.engine.core import indicators

        known = {item.code: item for item in indicators()}
        item = known.get(self.code)
        if item is None:
            raise ValidationError(
                {"code": _("No existe el indicador %(code)s.") % {"code": self.code}}
            )
        if not isinstance(self.values, dict) or not self.values:
            raise ValidationError({"values": _("Escriba un objeto JSON con los umbrales.")})
        unknown = sorted(set(self.values) - set(item.defaults))
        if unknown:
            raise ValidationError(
                {
                    "values": _("%(code)s no tiene los umbrales: %(names)s. Tiene: %(known)s.")
                    % {
                        "code": self.code,
                        "names": ", ".join(unknown),
                        "known": ", ".join(item.defaults) or "—",
                    }
                }
            )
        for name, value in self.values.items():
            if not isinstance(value, type(item.defaults[name])) or isinstance(value, bool) != (
                isinstance(item.defaults[name], bool)
            ):
                raise ValidationError(
                    {
                        "values": _("El umbral %(name)s debe ser del mismo tipo que %(default)s.")
                        % {"name": name, "default": item.defaults[name]}
                    }
                )


class OfficialHoliday(models.Model):
    """A non-working day the installation adds to those of the Ley Federal del Trabajo (art. 74),
    or a day it declares working after all. Rows are only added; the newest row of a date is in
    force. Read by MX-HOLIDAY."""

    date = models.DateField(_("fecha"), help_text=_("El día."))
    name = models.CharField(
        _("motivo"),
        max_length=200,
        help_text=_("P. ej. «Jornada electoral» o «Día inhábil local»."),
    )
    non_working = models.BooleanField(
        _("inhábil"),
        default=True,
        help_text=_("Desmárquelo para declarar hábil una fecha que la tabla daba por inhábil."),
    )
    recorded_at = models.DateTimeField(
        _("registrado"), auto_now_add=True, help_text=_("Cuándo se agregó esta fila.")
    )

    class Meta:
        verbose_name = _("día inhábil")
        verbose_name_plural = _("días inhábiles")
        ordering = ["-date", "-recorded_at"]
        indexes = [models.Index(fields=["date", "-recorded_at"])]

    def __str__(self):
        return f"{self.date} · {self.name}"
