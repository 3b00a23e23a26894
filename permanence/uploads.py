"""Checks on uploaded files before anything reads them (issue 11, "nothing leaked").

Every message is written for the person who uploaded the file, says which file, and says what
to do. The limits come from settings (UPLOAD_*), so an authority can change them without code.

Zip files are checked twice over: first from the sizes the zip says its files have, and then
while unpacking, when reading stops as soon as a file gives more than it said or more than the
limit, since a zip's own sizes can be forged.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

MB = 1024 * 1024
CHUNK = 64 * 1024
# Text never holds these control characters; binary files (spreadsheets, images, executables)
# almost always do. Tab, line feed, form feed, carriage return and Ctrl-Z (an old end-of-file
# mark some tools still add) are allowed.
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")
# Below this size a high compression ratio is harmless (a short file of empty rows compresses
# very well); above it, a ratio past the limit is what a zip bomb looks like.
RATIO_FLOOR_BYTES = 1 * MB
ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz")


class UploadRefused(ValueError):
    """An upload this service will not read; str() is the message for the person uploading."""


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    total_bytes: int
    zip_members: int
    zip_unpacked_bytes: int
    zip_ratio: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            file_bytes=settings.UPLOAD_MAX_FILE_BYTES,
            total_bytes=settings.UPLOAD_MAX_TOTAL_BYTES,
            zip_members=settings.UPLOAD_ZIP_MAX_MEMBERS,
            zip_unpacked_bytes=settings.UPLOAD_ZIP_MAX_UNPACKED_BYTES,
            zip_ratio=settings.UPLOAD_ZIP_MAX_RATIO,
        )


def megabytes(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{max(1, size // 1024)} KB"


def check_sizes(files: list[tuple[str, int]], limits: Limits) -> None:
    """Each file, and all of them together, within the limits."""
    for name, size in files:
        if size > limits.file_bytes:
            raise UploadRefused(f"{name} must be smaller than {megabytes(limits.file_bytes)}")
    if sum(size for _, size in files) > limits.total_bytes:
        raise UploadRefused(
            f"The files must be smaller than {megabytes(limits.total_bytes)} together"
        )


class _TextCheck:
    """Fed a file's bytes in order; says whether they are text a spreadsheet saved as CSV."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.is_utf8 = True
        self.is_cp1252 = True

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if _BINARY.search(chunk):
            raise self.refused()
        if self.is_utf8:
            try:
                self.utf8.decode(chunk, final=final)
            except UnicodeDecodeError:
                self.is_utf8 = False
        if not self.is_utf8 and self.is_cp1252:
            try:
                # cp1252 is one byte per character, so chunks decode on their own.
                chunk.decode("cp1252")
            except UnicodeDecodeError:
                self.is_cp1252 = False
        if not (self.is_utf8 or self.is_cp1252):
            raise self.refused()

    def refused(self) -> UploadRefused:
        return UploadRefused(
            f"{self.name} is not a CSV file: it holds binary content, such as a spreadsheet "
            f"saved in Excel's own format. Save each table as CSV and upload it again"
        )


def check_csv_bytes(name: str, content: bytes) -> None:
    """Refuse a file that is not text: NUL or other control bytes, or neither UTF-8 nor
    Windows-1252 (the two encodings spreadsheets save CSV in)."""
    check = _TextCheck(name)
    for start in range(0, len(content), CHUNK):
        check.feed(content[start : start + CHUNK])
    check.feed(b"", final=True)


def check_csv_stream(name: str, stream: BinaryIO) -> None:
    """check_csv_bytes, reading the file a chunk at a time."""
    check = _TextCheck(name)
    while chunk := stream.read(CHUNK):
        check.feed(chunk)
    check.feed(b"", final=True)


def _unsafe_path(member: str) -> bool:
    if member.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", member):
        return True
    return any(part == ".." for part in re.split(r"[/\\]", member))


def open_zip(name: str, stream: BinaryIO, limits: Limits) -> tuple[zipfile.ZipFile, list]:
    """The zip and the files in it (folders left out), refused if any of its own figures is
    past a limit or any name could write outside the folder it is unpacked into."""
    try:
        archive = zipfile.ZipFile(stream)
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRefused(
            f"{name} is not a zip file that can be opened: make the zip file again"
        ) from exc
    if len(members) > limits.zip_members:
        raise UploadRefused(f"{name} holds more than {limits.zip_members} files: send fewer")
    unpacked = 0
    for info in members:
        if _unsafe_path(info.filename):
            raise UploadRefused(
                f"{name} holds a file named “{info.filename}”, outside the zip's own folders: "
                f"make the zip file again from the CSV files"
            )
        if info.flag_bits & 0x1:
            raise UploadRefused(
                f"{name} is protected by a password: make the zip file again without one"
            )
        if info.filename.lower().endswith(ARCHIVE_SUFFIXES):
            raise UploadRefused(
                f"{name} holds another compressed file, {info.filename}: put the CSV files "
                f"themselves in the zip"
            )
        unpacked += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > limits.zip_ratio:
            raise UploadRefused(
                f"{name} cannot be unpacked safely: {info.filename} would grow more than "
                f"{limits.zip_ratio} times its size"
            )
    if unpacked > limits.zip_unpacked_bytes:
        raise UploadRefused(
            f"{name} would be larger than {megabytes(limits.zip_unpacked_bytes)} unpacked: "
            f"send fewer files at once"
        )
    return archive, members


def read_member(name: str, archive: zipfile.ZipFile, info, budget: int) -> bytes:
    """A file from the zip, read a chunk at a time, stopping as soon as it gives more bytes than
    the zip said it holds or than BUDGET (the unpacked size still allowed)."""
    allowed = min(info.file_size, budget)
    parts: list[bytes] = []
    read = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                read += len(chunk)
                if read > allowed:
                    raise UploadRefused(
                        f"{name} cannot be unpacked safely: {info.filename} holds more than "
                        f"the zip says"
                    )
                parts.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise UploadRefused(
            f"{name} is damaged and cannot be unpacked: make the zip file again"
        ) from exc
    return b"".join(parts)


def zip_members(
    name: str, stream: BinaryIO, limits: Limits, *, suffix: str = ".csv"
) -> Iterator[tuple[str, bytes]]:
    """Each file in the zip whose name ends with SUFFIX (leaving out macOS's extra files), read
    within the limits; raises UploadRefused for anything unsafe."""
    archive, members = open_zip(name, stream, limits)
    budget = limits.zip_unpacked_bytes
    with archive:
        for info in members:
            base = re.split(r"[/\\]", info.filename)[-1]
            if (
                not info.filename.lower().endswith(suffix)
                or base.startswith(".")
                or "__MACOSX" in info.filename
            ):
                continue
            content = read_member(name, archive, info, budget)
            budget -= len(content)
            yield info.filename, content


# What each kind of document a member of staff may attach starts with. Word's .docx and
# OpenDocument's .odt are zip files; .doc is Microsoft's older compound-file format.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "rtf": (b"{\\rtf",),
}
# A zip-based document is recognised by a file only that format has inside.
_ZIP_MARKERS = {"docx": "[Content_Types].xml", "odt": "mimetype"}


def check_document(name: str, stream: BinaryIO, *, suffix: str, label: str) -> None:
    """The file's content is the kind of document its name says (a renamed program or
    spreadsheet is refused). LABEL names the document in the message."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if not head.startswith(_SIGNATURES.get(suffix, (b"\x00\x00\x00\x00\x00\x00",))):
        raise UploadRefused(
            f"{name} is not a {suffix.upper()} document inside: save the {label} as a PDF, "
            f"Word, ODT or RTF document and attach it again"
        )
    marker = _ZIP_MARKERS.get(suffix)
    if marker:
        try:
            with zipfile.ZipFile(stream) as archive:
                found = marker in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            found = False
        finally:
            stream.seek(0)
        if not found:
            raise UploadRefused(
                f"{name} is not a {suffix.upper()} document inside: save the {label} as a "
                f"PDF, Word, ODT or RTF document and attach it again"
            )
