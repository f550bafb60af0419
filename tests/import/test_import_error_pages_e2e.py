"""End to end: ingress-nginx custom-http-errors with default-backend through
`gwc import-ingress` (a ClientPolicy errorResponses with a backendRef,
docs/policies.md), `gwc compile` and a real nginx, echo backends behind.

The default-backend Service is an echo server too, so what it answers is
what it received: the request ingress-nginx's default-backend contract
describes (GET /, X-Code, X-Original-URI, X-Namespace, X-Service-Name,
...).  As in ingress-nginx, a listed code from the backend is replaced by
that Service's page; the status stays the original one (gwc's contract;
ingress-nginx passes the Service's, the same for error page servers that
answer X-Code).  Without default-backend (the controller's own default
backend, not in the inputs) nothing is converted: the backend's answer
reaches the client, and the report says so.
"""
import unittest

from estate import ImportedEstate
from test_import_e2e import ingress


class ImportedErrorPages(ImportedEstate):
    SERVICES = ["web", "errors"]
    IMPORT_EXIT = 1  # default-backend's fallback use is not converted (GW0801)

    @classmethod
    def documents(cls, ca):
        return [
            ingress("pages", "pages.example.com", [("/", "Prefix", "web")],
                    [("custom-http-errors", "404,503"), ("default-backend", "errors")]),
            ingress("plain", "plain.example.com", [("/", "Prefix", "web")],
                    [("custom-http-errors", "404")]),
        ]

    def test_the_report(self):
        err = self.imported.stderr
        self.assertIn("converted to gwc policy ClientPolicy/pages-client "
                      "(spec.errorResponses, rendered by Service default/errors port 80",
                      err)
        self.assertIn("the controller's default backend (--default-backend-service, "
                      "not in the input)", err)
        self.assertNotIn("error:", self.checked.stderr)

    def test_a_listed_code_is_rendered_by_the_default_backend(self):
        for code in (404, 503):
            r = self.get("pages.example.com", "/status/%d" % code,
                          headers={"Accept": "text/html"})
            self.assertEqual(r.status, code)
            self.assertEqual(r.echo["service"], "errors")
            self.assertEqual((r.echo["method"], r.echo["path"]), ("GET", "/"))
            h = r.echo["headers"]
            self.assertEqual(h["X-Code"], [str(code)])
            self.assertEqual(h["X-Format"], ["text/html"])
            self.assertEqual(h["X-Original-Uri"], ["/status/%d" % code])
            self.assertEqual(h["X-Namespace"], ["default"])
            self.assertEqual(h["X-Route-Name"], ["pages.example.com"])
            self.assertEqual(h["X-Service-Name"], ["web"])
            self.assertEqual(h["X-Service-Port"], ["80"])
            self.assertEqual(len(h["X-Request-Id"][0]), 32)

    def test_other_codes_and_successes_pass(self):
        r = self.get("pages.example.com", "/status/500")
        self.assertEqual(r.status, 500)
        self.assertIsNone(r.echo)  # the backend's own answer (no echo), not the page
        self.assertServed(self.get("pages.example.com", "/a"), "web", "/a")

    def test_without_default_backend_nothing_is_replaced(self):
        r = self.get("plain.example.com", "/status/404")
        self.assertEqual(r.status, 404)
        self.assertIsNone(r.echo)  # the backend's own answer, no default backend's


if __name__ == "__main__":
    unittest.main()
