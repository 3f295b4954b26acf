import gzip
import zlib

import pytest

from clamour.lib import gzjoin


def test_pieces_compressed_apart_make_one_gzip_file():
    parts = [b"<html>" + b"the same every time " * 500, b"abc&amp;", b"", b"</html>\n" * 40]
    data = b"".join(parts)
    made = gzjoin.join([gzjoin.deflate_piece(part) for part in parts], data)
    assert gzip.decompress(made) == data
    # A strict reader agrees: one stream, ended, with the right checksum and length.
    reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert reader.decompress(made) == data and reader.eof and reader.unused_data == b""
    assert len(made) < len(data) / 10


def test_same_input_same_bytes():
    assert gzjoin.join([gzjoin.deflate_piece(b"x" * 100)], b"x" * 100) == \
        gzjoin.join([gzjoin.deflate_piece(b"x" * 100)], b"x" * 100)


def test_a_wrong_checksum_is_caught_by_the_reader():
    made = gzjoin.join([gzjoin.deflate_piece(b"hello")], b"hellO")
    with pytest.raises(gzip.BadGzipFile):
        gzip.decompress(made)
