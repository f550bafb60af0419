"""End to end: GRPCRoute matching through gwc and real nginx, over h2c to
gRPC echo backends that say which Service answered."""
import unittest

from gwtest import client
from gwtest._grpc import ECHO_SERVICE, OK
from scenario import Backend, Scenario

GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: rpc}
spec:
  gatewayClassName: nginx
  listeners:
    - {name: h2c, protocol: HTTP, port: 80}
"""


def grpc_backends(*names, ns="rpc"):
    return [Backend(ns, n, mode="grpc") for n in names]


def answered_by(result):
    """The Service whose echo answered an OK call, else None."""
    if result.status != OK:
        return None
    return result.response["assertions"]["context"]["service_name"]


class HeaderMatching(unittest.TestCase):
    MANIFESTS = GATEWAY + """
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


if __name__ == "__main__":
    unittest.main()
