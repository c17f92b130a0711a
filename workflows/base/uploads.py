"""What a process document may be: size and type limits checked on the bytes, not the name.

The one upload check of the system: «Subir documento» (``process_forms.DocumentForm`` and
``process_services.document_upload``) and every file field of a stage form
(``forms_engine.make_field``, ``form_services.stage_draft_save``) go through :func:`check_upload`.

The type is recognised by the file's first bytes (its "magic number"); a file whose content does
not match an allowed format is refused, and executables are refused by name even if renamed.
The name's extension must agree with the content (a PDF/HTML polyglot named ``.html`` is refused,
issue 20, item 11), and a ZIP named as an office document must have that document's structure:
``[Content_Types].xml`` and the main part for Office Open XML, the ``mimetype`` entry for
OpenDocument. The
size limit (``UPLOAD_MAX_BYTES``) and the allowed formats (``UPLOAD_FORMATS``) are settings.
"""

import zipfile
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
# What a ZIP named .docx/.xlsx/.odt/.ods must contain: entries, or the "mimetype" entry's text.
OOXML_PARTS = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
}
ODF_MIMETYPES = {"odt": ZIP_TYPES["odt"], "ods": ZIP_TYPES["ods"]}
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
    content_type = _content_type(head, extension)
    _check_extension(content_type, extension)
    if extension in OOXML_PARTS or extension in ODF_MIMETYPES:
        _check_office_structure(uploaded, extension)
    return CheckedUpload(content_type=content_type, size=uploaded.size)


def _check_extension(content_type: str, extension: str) -> None:
    """The name's extension (when it has one) must be the content's: served by the content's
    type, a file named for another format would mislead whoever downloads it."""
    if not extension:
        return
    for name, (mime, _magic) in MAGIC.items():
        if mime == content_type and f".{extension}" not in EXTENSIONS[name].split(","):
            raise UploadRefused(
                _(
                    "La extensión «.%(extension)s» no corresponde al contenido del archivo "
                    "(%(format)s); renómbrelo como %(expected)s."
                )
                % {
                    "extension": extension,
                    "format": name.upper(),
                    "expected": EXTENSIONS[name].split(",")[0],
                }
            )
    if content_type in ZIP_TYPES.values() and extension not in ZIP_TYPES:
        raise UploadRefused(
            _(
                "La extensión «.%(extension)s» no corresponde al contenido del archivo (ZIP); "
                "renómbrelo como .zip."
            )
            % {"extension": extension}
        )


def _check_office_structure(uploaded, extension: str) -> None:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if extension in OOXML_PARTS:
                valid = all(part in names for part in OOXML_PARTS[extension])
            else:
                valid = (
                    "mimetype" in names
                    and archive.read("mimetype").strip().decode(errors="replace")
                    == ODF_MIMETYPES[extension]
                )
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        valid = False
    finally:
        uploaded.seek(0)
    if not valid:
        raise UploadRefused(
            _(
                "El archivo se llama .%(extension)s pero no tiene la estructura de un documento "
                "%(format)s; ábralo y guárdelo de nuevo desde su programa de oficina."
            )
            % {"extension": extension, "format": extension.upper()}
        )


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
