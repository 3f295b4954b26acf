"""Hostile Word files for the parser's limits: small zips that inflate to a lot.

Each builder streams its content into the zip, so making a bomb costs little
memory either (used by the tests and by ``bench/hostile.py``).
"""

from __future__ import annotations

import io
import struct
import zipfile

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
TAIL = b"</w:body></w:document>"
ARTICLE = b"<w:p><w:r><w:t>Article 1</w:t></w:r></w:p><w:p><w:r><w:t>Text.</w:t></w:r></w:p>"


def _zip(body_chunks, repeat: int, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(HEAD + ARTICLE)
            for _ in range(repeat):
                part.write(body_chunks)
            part.write(TAIL)
    return buf.getvalue()


def empty_paragraphs(megabytes: int) -> bytes:
    """``word/document.xml`` holding ``megabytes`` MB of ``<w:p/>``."""
    return _zip(b"<w:p/>" * (1024 * 1024 // 6), megabytes)


def spaces(megabytes: int) -> bytes:
    """Whitespace inside one text run: tiny zipped, huge inflated."""
    return _zip(b" " * (1024 * 1024), megabytes)


def many_elements(count: int) -> bytes:
    """``count`` empty paragraphs (6 bytes each), under the size limit."""
    chunk = 100_000
    return _zip(b"<w:p/>" * chunk, count // chunk)


def forged_size(megabytes: int) -> bytes:
    """Like ``empty_paragraphs`` but the zip headers claim the part is 1 KB."""
    data = bytearray(empty_paragraphs(megabytes))
    name = b"word/document.xml"
    # Local file header: sizes at offset 18 (compressed) and 22 (uncompressed),
    # or in the zip64 extra field; central directory entry: 20 and 24.
    for sig, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(sig, start)) >= 0:
            start = at + 4
            name_len_offset = 26 if sig == b"PK\x03\x04" else 28
            (name_len,) = struct.unpack_from("<H", data, at + name_len_offset)
            header = 30 if sig == b"PK\x03\x04" else 46
            if bytes(data[at + header : at + header + name_len]) != name:
                continue
            (extra_len,) = struct.unpack_from("<H", data, at + name_len_offset + 2)
            (declared,) = struct.unpack_from("<I", data, at + size_offset)
            if declared == 0xFFFFFFFF:  # zip64: the real value is in the extra field
                extra_at = at + header + name_len
                end = extra_at + extra_len
                while extra_at < end:
                    tag, size = struct.unpack_from("<HH", data, extra_at)
                    if tag == 1:
                        struct.pack_into("<Q", data, extra_at + 4, 1024)
                    extra_at += 4 + size
            else:
                struct.pack_into("<I", data, at + size_offset, 1024)
    return bytes(data)


def entity_expansion() -> bytes:
    """The billion laughs, inside a Word part."""
    doctype = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "ha">'
        + b"".join(
            b'<!ENTITY %s "%s">' % (chr(98 + i).encode(), (b"&" + chr(97 + i).encode() + b";") * 10)
            for i in range(9)
        )
        + b"]>"
    )
    body = (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + ARTICLE
        + b"<w:p><w:r><w:t>&j;</w:t></w:r></w:p>"
        + TAIL
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", doctype + body)
    return buf.getvalue()


def many_members(count: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", HEAD + ARTICLE + TAIL)
        for i in range(count):
            zf.writestr(f"customXml/item{i}.xml", b"")
    return buf.getvalue()


def small_valid() -> bytes:
    """A minimal, well-formed document the limits let through."""
    return _zip(b"", 0)
