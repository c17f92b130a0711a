"""The user manual (docs/manual-usuario.md) inside the admin, where the «Ayuda» menu points.

The manual is the Markdown file kept with the code, so the screens and their description change in
the same commit; it is rendered on request (cached per file modification time) with raw HTML
disabled, and its screenshots are served from docs/img/.
"""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt

MANUAL = Path(settings.BASE_DIR) / "docs" / "manual-usuario.md"
IMAGES = Path(settings.BASE_DIR) / "docs" / "img"
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.png$")


def _heading_ids(state):
    """Give every heading an id (its slug) so each role's section has a stable link."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            token.attrSet("id", slugify(tokens[index + 1].content))


@lru_cache(maxsize=2)
def _rendered(mtime: float) -> str:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.core.ruler.push("heading_ids", _heading_ids)
    return parser.render(MANUAL.read_text(encoding="utf-8"))


def manual_html() -> str:
    return _rendered(MANUAL.stat().st_mtime)


def manual(request):
    return render(request, "cms/manual.html", {"manual": mark_safe(manual_html())})  # noqa: S308


def manual_image(request, name):
    path = IMAGES / name
    if not IMAGE_NAME.match(name) or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
