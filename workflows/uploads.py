"""What a process document may be: size and type limits checked on the bytes, not the name.

The one upload check of the system: «Subir documento» (``process_forms.DocumentForm`` and
``process_services.document_upload``) and every file field of a stage form
(``forms_engine.make_field``, ``services.stage_draft_save``) go through :func:`check_upload`.

The type is recognised by the file's first bytes (its "magic number"); a file whose content does
not match an allowed format is refused, and executables are refused by name even if renamed. The
size limit (``UPLOAD_MAX_BYTES``) and the allowed formats (``UPLOAD_FORMATS``) are settings.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_FORMATS = ("pdf", "png", "jpeg", "docx", "xlsx", "odt", "ods", "zip")
HEAD_BYTES = 16

# Format name → (MIME type, the bytes the file starts with). Office Open XML (docx, xlsx) and
# OpenDocument files are ZIP containers: the name's extension tells them apart.
MAGIC = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}
ZIP_MAGIC = b"PK\x03\x04"
ZIP_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "zip": "application/zip",
}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg,.jpeg"}
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
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_formats() -> list[str]:
    formats = getattr(settings, "UPLOAD_FORMATS", DEFAULT_FORMATS)
    return [name for name in formats if name in MAGIC or name in ZIP_TYPES]


def accept_attribute() -> str:
    """The file input's ``accept``: the browser offers only these (the server still checks)."""
    return ",".join(EXTENSIONS.get(name, f".{name}") for name in allowed_formats())


def check_upload(uploaded) -> CheckedUpload:
    """The MIME type of ``uploaded`` (a Django UploadedFile), or UploadRefused."""
    if uploaded.size > max_bytes():
        raise UploadRefused(
            _("El archivo pesa %(size)s MB; el máximo es %(max)s MB.")
            % {"size": round(uploaded.size / 1048576, 1), "max": round(max_bytes() / 1048576, 1)}
        )
    if uploaded.size == 0:
        raise UploadRefused(_("El archivo está vacío."))
    head = _head(uploaded)
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in EXECUTABLE_EXTENSIONS or any(head.startswith(m) for m in EXECUTABLE_MAGIC):
        raise UploadRefused(_("No se admiten programas ni archivos ejecutables."))
    return CheckedUpload(content_type=_content_type(head, extension), size=uploaded.size)


def validate_upload(uploaded) -> None:
    """:func:`check_upload` as a Django validator, so the error shows beside the file field."""
    try:
        check_upload(uploaded)
    except UploadRefused as refused:
        raise ValidationError(str(refused), code="upload_refused") from refused


def _head(uploaded) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    return head


def _content_type(head: bytes, extension: str) -> str:
    allowed = allowed_formats()
    for name, (mime, magic) in MAGIC.items():
        if name in allowed and head.startswith(magic):
            return mime
    if head.startswith(ZIP_MAGIC) and (extension if extension in ZIP_TYPES else "zip") in allowed:
        return ZIP_TYPES.get(extension, ZIP_TYPES["zip"])
    raise UploadRefused(
        _("Tipo de archivo no admitido: se aceptan %(formats)s.")
        % {"formats": ", ".join(name.upper() for name in allowed)}
    )
