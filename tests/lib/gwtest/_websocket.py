"""RFC 6455 WebSocket framing shared by the echo backend and the test client.

Only what an echo needs: single frames up to MAX_PAYLOAD, masking, control
frames and reassembly of fragmented messages.
"""

import base64
import hashlib
import os
import struct

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_PAYLOAD = 16 << 20

CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


class WebSocketError(Exception):
    """A protocol violation or a failed handshake."""


def accept_key(key):
    """Sec-WebSocket-Accept value for a Sec-WebSocket-Key (RFC 6455 4.2.2)."""
    digest = hashlib.sha1((key + GUID).encode("ascii")).digest()
    return base64.b64encode(digest).decode("ascii")


def new_key():
    """A fresh random Sec-WebSocket-Key."""
    return base64.b64encode(os.urandom(16)).decode("ascii")


def encode_frame(opcode, payload, mask, fin=True):
    """One frame; clients must mask (RFC 6455 5.3), servers must not."""
    head = bytearray([(0x80 if fin else 0) | opcode])
    mask_bit = 0x80 if mask else 0
    n = len(payload)
    if n < 126:
        head.append(mask_bit | n)
    elif n < 1 << 16:
        head.append(mask_bit | 126)
        head += struct.pack("!H", n)
    else:
        head.append(mask_bit | 127)
        head += struct.pack("!Q", n)
    if not mask:
        return bytes(head) + payload
    key = os.urandom(4)
    return bytes(head) + key + apply_mask(key, payload)


def apply_mask(key, data):
    """XOR `data` with the 4-byte masking key (its own inverse)."""
    if not data:
        return b""
    repeated = (key * (len(data) // 4 + 1))[:len(data)]
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(repeated, "big")
    return mixed.to_bytes(len(data), "big")


def _read(rfile, size):
    data = rfile.read(size)
    if len(data) != size:
        raise EOFError("connection closed inside a WebSocket frame")
    return data


def read_frame(rfile, require_mask):
    """Read one frame; returns (fin, opcode, payload) with the payload unmasked.

    Raises EOFError on a clean or unclean close and WebSocketError when the
    masking rule for this side of the connection is violated.
    """
    b0, b1 = _read(rfile, 2)
    fin, opcode = bool(b0 & 0x80), b0 & 0x0F
    masked, n = bool(b1 & 0x80), b1 & 0x7F
    if masked != require_mask:
        raise WebSocketError("frame masking does not match the peer's role")
    if n == 126:
        n = struct.unpack("!H", _read(rfile, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", _read(rfile, 8))[0]
    if n > MAX_PAYLOAD:
        raise WebSocketError("frame too large")
    key = _read(rfile, 4) if masked else None
    payload = _read(rfile, n)
    return fin, opcode, (apply_mask(key, payload) if key else payload)


def read_message(rfile, require_mask, on_control):
    """Read frames until a complete data message; returns (opcode, payload).

    Control frames arriving in between are passed to on_control(opcode,
    payload), which returns False to stop (after a CLOSE); read_message then
    returns (CLOSE, payload).
    """
    opcode, parts = None, []
    while True:
        fin, op, payload = read_frame(rfile, require_mask)
        if op >= CLOSE:
            if not on_control(op, payload):
                return CLOSE, payload
            continue
        if op != CONTINUATION:
            if opcode is not None:
                raise WebSocketError("new message inside a fragmented message")
            opcode = op
        elif opcode is None:
            raise WebSocketError("continuation frame without a message")
        parts.append(payload)
        if fin:
            return opcode, b"".join(parts)
