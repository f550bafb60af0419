"""gwc test --verify-nginx: the RoutingTests' requests sent to the real nginx.

Each run is checked for what it leaves behind: this process is made the
child subreaper, so anything gwc started and did not stop (nginx master,
workers, the stub process) would become our child; after gwc exits no
child may remain, and the private TMPDIR gwc worked in must be empty.
"""
import ctypes
import json
import os
import shutil
import stat
import subprocess
import tempfile
import textwrap
import time
import unittest
import xml.etree.ElementTree as ET

from gwtest import procs

GWC = os.environ.get("GWC", os.path.join(os.path.dirname(__file__), "..", "..", "build", "gwc"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
EXAMPLES = os.path.join(ROOT, "examples")
NGINX = "/usr/sbin/nginx"
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def reap_and_list_children(grace=2.0):
    """Reaps the orphans handed to us; returns the children still alive
    after `grace` seconds (a process killed just before gwc exited may
    take a moment to become a zombie)."""
    deadline = time.monotonic() + grace
    while True:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        alive = procs.children_of(os.getpid())
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


# A config that disagrees with gwc's model, served by the real nginx: the
# stand-in for nginx rewrites what gwc wrote before starting it (the 404
# of unmatched paths becomes 410; the two upstreams swap their servers).
TAMPERING_NGINX = textwrap.dedent("""\
    #!/usr/bin/python3
    import os, re, sys
    prefix = sys.argv[sys.argv.index("-p") + 1]
    path = os.path.join(prefix, "http.conf")
    with open(path) as f:
        conf = f.read()
    conf = conf.replace("return 404;", "return 410;")
    servers = re.findall(r'(?m)^upstream [^{]*\\{\\n    server "([^"]*)";', conf)
    if len(servers) == 2:
        a, b = ('"%%s"' %% s for s in servers)
        conf = conf.replace(a, "@A@").replace(b, a).replace("@A@", b)
    with open(path, "w") as f:
        f.write(conf)
    os.execv("%s", ["nginx"] + sys.argv[1:])
    """ % NGINX)

# Never comes up: a shell that starts a second process in its group and
# waits; gwc must give up and stop both.
HANGING_NGINX = "#!/bin/sh\nsleep 300 &\nexec sleep 301\n"

WRONG_EXPECTATION = textwrap.dedent("""\
    apiVersion: gwc.dev/v1alpha1
    kind: RoutingTest
    metadata: {name: wrong, namespace: shop}
    spec:
      cases:
        - name: the canary header is expected at v1, which is wrong
          request: {url: "http://shop.example.com/shop/cart", headers: {X-Canary: always}}
          expect: {backend: shop/storefront-v1}
    """)


# Two tenants on one host, each matching a query parameter of its own.  The
# two names were searched for (a distinguished-point collision search) so
# that FNV-1a over gwc's map key ("args", 0xff, name) gives both the same
# 64-bit hash, ced2af3b13e1003a: when a map's hash was its identity, the
# second tenant's match read the first tenant's parameter.
COLLIDING_QUERY_NAMES = textwrap.dedent("""\
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: shared, namespace: infra}
    spec:
      gatewayClassName: nginx
      listeners:
        - name: http
          protocol: HTTP
          port: 80
          allowedRoutes: {namespaces: {from: All}}
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata: {name: first, namespace: tenant-a}
    spec:
      parentRefs: [{name: shared, namespace: infra}]
      hostnames: [shop.example.com]
      rules:
        - matches: [{queryParams: [{name: 5bcb6873374a6420, value: "yes"}]}]
          backendRefs: [{name: a, port: 80}]
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata: {name: second, namespace: tenant-b}
    spec:
      parentRefs: [{name: shared, namespace: infra}]
      hostnames: [shop.example.com]
      rules:
        - matches: [{queryParams: [{name: 2a0f1cf0b138bd64, value: "yes"}]}]
          backendRefs: [{name: b, port: 80}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: a, namespace: tenant-a}
    spec: {clusterIP: 10.96.40.1, ports: [{port: 80}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: b, namespace: tenant-b}
    spec: {clusterIP: 10.96.40.2, ports: [{port: 80}]}
    ---
    apiVersion: gwc.dev/v1alpha1
    kind: RoutingTest
    metadata: {name: collision, namespace: tenant-b}
    spec:
      cases:
        - name: tenant b's parameter reaches b
          request: {url: "http://shop.example.com/?2a0f1cf0b138bd64=yes"}
          expect: {backend: tenant-b/b}
        - name: tenant a's parameter reaches a
          request: {url: "http://shop.example.com/?5bcb6873374a6420=yes"}
          expect: {backend: tenant-a/a}
        - name: neither parameter, nothing matches
          request: {url: "http://shop.example.com/"}
          expect: {status: 404}
    """)


@unittest.skipUnless(os.access(NGINX, os.X_OK), "needs " + NGINX)
class VerifyNginx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        become_subreaper()

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="gwc-verify-test-")
        self.tmpdir = os.path.join(self.work, "tmp")
        os.mkdir(self.tmpdir)
        self.assertEqual(reap_and_list_children(), [])

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def script(self, name, text):
        path = os.path.join(self.work, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, stat.S_IRWXU)
        return path

    def run_gwc(self, *args, env=None):
        e = dict(os.environ, TMPDIR=self.tmpdir)
        e.pop("GWC_NGINX", None)
        e.update(env or {})
        r = subprocess.run([GWC, "test", "--verify-nginx", *args], capture_output=True,
                           text=True, timeout=120, env=e)
        self.assertEqual(reap_and_list_children(), [], "gwc left processes running")
        self.assertEqual(os.listdir(self.tmpdir), [], "gwc left its temporary directory")
        return r

    def test_examples_agree_with_nginx(self):
        r = self.run_gwc(EXAMPLES)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        agree = [l for l in lines if l.strip().startswith("nginx agrees: ")]
        skipped = [l for l in lines if l.strip().startswith("not verified with nginx: ")]
        self.assertGreaterEqual(len(agree), 8, r.stdout)
        # Only the HTTPS case is left out, and it says why.
        self.assertEqual(len(skipped), 1, r.stdout)
        self.assertIn("HTTPS", skipped[0])
        self.assertIn("nginx agrees: shop/storefront-v2 (path /shop/cart, Host shop.example.com)",
                      r.stdout)
        self.assertIn("nginx agrees: status 301 Location: "
                      "https://www.example.com/old-blog/x?page=2", r.stdout)
        self.assertIn("nginx agrees: status 404", r.stdout)
        self.assertTrue(lines[-1].endswith("0 failed, 1 not verified with nginx"), lines[-1])

    def test_maps_whose_names_hash_alike_stay_apart(self):
        manifest = os.path.join(self.work, "collision.yaml")
        with open(manifest, "w") as f:
            f.write(COLLIDING_QUERY_NAMES)
        r = self.run_gwc(manifest)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.count("nginx agrees: "), 3, r.stdout)

    def test_json(self):
        r = self.run_gwc("--format", "json", os.path.join(EXAMPLES, "traffic-split"))
        self.assertEqual(r.returncode, 0, r.stderr)
        cases = json.loads(r.stdout)
        self.assertEqual([c["nginx"]["result"] for c in cases], ["agrees"] * 3)

    def test_junit(self):
        test = os.path.join(self.work, "wrong.yaml")
        with open(test, "w") as f:
            f.write(WRONG_EXPECTATION)
        nginx = self.script("nginx", TAMPERING_NGINX)
        split = os.path.join(EXAMPLES, "traffic-split")
        r = self.run_gwc("--format", "junit", "--nginx", nginx, split, test)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        root = ET.fromstring(r.stdout)
        suites = {s.get("name"): s for s in root.iter("testsuite")}
        self.assertEqual(sorted(suites), ["shop/storefront", "shop/wrong"])
        self.assertEqual(suites["shop/wrong"].get("file"), test)
        self.assertTrue(suites["shop/storefront"].get("file").endswith("routing-test.yaml"))
        cases = {c.get("name"): c for c in root.iter("testcase")}
        self.assertEqual(root.get("tests"), str(len(cases)))
        failed = {n: c.find("failure") for n, c in cases.items() if c.find("failure") is not None}
        self.assertEqual(root.get("failures"), str(len(failed)))
        # gwc's own prediction fails the wrong expectation, at its line ...
        wrong = failed["the canary header is expected at v1, which is wrong"]
        self.assertEqual(wrong.get("type"), "gwc")
        self.assertIn("expected backend shop/storefront-v1, got shop/storefront-v2",
                      wrong.get("message"))
        self.assertRegex(wrong.text, r"^.*wrong\.yaml:\d+:\d+: expected backend")
        # ... nginx, rewritten behind gwc's back, fails the cases it changed.
        self.assertEqual(failed["the canary header always reaches v2"].get("type"), "nginx")
        self.assertIn("nginx disagrees: a different answer: status 410",
                      failed["nothing outside /shop"].get("message"))
        self.assertNotIn("everyone else is split 90/10", failed)
        out = cases["everyone else is split 90/10"].find("system-out").text
        self.assertIn("gwc answers: ", out)
        self.assertIn("nginx agrees: ", out)

    def test_wrong_expectation_fails_and_shows_what_nginx_answered(self):
        test = os.path.join(self.work, "wrong.yaml")
        with open(test, "w") as f:
            f.write(WRONG_EXPECTATION)
        r = self.run_gwc(os.path.join(EXAMPLES, "traffic-split", "split.yaml"), test)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("FAIL shop/wrong: the canary header is expected at v1", r.stdout)
        self.assertIn("expected backend shop/storefront-v1, got shop/storefront-v2", r.stdout)
        self.assertIn("nginx agrees: shop/storefront-v2 (path /shop/cart", r.stdout)
        self.assertIn("[GW1001]", r.stderr)

    def test_nginx_that_disagrees_with_the_model_fails_the_cases(self):
        nginx = self.script("nginx", TAMPERING_NGINX)
        r = self.run_gwc("--nginx", nginx, os.path.join(EXAMPLES, "traffic-split"))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("FAIL shop/storefront: the canary header always reaches v2\n"
                      "     nginx disagrees: a backend gwc does not predict: "
                      "shop/storefront-v1", r.stdout)
        self.assertIn("FAIL shop/storefront: nothing outside /shop\n"
                      "     nginx disagrees: a different answer: status 410", r.stdout)
        self.assertIn("nothing outside /shop: gwc predicts status 404; nginx: a different "
                      "answer: status 410 [GW1004]", r.stderr)
        # The split may pick either backend: both are predicted.
        self.assertIn("PASS shop/storefront: everyone else is split 90/10", r.stdout)

    def test_nginx_from_the_environment(self):
        nginx = self.script("nginx", TAMPERING_NGINX)
        r = self.run_gwc(os.path.join(EXAMPLES, "traffic-split"), env={"GWC_NGINX": nginx})
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("[GW1004]", r.stderr)

    def test_nginx_that_cannot_start(self):
        r = self.run_gwc("--nginx", "/nonexistent/nginx", os.path.join(EXAMPLES, "seed"))
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("cannot verify the RoutingTests with nginx: /nonexistent/nginx exited "
                      "at start", r.stderr)
        self.assertIn("cannot run /nonexistent/nginx", r.stderr)
        self.assertIn("[GW1005]", r.stderr)

    def test_nginx_that_never_comes_up_is_stopped_with_its_group(self):
        nginx = self.script("nginx", HANGING_NGINX)
        r = self.run_gwc("--nginx", nginx, os.path.join(EXAMPLES, "seed"))
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("did not start within 10 seconds", r.stderr)


if __name__ == "__main__":
    unittest.main()
