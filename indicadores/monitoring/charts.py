"""Server-side SVG charts: no JavaScript and nothing downloaded (docs/arquitectura.md, decision
14). Each chart is drawn from the same rows the page shows in a table beside it, so the numbers
are readable without the picture (and by a screen reader: the SVG is labelled by its title)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 220
PALETTE = ("#1f4e79", "#b35900")  # dark blue, dark orange: distinguishable and AA on white


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | float
    color: str = PALETTE[0]


def _scale(values) -> float:
    top = max((float(v) for v in values), default=0.0)
    return top if top > 0 else 1.0


def bar_chart(title: str, bars: list[Bar], *, chart_id: str) -> SafeString:
    """Horizontal bars, one per row, with their value written at the end of the bar."""
    top = _scale(bar.value for bar in bars)
    span = WIDTH - LABEL_WIDTH - 90
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    rows = []
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(span * float(bar.value) / top, 1)
        rows.append(
            (
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT * 0.7,
                bar.label,
                LABEL_WIDTH,
                y,
                max(length, 1 if bar.value else 0),
                BAR_HEIGHT,
                bar.color,
                LABEL_WIDTH + length + 6,
                y + BAR_HEIGHT * 0.7,
                _figure(bar.value),
            )
        )
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}">{}</text>',
        rows,
    )
    return format_html(
        '<svg class="grafica" role="img" aria-labelledby="{}-t" viewBox="0 0 {} {}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title>{}</svg>',
        chart_id,
        WIDTH,
        height,
        chart_id,
        title,
        body,
    )


def column_pairs(
    title: str, periods: list[str], series: list[tuple[str, list]], *, chart_id: str
) -> SafeString:
    """Grouped columns per period (e.g. executed and paid by month), with a legend."""
    height, base, left = 260, 220, 60
    values = [v for _name, row in series for v in row]
    top = _scale(values)
    slot = (WIDTH - left - 10) / max(len(periods), 1)
    width = max(slot / (len(series) + 1), 2)
    shapes = []
    for p_index, period in enumerate(periods):
        x0 = left + p_index * slot
        for s_index, (_name, row) in enumerate(series):
            value = float(row[p_index])
            tall = round((base - 20) * value / top, 1)
            shapes.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                    round(x0 + s_index * width + width / 2, 1),
                    round(base - tall, 1),
                    round(width, 1),
                    tall,
                    PALETTE[s_index % len(PALETTE)],
                )
            )
        shapes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" class="eje">{}</text>',
                round(x0 + slot / 2, 1),
                base + 16,
                period,
            )
        )
    legend = format_html_join(
        "",
        '<rect x="{}" y="4" width="12" height="12" fill="{}"></rect><text x="{}" y="15">{}</text>',
        (
            (left + i * 160, PALETTE[i % len(PALETTE)], left + i * 160 + 16, name)
            for i, (name, _row) in enumerate(series)
        ),
    )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#6b6b6b"></line>'
        '<text x="{}" y="{}" text-anchor="end" class="eje">{}</text>',
        left,
        base,
        WIDTH - 10,
        base,
        left - 4,
        30,
        _figure(top),
    )
    return format_html(
        '<svg class="grafica" role="img" aria-labelledby="{}-t" viewBox="0 0 {} {}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title>{}{}{}</svg>',
        chart_id,
        WIDTH,
        height,
        chart_id,
        title,
        legend,
        axis,
        SafeString("".join(shapes)),
    )


def _figure(value) -> str:
    """A short figure for a label: 1,234 or 2.5 M."""
    number = float(value)
    if abs(number) >= 1_000_000:
        return f"{number / 1_000_000:,.1f} M"
    return f"{number:,.0f}"
