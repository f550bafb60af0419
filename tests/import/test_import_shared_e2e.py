"""End to end: Ingresses of four namespaces imported onto one shared
Gateway (`--gateway edge/public`, the Gateway given to the import), the
result checked by `gwc check` (zero errors) and served by a real nginx.
Then the default shared Gateway (one per class, in ingress-nginx) with
cert-manager annotations: their namespace's HTTPS listeners go to a
ListenerSet there, which must serve its hosts over TLS as well.

The Gateway already serves shop.example.com on port 80: the routes of
that host attach to its listener, whose allowedRoutes gain namespace shop.
blog's certificate lives in namespace blog (a ReferenceGrant lets the
Gateway use it); cart's Ingress adds a path to shop's host from another
namespace, as ingress-nginx merges them into one server.
"""
import socket
import ssl
import unittest

import yaml

from estate import ImportedEstate, tls_secret_yaml

GATEWAY = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: edge
spec:
  gatewayClassName: nginx
  listeners:
  - name: http-shop
    hostname: shop.example.com
    port: 80
    protocol: HTTP
"""


def ingress(namespace, name, host, path, service, created, tls_secret=None):
    lines = ["apiVersion: networking.k8s.io/v1", "kind: Ingress", "metadata:",
             "  name: %s" % name, "  namespace: %s" % namespace,
             "  creationTimestamp: '%s'" % created,
             "spec:", "  ingressClassName: nginx"]
    if tls_secret:
        lines += ["  tls:", "  - hosts: [%s]" % host, "    secretName: %s" % tls_secret]
    lines += ["  rules:", "  - host: %s" % host, "    http:", "      paths:",
              "      - path: %s" % path, "        pathType: Prefix", "        backend:",
              "          service: {name: %s, port: {name: http}}" % service]
    return "\n".join(lines) + "\n"


class SharedGateway(ImportedEstate):
    SERVICES = [("web", "shop"), ("cart", "cart"), ("blog", "blog"), ("api", "api")]
    IMPORT_ARGS = ["--provider", "ingress-nginx", "--gateway", "edge/public"]
    # Widening listener http-shop's allowedRoutes to namespace shop is a
    # warning (GW0875): the output is still complete and served as below.
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        pair = ca.issue("blog", dns_names=["blog.example.com"])
        return [
            ingress("shop", "web", "shop.example.com", "/", "web", "2024-01-01T00:00:00Z"),
            ingress("cart", "cart", "shop.example.com", "/cart", "cart",
                    "2024-02-01T00:00:00Z"),
            ingress("blog", "blog", "blog.example.com", "/", "blog", "2024-01-01T00:00:00Z",
                    tls_secret="blog-tls"),
            ingress("api", "api", "api.example.com", "/v1", "api", "2024-01-01T00:00:00Z"),
            tls_secret_yaml("blog-tls", pair, namespace="blog"),
        ]

    @classmethod
    def import_only(cls, ca):
        return [GATEWAY]

    def test_output_is_one_gateway_that_check_accepts(self):
        with open(self.dir + "/gateway.yaml") as f:
            out = f.read()
        self.assertEqual(out.count("\nkind: Gateway\n"), 1, out)
        self.assertNotIn(": warning:", self.checked.stderr)

    def test_existing_listener_serves_both_namespaces(self):
        self.assertServed(self.get("shop.example.com", "/"), "web", "/")
        self.assertServed(self.get("shop.example.com", "/cart/items"), "cart", "/cart/items")

    def test_certificate_of_another_namespace(self):
        self.assertServed(self.get_tls("blog.example.com", "/post"), "blog", "/post")
        self.assertRedirect(self.get("blog.example.com", "/post"), 308,
                            "https://blog.example.com/post")

    def test_added_listener(self):
        self.assertServed(self.get("api.example.com", "/v1/users"), "api", "/v1/users")
        self.assertEqual(self.get("api.example.com", "/v2").status, 404)


def cert_manager_ingress(namespace, name, host, service, issuer):
    lines = ingress(namespace, name, host, "/", service, "2024-01-01T00:00:00Z",
                    tls_secret=name + "-tls").split("\n")
    if issuer:
        lines[4:4] = ["  annotations:", "    cert-manager.io/cluster-issuer: %s" % issuer]
    return "\n".join(lines)


class CertManagerListenerSets(ImportedEstate):
    """shop and news name a ClusterIssuer, plain does not: without
    --gateway the Gateway is ingress-nginx/nginx, and cert-manager only
    issues into Secrets of the ListenerSet's own namespace."""
    SERVICES = [("web", "shop"), ("news", "news"), ("plain", "plain")]
    IMPORT_ARGS = ["--provider", "ingress-nginx"]

    @classmethod
    def documents(cls, ca):
        cls.ca_file = ca.cert
        hosts = [("shop", "web", "shop.example.com", "letsencrypt"),
                 ("news", "news", "news.example.com", "letsencrypt"),
                 ("plain", "plain", "plain.example.com", None)]
        docs = []
        for ns, name, host, issuer in hosts:
            docs.append(cert_manager_ingress(ns, name, host, name, issuer))
            docs.append(tls_secret_yaml(name + "-tls", ca.issue(name, dns_names=[host]),
                                        namespace=ns))
        return docs

    def objects(self):
        with open(self.dir + "/gateway.yaml") as f:
            return [d for d in yaml.safe_load_all(f) if d]

    def test_listener_sets_carry_the_issuer(self):
        sets = {(d["metadata"]["namespace"], d["metadata"]["name"]): d
                for d in self.objects() if d["kind"] == "ListenerSet"}
        self.assertEqual(sorted(sets), [("news", "nginx"), ("shop", "nginx")])
        shop = sets[("shop", "nginx")]
        self.assertEqual(shop["metadata"]["annotations"]["cert-manager.io/cluster-issuer"],
                         "letsencrypt")
        self.assertEqual(shop["spec"]["parentRef"]["namespace"], "ingress-nginx")
        refs = shop["spec"]["listeners"][0]["tls"]["certificateRefs"]
        self.assertEqual(refs, [{"name": "web-tls"}])  # the set's own namespace
        self.assertNotIn("GW0818", self.imported.stderr)
        # The next steps say what cert-manager needs to read them.
        step = [l for l in self.imported.stderr.splitlines()
                if "ListenerSets feature gate enabled" in l]
        self.assertEqual(len(step), 1, self.imported.stderr)
        self.assertTrue(step[0].endswith("ListenerSet/news/nginx, ListenerSet/shop/nginx"),
                        step[0])

    def test_check_accepts_the_output(self):
        self.assertNotIn(": warning:", self.checked.stderr)

    def peer(self, host):
        ctx = ssl.create_default_context(cafile=self.ca_file)
        with socket.create_connection(("127.0.0.1", self.https), timeout=5) as raw:
            with ctx.wrap_socket(raw, server_hostname=host) as tls:
                return tls.getpeercert()["subjectAltName"]

    def test_hosts_of_listener_sets_served_over_tls(self):
        for host, service in [("shop.example.com", "web"), ("news.example.com", "news")]:
            self.assertEqual(self.peer(host), (("DNS", host),))
            self.assertServed(self.get_tls(host, "/a"), service, "/a")
            self.assertRedirect(self.get(host, "/a"), 308, "https://%s/a" % host)

    def test_gateway_listener_still_served(self):
        self.assertEqual(self.peer("plain.example.com"), (("DNS", "plain.example.com"),))
        self.assertServed(self.get_tls("plain.example.com", "/"), "plain", "/")


if __name__ == "__main__":
    unittest.main()
