"""End to end: GRPCRoute matching through gwc and real nginx, over h2c to
gRPC echo backends that say which Service answered."""
import tempfile
import unittest

from gwtest import client
from gwtest._grpc import ECHO_SERVICE, OK, UNIMPLEMENTED
from gwtest.certs import CertificateAuthority
from scenario import Backend, Scenario, served_by
from test_tls import tls_secret


def gateway(listener):
    return ("\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
            "metadata: {name: gw, namespace: rpc}\nspec:\n  gatewayClassName: nginx\n"
            "  listeners:\n    - %s\n" % listener)


def grpc_backends(*names, ns="rpc"):
    return [Backend(ns, n, mode="grpc") for n in names]


def answered_by(result):
    """The Service whose echo answered an OK call, else None."""
    if result.status != OK:
        return None
    return result.response["assertions"]["context"]["service_name"]


class HeaderMatching(unittest.TestCase):
    MANIFESTS = gateway("{name: h2c, protocol: HTTP, port: 80}") + """
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: modes, namespace: rpc}
spec:
  parentRefs: [{name: gw}]
  hostnames: [rpc.example.com]
  rules:
    - matches: [{headers: [{name: X-Mode, value: a}, {name: x-mode, value: b}]}]
      backendRefs: [{name: mode, port: 8080}]
    - backendRefs: [{name: rest, port: 8080}]
"""

    @classmethod
    def setUpClass(cls):
        cls.s = Scenario(cls.MANIFESTS, grpc_backends("mode", "rest"))
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def call(self, metadata=None):
        return answered_by(client.grpc_call(self.s.port(), "rpc.example.com", ECHO_SERVICE,
                                            "Echo", metadata=metadata))

    def test_only_the_first_of_equivalent_header_names_counts(self):
        # GRPCHeaderMatch.name: of entries with equivalent (case-insensitive)
        # names only the first MUST be considered.
        self.assertEqual(self.call({"x-mode": "a"}), "mode")
        self.assertEqual(self.call({"x-mode": "b"}), "rest")
        self.assertEqual(self.call(), "rest")


class Precedence(unittest.TestCase):
    """GRPCRouteRule.Matches: among matching rules, the most characters in
    the service, then in the method, then the most header matches win;
    whether a match is Exact or a regex does not count."""
    SERVICE_REGEX = ECHO_SERVICE.replace(".", "[.]")  # longer than the service
    MANIFESTS = gateway("{name: h2c, protocol: HTTP, port: 80}") + """
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: kinds, namespace: rpc}
spec:
  parentRefs: [{name: gw}]
  hostnames: [kinds.example.com]
  rules:
    - matches: [{method: {method: Echo}}]
      backendRefs: [{name: method-only, port: 8080}]
    - matches: [{method: {service: %(s)s}}]
      backendRefs: [{name: service-only, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: lengths, namespace: rpc}
spec:
  parentRefs: [{name: gw}]
  hostnames: [lengths.example.com]
  rules:
    - matches: [{method: {service: %(s)s}}]
      backendRefs: [{name: service-only, port: 8080}]
    - matches:
        - method: {service: %(s)s, method: EchoTwo}
        - method: {service: %(s)s, method: Echo}
          headers: [{name: x-pick, value: exact}]
      backendRefs: [{name: exact, port: 8080}]
    - matches: [{method: {type: RegularExpression, service: "%(r)s", method: Echo}}]
      backendRefs: [{name: regex, port: 8080}]
""" % {"s": ECHO_SERVICE, "r": SERVICE_REGEX}

    @classmethod
    def setUpClass(cls):
        cls.s = Scenario(cls.MANIFESTS,
                         grpc_backends("method-only", "service-only", "exact", "regex"))
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def call(self, host, method, metadata=None):
        return answered_by(client.grpc_call(self.s.port(), host, ECHO_SERVICE, method,
                                            metadata=metadata))

    def test_service_characters_before_method_characters(self):
        # Both rules match; nginx alone would pick the method's regex
        # location, the spec picks the longer service.
        self.assertEqual(self.call("kinds.example.com", "Echo"), "service-only")

    def test_method_characters_after_an_equal_service(self):
        self.assertEqual(self.call("lengths.example.com", "EchoTwo"), "exact")

    def test_a_longer_service_regex_over_an_exact_service(self):
        # The regex spells the service with more characters than the exact
        # match does, and header matches count only after service and method.
        self.assertEqual(self.call("lengths.example.com", "Echo"), "regex")
        self.assertEqual(self.call("lengths.example.com", "Echo", {"x-pick": "exact"}), "regex")


def dated_route(kind, name, created, hostname, rule):
    return ("---\napiVersion: gateway.networking.k8s.io/v1\nkind: %s\n"
            "metadata: {name: %s, namespace: rpc, creationTimestamp: \"%sT00:00:00Z\"}\n"
            "spec:\n  parentRefs: [{name: gw}]\n  hostnames: [%s]\n  rules:\n%s"
            % (kind, name, created, hostname, rule))


GRPC_RULE = """    - matches: [{method: {service: %s}}]
      backendRefs: [{name: rpc, port: 8080}]
""" % ECHO_SERVICE
HTTP_RULE = """    - matches: [{path: {type: PathPrefix, value: /web}}]
      backendRefs: [{name: web, port: 8080}]
"""


class CrossServing(unittest.TestCase):
    """GRPCRoute spec.hostnames: an HTTPRoute and a GRPCRoute with
    intersecting hostnames on one listener: exactly one is accepted, the
    oldest, and only it is served."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cert = CertificateAuthority(cls.tmp.name).issue("wild", ["*.example.com"])
        listener = ('{name: https, protocol: HTTPS, port: 443, hostname: "*.example.com", '
                    'tls: {certificateRefs: [{name: wild}]}}')
        manifests = "".join([
            gateway(listener),
            dated_route("GRPCRoute", "rpc-old", "2024-01-01", "grpc.example.com", GRPC_RULE),
            dated_route("HTTPRoute", "web-new", "2024-02-01", "grpc.example.com", HTTP_RULE),
            dated_route("HTTPRoute", "web-old", "2024-01-01", "web.example.com", HTTP_RULE),
            dated_route("GRPCRoute", "rpc-new", "2024-02-01", '"*.web.example.com"', GRPC_RULE),
            dated_route("GRPCRoute", "rpc-alone", "2024-03-01", "alone.example.com", GRPC_RULE),
            dated_route("GRPCRoute", "rpc-wild", "2024-03-01", '"*.example.com"', GRPC_RULE),
            tls_secret("rpc", "wild", cert)])
        cls.s = Scenario(manifests, [Backend("rpc", "rpc", mode="grpc"), Backend("rpc", "web")],
                         listener_ports=(443,))
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)
        cls.tmp.cleanup()

    def grpc(self, host):
        return client.grpc_call(self.s.port(443), host, ECHO_SERVICE, "Echo", tls=True, sni=host)

    def http(self, host):
        return client.h2_request(self.s.port(443), host, "/web", scheme="https", sni=host)

    def test_older_grpcroute_keeps_the_hostname(self):
        self.assertEqual(answered_by(self.grpc("grpc.example.com")), "rpc")
        r = self.http("grpc.example.com")
        self.assertEqual(r.status, 404)
        self.assertIsNone(served_by(r))

    def test_older_httproute_keeps_the_hostname(self):
        self.assertEqual(served_by(self.http("web.example.com")), "web")
        # *.web.example.com does not hold web.example.com: no intersection.
        self.assertEqual(answered_by(self.grpc("a.web.example.com")), "rpc")
        self.assertEqual(self.http("a.web.example.com").status, 404)

    def test_routes_without_a_shared_hostname_are_both_served(self):
        self.assertEqual(answered_by(self.grpc("alone.example.com")), "rpc")

    def test_a_wildcard_over_an_older_hostname_is_rejected(self):
        # rpc-wild's *.example.com holds web-old's web.example.com.
        self.assertEqual(self.grpc("other.example.com").status, UNIMPLEMENTED)
        self.assertEqual(self.s.compile_stderr.count("[GW0506]"), 2)


if __name__ == "__main__":
    unittest.main()
