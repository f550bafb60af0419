"""End to end: Ingresses of four namespaces imported onto one shared
Gateway (`--gateway edge/public`, the Gateway given to the import), the
result checked by `gwc check` (zero errors) and served by a real nginx.

The Gateway already serves shop.example.com on port 80: the routes of
that host attach to its listener, whose allowedRoutes gain namespace shop.
blog's certificate lives in namespace blog (a ReferenceGrant lets the
Gateway use it); cart's Ingress adds a path to shop's host from another
namespace, as ingress-nginx merges them into one server.
"""
import unittest

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
        self.assertEqual(self.checked.returncode, 0, self.checked.stderr)
        self.assertNotIn(": error:", self.checked.stderr)
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


if __name__ == "__main__":
    unittest.main()
