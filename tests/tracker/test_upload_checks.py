"""Uploads are checked before anything reads them (issue 11): a CSV must be text, a zip must
open, hold only safely named CSV files and not grow past the limits, and every file must be
within the size limits. Each refusal is a message beside the upload field, never an error page.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from permanence import uploads
from permanence.uploads import Limits, UploadRefused
from tracker.ssda903.reader import expand

pytestmark = pytest.mark.django_db

LIMITS = Limits(
    file_bytes=5 * uploads.MB,
    total_bytes=8 * uploads.MB,
    zip_members=5,
    zip_unpacked_bytes=4 * uploads.MB,
    zip_ratio=100,
)
CSV = b"CHILD,SEX,DOB\r\n1001,1,01/02/2015\r\n"
# What Excel's own format starts with (a zip) followed by compressed, binary content.
XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb4\x1d\x00\x00\x00\x88\x9a\x01"


def zip_of(*members: tuple[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def members(content: bytes, limits: Limits = LIMITS) -> list[str]:
    return [name for name, _ in uploads.zip_members("return.zip", io.BytesIO(content), limits)]


# -- CSV content ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [CSV, b"\xef\xbb\xbf" + CSV, "CHILD\r\nSiân £5 – ok\r\n".encode("cp1252"), b""],
    ids=["utf-8", "utf-8 with BOM", "windows-1252", "empty"],
)
def test_text_saved_as_csv_passes(content):
    uploads.check_csv_bytes("header.csv", content)


@pytest.mark.parametrize(
    "content",
    [XLSX, CSV + b"\x00\x00", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + CSV, CSV + b"\x81\x8d"],
    ids=["xlsx", "nul bytes", "old excel", "neither utf-8 nor windows-1252"],
)
def test_binary_content_is_refused_with_a_message(content):
    with pytest.raises(UploadRefused, match="header.csv is not a CSV file: it holds binary"):
        uploads.check_csv_bytes("header.csv", content)


def test_a_long_csv_is_checked_to_the_end():
    content = CSV * 20_000 + b"\x00"
    with pytest.raises(UploadRefused):
        uploads.check_csv_stream("header.csv", io.BytesIO(content))


# -- zip files -----------------------------------------------------------------------------------


def test_a_zip_of_csv_files_gives_its_csvs_and_leaves_out_other_files():
    content = zip_of(
        ("2025-26/header.csv", CSV),
        ("2025-26/readme.txt", b"notes"),
        ("__MACOSX/2025-26/._header.csv", b"\x00\x05"),
    )
    assert members(content) == ["2025-26/header.csv"]


@pytest.mark.parametrize(
    "name", ["../header.csv", "2025-26/../../etc/header.csv", "/etc/header.csv", "C:\\header.csv"]
)
def test_a_name_reaching_outside_the_zip_is_refused(name):
    with pytest.raises(UploadRefused, match="outside the zip's own folders"):
        members(zip_of((name, CSV)))


def test_a_zip_inside_the_zip_is_refused():
    with pytest.raises(UploadRefused, match="holds another compressed file, inner.zip"):
        members(zip_of(("inner.zip", zip_of(("header.csv", CSV)))))


def test_too_many_files_are_refused():
    content = zip_of(*[(f"t{n}.csv", CSV) for n in range(6)])
    with pytest.raises(UploadRefused, match="holds more than 5 files"):
        members(content)


def test_a_zip_that_would_unpack_past_the_limit_is_refused():
    big = b"1001,1,01/02/2015\r\n" * 60_000  # about 1.1 MB each, compressed well under 100:1
    content = zip_of(*[(f"t{n}.csv", big) for n in range(4)], compression=zipfile.ZIP_STORED)
    with pytest.raises(UploadRefused, match="larger than 4 MB unpacked"):
        members(content)


def test_a_zip_bomb_is_refused_from_its_ratio():
    content = zip_of(("header.csv", b"," * (3 * uploads.MB)))
    assert len(content) < 20_000
    with pytest.raises(UploadRefused, match="would grow more than 100 times its size"):
        members(content)


def _lie_about_size(content: bytes, name: bytes, declared: int) -> bytes:
    """The zip with NAME's uncompressed size in both headers replaced by DECLARED."""
    data = bytearray(content)
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, declared)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)
    assert name in data
    return bytes(data)


def test_a_zip_whose_headers_understate_a_file_is_stopped_while_unpacking():
    honest = zip_of(("header.csv", b"a,b\r\n" * 400_000))  # 2 MB, compresses past 100:1
    forged = _lie_about_size(honest, b"header.csv", 1000)  # claims 1,000 bytes: no ratio alarm
    with pytest.raises(UploadRefused, match="damaged and cannot be unpacked"):
        members(forged)


def test_a_file_that_is_not_a_zip_is_refused():
    with pytest.raises(UploadRefused, match="return.zip is not a zip file that can be opened"):
        members(b"CHILD,SEX\r\n")


def test_a_password_protected_zip_is_refused():
    data = bytearray(zip_of(("header.csv", CSV)))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        struct.pack_into("<H", data, at + offset, 0x1)
    with pytest.raises(UploadRefused, match="protected by a password"):
        members(bytes(data))


def test_sizes_are_checked_per_file_and_together():
    with pytest.raises(UploadRefused, match="big.csv must be smaller than 5 MB"):
        uploads.check_sizes([("big.csv", 6 * uploads.MB)], LIMITS)
    with pytest.raises(UploadRefused, match="smaller than 8 MB together"):
        uploads.check_sizes([("a.csv", 4 * uploads.MB), ("b.csv", 5 * uploads.MB)], LIMITS)


# -- the import page and the reader ------------------------------------------------------------


def _post(client, team, *files):
    return client.post(
        reverse("tracker:ssda903-import"), {"files": list(files), "team": team.pk, "mode": "check"}
    )


def _field_error(page) -> str:
    """The text of the error messages beside the upload field (between it and its label)."""
    html = page.content.decode()
    found = re.search(
        r'<span id="id_files_1_error" class="govuk-error-message">(.*?)<input', html, re.S
    )
    assert found, "no error beside the upload field"
    return unescape(found.group(1))


def test_the_page_refuses_a_spreadsheet_saved_as_csv_beside_the_field(client, administrator, team):
    client.force_login(administrator)
    page = _post(client, team, SimpleUploadedFile("header.csv", XLSX, "text/csv"))
    assert page.status_code == 400
    assert "header.csv is not a CSV file: it holds binary content" in _field_error(page)


def test_the_page_refuses_an_unsafe_zip_beside_the_field(client, administrator, team):
    client.force_login(administrator)
    bad = SimpleUploadedFile("return.zip", zip_of(("../header.csv", CSV)), "application/zip")
    page = _post(client, team, bad)
    assert page.status_code == 400
    assert "outside the zip" in _field_error(page)


def test_the_page_refuses_binary_content_inside_a_zip(client, administrator, team):
    client.force_login(administrator)
    bad = SimpleUploadedFile("return.zip", zip_of(("header.csv", XLSX)), "application/zip")
    page = _post(client, team, bad)
    assert page.status_code == 400
    assert "header.csv (in return.zip) is not a CSV file" in _field_error(page)


def test_the_page_refuses_a_file_over_the_size_limit(client, administrator, team, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 1024
    client.force_login(administrator)
    page = _post(client, team, SimpleUploadedFile("header.csv", CSV * 100, "text/csv"))
    assert page.status_code == 400
    assert "header.csv must be smaller than 1 KB" in _field_error(page)


def test_the_reader_reports_binary_content_rather_than_failing():
    found, problems = expand([("header.csv", XLSX), ("episodes.csv", CSV)])
    assert [name for name, _ in found] == ["episodes.csv"]
    assert [(p.file, p.message.split(":")[0]) for p in problems] == [
        ("header.csv", "header.csv is not a CSV file")
    ]
