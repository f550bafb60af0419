"""HTTP/2 (RFC 9113) with HPACK (RFC 7541) for the echo backends and clients.

Hand-written for the same reasons as _wire.py: the harness must control the
bytes on the wire, Python's standard library has no HTTP/2, and CI cannot
install packages. It covers what gateway tests need:

- HPACK: static and dynamic table (with size updates), Huffman coding both
  ways (the code table of RFC 7541 Appendix B), integer and string literals;
  Encoder and Decoder.
- Frames: every RFC 9113 frame type is parsed and validated. SETTINGS (with
  ACK), HEADERS + CONTINUATION, DATA with connection and stream flow control,
  WINDOW_UPDATE, PING, RST_STREAM and GOAWAY are implemented; PRIORITY is
  validated and otherwise ignored (RFC 9113 deprecates it); PUSH_PROMISE is
  refused because push is never enabled; unknown frame types are ignored, as
  the RFC requires.
- H2Connection: either side of one connection, driven by the single thread
  that owns the socket. While a sender waits for flow-control window it
  reads and handles incoming frames itself, so no second thread (and no
  concurrent use of an SSLSocket) is needed. A server answers the requests
  of one connection one after another.

Protocol violations are never ignored: a connection error sends GOAWAY and
raises H2Error; a stream error resets that stream with RST_STREAM and is
logged, or raised to the client waiting for that stream.

Header names and values are latin-1 decoded str, as in _wire.py, so every
byte round-trips unchanged.
"""

import collections
import dataclasses
import re
import struct

from ._wire import MAX_BODY_BYTES, MAX_HEAD_BYTES, ProtocolError, content_length

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

# Frame types (RFC 9113 section 6).
(DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE,
 CONTINUATION) = range(10)
FRAME_NAMES = ("DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING",
               "GOAWAY", "WINDOW_UPDATE", "CONTINUATION")

# Frame flags.
END_STREAM = 0x1
ACK = 0x1
END_HEADERS = 0x4
PADDED = 0x8
PRIORITY_FLAG = 0x20

# SETTINGS parameters (6.5.2) and their initial values (None: unlimited).
(HEADER_TABLE_SIZE, ENABLE_PUSH, MAX_CONCURRENT_STREAMS, INITIAL_WINDOW_SIZE, MAX_FRAME_SIZE,
 MAX_HEADER_LIST_SIZE) = range(1, 7)
INITIAL_SETTINGS = {HEADER_TABLE_SIZE: 4096, ENABLE_PUSH: 1, MAX_CONCURRENT_STREAMS: None,
                    INITIAL_WINDOW_SIZE: 65535, MAX_FRAME_SIZE: 16384, MAX_HEADER_LIST_SIZE: None}

# Error codes (section 7).
(NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, SETTINGS_TIMEOUT, STREAM_CLOSED,
 FRAME_SIZE_ERROR, REFUSED_STREAM, CANCEL, COMPRESSION_ERROR, CONNECT_ERROR, ENHANCE_YOUR_CALM,
 INADEQUATE_SECURITY, HTTP_1_1_REQUIRED) = range(14)
ERROR_NAMES = ("NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
               "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL",
               "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY",
               "HTTP_1_1_REQUIRED")

MAX_WINDOW = (1 << 31) - 1
MAX_FRAME_SIZE_LIMIT = (1 << 24) - 1
DEFAULT_WINDOW = INITIAL_SETTINGS[INITIAL_WINDOW_SIZE]
DEFAULT_TABLE_SIZE = INITIAL_SETTINGS[HEADER_TABLE_SIZE]
SERVER_MAX_CONCURRENT_STREAMS = 100

# Fields that only make sense on one HTTP/1.1 hop (RFC 9113 8.2.2).
CONNECTION_SPECIFIC = frozenset({"connection", "keep-alive", "proxy-connection",
                                 "transfer-encoding", "upgrade"})
REQUEST_PSEUDO_HEADERS = frozenset({":method", ":scheme", ":authority", ":path"})


def error_name(code):
    return ERROR_NAMES[code] if 0 <= code < len(ERROR_NAMES) else "0x%x" % code


def frame_name(frame_type):
    return FRAME_NAMES[frame_type] if frame_type < len(FRAME_NAMES) else "0x%x" % frame_type


class H2Error(ProtocolError):
    """A violation of RFC 9113 or RFC 7541 (a ProtocolError, so callers that
    handle malformed HTTP/1.1 handle malformed HTTP/2 as well).

    stream_id None: a connection error (answered with GOAWAY, the connection
    is unusable); otherwise a stream error (answered with RST_STREAM).
    """

    def __init__(self, code, message, stream_id=None):
        where = "connection" if stream_id is None else "stream %d" % stream_id
        super().__init__("%s on %s: %s" % (error_name(code), where, message))
        self.code, self.message, self.stream_id = code, message, stream_id


class HPACKError(H2Error):
    """A header block that cannot be decoded; always a connection error."""

    def __init__(self, message):
        super().__init__(COMPRESSION_ERROR, message)


class StreamReset(ConnectionError):
    """The peer reset (RST_STREAM) a stream the caller was using."""

    def __init__(self, stream_id, code):
        super().__init__("stream %d reset by peer with %s" % (stream_id, error_name(code)))
        self.stream_id, self.code = stream_id, code


class ConnectionClosed(ConnectionError):
    """The peer closed the connection (EOF, or GOAWAY for a stream it never
    processed) before an exchange was complete."""


# --------------------------------------------------------------------------
# HPACK primitives (RFC 7541 section 5)

_MAX_HPACK_INTEGER = 1 << 32


def encode_integer(value, prefix_bits, flags=0):
    """An integer with an N-bit prefix; `flags` fill the first byte's high bits."""
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([flags | value])
    out = bytearray([flags | limit])
    value -= limit
    while value >= 0x80:
        out.append(0x80 | value & 0x7F)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_integer(data, pos, prefix_bits):
    """(value, next position) of the integer whose prefix is in data[pos]."""
    limit = (1 << prefix_bits) - 1
    value = data[pos] & limit
    pos += 1
    if value < limit:
        return value, pos
    shift = 0
    while True:
        if pos >= len(data):
            raise HPACKError("truncated integer")
        byte = data[pos]
        pos += 1
        value += (byte & 0x7F) << shift
        shift += 7
        if value > _MAX_HPACK_INTEGER:
            raise HPACKError("integer larger than 2^32")
        if not byte & 0x80:
            return value, pos


# RFC 7541 Appendix B: (code, length in bits) of symbols 0..255 and EOS (256).
_HUFFMAN_CODES = (
    (0x1ff8, 13), (0x7fffd8, 23), (0xfffffe2, 28), (0xfffffe3, 28),  # 0
    (0xfffffe4, 28), (0xfffffe5, 28), (0xfffffe6, 28), (0xfffffe7, 28),
    (0xfffffe8, 28), (0xffffea, 24), (0x3ffffffc, 30), (0xfffffe9, 28),  # 8
    (0xfffffea, 28), (0x3ffffffd, 30), (0xfffffeb, 28), (0xfffffec, 28),
    (0xfffffed, 28), (0xfffffee, 28), (0xfffffef, 28), (0xffffff0, 28),  # 16
    (0xffffff1, 28), (0xffffff2, 28), (0x3ffffffe, 30), (0xffffff3, 28),
    (0xffffff4, 28), (0xffffff5, 28), (0xffffff6, 28), (0xffffff7, 28),  # 24
    (0xffffff8, 28), (0xffffff9, 28), (0xffffffa, 28), (0xffffffb, 28),
    (0x14, 6), (0x3f8, 10), (0x3f9, 10), (0xffa, 12),  # 32 ' ' ! " #
    (0x1ff9, 13), (0x15, 6), (0xf8, 8), (0x7fa, 11),  # $ % & '
    (0x3fa, 10), (0x3fb, 10), (0xf9, 8), (0x7fb, 11),  # 40 ( ) * +
    (0xfa, 8), (0x16, 6), (0x17, 6), (0x18, 6),  # , - . /
    (0x0, 5), (0x1, 5), (0x2, 5), (0x19, 6),  # 48 0 1 2 3
    (0x1a, 6), (0x1b, 6), (0x1c, 6), (0x1d, 6),  # 4 5 6 7
    (0x1e, 6), (0x1f, 6), (0x5c, 7), (0xfb, 8),  # 56 8 9 : ;
    (0x7ffc, 15), (0x20, 6), (0xffb, 12), (0x3fc, 10),  # < = > ?
    (0x1ffa, 13), (0x21, 6), (0x5d, 7), (0x5e, 7),  # 64 @ A B C
    (0x5f, 7), (0x60, 7), (0x61, 7), (0x62, 7),  # D E F G
    (0x63, 7), (0x64, 7), (0x65, 7), (0x66, 7),  # 72 H I J K
    (0x67, 7), (0x68, 7), (0x69, 7), (0x6a, 7),  # L M N O
    (0x6b, 7), (0x6c, 7), (0x6d, 7), (0x6e, 7),  # 80 P Q R S
    (0x6f, 7), (0x70, 7), (0x71, 7), (0x72, 7),  # T U V W
    (0xfc, 8), (0x73, 7), (0xfd, 8), (0x1ffb, 13),  # 88 X Y Z [
    (0x7fff0, 19), (0x1ffc, 13), (0x3ffc, 14), (0x22, 6),  # \ ] ^ _
    (0x7ffd, 15), (0x3, 5), (0x23, 6), (0x4, 5),  # 96 ` a b c
    (0x24, 6), (0x5, 5), (0x25, 6), (0x26, 6),  # d e f g
    (0x27, 6), (0x6, 5), (0x74, 7), (0x75, 7),  # 104 h i j k
    (0x28, 6), (0x29, 6), (0x2a, 6), (0x7, 5),  # l m n o
    (0x2b, 6), (0x76, 7), (0x2c, 6), (0x8, 5),  # 112 p q r s
    (0x9, 5), (0x2d, 6), (0x77, 7), (0x78, 7),  # t u v w
    (0x79, 7), (0x7a, 7), (0x7b, 7), (0x7ffe, 15),  # 120 x y z {
    (0x7fc, 11), (0x3ffd, 14), (0x1ffd, 13), (0xffffffc, 28),  # | } ~ DEL
    (0xfffe6, 20), (0x3fffd2, 22), (0xfffe7, 20), (0xfffe8, 20),  # 128
    (0x3fffd3, 22), (0x3fffd4, 22), (0x3fffd5, 22), (0x7fffd9, 23),
    (0x3fffd6, 22), (0x7fffda, 23), (0x7fffdb, 23), (0x7fffdc, 23),  # 136
    (0x7fffdd, 23), (0x7fffde, 23), (0xffffeb, 24), (0x7fffdf, 23),
    (0xffffec, 24), (0xffffed, 24), (0x3fffd7, 22), (0x7fffe0, 23),  # 144
    (0xffffee, 24), (0x7fffe1, 23), (0x7fffe2, 23), (0x7fffe3, 23),
    (0x7fffe4, 23), (0x1fffdc, 21), (0x3fffd8, 22), (0x7fffe5, 23),  # 152
    (0x3fffd9, 22), (0x7fffe6, 23), (0x7fffe7, 23), (0xffffef, 24),
    (0x3fffda, 22), (0x1fffdd, 21), (0xfffe9, 20), (0x3fffdb, 22),  # 160
    (0x3fffdc, 22), (0x7fffe8, 23), (0x7fffe9, 23), (0x1fffde, 21),
    (0x7fffea, 23), (0x3fffdd, 22), (0x3fffde, 22), (0xfffff0, 24),  # 168
    (0x1fffdf, 21), (0x3fffdf, 22), (0x7fffeb, 23), (0x7fffec, 23),
    (0x1fffe0, 21), (0x1fffe1, 21), (0x3fffe0, 22), (0x1fffe2, 21),  # 176
    (0x7fffed, 23), (0x3fffe1, 22), (0x7fffee, 23), (0x7fffef, 23),
    (0xfffea, 20), (0x3fffe2, 22), (0x3fffe3, 22), (0x3fffe4, 22),  # 184
    (0x7ffff0, 23), (0x3fffe5, 22), (0x3fffe6, 22), (0x7ffff1, 23),
    (0x3ffffe0, 26), (0x3ffffe1, 26), (0xfffeb, 20), (0x7fff1, 19),  # 192
    (0x3fffe7, 22), (0x7ffff2, 23), (0x3fffe8, 22), (0x1ffffec, 25),
    (0x3ffffe2, 26), (0x3ffffe3, 26), (0x3ffffe4, 26), (0x7ffffde, 27),  # 200
    (0x7ffffdf, 27), (0x3ffffe5, 26), (0xfffff1, 24), (0x1ffffed, 25),
    (0x7fff2, 19), (0x1fffe3, 21), (0x3ffffe6, 26), (0x7ffffe0, 27),  # 208
    (0x7ffffe1, 27), (0x3ffffe7, 26), (0x7ffffe2, 27), (0xfffff2, 24),
    (0x1fffe4, 21), (0x1fffe5, 21), (0x3ffffe8, 26), (0x3ffffe9, 26),  # 216
    (0xffffffd, 28), (0x7ffffe3, 27), (0x7ffffe4, 27), (0x7ffffe5, 27),
    (0xfffec, 20), (0xfffff3, 24), (0xfffed, 20), (0x1fffe6, 21),  # 224
    (0x3fffe9, 22), (0x1fffe7, 21), (0x1fffe8, 21), (0x7ffff3, 23),
    (0x3fffea, 22), (0x3fffeb, 22), (0x1ffffee, 25), (0x1ffffef, 25),  # 232
    (0xfffff4, 24), (0xfffff5, 24), (0x3ffffea, 26), (0x7ffff4, 23),
    (0x3ffffeb, 26), (0x7ffffe6, 27), (0x3ffffec, 26), (0x3ffffed, 26),  # 240
    (0x7ffffe7, 27), (0x7ffffe8, 27), (0x7ffffe9, 27), (0x7ffffea, 27),
    (0x7ffffeb, 27), (0xffffffe, 28), (0x7ffffec, 27), (0x7ffffed, 27),  # 248
    (0x7ffffee, 27), (0x7ffffef, 27), (0x7fffff0, 27), (0x3ffffee, 26),
    (0x3fffffff, 30),  # 256 EOS
)
HUFFMAN_EOS = 256
_HUFFMAN_SYMBOLS = {(length, code): symbol for symbol, (code, length) in enumerate(_HUFFMAN_CODES)}
_HUFFMAN_MAX_BITS = 30


def huffman_code(symbol):
    """(code, bit length) of a symbol (0..255, or HUFFMAN_EOS)."""
    return _HUFFMAN_CODES[symbol]


def huffman_encoded_length(data):
    return (sum(_HUFFMAN_CODES[byte][1] for byte in data) + 7) // 8


def huffman_encode(data):
    """Huffman-code bytes, padding the last byte with the most significant
    bits of EOS (all ones), as RFC 7541 5.2 requires."""
    out = bytearray()
    acc = bits = 0
    for byte in data:
        code, length = _HUFFMAN_CODES[byte]
        acc = (acc << length) | code
        bits += length
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
        acc &= (1 << bits) - 1
    if bits:
        pad = 8 - bits
        out.append(((acc << pad) | ((1 << pad) - 1)) & 0xFF)
    return bytes(out)


def huffman_decode(data):
    """Decode a Huffman-coded string; EOS inside the string, padding longer
    than 7 bits or padding that is not all ones are errors (RFC 7541 5.2)."""
    out = bytearray()
    code = length = 0
    for byte in data:
        for shift in range(7, -1, -1):
            code = (code << 1) | ((byte >> shift) & 1)
            length += 1
            symbol = _HUFFMAN_SYMBOLS.get((length, code))
            if symbol is None:
                if length >= _HUFFMAN_MAX_BITS:
                    raise HPACKError("invalid Huffman code")
                continue
            if symbol == HUFFMAN_EOS:
                raise HPACKError("EOS symbol inside a Huffman-coded string")
            out.append(symbol)
            code = length = 0
    if length > 7:
        raise HPACKError("Huffman padding longer than 7 bits")
    if code != (1 << length) - 1:
        raise HPACKError("Huffman padding is not a prefix of EOS")
    return bytes(out)


def encode_string(raw, huffman=None):
    """A string literal (RFC 7541 5.2). huffman: True, False, or None for
    whichever encoding is shorter."""
    if huffman is None:
        huffman = huffman_encoded_length(raw) < len(raw)
    if huffman:
        coded = huffman_encode(raw)
        return encode_integer(len(coded), 7, 0x80) + coded
    return encode_integer(len(raw), 7) + raw


def decode_string(data, pos):
    """(bytes, next position) of the string literal at data[pos]."""
    if pos >= len(data):
        raise HPACKError("truncated string literal")
    is_huffman = data[pos] & 0x80
    length, pos = decode_integer(data, pos, 7)
    end = pos + length
    if end > len(data):
        raise HPACKError("string literal of %d bytes runs past the header block" % length)
    raw = bytes(data[pos:end])
    return (huffman_decode(raw) if is_huffman else raw), end


# --------------------------------------------------------------------------
# HPACK tables (RFC 7541 section 2.3 and Appendix A)

STATIC_TABLE = (
    (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"),
    (":path", "/index.html"), (":scheme", "http"), (":scheme", "https"), (":status", "200"),
    (":status", "204"), (":status", "206"), (":status", "304"), (":status", "400"),
    (":status", "404"), (":status", "500"), ("accept-charset", ""),
    ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""),
    ("accept", ""), ("access-control-allow-origin", ""), ("age", ""), ("allow", ""),
    ("authorization", ""), ("cache-control", ""), ("content-disposition", ""),
    ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
    ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""),
    ("date", ""), ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""),
    ("if-match", ""), ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""),
    ("if-unmodified-since", ""), ("last-modified", ""), ("link", ""), ("location", ""),
    ("max-forwards", ""), ("proxy-authenticate", ""), ("proxy-authorization", ""),
    ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""), ("server", ""),
    ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
    ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
)
_STATIC_FIELD_INDEX = {}
_STATIC_NAME_INDEX = {}
for _index, _field in enumerate(STATIC_TABLE, 1):
    _STATIC_FIELD_INDEX.setdefault(_field, _index)
    _STATIC_NAME_INDEX.setdefault(_field[0], _index)
del _index, _field


def entry_size(name, value):
    """An entry's size for the table limit: its octets plus 32 (RFC 7541 4.1)."""
    return len(name) + len(value) + 32


class DynamicTable:
    """The dynamic table: newest entry first, evicting the oldest entries
    to stay within max_size octets."""

    def __init__(self, max_size):
        self.entries = collections.deque()
        self.size = 0
        self.max_size = max_size

    def __len__(self):
        return len(self.entries)

    def add(self, name, value):
        """Insert an entry; one larger than the whole table empties it (RFC 7541 4.4)."""
        size = entry_size(name, value)
        if size > self.max_size:
            self.entries.clear()
            self.size = 0
            return
        self.size += size
        self.entries.appendleft((name, value))
        self._evict()

    def resize(self, max_size):
        self.max_size = max_size
        self._evict()

    def _evict(self):
        while self.size > self.max_size:
            name, value = self.entries.pop()
            self.size -= entry_size(name, value)


def _table_field(table, index):
    """The (name, value) at a combined static + dynamic index."""
    if index == 0:
        raise HPACKError("index 0 is not a table entry")
    if index <= len(STATIC_TABLE):
        return STATIC_TABLE[index - 1]
    position = index - len(STATIC_TABLE) - 1
    if position >= len(table):
        raise HPACKError("index %d beyond the dynamic table (%d entries)" % (index, len(table)))
    return table.entries[position]


class Encoder:
    """Turns header lists into header blocks.

    A field already in a table is sent as an index; any other field is sent
    as a literal with incremental indexing (what RFC 7541's examples do),
    naming a table entry when one has the same name, unless it cannot fit
    the table at all. huffman: True/False forces the string encoding, None
    picks whichever is shorter per string.
    """

    def __init__(self, max_table_size=DEFAULT_TABLE_SIZE, huffman=None):
        self.table = DynamicTable(max_table_size)
        self.huffman = huffman
        self._size_updates = []

    def set_max_table_size(self, size):
        """Use a new table size (e.g. after the peer's SETTINGS_HEADER_TABLE_SIZE
        changed); the change is announced at the start of the next block."""
        if size == self.table.max_size and not self._size_updates:
            return
        self._size_updates.append(size)
        self.table.resize(size)

    def encode(self, headers):
        """Header block for [(name, value)]."""
        out = bytearray(self._take_size_updates())
        for name, value in headers:
            out += self._encode_field(name.encode("latin-1"), value.encode("latin-1"),
                                      name, value)
        return bytes(out)

    def _take_size_updates(self):
        """Size updates due: the smallest size since the last block, then
        the final one (RFC 7541 4.2), so the decoder evicts what we evicted."""
        if not self._size_updates:
            return b""
        smallest, final = min(self._size_updates), self._size_updates[-1]
        self._size_updates = []
        out = encode_integer(smallest, 5, 0x20)
        return out + (encode_integer(final, 5, 0x20) if final != smallest else b"")

    def _find(self, name, value):
        """(index of the whole field or None, index of a field with this name or None)."""
        full = _STATIC_FIELD_INDEX.get((name, value))
        if full:
            return full, None
        name_index = _STATIC_NAME_INDEX.get(name)
        for position, entry in enumerate(self.table.entries):
            index = len(STATIC_TABLE) + 1 + position
            if entry == (name, value):
                return index, None
            if name_index is None and entry[0] == name:
                name_index = index
        return None, name_index

    def _encode_field(self, raw_name, raw_value, name, value):
        full, name_index = self._find(name, value)
        if full:
            return encode_integer(full, 7, 0x80)
        if entry_size(name, value) <= self.table.max_size:
            flags, prefix_bits = 0x40, 6  # literal with incremental indexing
            self.table.add(name, value)
        else:
            flags, prefix_bits = 0x00, 4  # literal without indexing
        if name_index:
            head = encode_integer(name_index, prefix_bits, flags)
        else:
            head = bytes([flags]) + encode_string(raw_name, self.huffman)
        return head + encode_string(raw_value, self.huffman)


class Decoder:
    """Turns header blocks into [(name, value)].

    max_table_size is the SETTINGS_HEADER_TABLE_SIZE this side announced:
    the peer's table size updates may not exceed it. max_list_size bounds
    the decoded list (counted as in SETTINGS_MAX_HEADER_LIST_SIZE), so a
    small block of indexes into a large entry cannot exhaust memory.
    """

    def __init__(self, max_table_size=DEFAULT_TABLE_SIZE, max_list_size=MAX_HEAD_BYTES):
        self.max_allowed = max_table_size
        self.max_list_size = max_list_size
        self.table = DynamicTable(max_table_size)

    def decode(self, block):
        data = bytes(block)
        headers = []
        pos = list_size = 0
        while pos < len(data):
            if headers:
                list_size += entry_size(*headers[-1])
                if list_size > self.max_list_size:
                    raise H2Error(ENHANCE_YOUR_CALM, "decoded header list larger than %d bytes"
                                  % self.max_list_size)
            byte = data[pos]
            if byte & 0x80:  # indexed field
                index, pos = decode_integer(data, pos, 7)
                headers.append(_table_field(self.table, index))
            elif byte & 0x40:  # literal with incremental indexing
                field, pos = self._literal(data, pos, 6)
                self.table.add(*field)
                headers.append(field)
            elif byte & 0x20:  # dynamic table size update
                if headers:
                    raise HPACKError("dynamic table size update after a header field")
                size, pos = decode_integer(data, pos, 5)
                if size > self.max_allowed:
                    raise HPACKError("table size update to %d exceeds the announced %d"
                                     % (size, self.max_allowed))
                self.table.resize(size)
            else:  # literal without indexing (0000) or never indexed (0001)
                field, pos = self._literal(data, pos, 4)
                headers.append(field)
        return headers

    def _literal(self, data, pos, prefix_bits):
        index, pos = decode_integer(data, pos, prefix_bits)
        if index:
            name = _table_field(self.table, index)[0]
        else:
            raw_name, pos = decode_string(data, pos)
            name = raw_name.decode("latin-1")
        raw_value, pos = decode_string(data, pos)
        return (name, raw_value.decode("latin-1")), pos


# --------------------------------------------------------------------------
# Frames (RFC 9113 sections 4 and 6)


@dataclasses.dataclass
class Frame:
    type: int
    flags: int
    stream_id: int
    payload: bytes

    @property
    def name(self):
        return frame_name(self.type)

    def flag(self, bit):
        return bool(self.flags & bit)


def serialize_frame(frame_type, flags, stream_id, payload=b""):
    return (len(payload).to_bytes(3, "big") + bytes([frame_type, flags])
            + stream_id.to_bytes(4, "big") + bytes(payload))


def read_frame(rfile, max_frame_size):
    """The next frame, or None if the peer closed the connection between
    frames. A frame larger than we allow is a FRAME_SIZE_ERROR."""
    head = rfile.read(9)
    if not head:
        return None
    if len(head) < 9:
        raise ConnectionClosed("connection closed inside a frame header")
    length = int.from_bytes(head[:3], "big")
    frame_type, flags = head[3], head[4]
    stream_id = int.from_bytes(head[5:9], "big") & 0x7FFFFFFF  # reserved bit ignored
    if length > max_frame_size:
        raise H2Error(FRAME_SIZE_ERROR, "%s frame of %d bytes exceeds SETTINGS_MAX_FRAME_SIZE %d"
                      % (frame_name(frame_type), length, max_frame_size))
    payload = rfile.read(length) if length else b""
    if len(payload) < length:
        raise ConnectionClosed("connection closed inside a %s frame" % frame_name(frame_type))
    return Frame(frame_type, flags, stream_id, payload)


def _unpadded(frame):
    """DATA/HEADERS payload without its padding fields (6.1, 6.2)."""
    payload = frame.payload
    if not frame.flag(PADDED):
        return payload
    if not payload or payload[0] >= len(payload):
        raise H2Error(PROTOCOL_ERROR, "padding does not fit the %d-byte %s payload"
                      % (len(payload), frame.name))
    return payload[1:len(payload) - payload[0]]


def _headers_fragment(frame):
    """(header block fragment, deferred stream error or None) of a HEADERS
    frame. A self-dependency is reported only after the block was decoded,
    to keep the HPACK state in sync."""
    data = _unpadded(frame)
    if not frame.flag(PRIORITY_FLAG):
        return data, None
    if len(data) < 5:
        raise H2Error(FRAME_SIZE_ERROR, "HEADERS priority fields truncated")
    if int.from_bytes(data[:4], "big") & 0x7FFFFFFF == frame.stream_id:
        return data[5:], H2Error(PROTOCOL_ERROR, "stream depends on itself", frame.stream_id)
    return data[5:], None


def serialize_settings(settings):
    """SETTINGS payload for {identifier: value}."""
    return b"".join(struct.pack("!HI", ident, value) for ident, value in settings.items())


def parse_settings(payload):
    """[(identifier, value)] of a SETTINGS payload, validated (6.5.2)."""
    if len(payload) % 6:
        raise H2Error(FRAME_SIZE_ERROR, "SETTINGS payload of %d bytes is not a multiple of 6"
                      % len(payload))
    pairs = [struct.unpack_from("!HI", payload, offset) for offset in range(0, len(payload), 6)]
    for ident, value in pairs:
        if ident == ENABLE_PUSH and value > 1:
            raise H2Error(PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH must be 0 or 1, got %d" % value)
        if ident == INITIAL_WINDOW_SIZE and value > MAX_WINDOW:
            raise H2Error(FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE %d > 2^31-1" % value)
        if ident == MAX_FRAME_SIZE and not INITIAL_SETTINGS[MAX_FRAME_SIZE] <= value \
                <= MAX_FRAME_SIZE_LIMIT:
            raise H2Error(PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE %d out of range" % value)
    return pairs


# --------------------------------------------------------------------------
# HTTP semantics of header lists (RFC 9113 section 8)

_BAD_NAME = re.compile(r"[\x00-\x20A-Z\x7f-\xff:]")
_BAD_VALUE = re.compile(r"[\x00\r\n]|^[ \t]|[ \t]$")


def field_problem(name, value):
    """Why a field is invalid in HTTP/2 (8.2.1), or None."""
    bare = name[1:] if name.startswith(":") else name
    if not bare or _BAD_NAME.search(bare):
        return "invalid field name %r" % name
    if _BAD_VALUE.search(value):
        return "invalid value for field %r" % name
    return None


def _malformed(stream_id, message):
    return H2Error(PROTOCOL_ERROR, "malformed message: " + message, stream_id)


def split_pseudo_headers(headers, stream_id=None):
    """({pseudo-header: value}, [regular fields]); raises for invalid fields,
    duplicate pseudo-headers and pseudo-headers after regular fields (8.3)."""
    pseudo, regular = {}, []
    for name, value in headers:
        problem = field_problem(name, value)
        if problem:
            raise _malformed(stream_id, problem)
        if not name.startswith(":"):
            regular.append((name, value))
        elif regular:
            raise _malformed(stream_id, "pseudo-header %s after regular fields" % name)
        elif name in pseudo:
            raise _malformed(stream_id, "duplicate %s" % name)
        else:
            pseudo[name] = value
    return pseudo, regular


def _check_regular_fields(regular, stream_id):
    for name, value in regular:
        if name in CONNECTION_SPECIFIC:
            raise _malformed(stream_id, "connection-specific field %r" % name)
        if name == "te" and value != "trailers":
            raise _malformed(stream_id, "TE other than \"trailers\"")


def validate_request_headers(headers, stream_id=None):
    """Raise unless `headers` is a well-formed request header list (8.3.1)."""
    pseudo, regular = split_pseudo_headers(headers, stream_id)
    unknown = set(pseudo) - REQUEST_PSEUDO_HEADERS
    if unknown:
        raise _malformed(stream_id, "unknown pseudo-header %s" % sorted(unknown)[0])
    if pseudo.get(":method") == "CONNECT":
        if ":scheme" in pseudo or ":path" in pseudo or not pseudo.get(":authority"):
            raise _malformed(stream_id, "CONNECT needs :authority and no :scheme or :path")
    else:
        for required in (":method", ":scheme", ":path"):
            if not pseudo.get(required):
                raise _malformed(stream_id, "missing or empty %s" % required)
    _check_regular_fields(regular, stream_id)


def validate_response_headers(headers, stream_id=None):
    """Raise unless `headers` is a well-formed response header list (8.3.2)."""
    pseudo, regular = split_pseudo_headers(headers, stream_id)
    if set(pseudo) != {":status"}:
        raise _malformed(stream_id, "a response needs exactly the :status pseudo-header")
    if not re.fullmatch(r"[0-9]{3}", pseudo[":status"]):
        raise _malformed(stream_id, "invalid :status %r" % pseudo[":status"])
    _check_regular_fields(regular, stream_id)


def validate_trailers(headers, stream_id=None):
    """Raise unless `headers` is a well-formed trailer section (8.1)."""
    pseudo, regular = split_pseudo_headers(headers, stream_id)
    if pseudo:
        raise _malformed(stream_id, "pseudo-header in trailers")
    _check_regular_fields(regular, stream_id)


# --------------------------------------------------------------------------
# Connection


class H2Stream:
    """One stream: what arrived on it and its flow-control windows."""

    def __init__(self, stream_id, send_window, recv_window):
        self.id = stream_id
        self.headers = None  # the request, or the final response header block
        self.informational = []  # 1xx response header blocks (client side)
        self.trailers = None
        self.body = bytearray()
        self.remote_closed = False  # the peer sent END_STREAM
        self.local_closed = False  # we sent END_STREAM
        self.reset_code = None  # RST_STREAM received or sent
        self.error = None  # what ended the stream abnormally, for the waiting client
        self.send_window = send_window
        self.recv_window = recv_window
        self.request_method = None  # client side: HEAD responses have no body

    @property
    def closed(self):
        return self.reset_code is not None or (self.remote_closed and self.local_closed)

    def pseudo(self, name, default=None):
        for field_name, value in self.headers or ():
            if field_name == name:
                return value
        return default

    @property
    def status(self):
        """The response's :status as int (client side)."""
        return int(self.pseudo(":status"))

    def fields(self):
        """The regular (non-pseudo) fields of the header block."""
        return [(n, v) for n, v in self.headers or () if not n.startswith(":")]


@dataclasses.dataclass
class _HeaderBlock:
    """A header block being assembled from HEADERS + CONTINUATION frames."""
    stream_id: int
    end_stream: bool
    fragments: list
    error: H2Error = None  # stream error to raise once the block is decoded

    @property
    def size(self):
        return sum(len(f) for f in self.fragments)


@dataclasses.dataclass(frozen=True)
class GoAway:
    last_stream_id: int
    code: int
    debug: bytes


class H2Connection:
    """One side (client=True/False) of an HTTP/2 connection.

    Owned by one thread: it writes with sock.sendall() and reads frames from
    rfile (a buffered reader of the same socket, which may already hold bytes
    read past an HTTP/1.1 request). Sending DATA beyond the peer's window
    reads and handles frames until a WINDOW_UPDATE opens it.

    Server: start_server(), then serve(handler) or next_request() and the
    send_* methods. Client: start_client(), send_request(),
    wait_for_response(). The caller owns and closes the socket.
    """

    def __init__(self, sock, rfile, *, client, log=None):
        self.sock, self.rfile, self.client = sock, rfile, client
        self.local_settings = dict(INITIAL_SETTINGS)
        if client:
            self.local_settings[ENABLE_PUSH] = 0
        else:
            self.local_settings[MAX_CONCURRENT_STREAMS] = SERVER_MAX_CONCURRENT_STREAMS
        self.remote_settings = dict(INITIAL_SETTINGS)
        self.encoder = Encoder()
        self.decoder = Decoder(self.local_settings[HEADER_TABLE_SIZE])
        self.streams = {}  # open and half-closed streams by id
        self.goaway = None  # GoAway received from the peer
        self._log = log or (lambda line: None)
        self._send_window = self._recv_window = DEFAULT_WINDOW
        self._highest_peer_stream = 0
        self._next_stream_id = 1 if client else 2
        self._header_block = None
        self._peer_settings_seen = False
        self._ready = collections.deque()  # server: streams whose request is complete
        self._reset_by_us = set()  # frames still in flight on these are ignored (5.4.2)
        self._ping_acks = []

    # Start --------------------------------------------------------------------

    def _settings_frame(self):
        changed = {k: v for k, v in self.local_settings.items() if v != INITIAL_SETTINGS[k]}
        return serialize_frame(SETTINGS, 0, 0, serialize_settings(changed))

    def start_client(self, upgraded=False):
        """Send the client preface (magic + SETTINGS). upgraded=True after an
        HTTP/1.1 Upgrade: h2c (RFC 7540 3.2): stream 1 then carries the
        upgrade request's response and is returned."""
        self._send(PREFACE + self._settings_frame())
        if not upgraded:
            return None
        stream = self._open_stream(1)
        self._next_stream_id = 3
        stream.local_closed = True
        return stream

    def start_server(self, preface_read=False, upgrade_settings=None):
        """Send our SETTINGS and read the client's preface (unless an
        HTTP/1.1 parser already consumed "PRI * HTTP/2.0" + "SM").

        upgrade_settings: the decoded HTTP2-Settings of an h2c Upgrade
        request; stream 1 is then opened half-closed (remote) for that
        request's response and returned.
        """
        self._send(self._settings_frame())
        if not preface_read:
            preface = self.rfile.read(len(PREFACE))
            if preface != PREFACE:
                raise H2Error(PROTOCOL_ERROR, "bogus connection preface %r" % preface)
        if upgrade_settings is None:
            return None
        self._apply_peer_settings(parse_settings(upgrade_settings))
        self._highest_peer_stream = 1
        stream = self._open_stream(1)
        stream.remote_closed = True
        return stream

    # Receiving --------------------------------------------------------------------

    def receive_frame(self):
        """Read and handle one frame; False when the peer closed the connection.

        Stream errors reset the stream (RST_STREAM) and are logged; connection
        errors send GOAWAY and raise H2Error.
        """
        try:
            frame = read_frame(self.rfile, self.local_settings[MAX_FRAME_SIZE])
            if frame is None:
                return False
            self._handle(frame)
        except H2Error as error:
            if error.stream_id is None:
                self._send_goaway_quietly(error.code, error.message)
                raise
            self._reset_for_error(error)
        return True

    def _handle(self, frame):
        pending = self._header_block
        if pending is not None and (frame.type != CONTINUATION
                                    or frame.stream_id != pending.stream_id):
            raise H2Error(PROTOCOL_ERROR, "%s frame while the header block of stream %d awaits "
                          "CONTINUATION" % (frame.name, pending.stream_id))
        if not self._peer_settings_seen:
            if frame.type != SETTINGS or frame.flag(ACK):
                raise H2Error(PROTOCOL_ERROR, "the preface must start with SETTINGS, not %s"
                              % frame.name)
            self._peer_settings_seen = True
        handler = self._HANDLERS.get(frame.type)
        if handler is not None:  # unknown frame types are ignored (RFC 9113 5.5)
            handler(self, frame)

    def _stream_state(self, stream_id):
        """("open", stream) for open or half-closed streams, else ("idle",
        None) for ids not used yet or ("closed", None)."""
        stream = self.streams.get(stream_id)
        if stream is not None:
            return "open", stream
        peer_initiated = (stream_id % 2 == 1) != self.client
        if peer_initiated:
            return ("idle" if stream_id > self._highest_peer_stream else "closed"), None
        return ("idle" if stream_id >= self._next_stream_id else "closed"), None

    def _on_data(self, frame):
        if frame.stream_id == 0:
            raise H2Error(PROTOCOL_ERROR, "DATA on stream 0")
        self._consume_connection_window(len(frame.payload))  # counts even if the stream is gone
        data = _unpadded(frame)
        state, stream = self._stream_state(frame.stream_id)
        if state == "idle":
            raise H2Error(PROTOCOL_ERROR, "DATA on idle stream %d" % frame.stream_id)
        if stream is None and frame.stream_id in self._reset_by_us:
            return
        if stream is None or stream.remote_closed:
            raise H2Error(STREAM_CLOSED, "DATA after END_STREAM", frame.stream_id)
        if stream.headers is None:
            raise _malformed(stream.id, "DATA before the header block")
        if len(frame.payload) > stream.recv_window:
            raise H2Error(FLOW_CONTROL_ERROR, "DATA exceeds the stream window", stream.id)
        stream.recv_window -= len(frame.payload)
        if len(stream.body) + len(data) > MAX_BODY_BYTES:
            raise H2Error(ENHANCE_YOUR_CALM, "body larger than %d bytes" % MAX_BODY_BYTES,
                          stream.id)
        stream.body += data
        if frame.flag(END_STREAM):
            self._end_remote(stream)
        elif stream.recv_window < DEFAULT_WINDOW // 2:
            self._send_window_update(stream.id, DEFAULT_WINDOW - stream.recv_window)
            stream.recv_window = DEFAULT_WINDOW

    def _consume_connection_window(self, size):
        """Account received DATA and give the window back once half is used:
        everything received is buffered at once, so it counts as consumed."""
        if size > self._recv_window:
            raise H2Error(FLOW_CONTROL_ERROR, "DATA exceeds the connection window")
        self._recv_window -= size
        if self._recv_window < DEFAULT_WINDOW // 2:
            self._send_window_update(0, DEFAULT_WINDOW - self._recv_window)
            self._recv_window = DEFAULT_WINDOW

    def _on_headers(self, frame):
        if frame.stream_id == 0:
            raise H2Error(PROTOCOL_ERROR, "HEADERS on stream 0")
        fragment, deferred_error = _headers_fragment(frame)
        block = _HeaderBlock(frame.stream_id, frame.flag(END_STREAM), [fragment], deferred_error)
        if frame.flag(END_HEADERS):
            self._complete_header_block(block)
        else:
            self._header_block = block

    def _on_continuation(self, frame):
        block = self._header_block
        if block is None:
            raise H2Error(PROTOCOL_ERROR, "CONTINUATION without a preceding HEADERS")
        block.fragments.append(frame.payload)
        if block.size > MAX_HEAD_BYTES:
            raise H2Error(ENHANCE_YOUR_CALM, "header block larger than %d bytes" % MAX_HEAD_BYTES)
        if frame.flag(END_HEADERS):
            self._header_block = None
            self._complete_header_block(block)

    def _complete_header_block(self, block):
        # Decode first: the HPACK state must follow every block, even one
        # whose stream is then reset.
        headers = self.decoder.decode(b"".join(block.fragments))
        state, stream = self._stream_state(block.stream_id)
        if state == "closed" and block.stream_id in self._reset_by_us:
            return
        if state == "closed":
            raise H2Error(STREAM_CLOSED, "HEADERS on closed stream %d" % block.stream_id)
        if state == "idle":
            stream = self._accept_peer_stream(block.stream_id)
        if block.error is not None:
            raise block.error
        if stream.remote_closed:
            raise H2Error(STREAM_CLOSED, "HEADERS after END_STREAM", stream.id)
        if self.client:
            self._accept_response_headers(stream, headers, block.end_stream)
        else:
            self._accept_request_headers(stream, headers, block.end_stream)
        if block.end_stream:
            self._end_remote(stream)

    def _accept_peer_stream(self, stream_id):
        if self.client:
            raise H2Error(PROTOCOL_ERROR, "server opened stream %d (push is disabled)" % stream_id)
        if stream_id % 2 == 0:
            raise H2Error(PROTOCOL_ERROR, "client opened even-numbered stream %d" % stream_id)
        self._highest_peer_stream = stream_id
        limit = self.local_settings[MAX_CONCURRENT_STREAMS]
        if limit is not None and len(self.streams) >= limit:
            raise H2Error(REFUSED_STREAM, "more than %d concurrent streams" % limit, stream_id)
        return self._open_stream(stream_id)

    def _accept_request_headers(self, stream, headers, end_stream):
        if stream.headers is None:
            validate_request_headers(headers, stream.id)
            stream.headers = headers
            return
        if not end_stream:
            raise _malformed(stream.id, "second header block without END_STREAM")
        validate_trailers(headers, stream.id)
        stream.trailers = headers

    def _accept_response_headers(self, stream, headers, end_stream):
        if stream.headers is not None:
            if not end_stream:
                raise _malformed(stream.id, "trailers without END_STREAM")
            validate_trailers(headers, stream.id)
            stream.trailers = headers
            return
        validate_response_headers(headers, stream.id)
        status = int(headers[0][1])
        if status == 101:
            raise _malformed(stream.id, "101 Switching Protocols is not allowed in HTTP/2")
        if status >= 200:
            stream.headers = headers
        elif end_stream:
            raise _malformed(stream.id, "informational response with END_STREAM")
        else:
            stream.informational.append(headers)

    def _end_remote(self, stream):
        if stream.headers is None:
            raise _malformed(stream.id, "stream ended without a final header block")
        self._check_content_length(stream)
        stream.remote_closed = True
        if not self.client:
            self._ready.append(stream)
        self._forget_if_closed(stream)

    def _check_content_length(self, stream):
        """content-length must match the DATA received (8.1.1), except in
        responses to HEAD and 204/304 responses."""
        if self.client and (stream.request_method == "HEAD" or stream.status in (204, 304)):
            return
        try:
            length = content_length(stream.fields())
        except ProtocolError as error:
            raise _malformed(stream.id, str(error)) from None
        if length is not None and length != len(stream.body):
            raise _malformed(stream.id, "content-length %d but %d bytes of DATA"
                             % (length, len(stream.body)))

    def _on_priority(self, frame):
        if frame.stream_id == 0:
            raise H2Error(PROTOCOL_ERROR, "PRIORITY on stream 0")
        if len(frame.payload) != 5:
            raise H2Error(FRAME_SIZE_ERROR, "PRIORITY payload must be 5 bytes", frame.stream_id)
        if int.from_bytes(frame.payload[:4], "big") & 0x7FFFFFFF == frame.stream_id:
            raise H2Error(PROTOCOL_ERROR, "stream depends on itself", frame.stream_id)

    def _on_rst_stream(self, frame):
        if frame.stream_id == 0:
            raise H2Error(PROTOCOL_ERROR, "RST_STREAM on stream 0")
        if len(frame.payload) != 4:
            raise H2Error(FRAME_SIZE_ERROR, "RST_STREAM payload must be 4 bytes")
        state, stream = self._stream_state(frame.stream_id)
        if state == "idle":
            raise H2Error(PROTOCOL_ERROR, "RST_STREAM on idle stream %d" % frame.stream_id)
        if stream is not None:  # RST_STREAM for a stream we consider closed is ignored
            stream.reset_code = int.from_bytes(frame.payload, "big")
            del self.streams[stream.id]
            self._log("HTTP/2 peer reset stream %d with %s"
                      % (stream.id, error_name(stream.reset_code)))

    def _on_settings(self, frame):
        if frame.stream_id != 0:
            raise H2Error(PROTOCOL_ERROR, "SETTINGS on stream %d" % frame.stream_id)
        if frame.flag(ACK):
            if frame.payload:
                raise H2Error(FRAME_SIZE_ERROR, "SETTINGS ACK with a payload")
            return
        self._apply_peer_settings(parse_settings(frame.payload))
        self._send_frame(SETTINGS, ACK, 0)

    def _apply_peer_settings(self, pairs):
        for ident, value in pairs:
            if ident == ENABLE_PUSH and value == 1 and self.client:
                raise H2Error(PROTOCOL_ERROR, "server sent SETTINGS_ENABLE_PUSH=1")
            if ident == INITIAL_WINDOW_SIZE:
                self._shift_stream_windows(value - self.remote_settings[INITIAL_WINDOW_SIZE])
            if ident == HEADER_TABLE_SIZE:
                self.encoder.set_max_table_size(min(value, DEFAULT_TABLE_SIZE))
            self.remote_settings[ident] = value

    def _shift_stream_windows(self, delta):
        """A new SETTINGS_INITIAL_WINDOW_SIZE changes every stream's send
        window by the difference (6.9.2); windows may become negative."""
        for stream in self.streams.values():
            stream.send_window += delta
            if stream.send_window > MAX_WINDOW:
                raise H2Error(FLOW_CONTROL_ERROR, "stream %d window above 2^31-1" % stream.id)

    def _on_push_promise(self, frame):
        raise H2Error(PROTOCOL_ERROR, "PUSH_PROMISE although push is disabled")

    def _on_ping(self, frame):
        if frame.stream_id != 0:
            raise H2Error(PROTOCOL_ERROR, "PING on stream %d" % frame.stream_id)
        if len(frame.payload) != 8:
            raise H2Error(FRAME_SIZE_ERROR, "PING payload must be 8 bytes")
        if frame.flag(ACK):
            self._ping_acks.append(frame.payload)
        else:
            self._send_frame(PING, ACK, 0, frame.payload)

    def _on_goaway(self, frame):
        if frame.stream_id != 0:
            raise H2Error(PROTOCOL_ERROR, "GOAWAY on stream %d" % frame.stream_id)
        if len(frame.payload) < 8:
            raise H2Error(FRAME_SIZE_ERROR, "GOAWAY payload shorter than 8 bytes")
        last = int.from_bytes(frame.payload[:4], "big") & 0x7FFFFFFF
        self.goaway = GoAway(last, int.from_bytes(frame.payload[4:8], "big"), frame.payload[8:])
        if not self.client:
            return
        for stream in [s for s in self.streams.values() if s.id > last]:
            stream.error = ConnectionClosed("GOAWAY (%s, %r) before stream %d was processed"
                                            % (error_name(self.goaway.code), self.goaway.debug,
                                               stream.id))
            del self.streams[stream.id]

    def _on_window_update(self, frame):
        if len(frame.payload) != 4:
            raise H2Error(FRAME_SIZE_ERROR, "WINDOW_UPDATE payload must be 4 bytes")
        increment = int.from_bytes(frame.payload, "big") & 0x7FFFFFFF
        if frame.stream_id == 0:
            if increment == 0:
                raise H2Error(PROTOCOL_ERROR, "WINDOW_UPDATE with increment 0")
            self._send_window += increment
            if self._send_window > MAX_WINDOW:
                raise H2Error(FLOW_CONTROL_ERROR, "connection window above 2^31-1")
            return
        state, stream = self._stream_state(frame.stream_id)
        if state == "idle":
            raise H2Error(PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream %d" % frame.stream_id)
        if increment == 0:
            raise H2Error(PROTOCOL_ERROR, "WINDOW_UPDATE with increment 0", frame.stream_id)
        if stream is not None:
            stream.send_window += increment
            if stream.send_window > MAX_WINDOW:
                raise H2Error(FLOW_CONTROL_ERROR, "stream window above 2^31-1", stream.id)

    _HANDLERS = {DATA: _on_data, HEADERS: _on_headers, PRIORITY: _on_priority,
                 RST_STREAM: _on_rst_stream, SETTINGS: _on_settings,
                 PUSH_PROMISE: _on_push_promise, PING: _on_ping, GOAWAY: _on_goaway,
                 WINDOW_UPDATE: _on_window_update, CONTINUATION: _on_continuation}

    # Streams --------------------------------------------------------------------

    def _open_stream(self, stream_id):
        stream = H2Stream(stream_id, self.remote_settings[INITIAL_WINDOW_SIZE], DEFAULT_WINDOW)
        self.streams[stream_id] = stream
        return stream

    def _forget_if_closed(self, stream):
        if stream.closed:
            self.streams.pop(stream.id, None)

    def _reset_for_error(self, error):
        """Answer a stream error with RST_STREAM and end that stream."""
        self._log("HTTP/2 stream error: %s" % error)
        stream = self.streams.get(error.stream_id)
        if stream is not None:
            stream.error = error
        self._send_rst_stream(error.stream_id, error.code)

    @staticmethod
    def _check_sendable(stream):
        """Raise if nothing may be sent on `stream` any more: StreamReset if
        the peer reset it, its H2Error if we reset it for a protocol error."""
        if stream.reset_code is not None:
            raise stream.error or StreamReset(stream.id, stream.reset_code)
        if stream.local_closed:
            raise ValueError("stream %d already sent END_STREAM" % stream.id)

    # Sending --------------------------------------------------------------------

    def _send(self, data):
        self.sock.sendall(data)

    def _send_frame(self, frame_type, flags, stream_id, payload=b""):
        self._send(serialize_frame(frame_type, flags, stream_id, payload))

    def _send_window_update(self, stream_id, increment):
        self._send_frame(WINDOW_UPDATE, 0, stream_id, increment.to_bytes(4, "big"))

    def _send_goaway_quietly(self, code, message):
        """GOAWAY for a connection error; the peer may already be gone."""
        try:
            self.send_goaway(code, message)
        except OSError:
            pass

    def send_goaway(self, code=NO_ERROR, message=""):
        """Announce the end of the connection; streams up to the last one the
        peer opened are still answered."""
        payload = (self._highest_peer_stream.to_bytes(4, "big") + code.to_bytes(4, "big")
                   + message.encode("utf-8", "replace"))
        self._send_frame(GOAWAY, 0, 0, payload)

    def reset_stream(self, stream, code=CANCEL):
        """Abort a stream with RST_STREAM."""
        self._send_rst_stream(stream.id, code)

    def _send_rst_stream(self, stream_id, code):
        self._send_frame(RST_STREAM, 0, stream_id, code.to_bytes(4, "big"))
        self._reset_by_us.add(stream_id)
        stream = self.streams.pop(stream_id, None)
        if stream is not None:
            stream.reset_code = code

    def send_headers(self, stream, headers, end_stream=False):
        """A header block as HEADERS + CONTINUATION frames, written at once
        so that nothing can come between them."""
        self._check_sendable(stream)
        stream_id = stream.id
        block = self.encoder.encode(headers)
        size = self.remote_settings[MAX_FRAME_SIZE]
        pieces = [block[i:i + size] for i in range(0, len(block), size)] or [b""]
        frames = []
        for number, piece in enumerate(pieces):
            flags = END_HEADERS if number == len(pieces) - 1 else 0
            if number == 0:
                frames.append(serialize_frame(HEADERS, flags | (END_STREAM if end_stream else 0),
                                              stream_id, piece))
            else:
                frames.append(serialize_frame(CONTINUATION, flags, stream_id, piece))
        self._send(b"".join(frames))
        if end_stream:
            self._end_local(stream)

    def send_data(self, stream, data, end_stream=False):
        """DATA frames within the peer's frame size and flow-control windows;
        while a window is closed, incoming frames are handled until a
        WINDOW_UPDATE opens it (raises StreamReset if the peer resets the
        stream meanwhile)."""
        self._check_sendable(stream)
        view = memoryview(bytes(data))
        if not view and not end_stream:
            return
        while True:
            size = min(len(view), self._send_window, stream.send_window,
                       self.remote_settings[MAX_FRAME_SIZE])
            if size <= 0 and view:
                self._wait_for_send_window(stream)
                continue
            last = size == len(view)
            flags = END_STREAM if last and end_stream else 0
            self._send_frame(DATA, flags, stream.id, view[:size])
            self._send_window -= size
            stream.send_window -= size
            view = view[size:]
            if last:
                break
        if end_stream:
            self._end_local(stream)

    def _wait_for_send_window(self, stream):
        if not self.receive_frame():
            raise ConnectionClosed("connection closed while waiting for flow-control window")
        self._check_sendable(stream)

    def _end_local(self, stream):
        stream.local_closed = True
        self._forget_if_closed(stream)

    def ping(self, payload=b"gwtest!!"):
        """Send PING and handle frames until its ACK arrives."""
        self._send_frame(PING, 0, 0, payload)
        while payload not in self._ping_acks:
            if not self.receive_frame():
                raise ConnectionClosed("connection closed before the PING ACK")
        self._ping_acks.remove(payload)

    # Client ------------------------------------------------------------------------

    def send_request(self, headers, body=b""):
        """Open the next stream with a request; returns its H2Stream."""
        stream = self._open_stream(self._next_stream_id)
        self._next_stream_id += 2
        stream.request_method = dict(headers).get(":method")
        self.send_headers(stream, headers, end_stream=not body)
        if body:
            self.send_data(stream, body, end_stream=True)
        return stream

    def wait_for_response(self, stream):
        """Handle frames until the response on `stream` is complete.

        Raises the stream's H2Error for a malformed response, StreamReset if
        the server reset it, ConnectionClosed if the connection ended first.
        """
        while not stream.remote_closed:
            if stream.error is not None:
                raise stream.error
            if stream.reset_code is not None:
                raise StreamReset(stream.id, stream.reset_code)
            if not self.receive_frame():
                raise ConnectionClosed("server closed the connection before the response ended")
        return stream

    # Server ------------------------------------------------------------------------

    def next_request(self):
        """The next stream whose request is complete (END_STREAM received),
        or None once the client closed the connection."""
        while True:
            while self._ready:
                stream = self._ready.popleft()
                if stream.reset_code is None and stream.error is None:
                    return stream
            if not self.receive_frame():
                return None

    def serve(self, handle):
        """Call handle(stream) for each complete request, one after another,
        until the client closes the connection. A response cut short because
        its stream was reset (by the client, or by us for a stream error the
        client made meanwhile; both already logged) does not end the loop."""
        while True:
            stream = self.next_request()
            if stream is None:
                return
            try:
                handle(stream)
            except StreamReset:
                pass
            except H2Error as error:
                if error.stream_id is None:
                    raise
