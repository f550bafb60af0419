"""End to end: HTTPRoute matching through gwc and real nginx.

Every test sends real requests to nginx on loopback and asserts on what the
echo backends report they received.
"""
import unittest

from scenario import Backend, Scenario, served_by

GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  gatewayClassName: nginx
  listeners:
    - name: http
      protocol: HTTP
      port: 80
"""


def route(name, body, hostnames=None, ns="shop"):
    hosts = "  hostnames: [%s]\n" % ", ".join(hostnames) if hostnames else ""
    return ("---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
            "metadata: {name: %s, namespace: %s}\nspec:\n  parentRefs: [{name: gw, namespace: shop}]\n%s%s"
            % (name, ns, hosts, body))


def backends(*names, ns="shop"):
    return [Backend(ns, n) for n in names]


class PathMatching(unittest.TestCase):
    MANIFESTS = GATEWAY + route("paths", """
  rules:
    - matches: [{path: {type: Exact, value: /exact}}]
      backendRefs: [{name: exact, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /foo}}]
      backendRefs: [{name: foo, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /foo/bar/}}]
      backendRefs: [{name: foobar, port: 8080}]
    - matches: [{path: {type: RegularExpression, value: "/img/[0-9]+\\\\.png"}}]
      backendRefs: [{name: regex, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /}}]
      backendRefs: [{name: root, port: 8080}]
""", ["paths.example.com"])

    @classmethod
    def setUpClass(cls):
        cls.s = Scenario(cls.MANIFESTS, backends("exact", "foo", "foobar", "regex", "root"))
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def expect(self, path, service, host="paths.example.com"):
        r = self.s.get(path, host)
        self.assertEqual(r.status, 200, "%s -> %d" % (path, r.status))
        self.assertEqual(served_by(r), service, path)
        self.assertEqual(r.echo["path"], path)
        return r

    def test_exact_matches_only_the_path(self):
        self.expect("/exact", "exact")
        self.expect("/exact/", "root")
        self.expect("/exactly", "root")

    def test_prefix_is_segment_wise(self):
        self.expect("/foo", "foo")
        self.expect("/foo/", "foo")
        self.expect("/foo/x", "foo")
        self.expect("/foobar", "root")

    def test_trailing_slash_in_prefix_is_ignored(self):
        self.expect("/foo/bar", "foobar")
        self.expect("/foo/bar/baz", "foobar")
        self.expect("/foo/barbaz", "foo")

    def test_regex_is_a_full_match_and_beats_prefixes(self):
        self.expect("/img/123.png", "regex")
        self.expect("/img/123.pngx", "root")
        self.expect("/img/abc.png", "root")

    def test_query_string_is_forwarded(self):
        self.expect("/foo/x?a=1&b=%20", "foo")


class ConditionMatching(unittest.TestCase):
    MANIFESTS = GATEWAY + route("conds", """
  rules:
    - matches:
        - path: {type: PathPrefix, value: /api}
          headers: [{name: X-Version, value: v2}]
      backendRefs: [{name: api-v2, port: 8080}]
    - matches:
        - path: {type: PathPrefix, value: /api}
          headers: [{type: RegularExpression, name: X-Tenant, value: "t-[0-9]+"}]
      backendRefs: [{name: tenant, port: 8080}]
    - matches:
        - path: {type: PathPrefix, value: /api}
          queryParams: [{name: animal, value: whale}]
      backendRefs: [{name: whale, port: 8080}]
    - matches:
        - path: {type: PathPrefix, value: /api}
          method: POST
      backendRefs: [{name: post, port: 8080}]
    - matches:
        - path: {type: PathPrefix, value: /mode}
          headers: [{name: X-Mode, value: a}, {name: x-mode, value: b}]
      backendRefs: [{name: mode, port: 8080}]
    - matches:
        - path: {type: PathPrefix, value: /rank}
          headers: [{name: X-Mode, value: a}, {name: X-MODE, value: a}]
      backendRefs: [{name: mode, port: 8080}]
    - matches:
        - path: {type: PathPrefix, value: /rank}
          headers: [{name: X-Mode, value: a}, {name: X-Extra, value: "1"}]
      backendRefs: [{name: api-v2, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /}}]
      backendRefs: [{name: root, port: 8080}]
""", ["conds.example.com"])

    @classmethod
    def setUpClass(cls):
        cls.s = Scenario(cls.MANIFESTS, backends("api-v2", "tenant", "whale", "post", "mode", "root"))
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def expect(self, path, service, method="GET", headers=None):
        r = self.s.request(path, "conds.example.com", method=method, headers=headers,
                           body=b"x" if method == "POST" else None)
        self.assertEqual(r.status, 200)
        self.assertEqual(served_by(r), service, (path, method, headers))

    def test_header_exact_value_is_case_sensitive_name_is_not(self):
        self.expect("/api/x", "api-v2", headers={"x-version": "v2"})
        self.expect("/api/x", "root", headers={"X-Version": "V2"})

    def test_only_the_first_of_equivalent_header_names_counts(self):
        # HTTPHeaderMatch.name: names are case-insensitive; of entries with
        # equivalent names only the first MUST be considered, the others
        # MUST be ignored.
        self.expect("/mode", "mode", headers={"X-Mode": "a"})
        self.expect("/mode", "mode", headers={"x-mode": "a"})
        self.expect("/mode", "root", headers={"X-Mode": "b"})
        self.expect("/mode", "root")

    def test_ignored_header_matches_do_not_rank(self):
        # Precedence counts header matches; an ignored entry is none, so the
        # later rule with two real header matches wins.
        self.expect("/rank", "api-v2", headers={"X-Mode": "a", "X-Extra": "1"})
        self.expect("/rank", "mode", headers={"X-Mode": "a"})

    def test_header_regex(self):
        self.expect("/api", "tenant", headers={"X-Tenant": "t-42"})
        self.expect("/api", "root", headers={"X-Tenant": "t-42x"})

    def test_query_param_name_is_case_sensitive_first_value_counts(self):
        self.expect("/api?animal=whale", "whale")
        self.expect("/api?ANIMAL=whale", "root")
        self.expect("/api?x=1&animal=whale&animal=dog", "whale")
        self.expect("/api?animal=dog&animal=whale", "root")

    def test_method(self):
        self.expect("/api/items", "post", method="POST")
        self.expect("/api/items", "root", method="PUT")

    def test_precedence_method_then_headers_then_query(self):
        # A method match outranks header matches, which outrank query
        # matches (docs/spec-notes.md, "Route precedence").
        self.expect("/api?animal=whale", "post", method="POST", headers={"X-Version": "v2"})
        self.expect("/api?animal=whale", "api-v2", headers={"X-Version": "v2"})

    def test_fallback_to_shorter_prefix_when_a_condition_fails(self):
        self.expect("/api/deep/path", "root", headers={"X-Version": "v9"})


class HostMatching(unittest.TestCase):
    MANIFESTS = GATEWAY + route("exact-host", """
  rules:
    - matches: [{path: {type: PathPrefix, value: /only-exact}}]
      backendRefs: [{name: exact-host, port: 8080}]
""", ["www.example.com"]) + route("wild-host", """
  rules:
    - matches: [{path: {type: PathPrefix, value: /}}]
      backendRefs: [{name: wild-host, port: 8080}]
""", ['"*.example.com"']) + route("any-host", """
  rules:
    - matches: [{path: {type: PathPrefix, value: /any}}]
      backendRefs: [{name: any-host, port: 8080}]
""")

    @classmethod
    def setUpClass(cls):
        cls.s = Scenario(cls.MANIFESTS, backends("exact-host", "wild-host", "any-host"))
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def expect(self, host, path, service):
        r = self.s.get(path, host)
        if service is None:
            self.assertEqual(r.status, 404, (host, path))
        else:
            self.assertEqual(r.status, 200, (host, path))
            self.assertEqual(served_by(r), service, (host, path))
            self.assertEqual(r.echo["host"], host)

    def test_exact_host(self):
        self.expect("www.example.com", "/only-exact/x", "exact-host")

    def test_exact_host_falls_through_to_wildcard_and_hostless_routes(self):
        self.expect("www.example.com", "/other", "wild-host")

    def test_wildcard_matches_any_depth_but_not_the_apex(self):
        self.expect("a.example.com", "/x", "wild-host")
        self.expect("a.b.example.com", "/x", "wild-host")
        self.expect("example.com", "/x", None)
        self.expect("example.com", "/any", "any-host")

    def test_host_with_port_matches(self):
        self.expect("www.example.com:8080", "/only-exact", "exact-host")

    def test_unknown_host_unmatched_path_is_404(self):
        self.expect("nowhere.test", "/x", None)
        self.expect("nowhere.test", "/any/x", "any-host")


class MixedRouteKinds(unittest.TestCase):
    """ListenerStatus.supportedKinds: when allowedRoutes.kinds mixes valid
    and invalid kinds, the valid ones stay supported; the listener still
    binds its port and serves the routes of those kinds."""
    MANIFESTS = GATEWAY + """      allowedRoutes:
        kinds: [{kind: InvalidRoute}, {kind: HTTPRoute}]
""" + route("kinds", """
  rules:
    - backendRefs: [{name: kinds, port: 8080}]
""")

    def test_the_port_serves_the_valid_kind(self):
        with Scenario(self.MANIFESTS, backends("kinds")) as s:
            self.assertIn("[GW0406]", s.compile_stderr)
            r = s.get("/x", "any.example.com")
            self.assertEqual(r.status, 200)
            self.assertEqual(served_by(r), "kinds")


class HandOff(unittest.TestCase):
    """Requests that a location hands on to a named location (a header
    condition, a weighted split, both) reach the backend as they came: the
    raw URI with its query, the method and the body; a mirror there gets
    its copy; and a retry there still answers 503 when every try failed to
    connect."""
    MANIFESTS = GATEWAY + route("handoff", """
  rules:
    - matches: [{path: {value: /cond}, headers: [{name: X-Go, value: "yes"}]}]
      backendRefs: [{name: cond, port: 8080}]
    - matches: [{path: {value: /split}}]
      backendRefs: [{name: left, port: 8080, weight: 1}, {name: right, port: 8080, weight: 1}]
    - matches: [{path: {value: /both}, headers: [{name: X-Go, value: "yes"}]}]
      backendRefs: [{name: left, port: 8080, weight: 1}, {name: right, port: 8080, weight: 1}]
    - matches: [{path: {value: /mirrored}, headers: [{name: X-Go, value: "yes"}]}]
      filters: [{type: RequestMirror, requestMirror: {backendRef: {name: mirror, port: 8080}}}]
      backendRefs: [{name: cond, port: 8080}]
    - matches: [{path: {value: /dead}, headers: [{name: X-Go, value: "yes"}]}]
      retry: {attempts: 2}
      backendRefs: [{name: dead, port: 1}]
---
apiVersion: v1
kind: Service
metadata: {name: dead, namespace: shop}
spec:
  clusterIP: 127.0.0.1
  ports: [{name: http, port: 1}]
""", ["handoff.example.com"])
    HOST = "handoff.example.com"

    @classmethod
    def setUpClass(cls):
        cls.s = Scenario(cls.MANIFESTS, backends("cond", "left", "right", "mirror"))
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def send(self, path, method="GET", body=None):
        return self.s.request(path, self.HOST, method=method, headers={"X-Go": "yes"},
                              body=body)

    def assert_as_sent(self, r, path, services):
        self.assertEqual(r.status, 200, "%s -> %d" % (path, r.status))
        self.assertIn(served_by(r), services)
        self.assertEqual(r.echo["path"], path)
        self.assertEqual(r.echo["method"], "POST")
        self.assertEqual(r.echo["headers"].get("Content-Length"), ["7"])

    def test_condition_keeps_uri_method_and_body(self):
        path = "/cond/a%2Fb/%41?q=%20&r"
        self.assert_as_sent(self.send(path, "POST", b"payload"), path, ["cond"])

    def test_split_keeps_uri_method_and_body(self):
        for _ in range(4):
            path = "/split/x%2Fy?z=1"
            self.assert_as_sent(self.send(path, "POST", b"payload"), path, ["left", "right"])

    def test_condition_then_split(self):
        path = "/both/%7E?k=v"
        self.assert_as_sent(self.send(path, "POST", b"payload"), path, ["left", "right"])
        self.assertEqual(self.s.get("/both/x", self.HOST).status, 404)

    def test_mirror_after_a_condition(self):
        mirror = self.s.backend("shop", "mirror")
        mirror.clear_log()
        r = self.send("/mirrored/a%2Fb?y=1")
        self.assertEqual(served_by(r), "cond")
        self.assertTrue(mirror.wait_for_log("Echoing back request made to /mirrored/a%2Fb?y=1",
                                            timeout=5))

    def test_retries_that_cannot_connect_answer_503(self):
        self.assertEqual(self.send("/dead/x").status, 503)


class TheSeedExample(unittest.TestCase):
    def test_seed_routes_giantswarm_io_to_myapp(self):
        import os
        seed = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "seed")
        parts = []
        for name in sorted(os.listdir(seed)):
            with open(os.path.join(seed, name)) as f:
                parts.append(f.read())
        text = "\n---\n".join(parts)
        with Scenario(text, [Backend("default", "myapp-svc", port=80, defined=True)]) as s:
            r = s.get("/anything", "giantswarm.io")
            self.assertEqual(r.status, 200)
            self.assertEqual(served_by(r), "myapp-svc")
            self.assertEqual(s.get("/", "other.io").status, 404)


if __name__ == "__main__":
    unittest.main()


class RetriesReachEveryEndpoint(unittest.TestCase):
    """A retry goes to an endpoint not yet tried while there is one: with
    two of a Service's three endpoints refusing connections and three
    retries (four tries, so the upstream holds copies of its servers),
    every request reaches the live endpoint.  The copies let a Service with
    fewer endpoints than tries be retried; they must not let a request
    spend its tries on the dead ones."""

    @staticmethod
    def manifests(s):
        port = s.echo[("shop", "mixed")].port
        return GATEWAY + route("retries", """
  rules:
    - retry: {attempts: 3}
      backendRefs: [{name: mixed, port: 8080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: mixed-refusing
  namespace: shop
  labels: {kubernetes.io/service-name: mixed}
addressType: IPv4
ports: [{name: http, port: %d}]
endpoints:
  - addresses: ["127.0.0.2"]
  - addresses: ["127.0.0.3"]
""" % port, ["retries.example.com"])

    def test_every_request_reaches_the_live_endpoint(self):
        with Scenario(self.manifests, backends("mixed")) as s:
            statuses = [s.get("/r%d" % i, "retries.example.com").status for i in range(60)]
            self.assertEqual(statuses.count(200), 60, statuses)
