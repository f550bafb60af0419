"""Experiment harness for docs/policies.md: echo and auth backends, an nginx
on loopback high ports with its own prefix, curl; everything stopped by PID.
Files go to a private temporary directory, WORK."""
import http.server, json, os, signal, socket, subprocess, sys, tempfile, threading, time, shutil, atexit

WORK = tempfile.mkdtemp(prefix="gwc-nginxlab-")
os.chmod(WORK, 0o755)  # nginx workers may run as another user
atexit.register(shutil.rmtree, WORK, True)

def workfile(name, data, mode=0o644):
    """Writes WORK/name and returns its path."""
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(data)
    os.chmod(path, mode)
    return path

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    name = "echo"
    def log_message(self, *a): pass
    def _do(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                ln = int(self.rfile.readline().strip(), 16)
                if ln == 0:
                    self.rfile.readline(); break
                body += self.rfile.read(ln); self.rfile.readline()
        elif n:
            body = self.rfile.read(n)
        q = self.path.split("?", 1)[1] if "?" in self.path else ""
        params = dict(p.split("=", 1) for p in q.split("&") if "=" in p)
        status = int(params.get("status", 200))
        if "sleep" in params: time.sleep(float(params["sleep"]))
        out = json.dumps({"server": self.server.name, "method": self.command, "path": self.path,
                          "headers": {k: v for k, v in self.headers.items()}, "body_len": len(body)}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        if "hdr" in params:
            k, v = params["hdr"].split(":", 1); self.send_header(k, v)
        self.end_headers(); self.wfile.write(out)
    do_GET = do_POST = do_PUT = do_HEAD = _do

class Auth(http.server.BaseHTTPRequestHandler):
    """Decides by the X-Test-Auth request header: allow | 401 | 403 | 500 | 302 | slow."""
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def _do(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n: self.rfile.read(n)
        mode = self.headers.get("X-Test-Auth", "allow")
        self.server.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers.items())})
        if mode == "slow": time.sleep(3)
        code = {"allow": 200, "slow": 200}.get(mode) or int(mode)
        self.send_response(code)
        self.send_header("X-Auth-User", "alice")
        self.send_header("X-Auth-Email", "alice@example.com")
        self.send_header("X-Other", "nope")
        if code == 401: self.send_header("WWW-Authenticate", 'Bearer realm="ext"')
        if code == 302: self.send_header("Location", "https://login.example.com/")
        self.send_header("Content-Length", "4")
        self.end_headers(); self.wfile.write(b"auth")
    do_GET = do_POST = do_HEAD = _do

def serve(handler, name):
    port = free_port()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    srv.name = name; srv.seen = []; srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, port

class Nginx:
    def __init__(self, conf):
        self.dir = tempfile.mkdtemp(prefix="ngx", dir=WORK)
        os.makedirs(self.dir + "/logs"); os.makedirs(self.dir + "/tmp"); os.chmod(self.dir, 0o755); os.chmod(self.dir + "/tmp", 0o777)
        full = ("worker_processes 1; pid logs/nginx.pid; error_log logs/error.log info;\n"
                "daemon off; events { worker_connections 256; }\n"
                "http { access_log logs/access.log; client_body_temp_path tmp/cb; proxy_temp_path tmp/p;"
                " fastcgi_temp_path tmp/f; uwsgi_temp_path tmp/u; scgi_temp_path tmp/s;\n" + conf + "\n}\n")
        open(self.dir + "/nginx.conf", "w").write(full)
        t = subprocess.run(["nginx", "-t", "-p", self.dir + "/", "-c", self.dir + "/nginx.conf"], capture_output=True, text=True)
        if t.returncode:
            print(t.stderr); raise SystemExit("nginx -t failed")
        self.p = subprocess.Popen(["nginx", "-p", self.dir + "/", "-c", self.dir + "/nginx.conf"],
                                  stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        atexit.register(self.stop)
        time.sleep(0.4)
    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGQUIT)
            try: self.p.wait(5)
            except subprocess.TimeoutExpired: self.p.kill(); self.p.wait()
    def errlog(self):
        return open(self.dir + "/logs/error.log").read()

def curl(*args):
    """Returns (status, headers-dict-lowercase, body)."""
    r = subprocess.run(["curl", "-s", "-i", "--max-time", "8", *args], capture_output=True)
    raw = r.stdout
    # skip 100-continue blocks
    while raw.startswith(b"HTTP/1.1 100"):
        raw = raw.split(b"\r\n\r\n", 1)[1]
    if b"\r\n\r\n" not in raw:
        return (0, {}, raw.decode(errors="replace"))
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode(errors="replace").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for l in lines[1:]:
        k, v = l.split(":", 1); hdrs.setdefault(k.strip().lower(), []).append(v.strip())
    return status, hdrs, body.decode(errors="replace")

RESULTS = []
def check(name, cond, detail=""):
    RESULTS.append((name, bool(cond)))
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else "  -- " + str(detail)))


def dispatch_conf(port, backend_port, server_extra, locations):
    """An http{} body shaped like gwc's dispatch: the X-Route header picks
    the named location @r_<value> (default @r_a) through error_page 418."""
    return f"""
map $http_x_route $gw_d0 {{ "~^b$" "@r_b"; "~^c$" "@r_c"; "~^d$" "@r_d"; default "@r_a"; }}
upstream app {{ server 127.0.0.1:{backend_port}; }}
server {{
    listen 127.0.0.1:{port};
{server_extra}
{locations}
}}"""
