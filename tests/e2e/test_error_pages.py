"""End to end: ClientPolicy errorResponses with a backendRef through real nginx.

An error page server runs in this process on a free loopback port, as the
endpoint of Service errors/error-pages (another namespace, granted).  It
answers 200 with a page naming the code and records what it received, so
the tests see both what the client got (the original status, the Service's
page) and the headers of ingress-nginx's default-backend contract.
"""
import base64
import http.server
import threading
import unittest

from gwtest.nginx import free_ports
from scenario import Backend, Scenario, served_by
from test_policies import apr1

HOST = "shop.example.com"


class ErrorPageHandler(http.server.BaseHTTPRequestHandler):
    """A custom-error-pages server: 200 and a page for the code it is told."""
    seen = []

    def answer(self, body):
        ErrorPageHandler.seen.append({"method": self.command, "path": self.path,
                                      "headers": dict(self.headers.items()),
                                      "body": body})
        page = ("<h1>custom %s page</h1>" % self.headers.get("X-Code", "?")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(page)

    def do_GET(self):
        self.answer(b"")

    do_HEAD = do_GET

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.answer(self.rfile.read(n) if n else b"")

    def log_message(self, *args):
        pass


def manifests(pages_port):
    def render(_scenario):
        return """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  gatewayClassName: nginx
  listeners:
    - {name: http, protocol: HTTP, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  hostnames: [shop.example.com]
  rules:
    - name: status
      matches: [{path: {value: /status}}]
      backendRefs: [{name: web, port: 8080}]
    - name: limited
      matches: [{path: {value: /limited}}]
      backendRefs: [{name: web, port: 8080}]
    - name: private
      matches: [{path: {value: /private}}]
      backendRefs: [{name: web, port: 8080}]
    - name: upload
      matches: [{path: {value: /upload}}]
      backendRefs: [{name: web, port: 8080}]
    - name: empty
      matches: [{path: {value: /empty}}]
---
apiVersion: gwc.dev/v1alpha1
kind: ClientPolicy
metadata: {name: empty, namespace: shop}
spec:
  targetRefs:
    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: shop, sectionName: empty}
  errorResponses:
    - statusCodes: [500]
      backendRef: {name: error-pages, namespace: errors, port: 80}
---
apiVersion: gwc.dev/v1alpha1
kind: ClientPolicy
metadata: {name: private, namespace: shop}
spec:
  targetRefs:
    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: shop, sectionName: private}
  errorResponses:
    - statusCodes: [401, 403]
      backendRef: {name: error-pages, namespace: errors, port: 80}
---
apiVersion: gwc.dev/v1alpha1
kind: AccessPolicy
metadata: {name: private, namespace: shop}
spec:
  targetRefs:
    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: shop, sectionName: private}
  basicAuth: {secretRef: {name: htpasswd}, realm: Shop}
---
apiVersion: v1
kind: Secret
metadata: {name: htpasswd, namespace: shop}
stringData:
  auth: |
    alice:%s
---
apiVersion: gwc.dev/v1alpha1
kind: ClientPolicy
metadata: {name: upload, namespace: shop}
spec:
  targetRefs:
    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: shop, sectionName: upload}
  requestBody: {maxSize: 1Ki}
  errorResponses:
    - statusCodes: [413]
      backendRef: {name: error-pages, namespace: errors, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: legacy, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  hostnames: [legacy.example.com]
  rules:
    - backendRefs: [{name: web, port: 8080}]
---
apiVersion: gwc.dev/v1alpha1
kind: ClientPolicy
metadata: {name: pages, namespace: shop}
spec:
  targetRefs:
    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: shop, sectionName: status}
  errorResponses:
    - statusCodes: [404, 503]
      backendRef: {name: error-pages, namespace: errors, port: 80}
---
apiVersion: gwc.dev/v1alpha1
kind: ClientPolicy
metadata: {name: limited, namespace: shop}
spec:
  targetRefs:
    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: shop, sectionName: limited}
  requestLimits:
    rate: [{requests: 1, per: Minute, burst: 1}]
    rejectStatusCode: 429
  errorResponses:
    - statusCodes: [429]
      backendRef: {name: error-pages, namespace: errors, port: 80}
---
apiVersion: gwc.dev/v1alpha1
kind: ClientPolicy
metadata: {name: legacy, namespace: shop}
spec:
  targetRefs:
    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: legacy}
  errorResponses:
    - statusCodes: [502]
      backendRef: {name: stopped, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: shop-pages, namespace: errors}
spec:
  from: [{group: gwc.dev, kind: ClientPolicy, namespace: shop}]
  to: [{group: "", kind: Service, name: error-pages}]
---
apiVersion: v1
kind: Service
metadata: {name: error-pages, namespace: errors}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: error-pages-e2e, namespace: errors, labels: {kubernetes.io/service-name: error-pages}}
addressType: IPv4
ports: [{name: http, port: %d}]
endpoints: [{addresses: ["127.0.0.1"]}]
---
apiVersion: v1
kind: Service
metadata: {name: stopped, namespace: shop}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: stopped-e2e, namespace: shop, labels: {kubernetes.io/service-name: stopped}}
addressType: IPv4
ports: [{name: http, port: %d}]
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: false}}]
""" % (apr1("secret"), pages_port, pages_port)
    return render


class ErrorPages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pages = http.server.ThreadingHTTPServer(("127.0.0.1", free_ports(1)[0]),
                                                    ErrorPageHandler)
        cls.pages_thread = threading.Thread(target=cls.pages.serve_forever, daemon=True)
        cls.pages_thread.start()
        cls.s = Scenario(manifests(cls.pages.server_port), [Backend("shop", "web")])
        try:
            cls.s.__enter__()
        except BaseException:
            cls.pages.shutdown()
            cls.pages.server_close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)
        cls.pages.shutdown()
        cls.pages.server_close()

    def setUp(self):
        ErrorPageHandler.seen.clear()

    def test_a_backend_error_is_replaced_by_the_services_page(self):
        for code in (404, 503):
            r = self.s.get("/status/%d" % code, HOST,
                           headers={"Accept": "application/json"})
            self.assertEqual(r.status, code)  # the status is kept, the page is the Service's
            self.assertEqual(r.body, b"<h1>custom %d page</h1>" % code)
            self.assertEqual(r.header("Content-Type"), "text/html")
            got = ErrorPageHandler.seen[-1]
            self.assertEqual((got["method"], got["path"]), ("GET", "/"))
            h = got["headers"]
            self.assertEqual(h["X-Code"], str(code))
            self.assertEqual(h["X-Format"], "application/json")
            self.assertEqual(h["X-Original-URI"], "/status/%d" % code)
            self.assertEqual(h["X-Namespace"], "shop")
            self.assertEqual(h["X-Route-Name"], "shop")
            self.assertEqual(h["X-Service-Name"], "web")
            self.assertEqual(h["X-Service-Port"], "8080")
            self.assertEqual(h["Host"], HOST)
            self.assertRegex(h["X-Request-ID"], "^[0-9a-f]{32}$")
        self.assertEqual(len(ErrorPageHandler.seen), 2)

    def test_codes_not_listed_pass_unchanged(self):
        r = self.s.get("/status/500", HOST)
        self.assertEqual(r.status, 500)
        self.assertNotIn(b"custom", r.body)
        r = self.s.get("/status/404", "legacy.example.com")  # its policy lists 502 only
        self.assertEqual(r.status, 404)
        self.assertNotIn(b"custom", r.body)
        r = self.s.get("/page?q=1", "legacy.example.com")
        self.assertEqual((r.status, served_by(r)), (200, "web"))
        self.assertEqual(ErrorPageHandler.seen, [])

    def test_the_clients_request_id_and_no_body(self):
        r = self.s.request("/status/503", HOST, "POST", body=b"secret=1",
                           headers={"X-Request-ID": "abc-123"})
        self.assertEqual((r.status, r.body), (503, b"<h1>custom 503 page</h1>"))
        got = ErrorPageHandler.seen[-1]
        self.assertEqual(got["method"], "POST")
        self.assertEqual(got["headers"]["X-Request-ID"], "abc-123")
        self.assertEqual(got["body"], b"")
        self.assertNotIn("Content-Length", got["headers"])

    def test_nginxs_own_status_is_replaced_too(self):
        statuses = [self.s.get("/limited", HOST) for _ in range(3)]
        self.assertEqual([r.status for r in statuses], [200, 200, 429])
        self.assertEqual(statuses[-1].body, b"<h1>custom 429 page</h1>")
        h = ErrorPageHandler.seen[-1]["headers"]
        self.assertEqual((h["X-Code"], h["X-Original-URI"]), ("429", "/limited"))

    def test_a_401_keeps_its_challenge(self):
        r = self.s.get("/private", HOST)
        self.assertEqual((r.status, r.body), (401, b"<h1>custom 401 page</h1>"))
        self.assertEqual(r.header("WWW-Authenticate"), 'Basic realm="Shop"')
        good = "Basic " + base64.b64encode(b"alice:secret").decode()
        r = self.s.get("/private", HOST, headers={"Authorization": good})
        self.assertEqual((r.status, served_by(r)), (200, "web"))
        # The credentials never reach the error page Service either.
        bad = "Basic " + base64.b64encode(b"alice:wrong").decode()
        r = self.s.get("/private", HOST, headers={"Authorization": bad})
        self.assertEqual(r.status, 401)
        self.assertEqual(ErrorPageHandler.seen[-1]["headers"]["X-Code"], "401")
        self.assertNotIn("Authorization", ErrorPageHandler.seen[-1]["headers"])

    def test_a_body_over_the_limit(self):
        r = self.s.request("/upload", HOST, "POST", body=b"x" * 4096)
        self.assertEqual((r.status, r.body), (413, b"<h1>custom 413 page</h1>"))
        got = ErrorPageHandler.seen[-1]
        self.assertEqual((got["method"], got["body"]), ("POST", b""))
        r = self.s.request("/upload", HOST, "POST", body=b"x" * 4096, chunked=True)
        self.assertEqual((r.status, r.body), (413, b"<h1>custom 413 page</h1>"))
        self.assertEqual(self.s.request("/upload", HOST, "POST", body=b"x" * 512).status, 200)

    def test_a_rule_without_backends_gets_the_page_for_its_500(self):
        r = self.s.get("/empty", HOST)
        self.assertEqual((r.status, r.body), (500, b"<h1>custom 500 page</h1>"))
        h = ErrorPageHandler.seen[-1]["headers"]
        self.assertEqual(h["X-Code"], "500")
        self.assertNotIn("X-Route-Name", h)  # no backend served it: nginx sends no empty header

    def test_a_service_without_endpoints_leaves_nginxs_page(self):
        self.assertIn("Service 'shop/stopped' has no ready endpoints", self.s.compile_stderr)
        self.assertIn("[GW0845]", self.s.compile_stderr)
        r = self.s.get("/status/502", "legacy.example.com")
        self.assertEqual(r.status, 502)
        self.assertIn(b"502 Bad Gateway", r.body)
        self.assertEqual(ErrorPageHandler.seen, [])


if __name__ == "__main__":
    unittest.main()
