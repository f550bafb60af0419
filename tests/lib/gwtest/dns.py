"""Just enough DNS (RFC 1035) to stand in for CoreDNS in the UDPRoute test.

The upstream test only needs some DNS answer to come back through the
Gateway, so the responder answers every A query with one fixed address and
any other query type with an empty NOERROR answer.
"""

import dataclasses
import random
import socket
import struct

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28}
CLASS_IN = 1
_HEADER = struct.Struct("!HHHHHH")


class DNSError(ValueError):
    """A message that cannot be parsed."""


@dataclasses.dataclass
class Answer:
    name: str
    rtype: int
    ttl: int
    data: str  # dotted quad for A records, hex otherwise


@dataclasses.dataclass
class Message:
    id: int
    flags: int
    questions: list  # [(name, qtype, qclass)]
    answers: list  # [Answer]

    @property
    def rcode(self):
        return self.flags & 0x000F

    @property
    def is_response(self):
        return bool(self.flags & 0x8000)


def encode_name(name):
    """Wire form of a domain name ("foo.bar.com." -> labels + root)."""
    out = bytearray()
    for label in name.rstrip(".").split("."):
        if label:
            raw = label.encode("idna") if not label.isascii() else label.encode("ascii")
            if len(raw) > 63:
                raise DNSError("label too long: %r" % label)
            out += bytes([len(raw)]) + raw
    return bytes(out) + b"\0"


def _decode_name(data, offset, depth=0):
    """Read a possibly compressed name; returns (name, offset after it)."""
    labels = []
    while True:
        if offset >= len(data):
            raise DNSError("name runs past the end of the message")
        length = data[offset]
        if length & 0xC0 == 0xC0:
            if depth > 10 or offset + 1 >= len(data):
                raise DNSError("bad compression pointer")
            pointer = struct.unpack_from("!H", data, offset)[0] & 0x3FFF
            name, _ = _decode_name(data, pointer, depth + 1)
            labels.append(name.rstrip("."))
            return ".".join(l for l in labels if l) + ".", offset + 2
        offset += 1
        if length == 0:
            return ".".join(labels) + ".", offset
        labels.append(data[offset:offset + length].decode("ascii", "replace"))
        offset += length


def parse(data):
    """Parse a query or response (questions and answer records only)."""
    if len(data) < _HEADER.size:
        raise DNSError("message shorter than the DNS header")
    ident, flags, qdcount, ancount, _, _ = _HEADER.unpack_from(data)
    offset = _HEADER.size
    questions = []
    for _ in range(qdcount):
        name, offset = _decode_name(data, offset)
        if offset + 4 > len(data):
            raise DNSError("truncated question")
        qtype, qclass = struct.unpack_from("!HH", data, offset)
        offset += 4
        questions.append((name, qtype, qclass))
    answers = []
    for _ in range(ancount):
        name, offset = _decode_name(data, offset)
        if offset + 10 > len(data):
            raise DNSError("truncated resource record")
        rtype, _, ttl, rdlength = struct.unpack_from("!HHIH", data, offset)
        offset += 10
        rdata = data[offset:offset + rdlength]
        offset += rdlength
        value = socket.inet_ntoa(rdata) if rtype == 1 and len(rdata) == 4 else rdata.hex()
        answers.append(Answer(name, rtype, ttl, value))
    return Message(ident, flags, questions, answers)


def build_query(name, qtype="A", ident=None):
    """A recursive query for one name."""
    ident = random.randrange(1 << 16) if ident is None else ident
    code = TYPES[qtype] if isinstance(qtype, str) else qtype
    return (_HEADER.pack(ident, 0x0100, 1, 0, 0, 0)
            + encode_name(name) + struct.pack("!HH", code, CLASS_IN))


def build_answer(query, address="127.0.0.1", ttl=30):
    """Authoritative answer to `query`: A records get `address`, others nothing.

    Returns None for messages that are not a single-question standard query,
    so the responder ignores garbage instead of echoing it.
    """
    try:
        message = parse(query)
    except DNSError:
        return None
    if message.is_response or len(message.questions) != 1 or (message.flags >> 11) & 0xF:
        return None
    name, qtype, qclass = message.questions[0]
    question = encode_name(name) + struct.pack("!HH", qtype, qclass)
    records = b""
    if qtype == TYPES["A"] and qclass == CLASS_IN:
        # 0xC00C: compression pointer to the question name at offset 12.
        records = struct.pack("!HHHIH", 0xC00C, 1, CLASS_IN, ttl, 4) + socket.inet_aton(address)
    flags = 0x8000 | 0x0400 | (message.flags & 0x0100) | 0x0080  # QR AA RD(copied) RA
    return _HEADER.pack(message.id, flags, 1, 1 if records else 0, 0, 0) + question + records
