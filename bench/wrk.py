#!/usr/bin/env python3
"""Per-request cost of gwc's nginx configuration against the hand-written
equivalent: the same routing (bench/gen_repo.py at N routes, every endpoint
at one local backend, its listeners plain HTTP: wrk sends no SNI but the
address it connects to), served by nginx with one worker, driven by wrk
with keep-alive.  For each request kind (a header-matched /api
request, a request split 90/10, an exact-path redirect) it reports the
gateway worker's CPU time per request, in microseconds, median over paired
rounds (in each round every configuration runs once, in rotating order).

Only loopback addresses are used; every process started is stopped by its
PID, also on failure.

usage: wrk.py [--n N] [--rounds R] [--seconds S] NAME=GWC_BINARY...
  e.g. wrk.py --n 10000 before=/tmp/main/build/gwc after=build/gwc
"""
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402
import gen_repo  # noqa: E402
import handwritten  # noqa: E402

NGINX = "/usr/sbin/nginx"
TICK = os.sysconf("SC_CLK_TCK")

# (name, path, extra headers): route 0 is app-0.example.com, tenant-0,
# PathPrefix /api; its catch-all rule splits, /old redirects.
KINDS = [
    ("header-matched", "/api/v1", ["X-Tenant: tenant-0"], 200),
    ("split", "/shop", [], 200),
    ("redirect", "/old", [], 301),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=600):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError("nginx exited with %d" % proc.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("nginx did not listen on %d" % port)


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(d))
    return out


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


class Nginx:
    """nginx in the foreground on a prefix; stopped by PID."""

    def __init__(self, prefix, port):
        os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
        os.makedirs(os.path.join(prefix, "tmp"), exist_ok=True)
        self.proc = subprocess.Popen(
            [NGINX, "-p", prefix + "/", "-c", os.path.join(prefix, "nginx.conf"),
             "-e", "stderr", "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(port, self.proc)
            workers = children(self.proc.pid)
            if len(workers) != 1:
                raise RuntimeError("expected one worker, found %s" % workers)
            self.worker = workers[0]
        except Exception:
            self.stop()
            raise

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def backend_conf(prefix, port):
    os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        f.write("""worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path logs;
    proxy_temp_path logs;
    fastcgi_temp_path logs;
    uwsgi_temp_path logs;
    scgi_temp_path logs;
    server {
        listen 127.0.0.1:%d;
        keepalive_requests 100000;
        location / { return 200 "ok"; }
    }
}
""" % port)


def status_of(port, path, headers):
    """One request by hand: a run only counts if it is answered as meant."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=dict(
            [("Host", "app-0.example.com")] + [h.split(": ", 1) for h in headers]))
        return conn.getresponse().status
    finally:
        conn.close()


def run_wrk(port, path, headers, seconds):
    cmd = ["wrk", "-t1", "-c4", "-d%ds" % seconds, "-H", "Host: app-0.example.com"]
    for h in headers:
        cmd += ["-H", h]
    cmd.append("http://127.0.0.1:%d%s" % (port, path))
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    m = re.search(r"(\d+) requests in", out)
    return int(m.group(1))


def main():
    args = sys.argv[1:]
    n, rounds, seconds = 1000, 3, 5
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--n":
            n = int(args.pop(0))
        elif opt == "--rounds":
            rounds = int(args.pop(0))
        elif opt == "--seconds":
            seconds = int(args.pop(0))
        else:
            sys.exit(__doc__)
    binaries = [a.split("=", 1) for a in args]
    if not binaries or any(len(b) != 2 for b in binaries):
        sys.exit(__doc__)
    work = tempfile.mkdtemp(prefix="gwc-wrk-")
    started = []
    try:
        backend_port, http_port, https_port = free_port(), free_port(), free_port()
        gen_repo.ENDPOINT = ("127.0.0.1", backend_port)
        gen_repo.PLAIN = True
        pem = bench.make_certs(os.path.join(work, "certs"))
        with open(os.path.join(work, "certs", "tls.crt")) as c, \
                open(os.path.join(work, "certs", "tls.key")) as k:
            gen_repo.write(n, os.path.join(work, "repo"), c.read(), k.read())
        configs = []
        for name, gwc in binaries:
            out = os.path.join(work, name)
            subprocess.run([os.path.abspath(gwc), "compile", "--fail-on=error",
                            "--listen-address", "127.0.0.1",
                            "--port-map", "80=%d" % http_port,
                            "--port-map", "443=%d" % https_port,
                            "-o", out, os.path.join(work, "repo")],
                           check=True, capture_output=True)
            configs.append((name, out))
        hand = os.path.join(work, "hand")
        handwritten.write(n, hand, pem, http_port, https_port, plain=True)
        configs.append(("hand-written", hand))
        backend_conf(os.path.join(work, "backend"), backend_port)
        backend = Nginx(os.path.join(work, "backend"), backend_port)
        started.append(backend)
        samples = {(c, k[0]): [] for c, _ in configs for k in KINDS}
        for r in range(rounds):
            for ci in range(len(configs)):
                name, prefix = configs[(ci + r) % len(configs)]
                gw = Nginx(prefix, http_port)
                started.append(gw)
                try:
                    for kind, path, headers, want in KINDS:
                        got = status_of(http_port, path, headers)
                        if got != want:
                            raise RuntimeError("%s: %s %s answered %d, not %d"
                                               % (name, kind, path, got, want))
                        run_wrk(http_port, path, headers, 1)  # warm up
                        before = cpu_ticks(gw.worker)
                        reqs = run_wrk(http_port, path, headers, seconds)
                        used = (cpu_ticks(gw.worker) - before) / TICK
                        samples[(name, kind)].append(used / reqs * 1e6)
                finally:
                    gw.stop()
                    started.remove(gw)
        print("N=%d routes, nginx 1 worker, wrk -t1 -c4 with keep-alive, "
              "%d rounds of %d s; gateway worker CPU per request (median):" %
              (n, rounds, seconds))
        print("| configuration | " + " | ".join(k[0] for k in KINDS) + " |")
        print("|---|" + "---|" * len(KINDS))
        for name, _ in configs:
            print("| %s | %s |" % (name, " | ".join(
                "%.1f µs" % statistics.median(samples[(name, k[0])]) for k in KINDS)))
    finally:
        for p in started:
            p.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
