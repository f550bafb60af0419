"""`gwc compile -o DIR` never removes or overwrites a file it did not write.

DIR is written only when it does not exist, is empty, or holds gwc's marker
(DIR/.gwc-output, listing gwc's files); then exactly gwc's files are
replaced.  Everything else is refused with exit status 2 and a message
naming --force.  A running nginx keeps its pid file, logs and sockets across
recompiles; a failed write changes nothing; the unix sockets default to
DIR/sockets.
"""
import fcntl
import http.client
import os
import resource
import signal
import subprocess
import tempfile
import time
import unittest

from gwtest import procs
from gwtest.nginx import NGINX, NginxProcess, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
GWC = os.environ["GWC"]
EXAMPLES = os.path.normpath(os.path.join(HERE, "..", "..", "examples"))
MARKER = ".gwc-output"
# The default request headers, which http.conf includes.
HEADERS = ["gwc_grpc_headers.conf", "gwc_proxy_headers.conf"]


def gwc(*args, cwd=None, preexec_fn=None):
    return subprocess.run([GWC, "compile", "--fail-on=never", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, NO_COLOR="1"), preexec_fn=preexec_fn)


def snapshot(root):
    """Every entry under root: its type, mode and content (or link target)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            if os.path.islink(path):
                out[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                out[rel] = ("dir", st.st_mode)
            else:
                with open(path, "rb") as f:
                    out[rel] = ("file", st.st_mode, f.read())
    return out


def marker_paths(d):
    with open(os.path.join(d, MARKER)) as f:
        lines = f.read().split("\n")
    return lines[0], [l for l in lines[1:] if l and not l.startswith("#")]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class OutputDirectory(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = self._tmp.name
        self.out = os.path.join(self.tmp, "out")

    def tearDown(self):
        self._tmp.cleanup()

    def assert_refused(self, r, *words):
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("[GW0903]", r.stderr)
        for w in words:
            self.assertIn(w, r.stderr)
        self.assertNotIn("busy", r.stderr)

    def test_new_and_empty_directories_are_written_with_a_marker(self):
        r = gwc("-o", self.out, os.path.join(EXAMPLES, "tcp-udp"))
        self.assertEqual(r.returncode, 0, r.stderr)
        head, paths = marker_paths(self.out)
        self.assertEqual(head, "gwc-output 1")
        self.assertEqual(paths, HEADERS + ["http.conf", "nginx.conf", "stream.conf"])
        for d in ("logs", "tmp", "certs"):
            self.assertTrue(os.path.isdir(os.path.join(self.out, d)))
        empty = os.path.join(self.tmp, "empty")
        os.mkdir(empty)
        self.assertEqual(gwc("-o", empty, os.path.join(EXAMPLES, "seed")).returncode, 0)
        self.assertTrue(os.path.exists(os.path.join(empty, "nginx.conf")))
        self.assertEqual([n for n in os.listdir(self.tmp) if "staging" in n], [])

    def test_dot_is_the_current_directory(self):
        os.mkdir(self.out)
        seed = os.path.join(EXAMPLES, "seed")
        for _ in range(2):  # empty, then marked by the first run
            r = gwc("-o", ".", seed, cwd=self.out)
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(self.out)),
                         sorted([MARKER, "certs", "http.conf", "logs", "nginx.conf", "tmp"] +
                                HEADERS))
        t = subprocess.run([NGINX, "-t", "-q", "-p", self.out + "/", "-c", "nginx.conf",
                            "-e", "stderr"], capture_output=True, text=True)
        self.assertEqual(t.returncode, 0, t.stderr)
        write(os.path.join(self.tmp, "repo", "README"), "mine\n")
        r = gwc("-o", ".", seed, cwd=os.path.join(self.tmp, "repo"))
        self.assert_refused(r, "--force")
        self.assertEqual(os.listdir(os.path.join(self.tmp, "repo")), ["README"])

    def foreign(self):
        write(os.path.join(self.out, "notes.txt"), "mine\n")
        write(os.path.join(self.out, "nginx.conf"), "# my own nginx.conf\n")
        write(os.path.join(self.out, "conf.d", "site.conf"), "server {}\n")
        os.symlink("/etc/hostname", os.path.join(self.out, "link"))
        return snapshot(self.out)

    def test_a_directory_gwc_did_not_write_is_refused(self):
        before = self.foreign()
        r = gwc("-o", self.out, os.path.join(EXAMPLES, "seed"))
        self.assert_refused(r, "--force", "did not write")
        self.assertEqual(snapshot(self.out), before)

    def test_force_writes_gwc_files_and_touches_no_other(self):
        before = self.foreign()
        r = gwc("-o", self.out, "--force", os.path.join(EXAMPLES, "seed"))
        self.assertEqual(r.returncode, 0, r.stderr)
        after = snapshot(self.out)
        for rel in ("notes.txt", "conf.d", "conf.d/site.conf", "link"):
            self.assertEqual(after[rel], before[rel])
        self.assertIn(b"Generated by gwc", after["nginx.conf"][2])
        self.assertEqual(marker_paths(self.out)[1], HEADERS + ["http.conf", "nginx.conf"])
        # Adopted: the next run needs no --force.
        self.assertEqual(gwc("-o", self.out, os.path.join(EXAMPLES, "seed")).returncode, 0)

    def test_recompile_replaces_gwc_files_only(self):
        self.assertEqual(gwc("-o", self.out, os.path.join(EXAMPLES, "tcp-udp"),
                             os.path.join(EXAMPLES, "tls")).returncode, 0)
        self.assertIn("stream.conf", marker_paths(self.out)[1])
        certs = sorted(os.listdir(os.path.join(self.out, "certs")))
        self.assertTrue(certs)
        write(os.path.join(self.out, "notes.txt"), "mine\n")
        write(os.path.join(self.out, "logs", "nginx.pid"), "123\n")
        write(os.path.join(self.out, "certs", "my-own.pem"), "mine\n")
        r = gwc("-o", self.out, os.path.join(EXAMPLES, "seed"))
        self.assertEqual(r.returncode, 0, r.stderr)
        names = set(os.listdir(self.out))
        self.assertNotIn("stream.conf", names)  # gwc's, no longer produced
        self.assertEqual(os.listdir(os.path.join(self.out, "certs")), ["my-own.pem"])
        for rel in ("notes.txt", "logs/nginx.pid"):
            self.assertTrue(os.path.exists(os.path.join(self.out, rel)), rel)
        self.assertEqual(marker_paths(self.out)[1], HEADERS + ["http.conf", "nginx.conf"])

    def test_a_file_in_the_way_is_not_overwritten(self):
        self.assertEqual(gwc("-o", self.out, os.path.join(EXAMPLES, "seed")).returncode, 0)
        gwc("-o", os.path.join(self.tmp, "probe"), os.path.join(EXAMPLES, "tls"))
        cert = sorted(os.listdir(os.path.join(self.tmp, "probe", "certs")))[0]
        write(os.path.join(self.out, "certs", cert), "my certificate\n")
        before = snapshot(self.out)
        r = gwc("-o", self.out, os.path.join(EXAMPLES, "tls"))
        self.assert_refused(r, "certs/" + cert, "--force")
        self.assertEqual(snapshot(self.out), before)
        r = gwc("-o", self.out, "--force", os.path.join(EXAMPLES, "tls"))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.out, "certs", cert)) as f:
            self.assertIn("BEGIN", f.read())

    def test_a_marker_cannot_name_files_outside_gwc_output(self):
        victim = os.path.join(self.tmp, "victim")
        write(victim, "keep me\n")
        os.mkdir(self.out)
        for listed in ("../victim", victim, "a/../../victim", ".gwc-output"):
            with self.subTest(listed=listed):
                write(os.path.join(self.out, MARKER), "gwc-output 1\n%s\n" % listed)
                r = gwc("-o", self.out, os.path.join(EXAMPLES, "seed"))
                self.assert_refused(r, "not a marker gwc wrote", "--force")
                r = gwc("-o", self.out, "--force", os.path.join(EXAMPLES, "seed"))
                self.assertEqual(r.returncode, 0, r.stderr)
                with open(victim) as f:
                    self.assertEqual(f.read(), "keep me\n")
        write(os.path.join(self.out, MARKER), "something else\n")
        self.assert_refused(gwc("-o", self.out, os.path.join(EXAMPLES, "seed")), "first line")

    def test_links_inside_the_directory_are_not_followed(self):
        self.assertEqual(gwc("-o", self.out, os.path.join(EXAMPLES, "seed")).returncode, 0)
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.mkdir(elsewhere)
        os.rmdir(os.path.join(self.out, "certs"))
        os.symlink(elsewhere, os.path.join(self.out, "certs"))
        for force in ([], ["--force"]):
            r = gwc("-o", self.out, *force, os.path.join(EXAMPLES, "tls"))
            self.assert_refused(r, "symbolic link")
            self.assertEqual(os.listdir(elsewhere), [])

    def test_not_a_directory(self):
        write(self.out, "a file\n")
        r = gwc("-o", self.out, os.path.join(EXAMPLES, "seed"))
        self.assert_refused(r, "not a directory")
        with open(self.out) as f:
            self.assertEqual(f.read(), "a file\n")

    def test_one_writer_at_a_time(self):
        os.mkdir(self.out)
        fd = os.open(self.out, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            r = gwc("-o", self.out, os.path.join(EXAMPLES, "seed"))
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("another gwc is writing", r.stderr)
        finally:
            os.close(fd)
        self.assertEqual(os.listdir(self.out), [])

    def test_a_failed_write_changes_nothing(self):
        seed, tls = os.path.join(EXAMPLES, "seed"), os.path.join(EXAMPLES, "tls")
        self.assertEqual(gwc("-o", self.out, seed).returncode, 0)
        before = snapshot(self.out)

        def small_files():  # writes past 1500 bytes (tls's http.conf) fail with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (1500, 1500))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

        r = gwc("-o", self.out, tls, preexec_fn=small_files)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("[GW0902]", r.stderr)
        self.assertEqual(snapshot(self.out), before)
        fresh = os.path.join(self.tmp, "fresh")
        r = gwc("-o", fresh, tls, preexec_fn=small_files)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertFalse(os.path.exists(fresh))

    def test_a_write_failing_in_the_middle_of_a_file_changes_nothing(self):
        # http.conf is written to disk while it is made, in pieces: a disk
        # that fills up in the middle of it leaves DIR as it was, and no
        # staging directory behind.
        seed = os.path.join(EXAMPLES, "seed")
        big = os.path.join(self.tmp, "big")
        for name in ("gateway.yaml", "service.yaml"):
            with open(os.path.join(seed, name)) as f:
                write(os.path.join(big, name), f.read())
        routes = []
        for i in range(1000):
            routes.append(
                "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                "metadata: {name: r%d, namespace: default}\n"
                "spec:\n  parentRefs: [{name: contour, namespace: contour}]\n"
                "  hostnames: [h%d.example.com]\n"
                "  rules:\n  - backendRefs: [{name: myapp-svc, port: 80}]\n" % (i, i))
        write(os.path.join(big, "routes.yaml"), "---\n".join(routes))
        self.assertEqual(gwc("-o", self.out, seed).returncode, 0)
        before = snapshot(self.out)
        whole = os.path.join(self.tmp, "whole")
        self.assertEqual(gwc("-o", whole, big).returncode, 0)
        size = os.path.getsize(os.path.join(whole, "http.conf"))
        limit = size // 2
        self.assertGreater(limit, 64 << 10)  # more than one piece is written

        def half_a_file():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

        r = gwc("-o", self.out, big, preexec_fn=half_a_file)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("[GW0902]", r.stderr)
        self.assertIn("http.conf", r.stderr)
        self.assertEqual(snapshot(self.out), before)

    def test_sockets_default_to_the_output_directory(self):
        tls = os.path.join(EXAMPLES, "tls")
        r = gwc("-o", "out/", tls, cwd=self.tmp)  # relative, made absolute
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.out, "http.conf")) as f:
            self.assertIn('"unix:%s/sockets/gw-443-https.sock"' % self.out, f.read())
        self.assertTrue(os.path.isdir(os.path.join(self.out, "sockets")))
        deep = os.path.join(self.tmp, "d" * 60)
        r = gwc("-o", deep, tls)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("[GW0904]", r.stderr)
        self.assertIn("--socket-dir", r.stderr)
        self.assertFalse(os.path.exists(deep))
        self.assertEqual(gwc("-o", deep, os.path.join(EXAMPLES, "seed")).returncode, 0)
        self.assertFalse(os.path.exists(os.path.join(deep, "sockets")))
        r = gwc("-o", deep, "--socket-dir", os.path.join(self.tmp, "s"), tls)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_running_nginx_survives_a_recompile(self):
        port = free_port()
        route = ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
                 "metadata: {name: gw, namespace: default}\n"
                 "spec:\n  gatewayClassName: nginx\n"
                 "  listeners: [{name: http, protocol: HTTP, port: 80}]\n---\n"
                 "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                 "metadata: {name: r, namespace: default}\n"
                 "spec:\n  parentRefs: [{name: gw}]\n"
                 "  rules: [{filters: [{type: RequestRedirect, requestRedirect: "
                 "{hostname: example.org, statusCode: %d}}]}]\n")
        manifest = os.path.join(self.tmp, "in.yaml")
        args = ["-o", self.out, "--listen-address", "127.0.0.1", "--port-map",
                "80=%d" % port, manifest]

        def get():
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                c.request("GET", "/", headers={"Host": "a.example.com"})
                return c.getresponse().status
            finally:
                c.close()

        write(manifest, route % 302)
        self.assertEqual(gwc(*args).returncode, 0)
        with NginxProcess(self.out, tcp_ports=[port]) as nginx:
            self.assertEqual(get(), 302)
            write(os.path.join(self.out, "logs", "mine.txt"), "mine\n")
            write(manifest, route % 301)
            r = gwc(*args)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(self.out, "logs", "nginx.pid")) as f:
                self.assertEqual(int(f.read()), nginx.pid)
            self.assertTrue(os.path.exists(os.path.join(self.out, "logs", "mine.txt")))
            old_workers = set(procs.children_of(nginx.pid))
            reload = subprocess.run([NGINX, "-p", self.out + "/", "-c", "nginx.conf",
                                     "-s", "reload"], capture_output=True, text=True)
            self.assertEqual(reload.returncode, 0, reload.stderr)
            # Until the old workers have exited, they may still accept.
            deadline = time.monotonic() + 10
            while (any(procs.pid_alive(p) for p in old_workers)
                   and time.monotonic() < deadline):
                time.sleep(0.05)
            self.assertTrue(old_workers)
            self.assertFalse([p for p in old_workers if procs.pid_alive(p)])
            self.assertEqual([get() for _ in range(5)], [301] * 5)

    def test_help_says_how_to_run_and_force(self):
        r = subprocess.run([GWC, "help", "compile"], capture_output=True, text=True)
        text = " ".join(r.stdout.split())  # as the help wraps it
        self.assertIn("nginx -p DIR/ -c nginx.conf", text)
        self.assertIn("--force", text)
        self.assertIn(".gwc-output", text)


if __name__ == "__main__":
    unittest.main()
