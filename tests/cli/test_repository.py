"""A real-looking repository, as a new user meets gwc with it: a Helm chart
(Chart.yaml, values.yaml, templates), environment values, a Gateway whose
TLS Secret cert-manager creates in the cluster (it is not in git), and a
route in another directory than its Gateway.  Checked whole, with --exclude
(and gwc.yaml), and with --context as a pre-commit hook runs it.

GWC names the binary."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import scratch

GWC = os.path.abspath(os.environ.get("GWC", "build/gwc"))

FILES = {
    "charts/shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
    "charts/shop/values.yaml": "replicaCount: 2\nimage: {repository: shop, tag: \"1.4\"}\n",
    "charts/shop/templates/deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
spec:
  replicas: {{ .Values.replicaCount }}
""",
    "charts/shop/templates/service.yaml": """\
{{- if .Values.service.enabled }}
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
{{- end }}
""",
    "environments/production/values.yaml": "replicaCount: 5\n",
    "infra/gateway.yaml": """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  gatewayClassName: nginx
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    hostname: shop.example.com
    tls:
      certificateRefs: [{name: shop-tls}]
    allowedRoutes:
      namespaces: {from: All}
""",
    "infra/certificate.yaml": """\
# cert-manager issues the Secret shop-tls in the cluster; it is not in git.
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: shop, namespace: infra}
spec:
  secretName: shop-tls
  dnsNames: [shop.example.com]
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
""",
    "apps/shop/service.yaml": """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {clusterIP: 10.96.0.20, ports: [{port: 8080}]}
""",
    "apps/shop/route.yaml": """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: edge, namespace: infra, sectionName: https}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: web, port: 8080}]
""",
    ".github/workflows/ci.yml": "on: push\njobs: {}\n",
}


class Repository(unittest.TestCase):
    def setUp(self):
        self.repo = tempfile.mkdtemp()
        for rel, text in FILES.items():
            self.write(rel, text)

    def tearDown(self):
        shutil.rmtree(self.repo)

    def write(self, rel, text):
        scratch.write(self.repo, rel, text)

    def check(self, *args):
        r = subprocess.run([GWC, "check"] + list(args), cwd=self.repo, capture_output=True,
                           text=True, env=dict(os.environ, NO_COLOR="1"), timeout=60)
        found = re.findall(r"^(\S+?)(?::\d+:\d+)?: (error|warning|note): .*\[(GW\d{4})\]$",
                           r.stderr, re.M)
        return r.returncode, sorted((f.lstrip("./") if f.startswith("./") else f, sev, code)
                                    for f, sev, code in found), r.stderr

    def test_whole_repository(self):
        status, found, text = self.check(".")
        self.assertEqual(found, [
            ("charts/shop/Chart.yaml", "note", "GW0114"),
            ("charts/shop/templates/deployment.yaml", "note", "GW0115"),
            ("charts/shop/templates/service.yaml", "note", "GW0115"),
            ("charts/shop/values.yaml", "note", "GW0114"),
            ("environments/production/values.yaml", "note", "GW0114"),
            ("infra/certificate.yaml", "note", "GW0206"),
            ("infra/gateway.yaml", "note", "GW0401"),
            ("infra/gateway.yaml", "note", "GW0605"),
        ], text)
        # The route and its Gateway are in different directories: the route
        # attaches.  The Secret cert-manager creates is not in git: it is
        # assumed to exist in the cluster, a note saying where compile reads
        # it, and the check passes.
        self.assertIn("infra/gateway.yaml:12:25: note: spec.listeners[0].tls."
                      "certificateRefs[0]: Secret 'infra/shop-tls' is not in the input; "
                      "assuming it exists in the cluster", text)
        self.assertEqual(status, 0)
        # --strict-refs, for a repository that holds every object: an error.
        status, found, text = self.check("--strict-refs", ".")
        self.assertIn(("infra/gateway.yaml", "error", "GW0407"), found)
        self.assertEqual(status, 1)

    def test_with_exclude_and_settings(self):
        status, found, text = self.check("--exclude", "charts/**", "--exclude",
                                         "environments/", ".")
        self.assertNotIn("charts", text)
        self.assertNotIn("environments", text)
        self.assertEqual(status, 0)
        self.assertEqual([f for f in found if f[1] != "note"], [])
        # The same, said once in the repository's gwc.yaml, and the notes
        # about what the cluster holds silenced.
        self.write("gwc.yaml", "exclude: ['charts/**', environments/]\n"
                               "disable: [GW0401, GW0206]\n")
        status, found, text = self.check(".")
        self.assertEqual(found, [("infra/gateway.yaml", "note", "GW0605")], text)
        self.assertIn("gwc: 0 errors, 0 warnings, 2 silenced (--disable: 2, "
                      "gwc.dev/ignore: 0)", text)
        # Only the route's own paths and a values file: no manifest at all
        # is a wrong path, not a pass.
        status, found, text = self.check("charts/shop/values.yaml")
        self.assertEqual(status, 2, text)
        self.assertIn("no Kubernetes manifest", text)

    def test_changed_file_with_context(self):
        # What the pre-commit hook runs when only the route changed: the
        # problems of infra/ and charts/ are not the change's.
        status, found, text = self.check("--context", ".", "apps/shop/route.yaml")
        self.assertEqual((status, found), (0, []), text)
        # Alone, the route names a Gateway gwc has not read.
        status, found, text = self.check("apps/shop/route.yaml")
        self.assertEqual(found, [("apps/shop/route.yaml", "error", "GW0501")], text)
        # A typo in the change is caught, with its context.
        self.write("apps/shop/route.yaml",
                   FILES["apps/shop/route.yaml"].replace("sectionName: https",
                                                         "sectionName: http"))
        status, found, text = self.check("--context", ".", "apps/shop/route.yaml")
        self.assertEqual(found, [("apps/shop/route.yaml", "error", "GW0504")], text)
        self.assertIn("has no listener named 'http'", text)
        self.assertIn("did you mean 'https'?", text)
        self.assertEqual(status, 1)


if __name__ == "__main__":
    unittest.main()
