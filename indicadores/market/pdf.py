"""A small PDF 1.4 writer for text reports: headings, paragraphs and fixed-width tables.

The project ships no PDF library (docs/mercado.md, «Reporte»), and a market-research report is
text and tables, so this writes one directly: the standard Helvetica and Courier fonts with
WinAnsiEncoding (every Spanish letter is in it), A4 pages, no dates nor random ids in the file.
The same lines give the same bytes.
"""

import textwrap
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 50
STYLES = {
    # style: (font resource, size, leading, characters per line)
    "h1": ("F2", 15, 20, 60),
    "h2": ("F2", 11, 16, 80),
    "p": ("F1", 9, 12, 105),
    "small": ("F1", 7.5, 10, 125),
    "table": ("F3", 7, 9, 115),
}


@dataclass(frozen=True)
class Line:
    style: str
    text: str


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _wrapped(lines: list[Line]) -> list[Line]:
    out = []
    for line in lines:
        width = STYLES[line.style][3]
        if line.style == "table" or not line.text:
            out.append(Line(line.style, line.text[:width]))
            continue
        out += [Line(line.style, part) for part in textwrap.wrap(line.text, width)]
    return out


def _pages(lines: list[Line]) -> list[list[tuple[Line, float]]]:
    pages, current, y = [], [], PAGE_HEIGHT - MARGIN
    for line in _wrapped(lines):
        leading = STYLES[line.style][2]
        if line.style in {"h1", "h2"}:
            y -= 4
        if y - leading < MARGIN:
            pages.append(current)
            current, y = [], PAGE_HEIGHT - MARGIN
        y -= leading
        current.append((line, y))
    pages.append(current)
    return pages


def _content(page: list[tuple[Line, float]], number: int, total: int, footer: str) -> bytes:
    parts = [b"BT"]
    for line, y in page:
        font, size = STYLES[line.style][:2]
        parts.append(
            b"/%s %s Tf 1 0 0 1 %d %.1f Tm (%s) Tj"
            % (font.encode(), str(size).encode(), MARGIN, y, _escape(line.text))
        )
    foot = f"{footer} · {number}/{total}"
    parts.append(b"/F1 7 Tf 1 0 0 1 %d %d Tm (%s) Tj" % (MARGIN, MARGIN - 20, _escape(foot)))
    parts.append(b"ET")
    return b"\n".join(parts)


def render(lines: list[Line], *, title: str, footer: str) -> bytes:
    """The PDF of ``lines`` (wrapped and paged)."""
    pages = _pages(lines)
    objects: list[bytes] = []  # object n is objects[n - 1]
    fonts = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>",
    )
    objects += [b"<< /Type /Catalog /Pages 2 0 R >>", b""]  # 2: pages, filled below
    objects += list(fonts)  # 3, 4, 5
    objects.append(b"<< /Title (%s) /Producer (Compra Integra) >>" % _escape(title))  # 6
    kids = []
    for number, page in enumerate(pages, 1):
        stream = _content(page, number, len(pages), footer)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content_ref = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, content_ref)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for index, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (index, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
