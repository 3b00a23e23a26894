"""A matching report must be the kind of document its name says (issue 11): a program or
spreadsheet renamed to .pdf or .docx is refused with a message beside the field."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from forums.services.meetings import _check_report_file
from permanence.uploads import UploadRefused, check_document


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        ("pdf", b"%PDF-1.7\n..."),
        ("doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8),
        ("rtf", b"{\\rtf1\\ansi hello}"),
        ("docx", _zip("[Content_Types].xml", "word/document.xml")),
        ("odt", _zip("mimetype", "content.xml")),
    ],
)
def test_real_documents_pass(suffix, content):
    stream = io.BytesIO(content)
    check_document(f"report.{suffix}", stream, suffix=suffix, label="matching report")
    assert stream.tell() == 0  # left ready to be saved


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        ("pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # a Windows program
        ("docx", _zip("xl/workbook.xml")),  # an Excel workbook renamed
        ("odt", b"PK\x03\x04 not really a zip"),
        ("rtf", b"<html><script>alert(1)</script>"),
        ("doc", b""),
    ],
)
def test_other_content_under_a_document_name_is_refused(suffix, content):
    with pytest.raises(UploadRefused, match=f"report.{suffix} is not a {suffix.upper()} document"):
        check_document(
            f"report.{suffix}", io.BytesIO(content), suffix=suffix, label="matching report"
        )


def test_the_matching_report_message_goes_beside_its_field():
    renamed = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 program", "application/pdf")
    with pytest.raises(ValidationError) as raised:
        _check_report_file(renamed)
    assert raised.value.message_dict == {
        "matching_report": [
            "report.pdf is not a PDF document inside: save the matching report as a PDF, Word, "
            "ODT or RTF document and attach it again"
        ]
    }
