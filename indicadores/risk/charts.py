"""Charts of the risk dashboard as server-side SVG: no script, no library, nothing from a CDN.

Each chart is an image with a title and a description (``role="img"``) and is always shown with
the table of the same numbers right below it (docs/arquitectura.md §5: accessible), so a screen
reader or a person printing the page gets every figure. Series differ by colour *and* by dash
pattern and marker, so they stay apart in grey scale.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Okabe–Ito colours (safe for the common colour-vision deficiencies), dash patterns, markers.
SERIES_STYLES = (
    ("#000000", "", "circle"),
    ("#0072B2", "6 3", "square"),
    ("#D55E00", "2 3", "diamond"),
    ("#009E73", "8 3 2 3", "triangle"),
    ("#CC79A7", "1 2", "circle"),
)
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 150, 16, 36


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def _frame(chart_id: str, title: str, description: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="grafica" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 (every text is escaped)


def _axes(ticks: list[tuple[float, str]], y_of) -> list[str]:
    parts = []
    for value, label in ticks:
        y = y_of(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#333">{escape(label)}</text>'
        )
    return parts


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
) -> SafeString:
    """Lines on a 0–100 scale, one point per label; a missing value breaks its line."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(index: int) -> float:
        return LEFT + (plot_w / 2 if len(labels) == 1 else plot_w * index / (len(labels) - 1))

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / 100)

    body = _axes([(v, str(v)) for v in (0, 25, 50, 75, 100)], y_of)
    for index, label in enumerate(labels):
        body.append(
            f'<text x="{x_of(index):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="11" fill="#333">{escape(label)}</text>'
        )
    for number, (name, values) in enumerate(series):
        colour, dash, marker = SERIES_STYLES[number % len(SERIES_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        width = 3 if number == 0 else 2
        segment: list[str] = []
        for index, value in enumerate(values):
            if value is None:
                body += _polyline(segment, colour, dash_attr, width)
                segment = []
                continue
            segment.append(f"{x_of(index):.1f},{y_of(value):.1f}")
            body.append(_marker(marker, x_of(index), y_of(value), colour))
        body += _polyline(segment, colour, dash_attr, width)
        legend_y = TOP + 14 + 20 * number
        legend_x = WIDTH - RIGHT + 12
        body.append(
            f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="{legend_y}" y2="{legend_y}" '
            f'stroke="{colour}" stroke-width="{width}"{dash_attr}/>'
            + _marker(marker, legend_x + 11, legend_y, colour)
            + f'<text x="{legend_x + 28}" y="{legend_y + 4}" font-size="12" '
            f'fill="#1b1b1b">{escape(name)}</text>'
        )
    return _frame(chart_id, title, description, body)


def _polyline(points: list[str], colour: str, dash_attr: str, width: int) -> list[str]:
    if len(points) < 2:
        return []
    return [
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
        f'stroke-width="{width}"{dash_attr}/>'
    ]


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: list[tuple[str, float, bool]],
) -> SafeString:
    """Horizontal bars on a 0–100 scale: (label, value, highlighted); highlighted bars (e.g.
    «revise los umbrales») are hatched as well as darker."""
    row_h, label_w = 22, 110
    height = TOP + BOTTOM + row_h * max(len(bars), 1)
    plot_w = WIDTH - label_w - 60
    body = [
        '<defs><pattern id="' + chart_id + '-rayas" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#D55E00"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>'
    ]
    for index, (label, value, highlighted) in enumerate(bars):
        y = TOP + row_h * index
        length = plot_w * max(0.0, min(value, 100.0)) / 100
        fill = f"url(#{chart_id}-rayas)" if highlighted else "#0072B2"
        body.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="11" '
            f'fill="#1b1b1b">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
            f'fill="{fill}"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 15}" font-size="11" '
            f'fill="#1b1b1b">{value:.1f} %</text>'
        )
    svg = _frame(chart_id, title, description, body)
    return mark_safe(  # noqa: S308 (built from escaped parts above)
        svg.replace(f'viewBox="0 0 {WIDTH} {HEIGHT}"', f'viewBox="0 0 {WIDTH} {height}"', 1)
    )
