"""HTTP/1.1 message framing shared by the echo server and the test client.

Hand-written instead of http.server/http.client because the conformance tests
depend on exactly the details those modules change: http.server collapses a
leading "//" in the request target and http.client validates and re-encodes
paths, while the harness must send "/a%20b" or "//x" byte for byte and the echo
backend must report the request URI exactly as nginx sent it.

Header names and values are kept as latin-1 decoded str, so every byte
round-trips unchanged.
"""

import re

MAX_HEAD_BYTES = 1 << 20  # Go's http.DefaultMaxHeaderBytes
MAX_BODY_BYTES = 64 << 20  # guard against runaway uploads in tests

_TOKEN_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


class ProtocolError(Exception):
    """A malformed message; `status` is the HTTP status a server answers with."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def is_token(text):
    """True if `text` is a valid RFC 9110 token (e.g. a header field name)."""
    return bool(text) and all(c in _TOKEN_CHARS for c in text)


def canonical_header_key(name):
    """Go's textproto.CanonicalMIMEHeaderKey: "x-foo-bar" -> "X-Foo-Bar".

    The echo backend reports header names the way Go's net/http stores them,
    so tests compare against the same spelling the upstream image produces.
    Names that are not tokens are returned unchanged, as Go does.
    """
    if not is_token(name):
        return name
    out = []
    upper = True
    for c in name:
        out.append(c.upper() if upper else c.lower())
        upper = c == "-"
    return "".join(out)


def header_values(headers, name):
    """All values of header `name` (case-insensitive) from a list of pairs."""
    lname = name.lower()
    return [v for n, v in headers if n.lower() == lname]


def read_head(rfile, limit=MAX_HEAD_BYTES):
    """Read a start line plus header lines up to the empty line.

    Returns the lines as latin-1 str without line endings, or None when the
    peer closed the connection before sending anything (normal end of a
    keep-alive connection). Bare LF line endings are accepted, as Go does.
    """
    lines = []
    total = 0
    while True:
        line = rfile.readline(limit - total + 1)
        if not line:
            if not lines and total == 0:
                return None
            raise ProtocolError("unexpected EOF in message head")
        total += len(line)
        if total > limit:
            raise ProtocolError("message head too large", 431)
        if not line.endswith(b"\n"):
            raise ProtocolError("unexpected EOF in message head")
        text = line[:-1]
        if text.endswith(b"\r"):
            text = text[:-1]
        if not text:
            if lines:
                return lines
            continue  # RFC 9112 2.2: ignore empty lines before the start line
        lines.append(text.decode("latin-1"))


def parse_header_lines(lines):
    """Turn "Name: value" lines into (name, value) pairs, values trimmed.

    Obsolete line folding and names that are not tokens are rejected, like
    Go's net/textproto does for requests.
    """
    headers = []
    for line in lines:
        if line[:1] in (" ", "\t"):
            raise ProtocolError("obsolete header line folding")
        name, sep, value = line.partition(":")
        if not sep or not is_token(name):
            raise ProtocolError("malformed header line %r" % line)
        headers.append((name, value.strip(" \t")))
    return headers


def is_chunked(headers):
    """True if the last transfer coding is "chunked"."""
    codings = ",".join(header_values(headers, "Transfer-Encoding"))
    parts = [p.strip().lower() for p in codings.split(",") if p.strip()]
    return bool(parts) and parts[-1] == "chunked"


def content_length(headers):
    """The Content-Length value, or None when absent; rejects conflicting values."""
    values = {v.strip() for raw in header_values(headers, "Content-Length")
              for v in raw.split(",")}
    if not values:
        return None
    if len(values) != 1:
        raise ProtocolError("conflicting Content-Length values")
    value = values.pop()
    if not re.fullmatch(r"[0-9]+", value):
        raise ProtocolError("invalid Content-Length %r" % value)
    return int(value)


def read_exact(rfile, size):
    """Read exactly `size` bytes or raise ProtocolError at EOF."""
    data = rfile.read(size)
    if len(data) != size:
        raise ProtocolError("unexpected EOF in message body")
    return data


def read_chunked(rfile, limit=MAX_BODY_BYTES):
    """Decode a chunked body, discarding chunk extensions and trailers."""
    parts = []
    total = 0
    while True:
        line = rfile.readline(4096)
        if not line.endswith(b"\n"):
            raise ProtocolError("bad chunk size line")
        size_text = line.split(b";", 1)[0].strip(b" \t\r\n")
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
            raise ProtocolError("bad chunk size %r" % size_text)
        size = int(size_text, 16)
        if size == 0:
            read_trailers(rfile)
            return b"".join(parts)
        total += size
        if total > limit:
            raise ProtocolError("body too large", 413)
        parts.append(read_exact(rfile, size))
        if rfile.readline(3) not in (b"\r\n", b"\n"):
            raise ProtocolError("missing CRLF after chunk data")


def read_trailers(rfile):
    """Skip the trailer section after the last chunk."""
    while True:
        line = rfile.readline(MAX_HEAD_BYTES)
        if not line.endswith(b"\n"):
            raise ProtocolError("unexpected EOF in trailers")
        if line in (b"\r\n", b"\n"):
            return


def read_request_body(rfile, headers):
    """Body of a request framed by Transfer-Encoding or Content-Length."""
    if header_values(headers, "Transfer-Encoding"):
        if not is_chunked(headers):
            raise ProtocolError("unsupported transfer encoding", 501)
        return read_chunked(rfile)
    length = content_length(headers)
    if not length:
        return b""
    if length > MAX_BODY_BYTES:
        raise ProtocolError("body too large", 413)
    return read_exact(rfile, length)


def response_has_body(method, status):
    """Whether a response to `method` with `status` carries a body (RFC 9112 6.3)."""
    return method != "HEAD" and status >= 200 and status not in (204, 304)


def read_response_body(rfile, headers, method, status):
    """Body of a response; returns (body, reusable) where `reusable` says the
    connection can carry another request (False when the body ran to EOF)."""
    if not response_has_body(method, status):
        return b"", True
    if header_values(headers, "Transfer-Encoding"):
        if is_chunked(headers):
            return read_chunked(rfile), True
        return rfile.read(), False
    length = content_length(headers)
    if length is None:
        return rfile.read(), False
    return read_exact(rfile, length), True


def encode_chunked(body, chunk_size=None):
    """Chunked transfer encoding of `body` (one chunk unless chunk_size is set)."""
    size = chunk_size or max(len(body), 1)
    out = []
    for start in range(0, len(body), size):
        piece = body[start:start + size]
        out.append(b"%x\r\n%s\r\n" % (len(piece), piece))
    out.append(b"0\r\n\r\n")
    return b"".join(out)
