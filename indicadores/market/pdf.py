"""A small PDF 1.4 writer for text reports: headings, paragraphs and fixed-width tables.

The project ships no PDF library (docs/mercado.md, «Reporte»), and a market-research report is
text and tables, so this writes one directly: the standard Helvetica and Courier fonts with
WinAnsiEncoding (every Spanish letter is in it: á é í ó ú ü ñ ¿ ¡ « »), A4 pages, no dates nor
random ids in the file. The same lines give the same bytes.

Lines are wrapped by their real width: the glyph widths of Helvetica and Helvetica-Bold below are
those of Adobe's core-font metrics (AFM, 1/1000 em) for WinAnsiEncoding codes 32–255; Courier is
600 for every glyph. A character WinAnsi lacks is written as its closest text (``FALLBACK``, then
its decomposition without accents) or «?». The document title goes in the Info dictionary as
UTF-16BE, as PDF text strings outside PDFDocEncoding must.
"""

import unicodedata
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 50
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
STYLES = {
    # style: (font resource, size, leading)
    "h1": ("F2", 15, 20),
    "h2": ("F2", 11, 16),
    "p": ("F1", 9, 12),
    "small": ("F1", 7.5, 10),
    "table": ("F3", 7, 9),
}
FALLBACK = {
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
    "→": "->",
    "←": "<-",
    "✔": "sí",
    "✘": "no",
    "−": "-",
    "\u2009": " ",
    "\u202f": " ",
    "⁄": "/",
}

# Widths (1/1000 em) of WinAnsiEncoding codes 32..255; 0 where the encoding has no glyph.


def _widths(text: str) -> tuple[int, ...]:
    return tuple(int(value) for value in text.split())


HELVETICA = _widths(
    """
    278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278
    556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556
    1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778
    667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556
    333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556
    556 556 333 500 278 556 500 722 500 500 500 334 260 334 584 0
    556 0 222 556 333 1000 556 556 333 1000 667 333 1000 0 611 0
    0 222 222 333 333 350 556 1000 333 1000 500 333 944 0 500 667
    278 333 556 556 556 556 260 556 333 737 370 556 584 333 737 333
    400 584 333 333 333 578 537 278 333 333 365 556 834 834 834 611
    667 667 667 667 667 667 1000 722 667 667 667 667 278 278 278 278
    722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611
    556 556 556 556 556 556 889 500 556 556 556 556 278 278 278 278
    556 556 556 556 556 556 556 584 611 556 556 556 556 500 556 500
"""
)
HELVETICA_BOLD = _widths(
    """
    278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278
    556 556 556 556 556 556 556 556 556 556 333 333 584 584 584 611
    975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778
    667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556
    333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611
    611 611 389 556 333 611 556 778 556 556 500 389 280 389 584 0
    556 0 278 556 500 1000 556 556 333 1000 667 333 1000 0 611 0
    0 278 278 500 500 350 556 1000 333 1000 556 333 944 0 500 667
    278 333 556 556 556 556 280 556 333 737 370 556 584 333 737 333
    400 584 333 333 333 611 556 278 333 333 365 556 834 834 834 611
    722 722 722 722 722 722 1000 722 667 667 667 667 278 278 278 278
    722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611
    556 556 556 556 556 556 889 556 556 556 556 556 278 278 278 278
    611 611 611 611 611 611 611 584 611 611 611 611 611 556 611 556
"""
)
COURIER = 600
FONT_WIDTHS = {"F1": HELVETICA, "F2": HELVETICA_BOLD}


@dataclass(frozen=True)
class Line:
    style: str
    text: str


def encode(text: str) -> bytes:
    """``text`` in WinAnsiEncoding (cp1252), characters it lacks replaced as the module says."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
            continue
        except UnicodeEncodeError:
            pass
        substitute = FALLBACK.get(char)
        if substitute is None:
            plain = unicodedata.normalize("NFKD", char)
            kept = (FALLBACK.get(c, c) for c in plain if not unicodedata.combining(c))
            substitute = "".join(kept) or "?"
        out += substitute.encode("cp1252", errors="replace")
    return bytes(out)


def width(raw: bytes, style: str) -> float:
    """Width in points of ``raw`` (encoded) in ``style``."""
    font, size = STYLES[style][:2]
    table = FONT_WIDTHS.get(font)
    units = COURIER * len(raw) if table is None else sum(table[b - 32] for b in raw if b >= 32)
    return units * size / 1000


def _escape(raw: bytes) -> bytes:
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _split_word(word: bytes, style: str, room: float) -> list[bytes]:
    """A word wider than ``room`` points, cut where it fills it."""
    parts, current = [], b""
    for byte in word:
        piece = bytes([byte])
        if current and width(current + piece, style) > room:
            parts.append(current)
            current = b""
        current += piece
    return [*parts, current] if current else parts


def wrap(text: str, style: str) -> list[bytes]:
    """The encoded lines of ``text`` that fit ``TEXT_WIDTH`` in ``style`` (greedy, by words);
    a table line is cut at the width instead (its columns must stay aligned)."""
    raw = encode(text)
    if style == "table":
        return _split_word(raw, style, TEXT_WIDTH)[:1] or [b""]
    indent = raw[: len(raw) - len(raw.lstrip(b" "))]  # kept on every line of the paragraph
    room = TEXT_WIDTH - width(indent, style)
    lines, current = [], b""
    for word in raw.split():
        candidate = current + b" " + word if current else word
        if width(candidate, style) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
        pieces = _split_word(word, style, room)
        lines += pieces[:-1]
        current = pieces[-1] if pieces else b""
    if current or not lines:
        lines.append(current)
    return [indent + line for line in lines]


def _pages(lines: list[Line]) -> list[list[tuple[str, bytes, float]]]:
    pages, current, y = [], [], PAGE_HEIGHT - MARGIN
    for line in lines:
        leading = STYLES[line.style][2]
        if line.style in {"h1", "h2"}:
            y -= 4
        for raw in wrap(line.text, line.style):
            if y - leading < MARGIN:
                pages.append(current)
                current, y = [], PAGE_HEIGHT - MARGIN
            y -= leading
            current.append((line.style, raw, y))
    pages.append(current)
    return pages


def _content(page: list[tuple[str, bytes, float]], number: int, total: int, footer: str) -> bytes:
    parts = [b"BT"]
    for style, raw, y in page:
        font, size = STYLES[style][:2]
        parts.append(
            b"/%s %s Tf 1 0 0 1 %d %.1f Tm (%s) Tj"
            % (font.encode(), str(size).encode(), MARGIN, y, _escape(raw))
        )
    foot = encode(f"{footer} · {number}/{total}")
    parts.append(b"/F1 7 Tf 1 0 0 1 %d %d Tm (%s) Tj" % (MARGIN, MARGIN - 20, _escape(foot)))
    parts.append(b"ET")
    return b"\n".join(parts)


def _text_string(text: str) -> bytes:
    """A PDF text string for the Info dictionary: UTF-16BE with its byte-order mark, in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def render(lines: list[Line], *, title: str, footer: str) -> bytes:
    """The PDF of ``lines`` (wrapped and paged)."""
    pages = _pages(lines)
    objects: list[bytes] = []  # object n is objects[n - 1]
    fonts = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>",
    )
    objects += [b"<< /Type /Catalog /Pages 2 0 R /Lang (es-MX) >>", b""]  # 2: pages, below
    objects += list(fonts)  # 3, 4, 5
    objects.append(  # 6
        b"<< /Title %s /Producer %s >>" % (_text_string(title), _text_string("Compra Íntegra"))
    )
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
