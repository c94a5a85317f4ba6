import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from services_catalog.inbox.uploads import check_total, check_upload, sanitise_name
from tests.inbox.builders import EXE, PDF, PNG, ofd_bytes


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("a.pdf", PDF, "pdf"),
        ("scan.png", PNG, "png"),
        ("picture.pdf", PNG, "png"),  # the signature wins over the name
        ("invoice.ofd", None, "ofd"),
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


def test_oversized_file_is_refused(settings):
    settings.INBOX_MAX_FILE_SIZE = 100
    with pytest.raises(ValidationError) as error:
        check_upload(upload("big.pdf", PDF + b"0" * 200))
    assert "超过单个文件" in error.value.messages[0]


def test_total_limit(settings):
    settings.INBOX_MAX_FILING_SIZE = 1000
    check_total([500, 500])
    with pytest.raises(ValidationError):
        check_total([600, 500])


def test_names_are_sanitised():
    assert sanitise_name("../../etc/passwd", "pdf") == "passwd.pdf"
    assert sanitise_name("C:\\Users\\申请书 (1).exe", "pdf") == "申请书_(1).pdf"
    assert sanitise_name("<script>.pdf", "pdf") == "script.pdf"
