"""Applicants' uploaded materials: what is accepted and where it is kept.

A file is accepted when its real type, read from its first bytes (`filetype`), is
one of PDF, JPEG, PNG, OFD (a ZIP holding OFD.xml), Word or Excel — never by its
name. At most `INBOX_MAX_FILE_SIZE` bytes a file (20 MB) and `INBOX_MAX_FILING_SIZE`
(100 MB) for a whole filing. Files go to `storages["private"]` under a random name;
the applicant's (sanitised) name is kept for the download, which only the permission
checking view in `views.py` serves.
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
from django.utils.translation import gettext as _

MB = 1024 * 1024
ALLOWED_LABEL = "PDF、JPG、PNG、OFD、Word(DOC/DOCX)、Excel(XLS/XLSX)"

# Extensions and MIME types of what we accept, by the detected type.
_OOXML = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_SIMPLE = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
_OLE2 = {"doc": "application/msword", "xls": "application/vnd.ms-excel"}
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OFD_MIME = "application/ofd"


def max_file_size():
    return getattr(settings, "INBOX_MAX_FILE_SIZE", 20 * MB)


def max_filing_size():
    return getattr(settings, "INBOX_MAX_FILING_SIZE", 100 * MB)


def private_storage():
    """The storage of applicants' files (settings STORAGES["private"])."""
    return storages["private"]


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
    """The real type of `upload` (a file object), or None when it is not one we accept.

    Old Office files share one container signature (OLE2); for those the name's
    extension says whether it is Word or Excel."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = kind.extension if kind else ""
    if extension in _SIMPLE:
        return DetectedType(extension, _SIMPLE[extension])
    if extension in _OOXML:
        return DetectedType(extension, _OOXML[extension])
    if head.startswith(b"PK\x03\x04"):
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
    with a message naming the file."""
    name = os.path.basename(upload.name or "")
    if upload.size > max_file_size():
        raise ValidationError(
            _("文件“%(name)s”大小为 %(size)s,超过单个文件 %(limit)s 的上限。")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_file_size()),
            },
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(
            _("文件“%(name)s”是空文件,请重新选择。") % {"name": name},
            code="file_empty",
        )
    detected = detect_type(upload, name)
    if detected is None:
        raise ValidationError(
            _(
                "文件“%(name)s”的实际格式不在允许范围内(仅接受 %(allowed)s),"
                "请转换格式后重新上传。"
            )
            % {"name": name, "allowed": ALLOWED_LABEL},
            code="file_type",
        )
    return detected


def check_total(sizes):
    """Refuse when the files of one filing add up to more than the limit."""
    total = sum(sizes)
    if total > max_filing_size():
        raise ValidationError(
            _("全部材料合计 %(size)s,超过每件申请 %(limit)s 的上限。")
            % {
                "size": filesizeformat(total),
                "limit": filesizeformat(max_filing_size()),
            },
            code="filing_too_large",
        )


def storage_path(instance, filename):
    """A random path inside the private storage (never the applicant's name)."""
    extension = os.path.splitext(filename)[1].lower()
    today = timezone.localdate()
    return f"inbox/{today:%Y/%m}/{uuid.uuid4().hex}{extension}"
