"""gwc's pre-commit hooks, run by Debian's pre-commit in a scratch git
repository, offline: the hooks repository is a local git repository that
holds this checkout's .pre-commit-hooks.yaml, and the gwc on PATH is the
one just built.

GWC names the binary, SOURCE_ROOT the checkout."""
import os
import shutil
import subprocess
import tempfile
import textwrap
import unittest

import scratch

GWC = os.path.abspath(os.environ.get("GWC", "build/gwc"))
ROOT = os.environ.get("SOURCE_ROOT", ".")

GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  gatewayClassName: nginx
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {clusterIP: 10.96.0.10, ports: [{port: 80}]}
"""

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: %s}]
  rules:
  - backendRefs: [{name: web, port: 80}]
"""


class PreCommit(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.env = dict(os.environ, NO_COLOR="1",
                        PATH=os.path.dirname(GWC) + os.pathsep + os.environ["PATH"],
                        PRE_COMMIT_HOME=os.path.join(self.tmp, "cache"),
                        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
                        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        # The hooks repository, as a user's config names gwc's.
        hooks = os.path.join(self.tmp, "gwc-hooks")
        os.makedirs(hooks)
        shutil.copy(os.path.join(ROOT, ".pre-commit-hooks.yaml"), hooks)
        self.git(hooks, "init", "-q", "-b", "main")
        self.git(hooks, "add", ".")
        self.git(hooks, "commit", "-q", "-m", "hooks")
        rev = self.git(hooks, "rev-parse", "HEAD").strip()
        # The user's repository: a Gateway and a route in different
        # directories, a chart, Helm values.
        self.repo = os.path.join(self.tmp, "repo")
        self.write("infra/gateway.yaml", GATEWAY)
        self.write("routes/shop.yaml", ROUTE % "http")
        self.write("charts/shop/values.yaml", "replicaCount: 2\n")
        self.write("charts/shop/templates/svc.yaml",
                   "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n")
        self.write(".pre-commit-config.yaml", textwrap.dedent("""\
            repos:
            - repo: %s
              rev: %s
              hooks:
              - id: gwc-check
              - id: gwc-check-changed
            """ % (hooks, rev)))
        self.git(self.repo, "init", "-q", "-b", "main")
        self.git(self.repo, "add", ".")
        self.git(self.repo, "commit", "-q", "-m", "start")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def git(self, cwd, *args):
        r = subprocess.run(["git"] + list(args), cwd=cwd, env=self.env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def write(self, rel, text):
        scratch.write(self.repo, rel, text)

    def pre_commit(self, *args):
        return subprocess.run(["pre-commit", "run"] + list(args), cwd=self.repo,
                              env=self.env, capture_output=True, text=True, timeout=300)

    def test_all_files_pass(self):
        r = self.pre_commit("--all-files")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"gwc check\.+Passed")
        self.assertRegex(r.stdout, r"gwc check \(changed files\)\.+Passed")

    def test_a_broken_change_fails_both_hooks(self):
        self.write("routes/shop.yaml", ROUTE % "https")
        self.git(self.repo, "add", "routes/shop.yaml")
        r = self.pre_commit()
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertEqual(r.stdout.count("- hook id: gwc-check\n"), 1, r.stdout)
        self.assertEqual(r.stdout.count("- hook id: gwc-check-changed\n"), 1, r.stdout)
        self.assertIn("routes/shop.yaml:5:16: error: spec.parentRefs[0]: route does not "
                      "attach to Gateway shop/gw", r.stdout)

    def test_changed_file_checked_with_its_context(self):
        # Only the route changes; its Gateway is read from infra/ by
        # --context, and nothing of infra/ or charts/ is reported.
        self.write("routes/shop.yaml", ROUTE % "http" + "# reviewed\n")
        self.git(self.repo, "add", "routes/shop.yaml")
        r = self.pre_commit("gwc-check-changed")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"gwc check \(changed files\)\.+Passed")


if __name__ == "__main__":
    unittest.main()
