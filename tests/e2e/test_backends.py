"""End to end: backends, weights and failure answers through real nginx."""
import collections
import re
import unittest

from gwtest import client
from scenario import Backend, Scenario, served_by
from test_routing import GATEWAY, backends, route

HOST = "b.example.com"


class Backends(unittest.TestCase):
    MANIFESTS = GATEWAY + route("backends", """
  rules:
    - matches: [{path: {type: PathPrefix, value: /weighted}}]
      backendRefs:
        - {name: w70, port: 8080, weight: 70}
        - {name: w30, port: 8080, weight: 30}
        - {name: w0, port: 8080, weight: 0}
    - matches: [{path: {type: PathPrefix, value: /half-broken}}]
      backendRefs:
        - {name: w70, port: 8080}
        - {name: missing, port: 8080}
    - matches: [{path: {type: PathPrefix, value: /all-zero}}]
      backendRefs:
        - {name: w70, port: 8080, weight: 0}
    - matches: [{path: {type: PathPrefix, value: /none}}]
    - matches: [{path: {type: PathPrefix, value: /no-endpoints}}]
      backendRefs: [{name: down, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /ws}}]
      backendRefs: [{name: ws, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /h2c}}]
      filters:
        - type: RequestHeaderModifier
          requestHeaderModifier: {set: [{name: X-Via, value: h2c}]}
      backendRefs: [{name: h2, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /mixed}}]
      filters:
        - type: URLRewrite
          urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /m}}
      backendRefs:
        - {name: h2, port: 8080}
        - {name: w30, port: 8080}
    - matches: [{path: {type: PathPrefix, value: /}}]
      backendRefs: [{name: w70, port: 8080}]
""", [HOST])

    @classmethod
    def setUpClass(cls):
        cls.s = Scenario(cls.MANIFESTS, backends("w70", "w30", "w0") + [
            Backend("shop", "down", ready=False),
            Backend("shop", "ws", app_protocol="kubernetes.io/ws"),
            Backend("shop", "h2", mode="h2c", app_protocol="kubernetes.io/h2c")],
            extra_args=["--strict-refs"])
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def test_weights_within_five_percent_over_1000_requests(self):
        counts = collections.Counter()
        with client.HTTPConnection(self.s.port()) as c:
            for _ in range(1000):
                counts[served_by(c.request("/weighted", HOST))] += 1
        self.assertEqual(counts["w0"], 0)
        self.assertLess(abs(counts["w70"] - 700), 50, counts)
        self.assertLess(abs(counts["w30"] - 300), 50, counts)

    def test_an_invalid_backend_keeps_its_share_as_500(self):
        counts = collections.Counter()
        with client.HTTPConnection(self.s.port()) as c:
            for _ in range(400):
                r = c.request("/half-broken", HOST)
                counts[r.status if r.status != 200 else served_by(r)] += 1
        self.assertEqual(set(counts), {"w70", 500})
        self.assertLess(abs(counts[500] - 200), 40, counts)

    def test_all_zero_weights_and_no_backends_answer_500(self):
        self.assertEqual(self.s.get("/all-zero", HOST).status, 500)
        self.assertEqual(self.s.get("/none", HOST).status, 500)

    def test_a_service_without_ready_endpoints_answers_503(self):
        self.assertEqual(self.s.get("/no-endpoints", HOST).status, 503)

    def test_forwarded_headers_and_host(self):
        r = self.s.get("/x", HOST + ":1234")
        h = r.echo["headers"]
        self.assertEqual(r.echo["host"], HOST + ":1234")
        self.assertEqual(h["X-Forwarded-For"], ["127.0.0.1"])
        self.assertEqual(h["X-Forwarded-Proto"], ["http"])
        self.assertEqual(h["X-Forwarded-Host"], [HOST])
        self.assertEqual(h["X-Real-Ip"], ["127.0.0.1"])

    def test_upstream_connections_are_kept_alive(self):
        backend = self.s.backend("shop", "w70")
        backend.clear_log()
        with client.HTTPConnection(self.s.port()) as c:
            for _ in range(20):
                self.assertEqual(c.request("/x", HOST).status, 200)
        peers = {line.rsplit("(", 1)[1] for line in backend.log() if "to client (" in line}
        self.assertEqual(len(backend.log()), 20)
        self.assertLessEqual(len(peers), 2, peers)  # nginx reused its connection

    def test_websocket_upgrade(self):
        replies = client.websocket_echo(self.s.port(), HOST, "/ws", ["hello", b"\x00bin"],
                                        origin="http://" + HOST)
        self.assertEqual(replies, ["hello", b"\x00bin"])

    def test_h2c_backend_gets_http2_from_an_http1_client(self):
        r = self.s.get("/h2c/a%20b?x=1&y=2", HOST)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.echo["proto"], "HTTP/2.0")
        self.assertEqual(r.echo["path"], "/h2c/a%20b?x=1&y=2")
        self.assertEqual(r.echo["host"], HOST)
        h = r.echo["headers"]
        self.assertEqual(h["X-Via"], ["h2c"])
        self.assertEqual(h["X-Forwarded-For"], ["127.0.0.1"])
        post = self.s.request("/h2c/post", HOST, method="POST", body=b"payload")
        self.assertEqual((post.status, post.echo["method"]), (200, "POST"))

    def test_h2c_and_http1_backends_split_one_rule(self):
        seen = collections.Counter()
        with client.HTTPConnection(self.s.port()) as c:
            for _ in range(60):
                r = c.request("/mixed/z?q=1", HOST)
                self.assertEqual(r.status, 200)
                self.assertEqual(r.echo["path"], "/m/z?q=1")
                seen[(served_by(r), r.echo["proto"])] += 1
        self.assertEqual(set(seen), {("h2", "HTTP/2.0"), ("w30", "HTTP/1.1")}, seen)


class IndependentSplits(unittest.TestCase):
    """Each split a request meets chooses on its own: a rule's weighted
    split and its two sampled mirrors (nginx-recipes.md, "Weighted splits").
    With one shared hash they would nest: the 25% mirror sample would lie
    inside the 33% one, and it would be exactly the requests sent to the
    25% backend."""
    MANIFESTS = GATEWAY + route("independent", """
  rules:
    - matches: [{path: {type: PathPrefix, value: /sample}}]
      filters:
        - type: RequestMirror
          requestMirror: {backendRef: {name: quarter, port: 8080}, percent: 25}
        - type: RequestMirror
          requestMirror: {backendRef: {name: third, port: 8080}, percent: 33}
      backendRefs:
        - {name: w25, port: 8080, weight: 25}
        - {name: w75, port: 8080, weight: 75}
""", [HOST])
    N = 400

    def test_mirror_samples_and_the_weighted_split_are_independent(self):
        with Scenario(self.MANIFESTS, backends("w25", "w75", "quarter", "third")) as s:
            served = {}
            with client.HTTPConnection(s.port()) as c:
                for i in range(self.N):
                    served[i] = served_by(c.request("/sample/%d" % i, HOST))
                # nginx reads the next request of a keep-alive connection
                # only once the previous one is finalized, mirror
                # subrequests included: after this answer every mirror
                # copy of the N requests has been answered, so logged.
                c.request("/sample/barrier", HOST)
            quarter = mirrored(s.backend("shop", "quarter"))
            third = mirrored(s.backend("shop", "third"))
        self.assertEqual(set(served.values()), {"w25", "w75"})
        to_w75 = {i for i, name in served.items() if name == "w75"}
        # Independent choices: each request is in the 25% sample but not the
        # 33% one with p = 0.25 * 0.67, in the 33% sample but not the 25% one
        # with p = 0.33 * 0.75, and mirrored at 25% yet sent to w75 with
        # p = 0.25 * 0.75.  The chance that any of the three sets is empty
        # over 400 requests is at most 0.8325**400 + 0.7525**400 +
        # 0.8125**400 < 1.5e-32: this test fails only when the splits are
        # correlated (with one shared hash all three are always empty).
        self.assertTrue(quarter - third, "the 25% sample lies inside the 33% one")
        self.assertTrue(third - quarter, "the 33% sample lies inside the 25% one")
        self.assertTrue(quarter & to_w75, "the 25% sample follows the 25% backend")


def mirrored(backend):
    """The request numbers a mirror backend received (/sample/<n>)."""
    out = set()
    for line in backend.log():
        m = re.search(r"request made to /sample/(\d+) ", line)
        if m:
            out.add(int(m.group(1)))
    return out


if __name__ == "__main__":
    unittest.main()
