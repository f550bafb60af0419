"""Go behaviour the echo backend must reproduce.

echo-basic is a Go program, and its answers carry Go's fingerprints: JSON as
encoding/json writes it, net/http's path cleaning and status texts, Go
duration syntax in ?delay=, crypto/tls names in the `tls` object. Keeping
these helpers apart from the servers keeps echo.py about behaviour.
"""

import http
import json
import re
import ssl
import urllib.parse

# Go's crypto/tls names for the TLS 1.2 suites OpenSSL negotiates by default
# (TLS 1.3 suite names are already identical in both).
_GO_CIPHER_NAMES = {
    "ECDHE-RSA-AES128-GCM-SHA256": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "ECDHE-RSA-AES256-GCM-SHA384": "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "ECDHE-ECDSA-AES128-GCM-SHA256": "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384": "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "ECDHE-RSA-CHACHA20-POLY1305": "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "ECDHE-ECDSA-CHACHA20-POLY1305": "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
}
# Status texts where Python's HTTPStatus phrase differs from Go's StatusText.
_GO_STATUS_TEXT = {414: "Request URI Too Long", 418: "I'm a teapot"}


def go_json(value, indent=None):
    """JSON bytes as Go's encoding/json writes them.

    Go escapes <, >, & and U+2028/U+2029 inside strings and emits UTF-8
    otherwise; MarshalIndent(v, "", " ") matches indent=1 here.
    """
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text.encode("utf-8")


def as_utf8(latin1_text):
    """Reinterpret wire bytes (kept as latin-1 str) as UTF-8, replacing
    invalid sequences with U+FFFD like Go's JSON encoder does."""
    return latin1_text.encode("latin-1").decode("utf-8", "replace")


_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "\u03bcs": 1e-6,
                   "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION_NUMBER = re.compile(r"[0-9]*(?:\.[0-9]*)?")
_DURATION_UNIT = re.compile(r"[^0-9.]*")


def parse_go_duration(text):
    """Seconds for a Go duration string ("1s", "500ms", "1m30s", "-2h").

    Raises ValueError with Go's error message for invalid input, which
    echo-basic returns in its 500 response body.
    """
    rest = text
    sign = 1.0
    if rest[:1] in ("+", "-"):
        sign = -1.0 if rest[0] == "-" else 1.0
        rest = rest[1:]
    if rest == "0":
        return 0.0
    if not rest:
        raise ValueError('time: invalid duration "%s"' % text)
    total = 0.0
    while rest:
        number = _DURATION_NUMBER.match(rest).group(0)
        if number in ("", "."):
            raise ValueError('time: invalid duration "%s"' % text)
        rest = rest[len(number):]
        unit = _DURATION_UNIT.match(rest).group(0)
        if not unit:
            raise ValueError('time: missing unit in duration "%s"' % text)
        if unit not in _DURATION_UNITS:
            raise ValueError('time: unknown unit "%s" in duration "%s"' % (unit, text))
        total += float(number) * _DURATION_UNITS[unit]
        rest = rest[len(unit):]
    return sign * total


def go_clean_path(path):
    """net/http's cleanPath: path.Clean of a rooted path, keeping a trailing "/"."""
    if not path:
        return "/"
    if path[0] != "/":
        path = "/" + path
    segments = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    cleaned = "/" + "/".join(segments)
    if path.endswith("/") and cleaned != "/":
        cleaned += "/"
    return cleaned


def go_status_line(code):
    """Status line as Go writes it (always HTTP/1.1, "status code N" if unknown)."""
    try:
        reason = _GO_STATUS_TEXT.get(code) or http.HTTPStatus(code).phrase
    except ValueError:
        reason = "status code %d" % code
    return "HTTP/1.1 %03d %s" % (code, reason)


def query_first(target, key):
    """First value of `key` in the request target's query, like Go's FormValue."""
    query = target.partition("?")[2]
    values = urllib.parse.parse_qs(query, keep_blank_values=True).get(key)
    return values[0] if values else ""


def go_atoi(text):
    """strconv.Atoi: an optionally signed decimal integer, else None."""
    return int(text) if re.fullmatch(r"[+-]?[0-9]+", text or "") else None


def _go_cipher_name(sock):
    name = (sock.cipher() or ("",))[0]
    return _GO_CIPHER_NAMES.get(name, name)


def http_tls_assertions(sock, server_name):
    """The `tls` object of the HTTPS echo JSON (echo-basic TLSAssertions).

    Python exposes only the leaf of the client's chain, so peerCertificates
    holds at most one PEM (upstream lists the whole chain the client sent).
    """
    state = {"version": sock.version() or ""}
    der = sock.getpeercert(binary_form=True)
    if der:
        state["peerCertificates"] = [ssl.DER_cert_to_PEM_cert(der)]
    state["serverName"] = server_name or ""
    if sock.selected_alpn_protocol():
        state["negotiatedProtocol"] = sock.selected_alpn_protocol()
    state["cipherSuite"] = _go_cipher_name(sock)
    return state


def tcp_tls_assertions(sock, server_name):
    """The `tls` object of the TCP server's TEST answer.

    The TCP server uses tls.VersionName ("TLS 1.3"), unlike the HTTP echo
    ("TLSv1.3"). `curves` is omitted: Python 3.11 cannot tell the group.
    """
    state = {"version": (sock.version() or "").replace("TLSv", "TLS "),
             "serverName": server_name or ""}
    if sock.selected_alpn_protocol():
        state["negotiatedProtocol"] = sock.selected_alpn_protocol()
    state["cipherSuite"] = _go_cipher_name(sock)
    return state
