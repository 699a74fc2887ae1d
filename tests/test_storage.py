"""The file store and what an upload is: keys never leave the store's folder, a file too large
is refused while it is read, and the type comes from the content, not the name."""

import io
import zipfile

import pytest

from alliance.core import uploads
from alliance.core.storage import LocalStorage, TooLarge


def test_the_local_store_keeps_replaces_and_forgets(tmp_path):
    store = LocalStorage(tmp_path / "uploads")
    assert store.save("photos/1/abc.png", io.BytesIO(b"x" * 10), max_bytes=10) == 10
    assert store.exists("photos/1/abc.png")
    store.save("photos/1/abc.png", io.BytesIO(b"yy"), max_bytes=10)
    with store.open("photos/1/abc.png") as kept:
        assert kept.read() == b"yy"
    assert list(store.keys("photos")) == ["photos/1/abc.png"]
    store.delete("photos/1/abc.png")
    assert not store.exists("photos/1/abc.png")
    store.delete("photos/1/abc.png")  # twice is fine


@pytest.mark.parametrize(
    "key", ["../secret", "photos/../../etc/passwd", "/etc/passwd", "Photos/A", "a/./b", "", "a//b"]
)
def test_a_key_cannot_leave_the_store(tmp_path, key):
    store = LocalStorage(tmp_path / "uploads")
    with pytest.raises(ValueError):
        store.save(key, io.BytesIO(b"x"), max_bytes=10)
    assert not (tmp_path / "secret").exists()


def test_too_large_is_refused_while_reading_and_nothing_is_kept(tmp_path):
    store = LocalStorage(tmp_path / "uploads")
    with pytest.raises(TooLarge):
        store.save("docs/big.pdf", io.BytesIO(b"x" * 200_000), max_bytes=100_000)
    assert not store.exists("docs/big.pdf")
    assert list((tmp_path / "uploads" / "docs").iterdir()) == []  # no half file left


def _zip(entries: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    "content, name, expected",
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "foto.png", uploads.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "foto.jpg", uploads.PNG),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "x", uploads.WEBP),
        (b"%PDF-1.7\n", "verslag.txt", uploads.PDF),
        (b"naam;organisatie\nAnna;Gemeente\n", "leden.csv", uploads.CSV),
        ("Notulen van het overleg — één punt\n".encode(), "notulen.txt", uploads.TEXT),
        (b"MZ\x90\x00\x03\x00\x00\x00", "setup.pdf", None),  # a program, named .pdf
    ],
)
def test_the_type_comes_from_the_content(content, name, expected):
    assert uploads.sniff(io.BytesIO(content), name) == expected


def test_office_and_opendocument_files_are_told_apart_from_other_zips():
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})
    other = _zip({"evil.exe": b"MZ"})
    assert uploads.sniff(odt) == uploads.ODT
    assert uploads.sniff(docx) == uploads.DOCX
    assert uploads.sniff(other) is None
    assert docx.tell() == 0  # the stream is put back at its start
