"""The README's run commands work as written, for an unprivileged user.

The shell block under the marker in README.md is read from the README itself
(so the two cannot drift) and run line by line, exactly, in a fresh copy of
what a checkout holds (build/gwc and examples/), as the user nobody with the
PATH Debian gives unprivileged users.  The curl line is sent by the test
(curl is not a dependency); its answer must be the one the README describes.

As root the commands run in a network namespace of their own, so the fixed
ports the README names cannot collide with anything on the machine; nginx
is stopped by the README's own command, and by PID should that fail.
Without root they run as the current user if those ports are free.
"""
import http.client
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
MARKER = "<!-- tests/cli/test_readme_run.py runs this block as written -->"
USER_PATH = "/usr/local/bin:/usr/bin:/bin"  # Debian's PATH for non-root users


def readme_block():
    with open(os.path.join(ROOT, "README.md")) as f:
        lines = f.read().split("\n")
    i = lines.index(MARKER)
    if lines[i + 1] != "```sh":
        raise AssertionError("the marked README block is not a ```sh block")
    end = lines.index("```", i + 2)
    return [l for l in lines[i + 2:end] if l.strip()]


def classify(block):
    """The block's lines by role: compile, start, request, stop."""
    roles = {}
    for line in block:
        argv = shlex.split(line)
        if argv[:2] == ["./build/gwc", "compile"]:
            roles["compile"] = line
        elif argv[0].endswith("nginx") and "-s" not in argv:
            roles["start"] = line
        elif argv[0].endswith("nginx"):
            roles["stop"] = line
        elif argv[0] == "curl":
            roles["request"] = argv
    missing = {"compile", "start", "request", "stop"} - set(roles)
    if missing:
        raise AssertionError("the README block lacks %s" % sorted(missing))
    return roles


def request(curl_argv):
    """What `curl -i -H ... URL` asks, sent with http.client."""
    headers, url, args = {}, None, iter(curl_argv[1:])
    for a in args:
        if a == "-H":
            name, _, value = next(args).partition(":")
            headers[name.strip()] = value.strip()
        elif not a.startswith("-"):
            url = urllib.parse.urlsplit(a)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request("GET", url.path or "/", headers=headers)
        r = conn.getresponse()
        return r.status, r.getheader("Location")
    finally:
        conn.close()


def wait_listening(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def run_block(workdir, as_nobody):
    """Runs the README block in workdir; returns a list of problems."""
    roles = classify(readme_block())
    env = {"PATH": USER_PATH, "HOME": workdir, "LC_ALL": "C"}
    user = {"user": "nobody", "group": "nogroup", "extra_groups": []} if as_nobody else {}
    problems, pid = [], None

    def sh(line):
        return subprocess.run(["sh", "-c", line], cwd=workdir, env=env, capture_output=True,
                              text=True, timeout=120, **user)

    try:
        r = sh(roles["compile"])
        if r.returncode != 0:
            return ["compile exited %d:\n%s" % (r.returncode, r.stderr)]
        r = sh(roles["start"])
        if r.returncode != 0:
            return ["nginx exited %d:\n%s" % (r.returncode, r.stderr)]
        with open(os.path.join(workdir, "out", "logs", "nginx.pid")) as f:
            pid = int(f.read())
        url = urllib.parse.urlsplit([a for a in roles["request"] if "://" in a][0])
        if not wait_listening(url.port):
            return ["nothing listens on port %d" % url.port]
        status, location = request(roles["request"])
        if (status, location) != (301, "https://www.example.com/"):
            problems.append("the request got %s %s" % (status, location))
        r = sh(roles["stop"])
        if r.returncode != 0:
            problems.append("the stop command exited %d:\n%s" % (r.returncode, r.stderr))
        deadline = time.monotonic() + 10
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if alive(pid):
            problems.append("nginx (pid %d) still runs after the stop command" % pid)
        return problems
    finally:
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)


def prepare(tmp, gwc, owner):
    """A checkout as the README assumes: build/gwc and examples/."""
    os.makedirs(os.path.join(tmp, "build"))
    shutil.copy2(gwc, os.path.join(tmp, "build", "gwc"))
    shutil.copytree(os.path.join(ROOT, "examples"), os.path.join(tmp, "examples"))
    if owner is not None:
        for dirpath, dirnames, filenames in os.walk(tmp):
            for name in [dirpath] + [os.path.join(dirpath, n) for n in dirnames + filenames]:
                os.chown(name, owner.pw_uid, owner.pw_gid)


def bring_up_loopback():
    """lo is down in a new network namespace: SIOCSIFFLAGS IFF_UP|IFF_RUNNING."""
    import fcntl
    import struct
    with socket.socket() as s:
        fcntl.ioctl(s.fileno(), 0x8914, struct.pack("16sH14x", b"lo", 0x1 | 0x40))


def ports_free(block):
    wanted = [int(p.split("=")[1]) for l in block for p in shlex.split(l) if "=" in p
              and p.split("=")[0].isdigit()]
    for port in wanted + [5432]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


class ReadmeRun(unittest.TestCase):
    def test_readme_commands_work_as_written(self):
        gwc = os.environ["GWC"]
        root = os.geteuid() == 0
        with tempfile.TemporaryDirectory() as tmp:
            work = os.path.join(tmp, "checkout")
            nobody = pwd.getpwnam("nobody") if root else None
            if root:
                os.chmod(tmp, 0o755)
            prepare(work, gwc, nobody)
            if root and subprocess.run(["unshare", "--net", "true"]).returncode == 0:
                r = subprocess.run(["unshare", "--net", "--", sys.executable, __file__,
                                    "--inner", work], capture_output=True, text=True,
                                   timeout=300)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                return
            if not ports_free(readme_block()):
                self.skipTest("the ports the README uses are busy on this machine")
            self.assertEqual(run_block(work, as_nobody=root), [])

    def test_compile_section_runs_nginx_the_same_way(self):
        roles = classify(readme_block())
        with open(os.path.join(ROOT, "README.md")) as f:
            text = f.read()
        section = text[text.index("### compile"):text.index("### status")]
        self.assertIn("\n" + roles["start"] + "\n", section)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inner"]:
        bring_up_loopback()
        problems = run_block(sys.argv[2], as_nobody=True)
        print("\n".join(problems))
        sys.exit(1 if problems else 0)
    unittest.main()
