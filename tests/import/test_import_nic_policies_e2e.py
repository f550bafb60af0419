"""End to end: F5 NGINX Ingress Controller Policy resources (k8s.nginx.org/v1
Policy) through `gwc import-ingress`, which writes gwc AccessPolicies and
ClientPolicies (docs/policies.md), the result through `gwc compile`, a real
nginx serving it, echo backends behind.

Every expectation is what NIC answers for the same Policy
(docs.nginx.com/nginx-ingress-controller/configuration/policy-resource/):
an allow list refuses other clients with 403, a deny list refuses its own;
a route's Policy of a type replaces the VirtualServer's; basic auth asks
with 401; a rate limit rejects with its rejectCode; a missing Policy and
access control gwc cannot express (jwt) answer 500.  The test client
connects from 127.0.0.1.
"""
import base64
import unittest

from estate import ImportedEstate, tls_secret_yaml
from test_import_policies_e2e import apr1, basic


def policy(name, body):
    return ("apiVersion: k8s.nginx.org/v1\nkind: Policy\n"
            "metadata: {name: %s, namespace: default}\nspec:\n%s" % (name, body))


ESTATE = """apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: shop, namespace: default}
spec:
  host: shop.example.com
  policies: [{name: loopback-only}]
  upstreams:
  - {name: web, service: web, port: 80}
  - {name: admin, service: admin, port: 80}
  routes:
  - path: /
    action: {pass: web}
  - path: /elsewhere
    policies: [{name: office-only}]
    action: {pass: web}
  - path: /blocked
    policies: [{name: no-loopback}]
    action: {pass: web}
  - path: /open
    policies: [{name: no-office}]
    action: {pass: web}
  - path: /admin
    policies: [{name: staff}]
    action: {pass: admin}
  - path: /limited
    policies: [{name: three-then-429}]
    action: {pass: web}
  - path: /token
    policies: [{name: jwt-check}]
    action: {pass: web}
  - path: /gone
    policies: [{name: no-such-policy}]
    action: {pass: web}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: intranet
  namespace: default
  annotations:
    nginx.org/policies: office-only
spec:
  ingressClassName: nginx
  rules:
  - host: intranet.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
---
""" + "---\n".join([
    policy("loopback-only", "  accessControl: {allow: [127.0.0.1]}\n"),
    policy("office-only", "  accessControl: {allow: [10.0.0.0/8]}\n"),
    policy("no-loopback", "  accessControl: {deny: [127.0.0.0/8]}\n"),
    policy("no-office", "  accessControl: {deny: [10.0.0.0/8]}\n"),
    policy("staff", "  basicAuth: {secret: staff-users, realm: Staff}\n"),
    policy("three-then-429",
           "  rateLimit: {rate: 1r/m, key: \"${binary_remote_addr}\", zoneSize: 10M,"
           " burst: 2, noDelay: true, rejectCode: 429}\n"),
    policy("jwt-check", "  jwt: {secret: jwk, realm: API}\n"),
])


class ImportedNicPolicies(ImportedEstate):
    SERVICES = ["web", "admin"]
    IMPORT_EXIT = 1  # jwt fails closed, a Policy is missing

    @classmethod
    def documents(cls, ca):
        users = base64.b64encode(("alice:%s\n" % apr1("secret")).encode()).decode()
        return [ESTATE,
                "apiVersion: v1\nkind: Secret\nmetadata: {name: staff-users, "
                "namespace: default}\ntype: nginx.org/htpasswd\n"
                "data:\n  htpasswd: %s\n" % users]

    def test_import_reports_and_check_accepts(self):
        self.assertIn("spec.jwt: access control not converted exactly", self.imported.stderr)
        self.assertIn("[GW0833]", self.imported.stderr)
        self.assertIn("converted to gwc policy ClientPolicy default/shop-client",
                      self.imported.stderr)

    # ---- accessControl ----

    def test_spec_allow_list_admits_the_listed_client(self):
        self.assertServed(self.get("shop.example.com", "/"), "web")

    def test_route_allow_list_replaces_the_spec_one(self):
        # /elsewhere: only 10.0.0.0/8, the spec's 127.0.0.1 no longer counts.
        self.assertEqual(self.get("shop.example.com", "/elsewhere").status, 403)

    def test_deny_list_refuses_its_clients(self):
        self.assertEqual(self.get("shop.example.com", "/blocked/x").status, 403)

    def test_deny_list_admits_the_others(self):
        self.assertServed(self.get("shop.example.com", "/open"), "web")

    def test_ingress_annotation_allow_list(self):
        self.assertEqual(self.get("intranet.example.com", "/").status, 403)

    # ---- basicAuth (with the spec's allow list, which admits us) ----

    def test_basic_auth(self):
        r = self.get("shop.example.com", "/admin")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.header("WWW-Authenticate"), 'Basic realm="Staff"')
        self.assertEqual(self.get("shop.example.com", "/admin",
                                  headers=basic("alice", "wrong")).status, 401)
        r = self.get("shop.example.com", "/admin", headers=basic("alice", "secret"))
        self.assertServed(r, "admin")
        # nginx passes the credentials on, as NIC's does.
        self.assertIn("Authorization", r.echo["headers"])

    # ---- rateLimit ----

    def test_rate_limit_with_burst_and_reject_code(self):
        codes = [self.get("shop.example.com", "/limited").status for _ in range(5)]
        self.assertEqual(codes, [200, 200, 200, 429, 429])

    # ---- fail closed ----

    def test_jwt_route_is_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/token").status, 500)

    def test_missing_policy_answers_500(self):
        self.assertEqual(self.get("shop.example.com", "/gone").status, 500)


HSTS_ESTATE = """apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: secure, namespace: default}
spec:
  host: secure.example.com
  tls: {secret: secure-tls}
  policies: [{name: hsts}]
  upstreams: [{name: web, service: web, port: 80}]
  routes:
  - path: /
    action: {pass: web}
---
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  namespace: default
  annotations:
    nginx.org/hsts: "true"
    nginx.org/hsts-max-age: "63072000"
    nginx.org/hsts-include-subdomains: "true"
spec:
  ingressClassName: nginx
  tls:
  - {hosts: [legacy.example.com], secretName: legacy-tls}
  rules:
  - host: legacy.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
""" + policy("hsts", "  hsts: {maxAge: 31536000, includeSubDomains: true, preload: true}\n")


class ImportedNicHsts(ImportedEstate):
    """An HSTS Policy: NIC sets Strict-Transport-Security on the HTTPS
    responses only (`if ($https = on)`), replacing the backend's."""
    SERVICES = ["web"]

    @classmethod
    def documents(cls, ca):
        pair = ca.issue("secure", dns_names=["secure.example.com"])
        legacy = ca.issue("legacy", dns_names=["legacy.example.com"])
        return [HSTS_ESTATE, tls_secret_yaml("secure-tls", pair),
                tls_secret_yaml("legacy-tls", legacy)]

    def test_hsts_on_https_only(self):
        r = self.get_tls("secure.example.com", "/",
                         headers={"X-Echo-Set-Header": "Strict-Transport-Security: max-age=1"})
        self.assertServed(r, "web", "/")
        self.assertEqual(r.header("Strict-Transport-Security"),
                         "max-age=31536000; includeSubDomains; preload")
        self.assertEqual(len([v for k, v in r.headers
                              if k.lower() == "strict-transport-security"]), 1)
        self.assertIsNone(self.get("secure.example.com", "/").header(
            "Strict-Transport-Security"))

    def test_hsts_annotations_of_an_ingress(self):
        # nginx.org/hsts with a two-year max-age and includeSubDomains:
        # NIC's Ingress template adds preload.
        r = self.get_tls("legacy.example.com", "/")
        self.assertServed(r, "web", "/")
        self.assertEqual(r.header("Strict-Transport-Security"),
                         "max-age=63072000; includeSubDomains; preload")


def ingress(name, host, annotations, paths):
    return ("apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
            "metadata:\n  name: %s\n  namespace: default\n  annotations:\n%s"
            "spec:\n  ingressClassName: nginx\n  rules:\n  - host: %s\n%s"
            % (name, "".join("    nginx.org/%s: \"%s\"\n" % kv for kv in annotations),
               host,
               "    http:\n      paths:\n" + "".join(
                   "      - {path: %s, pathType: Prefix, backend: {service: "
                   "{name: web, port: {number: 80}}}}\n" % p for p in paths)
               if paths else ""))


LIMIT_REQ_ESTATE = "---\n".join([
    # One zone per Ingress: its two paths count together.
    ingress("counted", "counted.example.com",
            [("limit-req-rate", "1r/m"), ("limit-req-burst", "2"),
             ("limit-req-no-delay", "true")], ["/a", "/b"]),
    # Counted by URI in NIC: gwc cannot, the import says so and exits 1.
    ingress("by-uri", "uri.example.com",
            [("limit-req-rate", "1r/m"), ("limit-req-key", "${request_uri}")], ["/"]),
    # A master's annotations reach each minion, which counts apart; a
    # minion's own annotation replaces the master's.
    ingress("master", "merged.example.com",
            [("mergeable-ingress-type", "master"), ("limit-req-rate", "1r/m"),
             ("limit-req-burst", "1"), ("limit-req-no-delay", "true"),
             ("limit-req-reject-code", "503")], []),
    ingress("minion-a", "merged.example.com",
            [("mergeable-ingress-type", "minion")], ["/a"]),
    ingress("minion-b", "merged.example.com",
            [("mergeable-ingress-type", "minion"), ("limit-req-burst", "0")], ["/b"]),
])


class ImportedNicLimitReq(ImportedEstate):
    """NIC's nginx.org/limit-req-* Ingress annotations: one limit_req_zone
    per Ingress keyed by the client address (its default key), nodelay
    with limit-req-no-delay, 429 unless limit-req-reject-code says
    otherwise; minions inherit the master's annotations."""
    SERVICES = ["web"]
    IMPORT_EXIT = 1  # the limit keyed by ${request_uri} (GW0860)

    @classmethod
    def documents(cls, ca):
        return [LIMIT_REQ_ESTATE]

    def test_import_reports_and_check_accepts(self):
        self.assertIn('["nginx.org/limit-req-key"]: rate limit not converted',
                      self.imported.stderr)
        self.assertIn("[GW0860]", self.imported.stderr)

    def test_paths_of_one_ingress_count_together(self):
        codes = [self.get("counted.example.com", p).status
                 for p in ["/a", "/b", "/a", "/b", "/a"]]
        self.assertEqual(codes, [200, 200, 200, 429, 429])

    def test_minions_inherit_and_count_apart(self):
        a = [self.get("merged.example.com", "/a").status for _ in range(3)]
        b = [self.get("merged.example.com", "/b").status for _ in range(2)]
        self.assertEqual(a, [200, 200, 503])
        self.assertEqual(b, [200, 503])

    def test_unconvertible_key_is_written_without_the_limit(self):
        codes = [self.get("uri.example.com", "/").status for _ in range(3)]
        self.assertEqual(codes, [200, 200, 200])


if __name__ == "__main__":
    unittest.main()
