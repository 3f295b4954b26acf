"""Gzip a document made of fixed parts compressed once and a few values that change.

A cached page is the same bytes for everyone but for a value or two put in per request
(a referral code). Compressing the whole page for each request would cost more than
serving it; instead each fixed part is deflated once, on its own, ending on a byte
boundary and leaving no history behind (a full flush), so pieces compressed at
different times can be laid end to end and still make one valid deflate stream. Per
request only the short values are deflated, and the gzip trailer's checksum is taken
over the bytes the reader will get. This is how pigz joins blocks compressed in
parallel.
"""

import struct
import zlib

# No file name, no modification time (so equal pages are equal bytes), "unknown" OS.
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
LEVEL = 6


def deflate_piece(data: bytes, level: int = LEVEL) -> bytes:
    """Raw deflate blocks for `data` that end on a byte boundary, are not final and
    refer to nothing before them: any number of such pieces form one stream."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


# An empty final block: what ends the stream after the pieces.
END = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS).flush()


def join(pieces, data: bytes) -> bytes:
    """The gzip file of `data`, given the deflate pieces that together hold it, in order."""
    return b"".join((HEADER, *pieces, END, struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)))
