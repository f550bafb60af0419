"""End to end: client certificates (mTLS) of the source controllers through
`gwc import-ingress`, the result through `gwc compile`, a real nginx
serving it, echo backends behind.  Certificates are openssl-made in a
temporary directory: one CA whose ca.crt the auth-tls-secret Secret holds,
a client certificate it issued, and one from another CA.

Two ingress-nginx estates, then the same conversion from Contour's
tls.clientValidation, NIC's ingressMTLS Policy and Traefik's TLSOption
clientAuth (and, for Traefik, one host asking beside one that does not):
  - every HTTPS host on :443 asks for a certificate from the same CA: the
    Gateway validates port 443.  No certificate, or one of another CA, gets
    no answer (the connection is closed), also when the request's SNI is
    absent or names another host than its Host header; a valid one is
    served, without the ssl-client-* headers a client might forge;
  - one host asks and another on :443 does not: Gateway API validates per
    port, so the host that asked answers 403 (fail closed, import exits 1)
    and the other is served without a certificate, as its source did.
Last, NIC's egressMTLS as a BackendTLSPolicy towards TLS upstreams.
"""
import base64
import os
import ssl
import unittest

from gwtest import client
from gwtest.certs import CertificateAuthority

from estate import ImportedEstate, tls_secret_yaml
from test_import_e2e import ingress

REFUSED = (ConnectionError, OSError, ssl.SSLError)


def ca_secret_yaml(name, ca, secret_type="Opaque"):
    with open(ca.cert, "rb") as f:
        crt = base64.b64encode(f.read()).decode()
    return ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: default\n"
            "type: %s\ndata:\n  ca.crt: %s\n" % (name, secret_type, crt))


class ClientCertEstate(ImportedEstate):
    @classmethod
    def certificates(cls, ca):
        cls.client_cert = ca.issue("client", client=True)
        cls.other_ca = CertificateAuthority(os.path.join(cls.dir, "other-ca"), "other CA")
        cls.stranger = cls.other_ca.issue("stranger", client=True)

    def request(self, host, sni, cert=None, headers=None):
        return client.http_request(self.https, host, "/", scheme="https", sni=sni,
                                   headers=headers,
                                   client_cert=(cert.cert, cert.key) if cert else None)

    def assertRefused(self, host, sni, cert=None):
        try:
            r = self.request(host, sni, cert)
        except REFUSED:
            return
        self.fail("%s (SNI %s) answered %d" % (host, sni, r.status))


class AllHostsAsk(ClientCertEstate):
    SERVICES = ["admin", "reports", "api"]
    IMPORT_EXIT = 1  # auth-tls-pass-certificate-to-upstream is not converted

    @classmethod
    def documents(cls, ca):
        cls.certificates(ca)
        return [
            ingress("admin", "admin.example.com", [("/", "Prefix", "admin")],
                    [("auth-tls-secret", "default/client-ca"),
                     ("auth-tls-verify-client", "on"),
                     ("auth-tls-pass-certificate-to-upstream", "true")],
                    tls_secret="admin-cert"),
            # No annotation: ingress-nginx still asks, for all of the host.
            ingress("admin-reports", "admin.example.com",
                    [("/reports", "Prefix", "reports")]),
            ingress("api", "api.example.com", [("/", "Prefix", "api")],
                    [("auth-tls-secret", "client-ca")], tls_secret="api-cert"),
            tls_secret_yaml("admin-cert", ca.issue("admin", ["admin.example.com"])),
            tls_secret_yaml("api-cert", ca.issue("api", ["api.example.com"])),
            ca_secret_yaml("client-ca", ca),
        ]

    def test_import_validates_port_443(self):
        self.assertIn("converted to the frontend validation of port 443", self.imported.stderr)
        with open(os.path.join(self.dir, "gateway.yaml")) as f:
            self.assertIn("mode: AllowValidOnly", f.read())

    def test_valid_certificate_is_served(self):
        for host, service in (("admin.example.com", "admin"), ("api.example.com", "api")):
            self.assertServed(self.request(host, host, self.client_cert), service)
        r = client.http_request(self.https, "admin.example.com", "/reports/x", scheme="https",
                                sni="admin.example.com",
                                client_cert=(self.client_cert.cert, self.client_cert.key))
        self.assertServed(r, "reports")

    def test_no_certificate_gets_no_answer(self):
        for host in ("admin.example.com", "api.example.com"):
            self.assertRefused(host, host)
        # Plain HTTP only redirects to HTTPS, as in ingress-nginx.
        r = self.get("admin.example.com", "/")
        self.assertEqual((r.status, r.header("Location")), (308, "https://admin.example.com/"))

    def test_certificate_of_another_ca_gets_no_answer(self):
        self.assertRefused("admin.example.com", "admin.example.com", self.stranger)

    def test_sni_other_than_host_is_no_way_around(self):
        # No SNI at all, and an SNI naming a host nginx does not know.
        self.assertRefused("admin.example.com", None)
        self.assertRefused("admin.example.com", "unknown.example.com")
        # A handshake for api's SNI opens api, not admin's Host.
        self.assertServed(self.request("api.example.com", "api.example.com",
                                       self.client_cert), "api")
        r = self.request("admin.example.com", "api.example.com", self.client_cert)
        self.assertEqual(r.status, 421)

    def test_forged_client_certificate_headers_are_removed(self):
        r = self.request("admin.example.com", "admin.example.com", self.client_cert,
                         headers={"ssl-client-verify": "SUCCESS",
                                  "ssl-client-subject-dn": "CN=root"})
        self.assertServed(r, "admin")
        self.assertNotIn("Ssl-Client-Verify", r.echo["headers"])
        self.assertNotIn("Ssl-Client-Subject-Dn", r.echo["headers"])


class OneHostAsks(ClientCertEstate):
    SERVICES = ["secure", "open"]
    IMPORT_EXIT = 1  # secure.example.com fails closed

    @classmethod
    def documents(cls, ca):
        cls.certificates(ca)
        return [
            ingress("secure", "secure.example.com", [("/", "Prefix", "secure")],
                    [("auth-tls-secret", "default/client-ca")], tls_secret="secure-cert"),
            ingress("open", "open.example.com", [("/", "Prefix", "open")],
                    tls_secret="open-cert"),
            tls_secret_yaml("secure-cert", ca.issue("secure", ["secure.example.com"])),
            tls_secret_yaml("open-cert", ca.issue("open", ["open.example.com"])),
            ca_secret_yaml("client-ca", ca),
        ]

    def test_host_that_asked_fails_closed_and_the_other_is_served(self):
        self.assertIn("auth-tls-secret\"]: access control not converted exactly",
                      self.imported.stderr)
        self.assertIn("validates client certificates per port", self.imported.stderr)
        with open(os.path.join(self.dir, "gateway.yaml")) as f:
            self.assertNotIn("frontend:", f.read())
        # 403 with or without a certificate; no way around by SNI.
        self.assertEqual(self.request("secure.example.com", "secure.example.com").status, 403)
        self.assertEqual(self.request("secure.example.com", "secure.example.com",
                                      self.client_cert).status, 403)
        self.assertEqual(self.request("secure.example.com", "open.example.com").status, 421)
        self.assertRefused("secure.example.com", None)  # no SNI: no server
        # The other host on :443 asks for no certificate, as in its source.
        self.assertServed(self.request("open.example.com", "open.example.com"), "open")


class ProviderHosts:
    """Two HTTPS hosts of another provider, both asking for certificates of
    one CA: the same core converts them; no certificate gets no answer.
    TEMPLATE is each host's object, formatted with its name."""
    SERVICES = ["a", "b"]
    TEMPLATE = ""
    CA_SECRET_TYPE = "Opaque"

    @classmethod
    def documents(cls, ca):
        cls.certificates(ca)
        return ([cls.TEMPLATE.format(h=h) for h in ("a", "b")] + cls.extra()
                + [tls_secret_yaml("%s-cert" % h, ca.issue(h, ["%s.example.com" % h]))
                   for h in ("a", "b")]
                + [ca_secret_yaml("client-ca", ca, cls.CA_SECRET_TYPE)])

    @classmethod
    def extra(cls):
        return []

    def test_valid_certificate_is_served_and_none_gets_no_answer(self):
        self.assertIn("converted to the frontend validation of port 443", self.imported.stderr)
        for host, service in (("a.example.com", "a"), ("b.example.com", "b")):
            self.assertServed(self.request(host, host, self.client_cert), service)
            self.assertRefused(host, host)
            self.assertRefused(host, host, self.stranger)
        self.assertRefused("a.example.com", None)


class ContourHosts(ProviderHosts, ClientCertEstate):
    IMPORT_ARGS = ["--provider", "contour"]
    TEMPLATE = """apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {{name: {h}, namespace: default}}
spec:
  virtualhost:
    fqdn: {h}.example.com
    tls: {{secretName: {h}-cert, clientValidation: {{caSecret: client-ca}}}}
  routes:
  - services: [{{name: {h}, port: 80}}]
"""


class NicHosts(ProviderHosts, ClientCertEstate):
    # tls.redirect: port 80 only redirects, so no host is served there
    # without a certificate (which would be warning GW0844).
    IMPORT_ARGS = ["--provider", "nginx-inc"]
    CA_SECRET_TYPE = "nginx.org/ca"
    TEMPLATE = """apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {{name: {h}, namespace: default}}
spec:
  host: {h}.example.com
  tls: {{secret: {h}-cert, redirect: {{enable: true}}}}
  policies: [{{name: client-certs}}]
  upstreams: [{{name: up, service: {h}, port: 80}}]
  routes:
  - path: /
    action: {{pass: up}}
"""

    @classmethod
    def extra(cls):
        return ["apiVersion: k8s.nginx.org/v1\nkind: Policy\n"
                "metadata: {name: client-certs, namespace: default}\n"
                "spec:\n  ingressMTLS: {clientCertSecret: client-ca}\n"]

# A Traefik host on websecure with its certificate; {options} adds to tls.
TRAEFIK_ROUTE = """apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {{name: {h}, namespace: default}}
spec:
  entryPoints: [websecure]
  routes:
  - match: Host(`{h}.example.com`)
    kind: Rule
    services: [{{name: {h}, port: 80}}]
  tls: {{secretName: {h}-cert{options}}}
"""

# A Traefik router on the web entry point, for nginx to open port 80 too.
TRAEFIK_PLAIN = """apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: plain, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`plain.example.com`)
    services: [{name: a, port: 80}]
"""


class TraefikHosts(ProviderHosts, ClientCertEstate):
    """Traefik's TLSOption clientAuth (RequireAndVerifyClientCert), named by
    the IngressRoute of each host."""
    IMPORT_ARGS = ["--provider", "traefik"]
    TEMPLATE = TRAEFIK_ROUTE.replace("{options}", ", options: {{name: mtls}}")

    @classmethod
    def extra(cls):
        return [TRAEFIK_PLAIN,
                "apiVersion: traefik.io/v1alpha1\nkind: TLSOption\n"
                "metadata: {name: mtls, namespace: default}\n"
                "spec:\n  clientAuth: {secretNames: [client-ca], "
                "clientAuthType: RequireAndVerifyClientCert}\n"]


class TraefikSeveralCas(ProviderHosts, ClientCertEstate):
    """A TLSOption with two CA Secrets: Traefik trusts the CAs of both, so
    does the Gateway's validation (one caCertificateRef each).  A
    certificate of a third CA gets no answer."""
    IMPORT_ARGS = ["--provider", "traefik"]
    TEMPLATE = TRAEFIK_ROUTE.replace("{options}", ", options: {{name: mtls}}")

    @classmethod
    def extra(cls):
        cls.third_ca = CertificateAuthority(os.path.join(cls.dir, "third-ca"), "third CA")
        cls.outsider = cls.third_ca.issue("outsider", client=True)
        return [TRAEFIK_PLAIN, ca_secret_yaml("partner-ca", cls.other_ca),
                "apiVersion: traefik.io/v1alpha1\nkind: TLSOption\n"
                "metadata: {name: mtls, namespace: default}\n"
                "spec:\n  clientAuth: {secretNames: [client-ca, partner-ca], "
                "clientAuthType: RequireAndVerifyClientCert}\n"]

    def test_valid_certificate_is_served_and_none_gets_no_answer(self):
        self.assertIn("CA ConfigMaps 'client-ca-ca', 'partner-ca-ca'", self.imported.stderr)
        for host, service in (("a.example.com", "a"), ("b.example.com", "b")):
            self.assertServed(self.request(host, host, self.client_cert), service)
            self.assertServed(self.request(host, host, self.stranger), service)
            self.assertRefused(host, host)
            self.assertRefused(host, host, self.outsider)


class TraefikOneHostAsks(ClientCertEstate):
    """One Traefik host asks for client certificates, the other on :443
    does not: Gateway API validates per port, so the host that asked
    answers 500 (fail closed, import exits 1), with or without a
    certificate, and the other is served without one, as in Traefik."""
    SERVICES = ["secure", "open"]
    IMPORT_ARGS = ["--provider", "traefik"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        cls.certificates(ca)
        return [TRAEFIK_ROUTE.format(h="secure", options=", options: {name: mtls}"),
                TRAEFIK_ROUTE.format(h="open", options=""),
                TRAEFIK_PLAIN.replace("name: a,", "name: open,"),
                "apiVersion: traefik.io/v1alpha1\nkind: TLSOption\n"
                "metadata: {name: mtls, namespace: default}\n"
                "spec:\n  clientAuth: {secretNames: [client-ca]}\n",
                tls_secret_yaml("secure-cert", ca.issue("secure", ["secure.example.com"])),
                tls_secret_yaml("open-cert", ca.issue("open", ["open.example.com"])),
                ca_secret_yaml("client-ca", ca)]

    def test_host_that_asked_fails_closed_and_the_other_is_served(self):
        self.assertIn("validates client certificates per port", self.imported.stderr)
        with open(os.path.join(self.dir, "gateway.yaml")) as f:
            self.assertNotIn("frontend:", f.read())
        self.assertEqual(self.request("secure.example.com", "secure.example.com").status, 500)
        self.assertEqual(self.request("secure.example.com", "secure.example.com",
                                      self.client_cert).status, 500)
        self.assertServed(self.request("open.example.com", "open.example.com"), "open")


class NicEgress(ClientCertEstate):
    """NIC egressMTLS that verifies TLS upstreams: a BackendTLSPolicy.  The
    upstream whose certificate the CA issued for sslName is served; one
    with a certificate of another CA is not (502), as in NIC."""
    SERVICES = ["api", "rogue"]
    IMPORT_ARGS = ["--provider", "nginx-inc"]

    @classmethod
    def documents(cls, ca):
        cls.certificates(ca)
        cls.api_pair = ca.issue("api-backend", ["api.example.com"])
        cls.rogue_pair = cls.other_ca.issue("rogue-backend", ["api.example.com"])
        return ["""apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: shop, namespace: default}
spec:
  host: shop.example.com
  policies: [{name: verify-backend}]
  upstreams:
  - {name: api, service: api, port: 80, tls: {enable: true}}
  - {name: rogue, service: rogue, port: 80, tls: {enable: true}}
  routes:
  - path: /rogue
    action: {pass: rogue}
  - path: /
    action: {pass: api}
""", """apiVersion: k8s.nginx.org/v1
kind: Policy
metadata: {name: verify-backend, namespace: default}
spec:
  egressMTLS:
    trustedCertSecret: backend-ca
    verifyServer: true
    serverName: true
    sslName: api.example.com
""", ca_secret_yaml("backend-ca", ca, "nginx.org/ca")]

    @classmethod
    def backends(cls, ca):
        return {"api": {"mode": "https", "cert": cls.api_pair.cert, "key": cls.api_pair.key},
                "rogue": {"mode": "https", "cert": cls.rogue_pair.cert,
                          "key": cls.rogue_pair.key}}

    def test_verified_upstream_is_served_and_another_ca_is_not(self):
        self.assertIn("converted to the BackendTLSPolicy of Service 'default/api'",
                      self.imported.stderr)
        self.assertServed(self.get("shop.example.com", "/"), "api")
        self.assertEqual(self.get("shop.example.com", "/rogue").status, 502)


if __name__ == "__main__":
    unittest.main()
