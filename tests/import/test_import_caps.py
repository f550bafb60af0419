"""The importers' caps fail closed.

Traefik's priority against Gateway API precedence for PathRegexp routers
(compiler/importer/traefik/precedence_regex.c) compares at most 256 routes
one by one per regular expression.  Past that cap the routes left are
taken to meet it: the cap is reported at the matcher (GW0862), and access
control between them is decided as if they did, so a route that would
serve requests Traefik gives to a guarded router answers 500 (GW0831,
exit 1).  Each case here builds more than 256 candidates, puts the route
that matters past the cap, and checks the conservative outcome; each
also runs with the documents in reverse order, which must give the same
objects.

GWC names the binary."""
import os
import re
import subprocess
import tempfile
import threading
import unittest

GWC = os.path.abspath(os.environ.get("GWC", "build/gwc"))

HOST = "shop.example.com"

MIDDLEWARE = """apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: office, namespace: app}
spec:
  ipAllowList: {sourceRange: [10.0.0.0/8]}
"""


def route(match, priority, service, guarded=False):
    mw = "    middlewares: [{name: office}]\n" if guarded else ""
    return ("  - match: Host(`%s`) && %s\n    kind: Rule\n    priority: %d\n%s"
            "    services: [{name: %s, port: 80}]\n" % (HOST, match, priority, mw,
                                                       service))


def ingress_route(name, routes):
    return ("apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\n"
            "metadata: {name: %s, namespace: app}\nspec:\n  entryPoints: [web]\n"
            "  routes:\n%s" % (name, "".join(routes)))


def run_import(docs):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "in.yaml")
        with open(path, "w") as f:
            f.write("---\n".join(docs))
        r = subprocess.run([GWC, "import-ingress", "--provider", "traefik", path],
                           capture_output=True, text=True, cwd=d,
                           env=dict(os.environ, NO_COLOR="1"), timeout=300)
    return r


def strip_sources(stdout):
    """The output less its "# source: FILE:LINE" comments."""
    return re.sub(r"^# source: .*\n", "", stdout, flags=re.M)


def denied_routes(stdout):
    """Names of the HTTPRoutes without backendRefs (they answer 500)."""
    out = set()
    for doc in stdout.split("\n---\n"):
        m = re.search(r"^kind: HTTPRoute$", doc, re.M)
        if m and "backendRefs:" not in doc:
            out.add(re.search(r"^  name: (\S+)", doc, re.M).group(1))
    return out


class PrecedenceRegexCap(unittest.TestCase):
    def imported(self, docs):
        r = run_import(docs)
        again = run_import(list(reversed(docs)))
        self.assertEqual(strip_sources(r.stdout), strip_sources(again.stdout),
                         "output depends on input order")
        self.assertEqual(r.returncode, again.returncode)
        return r

    def test_guarded_regex_denies_exact_path_past_the_cap(self):
        # 300 open Exact paths the regex does not match fill the cap; the
        # one it matches sorts after them.
        bulk = [route("Path(`/api/v1/x%03d`)" % i, 10, "bulk") for i in range(300)]
        docs = [ingress_route("admin", [
                    route("PathRegexp(`^/api/v[0-9]+/admin`)", 1000, "admin", True),
                    route("Path(`/api/v2/admin`)", 10, "open")]),
                ingress_route("bulk", bulk), MIDDLEWARE]
        r = self.imported(docs)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"in\.yaml:7:40: warning: spec\.routes\[0\]\.match: "
                         r"more than 256 routes may meet .*\[GW0862\]")
        self.assertRegex(r.stderr, r"spec\.routes\[1\]\.match: access control not "
                         r"converted exactly: Traefik gives '/api/v2/admin' to "
                         r"app/admin first .*\[GW0831\]")
        self.assertEqual(denied_routes(r.stdout), {"admin-2-shop.example.com"})

    def test_open_regex_meets_guarded_prefix_past_the_cap(self):
        bulk = [route("Path(`/api/v1/x%03d`)" % i, 10, "bulk") for i in range(300)]
        docs = [ingress_route("users", [
                    route("PathRegexp(`^/api/v[0-9]+/users`)", 5, "users"),
                    route("PathPrefix(`/api/v9/`)", 100, "v9", True)]),
                ingress_route("bulk", bulk), MIDDLEWARE]
        r = self.imported(docs)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"spec\.routes\[0\]\.match: access control not "
                         r"converted exactly: Traefik gives requests under "
                         r"'/api/v9/' .*\[GW0831\]")
        self.assertEqual(denied_routes(r.stdout), {"users-shop.example.com"})

    def test_spent_budget_denies_the_rest(self):
        # Past the cap, routes with the regex's own access control and paths
        # it does not match each spend one unit of a budget of 256; once
        # spent, the open routes left answer 500 without a closer look.
        guarded = [route("Path(`/api/v1/admin/g%03d`)" % i, 10, "g", True)
                   for i in range(300)]
        open_ = [route("Path(`/api/v1/p%03d`)" % i, 10, "p") for i in range(300)]
        docs = [ingress_route("admin", [
                    route("PathRegexp(`^/api/v[0-9]+/admin`)", 1000, "admin", True)]),
                ingress_route("guarded", guarded), ingress_route("open", open_),
                MIDDLEWARE]
        r = self.imported(docs)
        self.assertEqual(r.returncode, 1, r.stderr)
        denied = denied_routes(r.stdout)
        self.assertTrue(denied, r.stderr)
        # only open routes, and the last ones in path order
        self.assertTrue(all(n.startswith("open-") for n in denied), denied)
        self.assertIn("open-300-shop.example.com", denied)
        self.assertNotIn("open-shop.example.com", denied)
        self.assertIn("past the 256 routes compared one by one", r.stderr)

    def test_same_access_control_is_never_denied(self):
        # 600 routes with the regex router's own allow list, all matched by
        # it: past the cap they pass the check without spending the budget.
        guarded = [route("Path(`/api/v1/admin/g%03d`)" % i, 10, "g", True)
                   for i in range(600)]
        docs = [ingress_route("admin", [
                    route("PathRegexp(`^/api/v[0-9]+/admin`)", 1000, "admin", True)]),
                ingress_route("guarded", guarded), MIDDLEWARE]
        r = self.imported(docs)
        self.assertIn("[GW0862]", r.stderr)
        self.assertNotIn("[GW0831]", r.stderr)
        self.assertEqual(denied_routes(r.stdout), set())

    def test_without_access_control_nothing_is_denied(self):
        bulk = [route("Path(`/api/v1/x%04d`)" % i, 10, "bulk") for i in range(1000)]
        docs = [ingress_route("api", [
                    route("PathRegexp(`^/api/v[0-9]+/admin`)", 1000, "admin"),
                    route("Path(`/api/v2/admin`)", 10, "open")]),
                ingress_route("bulk", bulk)]
        r = self.imported(docs)
        # exit 1 as for any approximation, but no route refused
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("0 errors", r.stderr)
        self.assertIn("[GW0862]", r.stderr)
        self.assertNotIn("[GW0831]", r.stderr)
        self.assertEqual(denied_routes(r.stdout), set())


def include_chain(depth, prefix):
    """A root HTTPProxy and a chain of depth proxies, each including the
    next under prefix."""
    docs = ["apiVersion: projectcontour.io/v1\nkind: HTTPProxy\n"
            "metadata: {name: root, namespace: shop}\n"
            "spec:\n  virtualhost: {fqdn: %s}\n"
            "  includes:\n  - {name: p0, namespace: shop, conditions: [{prefix: %s}]}\n"
            % (HOST, prefix)]
    for i in range(depth):
        inc = ("  includes:\n  - {name: p%d, namespace: shop, conditions: "
               "[{prefix: %s}]}\n" % (i + 1, prefix)) if i + 1 < depth else ""
        docs.append("apiVersion: projectcontour.io/v1\nkind: HTTPProxy\n"
                    "metadata: {name: p%d, namespace: shop}\n"
                    "spec:\n  routes:\n  - services: [{name: web, port: 80}]\n%s"
                    % (i, inc))
    return docs


# The peak RSS a run must stay under.  A sanitizer build (AddressSanitizer's
# shadow memory, an allocation per arena object) takes several times what
# the plain build takes, still far below the old code's 760 MB.
PEAK_LIMIT = (512 if os.environ.get("GWC_SANITIZED") else 256) << 10  # KiB


def run_measured(argv, workdir, timeout=120):
    """Runs argv and returns (result, peak RSS in KiB) of that one process,
    from wait4(), which an address-space limit would not give under a
    sanitizer (it reserves terabytes of shadow)."""
    out_path = os.path.join(workdir, "stdout")
    err_path = os.path.join(workdir, "stderr")
    with open(out_path, "w") as out, open(err_path, "w") as err:
        p = subprocess.Popen(argv, stdout=out, stderr=err)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(p.pid, 0)
    finally:
        timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path) as f_out, open(err_path) as f_err:
        r = subprocess.CompletedProcess(argv, p.returncode, f_out.read(), f_err.read())
    return r, usage.ru_maxrss


class ContourIncludeChain(unittest.TestCase):
    """Contour include chains concatenate their prefixes; a deep chain of
    long prefixes once made the import copy them at every level, memory
    by the square of the depth (760 MB for 5000 levels of 20 characters).
    Past a Gateway API path's 1024 characters nothing below converts: the
    include answers 500 there and the walk stops.  Its peak RSS must
    stay under 256 MiB, which the old code exceeded."""

    def test_deep_chain_of_long_prefixes_stays_small(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "chain.yaml")
            with open(path, "w") as f:
                f.write("---\n".join(include_chain(5000, "/" + "a" * 19)))
            out = os.path.join(d, "out.yaml")
            r, peak = run_measured([GWC, "import-ingress", "--provider", "contour",
                                    "-o", out, path], d)
            self.assertLess(peak, PEAK_LIMIT, "peak RSS %d KiB" % peak)
            self.assertEqual(r.returncode, 1, r.stderr[-2000:])
            self.assertIn("the include chain's prefixes are longer than a "
                          "Gateway API path", r.stderr)
            c = subprocess.run([GWC, "check", out], capture_output=True, text=True,
                               timeout=120)
            self.assertNotIn(": error:", c.stderr)


if __name__ == "__main__":
    unittest.main()
