"""A client behind a load balancer that speaks the PROXY protocol (v1 text,
v2 binary): the header that names the client, written before anything
else on the connection (before TLS), from a chosen loopback address."""
import socket
import ssl
import struct

from . import client


def proxy_v1(source, port=40000, destination="127.0.0.1", destination_port=80):
    return ("PROXY TCP4 %s %s %d %d\r\n"
            % (source, destination, port, destination_port)).encode()


def proxy_v2(source, port=40000, destination="127.0.0.1", destination_port=80):
    body = (socket.inet_aton(source) + socket.inet_aton(destination) +
            struct.pack("!HH", port, destination_port))
    # signature; version 2, PROXY command; TCP over IPv4; address length
    return b"\r\n\r\n\x00\r\nQUIT\n" + b"\x21\x11" + struct.pack("!H", len(body)) + body


def connect(port, header, source="127.0.0.1", timeout=5, sni=None, tls=False):
    """A socket to 127.0.0.1:port from `source` that has sent `header`
    (None: no header), then, with tls, handshaken (any certificate)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                    source_address=(source, 0))
    try:
        if header:
            sock.sendall(header)
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            sock = context.wrap_socket(sock, server_hostname=sni)
    except BaseException:
        sock.close()
        raise
    return sock


class ProxiedConnection(client.HTTPConnection):
    """client.HTTPConnection whose connections start with a PROXY header
    (or none) from `source`, as a load balancer's would."""

    def __init__(self, port, header, source="127.0.0.1", **kw):
        super().__init__(port, **kw)
        self.header, self.source = header, source

    def _ensure_connected(self):
        if self._sock is not None:
            return
        self._sock = connect(self.port, self.header, self.source, self.timeout, self.sni,
                             self.scheme == "https")
        self._rfile = self._sock.makefile("rb")
        self.connects += 1


def http_request(port, host, path, header, source="127.0.0.1", scheme="http", **kw):
    """One request on a fresh proxied connection; a client.Response."""
    with ProxiedConnection(port, header, source, scheme=scheme,
                           sni=host if scheme == "https" else None) as c:
        return c.request(path, host, **kw)
