"""gRPC over HTTP/2 wire format and the protobuf messages of the conformance
gRPC echo service, shared by the echo backend and the test client.

- protobuf wire encoding (varints, tags, length-delimited fields) driven by
  a small schema of the messages in echo-basic's grpcecho.proto
  (package gateway_api_conformance.echo_basic.grpcecho); field numbers are
  those of the upstream .proto;
- gRPC message framing (1-byte compressed flag + 4-byte length), status
  codes, percent-encoded grpc-message, "-bin" metadata;
- the request metadata a grpc-go server exposes to handlers, and the status
  a grpc-go client derives from HTTP status and RST_STREAM codes, because
  the echo response and the conformance checks are defined by grpc-go.

Decoding is strict: truncated or malformed input raises ProtobufError or
GRPCError instead of being skipped.
"""

import base64
import dataclasses
import re

from ._gocompat import go_status_line

ECHO_SERVICE = "gateway_api_conformance.echo_basic.grpcecho.GrpcEcho"
ECHO_METHODS = ("Echo", "EchoTwo", "EchoThree")  # EchoThree is left unimplemented upstream
CONTENT_TYPE = "application/grpc"
MAX_RECEIVE_MESSAGE = 4 << 20  # grpc-go's default receive limit

# Status codes (grpc/doc/statuscodes.md).
(OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS,
 PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE,
 UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED) = range(17)
STATUS_NAMES = ("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED")

# grpc-go's HTTPStatusConvTab: the status of a response that is not HTTP 200.
HTTP_STATUS_TO_GRPC = {400: INTERNAL, 401: UNAUTHENTICATED, 403: PERMISSION_DENIED,
                       404: UNIMPLEMENTED, 429: UNAVAILABLE, 502: UNAVAILABLE,
                       503: UNAVAILABLE, 504: UNAVAILABLE}
# grpc-go's http2ErrConvTab, by HTTP/2 error code (others: INTERNAL).
RST_CODE_TO_GRPC = {3: RESOURCE_EXHAUSTED, 7: UNAVAILABLE, 8: CANCELLED,
                    11: RESOURCE_EXHAUSTED, 12: PERMISSION_DENIED}

# Headers grpc-go keeps out of the metadata handlers see (isReservedHeader),
# except the whitelisted :authority and user-agent.
RESERVED_HEADERS = frozenset({"content-type", "user-agent", "grpc-message-type", "grpc-encoding",
                              "grpc-message", "grpc-status", "grpc-timeout",
                              "grpc-status-details-bin", "te"})
WHITELISTED_HEADERS = frozenset({":authority", "user-agent"})


def status_name(code):
    return STATUS_NAMES[code] if 0 <= code < len(STATUS_NAMES) else str(code)


class GRPCError(Exception):
    """An RPC failure with a gRPC status (and the HTTP status to send it with)."""

    def __init__(self, code, message, http_status=200):
        super().__init__("%s: %s" % (status_name(code), message))
        self.code, self.message, self.http_status = code, message, http_status


class ProtobufError(ValueError):
    """Bytes that are not a valid encoding of the expected message."""


# --------------------------------------------------------------------------
# Protobuf wire format

VARINT, I64, LEN, SGROUP, EGROUP, I32 = 0, 1, 2, 3, 4, 5


@dataclasses.dataclass(frozen=True)
class Field:
    number: int
    name: str
    message: str = None  # type name for message fields, None for strings
    repeated: bool = False


# grpcecho.proto from kubernetes-sigs/gateway-api conformance/echo-basic.
SCHEMA = {
    "Header": (Field(1, "key"), Field(2, "value")),
    "Context": (Field(1, "namespace"), Field(2, "ingress"), Field(3, "service_name"),
                Field(4, "pod")),
    "TLSAssertions": (Field(1, "version"), Field(2, "negotiated_protocol"),
                      Field(3, "server_name"), Field(4, "cipher_suite"),
                      Field(5, "peer_certificates", repeated=True)),
    "Assertions": (Field(1, "fully_qualified_method"),
                   Field(2, "headers", "Header", repeated=True), Field(3, "authority"),
                   Field(4, "context", "Context"), Field(5, "tls_assertions", "TLSAssertions")),
    "EchoRequest": (),
    "EchoResponse": (Field(1, "assertions", "Assertions"), Field(2, "request", "EchoRequest")),
}


def encode_varint(value):
    if value < 0:
        raise ValueError("negative varint")
    out = bytearray()
    while value >= 0x80:
        out.append(0x80 | value & 0x7F)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(data, pos):
    """(value, next position); at most 10 bytes, as protobuf allows."""
    value = shift = 0
    for offset in range(10):
        if pos + offset >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[pos + offset]
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos + offset + 1
    raise ProtobufError("varint longer than 10 bytes")


def _length_delimited(number, payload):
    return encode_varint(number << 3 | LEN) + encode_varint(len(payload)) + payload


def encode_message(type_name, value):
    """Serialize a dict as message `type_name`. Absent keys, empty strings
    and empty lists are not written (proto3 defaults); a message field that
    is present is written even when empty."""
    out = bytearray()
    for field in SCHEMA[type_name]:
        item = value.get(field.name)
        for element in (item or []) if field.repeated else [item]:
            if element is None or (field.message is None and element == ""):
                continue
            if field.message:
                payload = encode_message(field.message, element)
            else:
                payload = element.encode("utf-8")
            out += _length_delimited(field.number, payload)
    return bytes(out)


def _skip_field(data, pos, wire_type):
    """Position after an unknown field's value."""
    if wire_type == VARINT:
        return decode_varint(data, pos)[1]
    if wire_type in (I64, I32):
        end = pos + (8 if wire_type == I64 else 4)
    elif wire_type == LEN:
        length, pos = decode_varint(data, pos)
        end = pos + length
    elif wire_type in (SGROUP, EGROUP):
        raise ProtobufError("groups are not supported")
    else:
        raise ProtobufError("invalid wire type %d" % wire_type)
    if end > len(data):
        raise ProtobufError("truncated field")
    return end


def decode_message(type_name, data):
    """Parse message `type_name` into a dict with every field present:
    "" / [] for absent strings and repeated fields, None for absent
    messages. Unknown fields are skipped; repeated occurrences of a message
    field are merged, as protobuf specifies."""
    fields = {f.number: f for f in SCHEMA[type_name]}
    result = {f.name: [] if f.repeated else (None if f.message else "") for f in fields.values()}
    message_bytes = {}
    pos = 0
    while pos < len(data):
        key, pos = decode_varint(data, pos)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise ProtobufError("field number 0")
        field = fields.get(number)
        if field is None:
            pos = _skip_field(data, pos, wire_type)
            continue
        if wire_type != LEN:
            raise ProtobufError("%s.%s: wire type %d, expected %d"
                                % (type_name, field.name, wire_type, LEN))
        length, pos = decode_varint(data, pos)
        if pos + length > len(data):
            raise ProtobufError("%s.%s: truncated" % (type_name, field.name))
        payload, pos = bytes(data[pos:pos + length]), pos + length
        if field.message and field.repeated:
            result[field.name].append(decode_message(field.message, payload))
        elif field.message:
            message_bytes[field.name] = message_bytes.get(field.name, b"") + payload
        else:
            text = _utf8(payload, type_name, field.name)
            if field.repeated:
                result[field.name].append(text)
            else:
                result[field.name] = text
    for field in fields.values():
        if field.name in message_bytes:
            result[field.name] = decode_message(field.message, message_bytes[field.name])
    return result


def _utf8(payload, type_name, field_name):
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtobufError("%s.%s: string is not valid UTF-8" % (type_name, field_name)) from None


# --------------------------------------------------------------------------
# gRPC framing and headers


def frame_message(payload, compressed=False):
    """A length-prefixed message: compressed flag, 4-byte length, payload."""
    return bytes([1 if compressed else 0]) + len(payload).to_bytes(4, "big") + payload


def split_messages(data, max_size=MAX_RECEIVE_MESSAGE):
    """[(compressed, payload)] of the length-prefixed messages in a stream body."""
    messages = []
    pos = 0
    while pos < len(data):
        if pos + 5 > len(data):
            raise GRPCError(INTERNAL, "grpc: truncated message header")
        flag, length = data[pos], int.from_bytes(data[pos + 1:pos + 5], "big")
        if flag > 1:
            raise GRPCError(INTERNAL, "grpc: received unexpected payload format %d" % flag)
        if length > max_size:
            raise GRPCError(RESOURCE_EXHAUSTED, "grpc: received message larger than max "
                            "(%d vs. %d)" % (length, max_size))
        if pos + 5 + length > len(data):
            raise GRPCError(INTERNAL, "grpc: truncated message")
        messages.append((flag == 1, bytes(data[pos + 5:pos + 5 + length])))
        pos += 5 + length
    return messages


def valid_content_type(value):
    """True for "application/grpc" and "application/grpc+x" / ";x" (grpc-go's
    ContentSubtype)."""
    return value == CONTENT_TYPE or (value.startswith(CONTENT_TYPE)
                                     and value[len(CONTENT_TYPE)] in "+;")


def encode_grpc_message(text):
    """grpc-message value: UTF-8, percent-encoding bytes outside 0x20-0x7E and '%'."""
    return "".join(chr(b) if 0x20 <= b <= 0x7E and b != 0x25 else "%%%02X" % b
                   for b in text.encode("utf-8"))


def decode_grpc_message(value):
    """Inverse of encode_grpc_message; invalid escapes are kept literally."""
    raw = value.encode("latin-1")
    decoded = re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return decoded.decode("utf-8", "replace")


def encode_binary_header(value):
    """A "-bin" metadata value: unpadded base64, as grpc-go sends it."""
    return base64.b64encode(value).decode("ascii").rstrip("=")


def decode_binary_header(value):
    """Padded or unpadded base64 (grpc-go accepts both); ValueError if invalid."""
    padded = value + "=" * (-len(value) % 4)
    return base64.b64decode(padded, validate=True)


def go_quote(text):
    """Go's %q for plain strings (grpc-go quotes values in its messages)."""
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


_TIMEOUT = re.compile(r"[0-9]{1,8}[HMSmun]")


def check_timeout(value):
    """Raise as grpc-go does for a malformed grpc-timeout header."""
    if not _TIMEOUT.fullmatch(value):
        raise GRPCError(INTERNAL, "malformed grpc-timeout: transport: malformed time-out %s"
                        % go_quote(value), 400)


def check_single_authority(headers):
    """grpc-go's first check: at most one :authority and one host field."""
    authorities = sum(1 for name, _ in headers if name == ":authority")
    hosts = sum(1 for name, _ in headers if name == "host")
    if authorities > 1 or hosts > 1:
        raise GRPCError(INTERNAL, "num values of :authority: %d, num values of host: %d, both "
                        "must only have 1 value as per HTTP/2 spec" % (authorities, hosts), 400)


def incoming_metadata(headers):
    """The metadata a grpc-go handler sees for a request's header list:
    {key: [values]} in arrival order, reserved headers dropped except
    :authority and user-agent, content-type kept when it is a gRPC one,
    "-bin" values base64-decoded (as latin-1 str), Host folded into
    :authority (gRFC A41). Raises GRPCError for undecodable "-bin" values."""
    metadata = {}
    for name, value in headers:
        if name == "content-type" and valid_content_type(value):
            metadata.setdefault(name, []).append(value)
            continue
        if (name.startswith(":") or name in RESERVED_HEADERS) and name not in WHITELISTED_HEADERS:
            continue
        if name.endswith("-bin"):
            try:
                value = decode_binary_header(value).decode("latin-1")
            except ValueError as error:
                raise GRPCError(INTERNAL, "malformed binary metadata %s in header %s: %s"
                                % (go_quote(value), go_quote(name), error), 400) from None
        metadata.setdefault(name, []).append(value)
    host = metadata.pop("host", None)
    if ":authority" not in metadata and host:
        metadata[":authority"] = host
    return metadata


def status_from_http(http_status, content_type):
    """(code, message) a grpc-go client reports for a response that is not
    HTTP 200 with a gRPC content-type; None if it is one."""
    problems = []
    if http_status != 200:
        reason = go_status_line(http_status).split(" ", 2)[2]
        problems.append("unexpected HTTP status code received from server: %d (%s)"
                        % (http_status, reason))
    if content_type is None:
        problems.append("malformed header: missing HTTP content-type")
    elif not valid_content_type(content_type):
        problems.append("transport: received unexpected content-type " + go_quote(content_type))
    if not problems:
        return None
    return HTTP_STATUS_TO_GRPC.get(http_status, UNKNOWN), "; ".join(problems)
