"""The report's PDF writer (indicadores/market/pdf.py): Spanish text in WinAnsiEncoding, lines
wrapped by the fonts' real widths, the title as UTF-16, the same lines giving the same bytes."""

from indicadores.market import pdf
from indicadores.market.pdf import Line


def test_spanish_letters_are_winansi_bytes_and_the_rest_falls_back():
    assert pdf.encode("Bajío, señalética, ¿cuánto? «Ü»") == (
        b"Baj\xedo, se\xf1al\xe9tica, \xbfcu\xe1nto? \xab\xdc\xbb"
    )
    assert pdf.encode("— … “x” 12 × 3 · 50 %") == b"\x97 \x85 \x93x\x94 12 \xd7 3 \xb7 50 %"
    assert pdf.encode("≥ 2 → ✔ ⅔ ł") == b">= 2 -> s\xed 2/3 ?"


def test_widths_are_helvetica_s():
    # Adobe's Helvetica: M 833, i 222, space 278, á 556 (1/1000 em); Courier 600.
    assert pdf.width(b"M", "p") == 833 * 9 / 1000
    assert pdf.width(pdf.encode("Mi á"), "p") == (833 + 222 + 278 + 556) * 9 / 1000
    assert pdf.width(b"Mi", "table") == 2 * 600 * 7 / 1000


def test_lines_never_run_past_the_margin_and_keep_their_indent():
    text = "MMMMMMMMMM " * 30 + "W" * 120
    lines = pdf.wrap(text, "p")
    assert len(lines) > 3
    assert all(pdf.width(line, "p") <= pdf.TEXT_WIDTH for line in lines)
    # A full line of M is cut near the width, not by a character count.
    assert pdf.width(lines[0], "p") > pdf.TEXT_WIDTH - pdf.width(b" MMMMMMMMMM", "p")
    indented = pdf.wrap("    [S3] " + "inhabilitación vigente " * 20, "small")
    assert all(line.startswith(b"    ") for line in indented)
    assert all(pdf.width(line, "small") <= pdf.TEXT_WIDTH for line in indented)
    (table,) = pdf.wrap("usado " + "x" * 300, "table")  # a table row is cut, never wrapped
    assert pdf.width(table, "table") <= pdf.TEXT_WIDTH


def test_the_document_title_and_text_and_sameness():
    lines = [Line("h1", "Investigación de mercado"), Line("p", "Farmacéutica del Bajío")]
    made = pdf.render(lines, title="Investigación — año", footer="Huella")
    assert made.startswith(b"%PDF-1.4") and made.rstrip().endswith(b"%%EOF")
    title = "Investigación — año".encode("utf-16-be").hex().upper().encode()
    assert b"/Title <FEFF" + title + b">" in made
    assert b"(Farmac\xe9utica del Baj\xedo) Tj" in made
    assert made == pdf.render(lines, title="Investigación — año", footer="Huella")
    many = pdf.render([Line("p", f"Renglón {n}") for n in range(200)], title="t", footer="f")
    assert many.count(b"/Type /Page ") == 4  # 61 lines of 12 pt fit an A4 page
