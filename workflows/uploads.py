"""What a process document may be: size and type limits checked on the bytes, not the name.

The type is recognised by the file's first bytes (its "magic number"); a file whose content does
not match an allowed type is refused, and executables are refused by name even if renamed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
HEAD_BYTES = 16

# Allowed content: (MIME type, the bytes the file starts with).
ALLOWED = [
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
    # Office Open XML (docx, xlsx) and OpenDocument files are ZIP containers.
    ("application/zip", b"PK\x03\x04"),
]
ZIP_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "zip": "application/zip",
}
EXECUTABLE_MAGIC = [
    b"MZ",  # Windows PE (exe, dll, scr)
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O 32
    b"\xfe\xed\xfa\xcf",  # Mach-O 64
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
]
EXECUTABLE_EXTENSIONS = {
    "exe", "dll", "com", "bat", "cmd", "msi", "scr", "ps1", "sh", "js", "vbs", "jar", "apk",
    "app", "bin", "elf", "run", "py", "pl",
}  # fmt: skip


class UploadRefused(Exception):
    """The file is not accepted; the message says why, in Spanish."""


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int


def max_bytes() -> int:
    return int(getattr(settings, "WORKFLOWS_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def check_upload(uploaded) -> CheckedUpload:
    """The MIME type of ``uploaded`` (a Django UploadedFile), or UploadRefused."""
    if uploaded.size > max_bytes():
        raise UploadRefused(
            _("El archivo pesa %(size)s MB; el máximo es %(max)s MB.")
            % {"size": round(uploaded.size / 1048576, 1), "max": max_bytes() // 1048576}
        )
    if uploaded.size == 0:
        raise UploadRefused(_("El archivo está vacío."))
    head = _head(uploaded)
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    if extension in EXECUTABLE_EXTENSIONS or any(head.startswith(m) for m in EXECUTABLE_MAGIC):
        raise UploadRefused(_("No se admiten programas ni archivos ejecutables."))
    return CheckedUpload(content_type=_content_type(head, extension), size=uploaded.size)


def _head(uploaded) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    return head


def _content_type(head: bytes, extension: str) -> str:
    for mime, magic in ALLOWED:
        if head.startswith(magic):
            return ZIP_TYPES.get(extension, mime) if mime == "application/zip" else mime
    raise UploadRefused(
        _(
            "Tipo de archivo no admitido: se aceptan PDF, PNG, JPEG, Word/Excel (docx, xlsx), "
            "OpenDocument y ZIP."
        )
    )
