"""What an uploaded file really is, read from its first bytes (never from its name or the
type the browser claims), and a size check before a file is read whole."""

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app, request

#: How many bytes of a file ``sniff`` looks at.
HEAD = 8192


@dataclass(frozen=True)
class FileType:
    """A kind of file we accept somewhere: its media type and the extension we serve it with."""

    mime: str
    extension: str
    label: str


JPEG = FileType("image/jpeg", "jpg", "JPEG")
PNG = FileType("image/png", "png", "PNG")
WEBP = FileType("image/webp", "webp", "WebP")
GIF = FileType("image/gif", "gif", "GIF")
PDF = FileType("application/pdf", "pdf", "PDF")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "ODT")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods", "ODS")
ODP = FileType("application/vnd.oasis.opendocument.presentation", "odp", "ODP")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel"
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
    "PowerPoint",
)
CSV = FileType("text/csv", "csv", "CSV")
TEXT = FileType("text/plain", "txt", "tekst")

IMAGES = (JPEG, PNG, WEBP)
_ODF = {t.mime: t for t in (ODT, ODS, ODP)}
_OOXML = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}


def sniff(stream: BinaryIO, name: str = "") -> FileType | None:
    """The type of the file in ``stream`` by its content (the stream is read from the start
    and put back there), or None when it is none we know. The name only tells CSV from plain
    text, both being text."""
    stream.seek(0)
    head = stream.read(HEAD)
    stream.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zipped(stream)
    if _is_text(head):
        return CSV if name.lower().endswith(".csv") else TEXT
    return None


def _zipped(stream: BinaryIO) -> FileType | None:
    """An OpenDocument (its "mimetype" entry) or an Office Open XML file (its parts)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return _ODF.get(archive.read("mimetype").decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(entry.startswith(prefix) for entry in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    return None


def _is_text(head: bytes) -> bool:
    """UTF-8 text without control characters (an HTML or SVG file is text too: callers that
    show files inline must not accept text)."""
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut off at the end of the head
            return False
        text = head[: error.start].decode("utf-8")
    return all(c.isprintable() or c in "\r\n\t\f" for c in text)


#: Room for the other fields of a form that carries an upload.
FORM_ROOM = 64 * 1024


def too_large(max_bytes: int) -> bool:
    """Whether the request announces more than ``max_bytes`` (plus room for the form): refuse
    it before reading the upload. The store also stops at ``max_bytes`` while reading."""
    return (request.content_length or 0) > max_bytes + FORM_ROOM


def takes_upload(max_bytes: int):
    """Mark a view that accepts a file of up to ``max_bytes`` (more than the app's
    ``MAX_CONTENT_LENGTH``). Put it right under the route decorator. The request's limit is
    raised for this view alone, and a request that announces more is not read before the view
    runs (which refuses it with ``too_large``, in words next to the field)."""

    def mark(view):
        view.upload_max_bytes = max_bytes
        return view

    return mark


def prepare_upload_request() -> bool:
    """Before anything reads the form: apply the view's upload limit. False when the request
    announces more than it (then nothing may read the body; the view answers)."""
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "upload_max_bytes", None)
    if limit is None:
        return True
    request.max_content_length = limit + FORM_ROOM
    return not too_large(limit)
