"""The one upload check and private path of the site (`portal.uploads`), used by the
inbox's materials and result documents and by reception attachments."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.uploads import PrivatePath, check_upload, sanitise_name
from tests.inbox.builders import EXE, PDF, PNG, ofd_bytes

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64


def zip_bytes(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("a.pdf", PDF, "pdf"),
        ("scan.png", PNG, "png"),
        ("picture.pdf", PNG, "png"),  # the signature wins over the name
        ("photo.jpeg", JPEG, "jpg"),
        ("invoice.ofd", None, "ofd"),
        ("invoice.zip", None, "ofd"),  # an OFD by its content, whatever its name
    ],
)
def test_accepted_types_by_signature(name, content, extension):
    detected = check_upload(upload(name, content or ofd_bytes()))
    assert detected.extension == extension


def test_executable_renamed_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("申请书.pdf", EXE))
    assert "实际格式不在允许范围内" in error.value.messages[0]
    assert "申请书.pdf" in error.value.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        zip_bytes("readme.txt"),  # any ZIP named .ofd
        zip_bytes("Doc_0/OFD.xml"),  # OFD.xml, but not at the root
        b"PK\x03\x04 broken archive",
        b"%PDF",  # a signature needs its dash
    ],
)
def test_a_file_named_ofd_that_is_no_ofd_is_refused(content):
    with pytest.raises(ValidationError) as error:
        check_upload(upload("证明.ofd", content))
    assert error.value.messages == [
        "文件“证明.ofd”的实际格式不在允许范围内"
        "（仅接受 PDF、JPG、PNG、OFD、Word（DOC/DOCX）、Excel（XLS/XLSX）），"
        "请转换格式后重新上传。"
    ]


def test_oversized_file_is_refused_with_the_limit_from_settings(settings):
    settings.UPLOAD_MAX_FILE_SIZE = 100
    check_upload(upload("small.pdf", PDF + b"0" * 40))
    with pytest.raises(ValidationError) as error:
        check_upload(upload("big.pdf", PDF + b"0" * 200))
    assert error.value.messages == [
        "文件“big.pdf”大小为 245\xa0字节，超过单个文件 100\xa0字节 的上限。"
    ]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("空.pdf", b""))
    assert error.value.messages == ["文件“空.pdf”是空文件，请重新选择。"]


def test_private_paths_are_random_and_keep_no_name():
    path = PrivatePath("reception")
    first, second = path(None, "张三的来信.PDF"), path(None, "张三的来信.PDF")
    assert first != second
    assert re.fullmatch(r"reception/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", first)
    assert "张三" not in first


def test_names_are_sanitised():
    assert sanitise_name("../../etc/passwd", "pdf") == "passwd.pdf"
    assert sanitise_name("C:\\Users\\申请书 (1).exe", "pdf") == "申请书_(1).pdf"
    assert sanitise_name("<script>.pdf", "pdf") == "script.pdf"
