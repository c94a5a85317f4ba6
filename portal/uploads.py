"""Files that citizens and staff upload: what is accepted, and where it is kept.

Used by every upload of personal material: the inbox's filing and supplement slots,
its result documents, and the attachments of reception records.

- A file is accepted when its real type, read from its first bytes, is one of PDF
  (``%PDF-``), JPEG, PNG, OFD (a ZIP archive with ``OFD.xml`` at its root, GB/T
  33190), Word or Excel — never by its name. Its size is at most
  `UPLOAD_MAX_FILE_SIZE` (settings). `check_upload` says what is wrong in Chinese,
  naming the file.
- Accepted files go to the private storage (`STORAGES["private"]`), never under
  MEDIA_URL, under a random name in a folder per app (`PrivatePath`); the sender's
  name, made safe by `sanitise_name`, is kept beside it for the download, which
  only a view that checks the viewer's scope serves.
"""

import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MB = 1024 * 1024
ALLOWED_LABEL = gettext_lazy("PDF、JPG、PNG、OFD、Word（DOC/DOCX）、Excel（XLS/XLSX）")

_SIMPLE = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
_OOXML = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OLE2 = {"doc": "application/msword", "xls": "application/vnd.ms-excel"}
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"
OFD_MIME = "application/ofd"


def max_file_size():
    """The largest file accepted, in bytes (settings `UPLOAD_MAX_FILE_SIZE`)."""
    return settings.UPLOAD_MAX_FILE_SIZE


def private_storage():
    """The storage of uploaded personal material (settings `STORAGES["private"]`)."""
    return storages["private"]


@deconstructible
class PrivatePath:
    """`upload_to` of a private file: ``<folder>/<year>/<month>/<random>.<ext>``,
    never the sender's own name (which may itself be personal data)."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = os.path.splitext(filename)[1].lower()
        today = timezone.localdate()
        return f"{self.folder}/{today:%Y/%m}/{uuid.uuid4().hex}{extension}"


@dataclass(frozen=True)
class DetectedType:
    extension: str
    mime: str


def _zip_names(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()
    finally:
        upload.seek(0)


def detect_type(upload, name=""):
    """The real type of `upload` (a file object), or None when it is not accepted.

    Old Office files share one container signature (OLE2); for those the name's
    extension says whether it is Word or Excel."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return DetectedType("pdf", _SIMPLE["pdf"])
    kind = filetype.guess(head)
    extension = kind.extension if kind else ""
    if extension in ("jpg", "png"):
        return DetectedType(extension, _SIMPLE[extension])
    if head.startswith(_ZIP_SIGNATURE):
        names = _zip_names(upload)
        if "OFD.xml" in names:
            return DetectedType("ofd", OFD_MIME)
        if "word/document.xml" in names:
            return DetectedType("docx", _OOXML["docx"])
        if "xl/workbook.xml" in names:
            return DetectedType("xlsx", _OOXML["xlsx"])
        return None
    if head.startswith(_OLE2_SIGNATURE):
        claimed = os.path.splitext(name)[1].lower().lstrip(".")
        extension = claimed if claimed in _OLE2 else "doc"
        return DetectedType(extension, _OLE2[extension])
    return None


def sanitise_name(name, extension):
    """A safe display name: no folders, control characters or shell specials; at most
    80 characters; ending in the detected `extension`."""
    base = os.path.basename(str(name).replace("\\", "/"))
    base = unicodedata.normalize("NFKC", base)
    stem = os.path.splitext(base)[0]
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C")
    stem = re.sub(r"[^\w\u4e00-\u9fff.()()\-]+", "_", stem).strip("._ ")
    return f"{(stem or '材料')[:80]}.{extension}"


def check_upload(upload):
    """Check one uploaded file; returns its `DetectedType` or raises ValidationError
    with a message naming the file and what is wrong with it."""
    name = os.path.basename(upload.name or "")
    if upload.size > max_file_size():
        raise ValidationError(
            _("文件“%(name)s”大小为 %(size)s，超过单个文件 %(limit)s 的上限。")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_file_size()),
            },
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(
            _("文件“%(name)s”是空文件，请重新选择。") % {"name": name},
            code="file_empty",
        )
    detected = detect_type(upload, name)
    if detected is None:
        raise ValidationError(
            _(
                "文件“%(name)s”的实际格式不在允许范围内（仅接受 %(allowed)s），"
                "请转换格式后重新上传。"
            )
            % {"name": name, "allowed": ALLOWED_LABEL},
            code="file_type",
        )
    return detected


def validate_upload(upload):
    """`check_upload` as a model field validator."""
    check_upload(upload)
