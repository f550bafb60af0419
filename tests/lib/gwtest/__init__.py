"""gwtest: harness for testing gwc's nginx output against conformance cases.

Standard library only (CI runs Debian's python3 without pip).

- gwtest.echo    imitations of the conformance echo backend (HTTP, HTTPS,
                 h2c, gRPC, WebSocket, TCP, TLS, UDP, DNS), many per process;
                 also a CLI
- gwtest.nginx   run /usr/sbin/nginx on a gwc output prefix; free ports
- gwtest.client  HTTP/1.1, HTTP/2, gRPC, TCP/UDP/DNS/WebSocket/TLS clients
                 behaving like the upstream harness
- gwtest.h2      HTTP/2 framing and HPACK (RFC 9113, RFC 7541), both sides
- gwtest.certs   throw-away CA and certificates via the openssl CLI
- gwtest.procs   safety net that stops started processes on exit/SIGTERM
"""

import importlib

# Names re-exported lazily (PEP 562), so that `python3 -m gwtest.echo` does not
# import gwtest.echo twice (once via the package, once as __main__).
_EXPORTS = {
    "client": ["GRPCResult", "HTTPConnection", "Response", "alpn_negotiated", "default_host",
               "dns_query", "grpc_call", "h2_connection", "h2_request", "http_request",
               "service_from_pod", "tcp_exchange", "tls_dial", "tls_handshake",
               "udp_exchange", "websocket_echo"],
    "echo": ["EchoPool", "EchoProcess", "Identity", "pod_name"],
    "nginx": ["NginxError", "NginxProcess", "free_port", "free_ports", "free_udp_port"],
    "certs": ["CertificateAuthority", "CertPair"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name):
    if name not in _MODULE_OF:
        raise AttributeError("module 'gwtest' has no attribute %r" % name)
    return getattr(importlib.import_module("." + _MODULE_OF[name], __name__), name)
