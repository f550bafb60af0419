"""`gwc import-ingress` output a person can review: -o DIR/ (one file per
namespace and kind, written only where gwc may write), --include-inputs
(the output alone passes gwc check), the summary (text and --summary JSON
against docs/import-summary.schema.json), and the README's commands as
written.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import jsonschema

from gwtest.certs import CertificateAuthority

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
GWC = os.environ.get("GWC", os.path.join(ROOT, "build", "gwc"))
MARKER = ".gwc-output"
README_MARK = "<!-- tests/import/test_import_output.py runs this block as written -->"
# htpasswd -m's hash of "stub" (salt "gwcstub1")
STUB_HASH = "$apr1$gwcstub1$Y7qD4gUfCQprfN5WVjdrN/"


def service(name, ns):
    return ("apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: %s\n"
            "spec:\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n"
            % (name, ns))


def ingress(name, ns, host, svc, annotations="", klass="nginx", tls=None, path="/"):
    tls_block = ("  tls:\n  - hosts: [%s]\n    secretName: %s\n" % (host, tls)) if tls else ""
    return ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"
            "  name: %s\n  namespace: %s\n%s"
            "spec:\n  ingressClassName: %s\n%s  rules:\n  - host: %s\n    http:\n"
            "      paths:\n      - path: %s\n        pathType: Prefix\n        backend:\n"
            "          service: {name: %s, port: {number: 80}}\n"
            % (name, ns, ("  annotations:\n" + annotations) if annotations else "",
               klass, tls_block, host, path, svc))


def estate(directory, clean=False):
    """ingresses/ in directory: two namespaces with their Services, a TLS
    Secret and an htpasswd Secret; unless clean, an Ingress of another
    class (left out) and one with an approximated annotation."""
    ca = CertificateAuthority(directory)
    pair = ca.issue("shop.example.com", dns_names=["shop.example.com"])
    with open(pair.cert, "rb") as c, open(pair.key, "rb") as k:
        crt, key = base64.b64encode(c.read()).decode(), base64.b64encode(k.read()).decode()
    files = {
        "shop.yaml": "---\n".join([
            service("web", "shop"), service("admin", "shop"),
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-tls\n  namespace: shop\n"
            "type: kubernetes.io/tls\ndata:\n  tls.crt: %s\n  tls.key: %s\n" % (crt, key),
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: htpasswd\n  namespace: shop\n"
            "stringData:\n  auth: 'stub:%s'\n" % STUB_HASH,
            ingress("web", "shop", "shop.example.com", "web", tls="shop-tls"),
            ingress("admin", "shop", "admin.example.com", "admin",
                    "    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8\n"
                    "    nginx.ingress.kubernetes.io/auth-type: basic\n"
                    "    nginx.ingress.kubernetes.io/auth-secret: htpasswd\n"),
        ]),
        "blog.yaml": "---\n".join([
            service("blog", "blog"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blog-settings\n"
            "  namespace: blog\ndata:\n  replicas: '3'\n  enabled: 'yes'\n",
            # Numbers as the input spells them, and YAML 1.1 booleans.
            "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: knob\n"
            "  namespace: blog\nspec:\n  size: 0x10\n  ratio: 1.5\n  big: "
            "123456789012345678901234\n  on: yes\n  off: Off\n  none: ~\n",
            ingress("blog", "blog", "blog.example.com", "blog"),
        ]),
    }
    if not clean:
        files["extra.yaml"] = "---\n".join([
            ingress("legacy", "blog", "old.example.com", "blog", klass="haproxy"),
            ingress("rewrite", "blog", "rw.example.com", "blog",
                    "    nginx.ingress.kubernetes.io/permanent-redirect: http://example.org/?q=1\n"),
        ])
    root = os.path.join(directory, "ingresses")
    os.makedirs(root)
    for name, text in files.items():
        with open(os.path.join(root, name), "w") as f:
            f.write(text)
    return root


FILE_OF_KIND = {
    "Gateway": "gateways.yaml", "HTTPRoute": "httproutes.yaml",
    "ReferenceGrant": "referencegrants.yaml",
    "AccessPolicy": "accesspolicies.yaml", "Service": "services.yaml",
    "Secret": "secrets.yaml", "ConfigMap": "configmaps.yaml", "Widget": "widgets.yaml",
}


def run(*args, cwd=None):
    return subprocess.run([GWC, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, NO_COLOR="1"))


def imp(*args, cwd=None):
    return run("import-ingress", "--provider", "ingress-nginx", *args, cwd=cwd)


def tree(root):
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


def documents(text):
    return [d for d in text.split("\n---\n") if d.strip()]


def field(doc, pattern):
    m = re.search(pattern, doc, re.M)
    return m.group(1) if m else None


class ImportOutput(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gwc-import-output-")
        self.inputs = estate(self.tmp)
        self.out = os.path.join(self.tmp, "out")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_layout(self):
        r = imp("--include-inputs", "-o", self.out + "/", self.inputs)
        self.assertEqual(r.returncode, 1, r.stderr)  # the redirect's query: approximated
        files = tree(self.out)
        self.assertEqual(sorted(files), [
            MARKER,
            "blog/configmaps.yaml", "blog/httproutes.yaml", "blog/services.yaml",
            "blog/widgets.yaml",
            "ingress-nginx/gateways.yaml",
            "shop/accesspolicies.yaml", "shop/httproutes.yaml",
            "shop/referencegrants.yaml", "shop/secrets.yaml", "shop/services.yaml",
        ])
        with open(os.path.join(self.out, MARKER)) as f:
            listed = [l for l in f.read().split("\n")[1:] if l and not l.startswith("#")]
        self.assertEqual(listed, sorted(p for p in files if p != MARKER))
        for path, data in files.items():
            if path == MARKER:
                continue
            ns, name = path.split("/")
            for doc in documents(data.decode()):
                kind = field(doc, r"^kind: (\S+)$")
                self.assertEqual(FILE_OF_KIND[kind], name, (path, kind))
                self.assertEqual(field(doc, r"^  namespace: (\S+)$") or "default", ns, path)
                self.assertRegex(doc, r"^# source: %s/[a-z]+\.yaml:[0-9]+(, %s/[a-z]+\.yaml:"
                                 r"[0-9]+)*\napiVersion: " % ((re.escape(self.inputs),) * 2))
                generated = kind not in ("Service", "Secret", "ConfigMap", "Widget")
                self.assertEqual("gwc.dev/source:" in doc, generated, (path, doc))
        routes = files["shop/httproutes.yaml"].decode()
        self.assertIn("gwc.dev/source: Ingress/shop/admin\n", routes)
        self.assertIn("gwc.dev/source: Ingress/shop/web\n", routes)
        # Carried unchanged: a number stays as it was spelled, a string stays
        # a string.
        self.assertIn("targetPort: 8080", files["blog/services.yaml"].decode())
        cm = files["blog/configmaps.yaml"].decode()
        self.assertIn("replicas: '3'", cm)
        self.assertIn("enabled: 'yes'", cm)
        self.assertIn("spec:\n  size: 0x10\n  ratio: 1.5\n  big: 123456789012345678901234\n"
                      "  'on': true\n  'off': false\n  none: null\n",
                      files["blog/widgets.yaml"].decode())

    def test_tree_holds_the_stream(self):
        stream = imp("--include-inputs", self.inputs)
        r = imp("--include-inputs", "-o", self.out + "/", self.inputs)
        self.assertEqual(stream.returncode, r.returncode)
        in_tree = [d.strip() for p, data in tree(self.out).items() if p != MARKER
                   for d in documents(data.decode())]
        self.assertEqual(sorted(in_tree), sorted(d.strip() for d in documents(stream.stdout)))

    def test_existing_directory_without_slash(self):
        os.makedirs(self.out)
        r = imp("-o", self.out, self.inputs)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("shop/httproutes.yaml", tree(self.out))

    def test_refuses_a_directory_with_foreign_files(self):
        os.makedirs(os.path.join(self.out, "shop"))
        with open(os.path.join(self.out, "shop", "httproutes.yaml"), "w") as f:
            f.write("mine\n")
        before = tree(self.out)
        r = imp("-o", self.out + "/", self.inputs)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("[GW0903]", r.stderr)
        self.assertIn("holds files gwc did not write", r.stderr)
        self.assertEqual(tree(self.out), before)
        # A file of the same name as one of gwc's, in a directory gwc wrote
        # before, is refused too: gwc never overwrites what it did not write.
        shutil.rmtree(self.out)
        self.assertEqual(imp("-o", self.out + "/", self.inputs).returncode, 1)
        os.remove(os.path.join(self.out, "blog", "httproutes.yaml"))
        with open(os.path.join(self.out, "blog", "httproutes.yaml"), "w") as f:
            f.write("mine\n")
        with open(os.path.join(self.out, MARKER)) as f:
            marker = f.read()
        with open(os.path.join(self.out, MARKER), "w") as f:
            f.write(marker.replace("blog/httproutes.yaml\n", ""))
        before = tree(self.out)
        r = imp("-o", self.out + "/", self.inputs)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("gwc did not write it", r.stderr)
        self.assertEqual(tree(self.out), before)

    def test_rerun_over_its_own_output(self):
        first = imp("--include-inputs", "-o", self.out + "/", self.inputs)
        before = tree(self.out)
        notes = os.path.join(self.out, "shop", "NOTES.txt")
        with open(notes, "w") as f:
            f.write("reviewed\n")
        again = imp("--include-inputs", "-o", self.out + "/", self.inputs)
        self.assertEqual((first.returncode, again.returncode), (1, 1), again.stderr)
        after = tree(self.out)
        self.assertEqual(after.pop("shop/NOTES.txt"), b"reviewed\n")
        self.assertEqual(after, before)
        # Without the blog namespace's Ingresses its files go; the file a
        # person added stays.
        os.remove(os.path.join(self.inputs, "blog.yaml"))
        os.remove(os.path.join(self.inputs, "extra.yaml"))
        third = imp("--include-inputs", "-o", self.out + "/", self.inputs)
        self.assertEqual(third.returncode, 0, third.stderr)
        after = tree(self.out)
        self.assertFalse([p for p in after if p.startswith("blog/")], sorted(after))
        self.assertIn("shop/NOTES.txt", after)
        self.assertIn("shop/httproutes.yaml", after)

    def test_include_inputs_passes_check_alone(self):
        r = imp("--include-inputs", "-o", self.out + "/", self.inputs)
        self.assertEqual(r.returncode, 1, r.stderr)
        check = run("check", "--format", "json", "--fail-on=never", self.out)
        diags = json.loads(check.stdout)["diagnostics"]
        self.assertEqual([d for d in diags if d["severity"] != "note"], [], check.stdout)
        # Without the inputs' objects the same check misses the Secrets and
        # Services: the option is what makes the output whole.
        shutil.rmtree(self.out)
        imp("-o", self.out + "/", self.inputs)
        check = run("check", "--format", "json", "--fail-on=never", self.out)
        codes = {d["code"] for d in json.loads(check.stdout)["diagnostics"]
                 if d["severity"] != "note"}
        self.assertTrue(codes, check.stdout)

    def test_summary_lists_the_controller_config(self):
        """The ingress-nginx ConfigMap is a source object: its output is the
        policies carrying its settings, and an Ingress whose allow list came
        from it and fails closed is partial, though the finding is shown at
        the ConfigMap's key."""
        path = os.path.join(self.tmp, "summary.json")
        case = os.path.join(ROOT, "testdata", "import", "controller-config-fail-closed")
        config = os.path.join(ROOT, "testdata", "import", "controller-config",
                              "input.yaml")
        for inputs, config_outcome in [(case, "left-out"), (config, "partial")]:
            imp("--summary", path, inputs)
            with open(path) as f:
                summary = json.load(f)
            with open(os.path.join(ROOT, "docs", "import-summary.schema.json")) as f:
                jsonschema.validate(summary, json.load(f))
            by = {s["object"]: s for s in summary["sources"]}
            cm = by["ConfigMap/ingress-nginx/ingress-nginx-controller"]
            self.assertEqual(cm["outcome"], config_outcome, cm)
        self.assertEqual(cm["output"], ["AccessPolicy/shop/small-access",
                                        "BackendPolicy/shop/big-backend",
                                        "BackendPolicy/shop/small-backend",
                                        "ClientPolicy/ingress-nginx/nginx-controller-config",
                                        "ClientPolicy/shop/small-client"])
        imp("--summary", path, case)
        with open(path) as f:
            by = {s["object"]: s for s in json.load(f)["sources"]}
        self.assertEqual(by["Ingress/shop/open"]["outcome"], "partial")
        self.assertEqual([(f["code"], f["field"]) for f in by["Ingress/shop/open"]["findings"]],
                         [("GW0831", "data.whitelist-source-range")])
        self.assertEqual(by["Ingress/shop/own"]["outcome"], "exact")

    def test_summary_ignores_the_input_order(self):
        """The findings of an object positioned in other objects (a
        ConfigMap's key, a TraefikService) are listed by what they say, not
        by where those objects stand in the files: the same documents in
        another order give the same summary but for line numbers."""
        def summary(case, provider, reverse):
            with open(os.path.join(ROOT, "testdata", "import", case, "input.yaml")) as f:
                docs = [d.strip("\n") for d in re.split(r"(?m)^---[ \t]*\n", f.read())
                        if d.strip()]
            if reverse:
                docs.reverse()
            src = os.path.join(self.tmp, "in.yaml")
            with open(src, "w") as f:
                f.write("".join("---\n" + d + "\n" for d in docs))
            path = os.path.join(self.tmp, "summary.json")
            run("import-ingress", "--provider", provider, "--summary", path, src)
            with open(path) as f:
                text = f.read()
            return re.sub(r'"line": \d+', '"line": 0', text)
        for case, provider in [("controller-config", "ingress-nginx"),
                               ("custom-headers", "ingress-nginx"),
                               ("traefik-service-cycle", "traefik"),
                               ("traefik-nested-weights", "traefik")]:
            self.assertEqual(summary(case, provider, False),
                             summary(case, provider, True), case)

    def test_summary(self):
        path = os.path.join(self.tmp, "summary.json")
        r = imp("--include-inputs", "--summary", path, self.inputs)
        self.assertEqual(r.returncode, 1, r.stderr)
        with open(path) as f:
            summary = json.load(f)
        with open(os.path.join(ROOT, "docs", "import-summary.schema.json")) as f:
            jsonschema.validate(summary, json.load(f))
        by = {s["object"]: s for s in summary["sources"]}
        self.assertEqual(sorted(by), ["Ingress/blog/blog", "Ingress/blog/legacy",
                                      "Ingress/blog/rewrite", "Ingress/shop/admin",
                                      "Ingress/shop/web"])
        self.assertEqual(summary["totals"], {"sources": 5, "exact": 3,
                                             "approximated": 1, "partial": 0,
                                             "left-out": 1})
        self.assertEqual(by["Ingress/blog/legacy"]["outcome"], "left-out")
        self.assertEqual([f["code"] for f in by["Ingress/blog/legacy"]["findings"]],
                         ["GW0805"])
        self.assertEqual(by["Ingress/blog/legacy"]["output"], [])
        self.assertEqual(by["Ingress/blog/rewrite"]["outcome"], "approximated")
        self.assertEqual(by["Ingress/shop/admin"]["output"],
                         ["AccessPolicy/shop/admin-access", "Gateway/ingress-nginx/nginx",
                          "HTTPRoute/shop/admin.example.com"])
        # The certificate's ReferenceGrant comes from the Ingress whose tls
        # entry needs it, not from every Ingress on the Gateway.
        self.assertIn("ReferenceGrant/shop/ingress-nginx-tls-shop-tls",
                      by["Ingress/shop/web"]["output"])
        with open(os.path.join(self.inputs, "shop.yaml")) as f:
            lines = f.read().split("\n")
        web = lines.index("  name: web", lines.index("kind: Ingress")) - 3
        self.assertEqual(lines[web], "apiVersion: networking.k8s.io/v1")
        self.assertEqual(by["Ingress/shop/web"]["line"], web + 1)
        self.assertEqual([c["bundle"] for c in summary["nextSteps"]["crds"]],
                         ["Gateway API, standard channel", "gwc policies"])
        self.assertEqual(summary["nextSteps"]["gatewayClasses"], ["nginx"])
        self.assertEqual(summary["nextSteps"]["certManager"], [])
        self.assertEqual(summary["nextSteps"]["secrets"], [
            {"namespace": "shop", "name": "htpasswd",
             "usedBy": "AccessPolicy/shop/admin-access", "inInputs": True},
            {"namespace": "shop", "name": "shop-tls",
             "usedBy": "Gateway/ingress-nginx/nginx", "inInputs": True}])
        # The text: after the diagnostics, one line per object not exact.
        text = r.stderr[r.stderr.index("gwc: import summary:"):]
        self.assertTrue(text.startswith(
            "gwc: import summary: 5 source objects: 3 exact, 1 approximated, "
            "0 partly converted, 1 left out\n"), text)
        self.assertIn("  left-out Ingress/blog/legacy (%s/extra.yaml:1): GW0805"
                      % self.inputs, text)
        self.assertIn("install the CRDs of gwc policies: kubectl apply -f deploy/crds/",
                      text)
        self.assertNotIn("Secret shop/", text)  # carried: nothing to do
        without = imp(self.inputs)
        self.assertIn("Secret shop/htpasswd (for AccessPolicy/shop/admin-access) must "
                      "exist in the cluster: it is in the inputs", without.stderr)

    def test_summary_not_mixed_into_machine_report(self):
        r = imp("--format", "json", self.inputs)
        json.loads(r.stderr)  # the report alone
        self.assertNotIn("import summary", r.stderr)

    def test_readme_commands(self):
        with open(os.path.join(ROOT, "README.md")) as f:
            lines = f.read().split("\n")
        i = lines.index(README_MARK)
        self.assertEqual(lines[i + 1], "```sh")
        block = lines[i + 2:lines.index("```", i + 2)]
        work = os.path.join(self.tmp, "readme")
        os.makedirs(work)
        estate(work, clean=True)
        bindir = os.path.join(self.tmp, "bin")
        os.makedirs(bindir)
        os.symlink(os.path.abspath(GWC), os.path.join(bindir, "gwc"))
        env = dict(os.environ, PATH=bindir + ":/usr/bin:/bin", NO_COLOR="1")
        for line in block:
            r = subprocess.run(line, shell=True, cwd=work, env=env, capture_output=True,
                               text=True, timeout=60)
            self.assertEqual(r.returncode, 0, "%s\n%s" % (line, r.stderr))
        self.assertTrue(os.path.exists(os.path.join(work, "summary.json")))
        self.assertTrue(os.path.exists(os.path.join(work, "migrated", "shop",
                                                    "httproutes.yaml")))


if __name__ == "__main__":
    unittest.main()
