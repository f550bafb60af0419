import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
echo, ep = serve(Echo, "app")
auth, ap = serve(Auth, "auth")
port = free_port()
workfile("ht_locked", "alice:{PLAIN}pw\n", 0o600)
workfile("ht_open", "alice:{PLAIN}pw\n")
conf = f"""
map $http_x_route $gw_d0 {{ "~^b$" "@r_b"; "~^c$" "@r_c"; default "@r_a"; }}
server {{
    listen 127.0.0.1:{port} default_server;
    client_header_timeout 1s;
    location / {{ return 404; }}
}}
server {{
    listen 127.0.0.1:{port};
    server_name a.test;
    client_header_timeout 6s;
    location / {{ error_page 418 = $gw_d0; return 418; }}
    location @r_a {{ satisfy any; allow 10.0.0.0/8; deny all; auth_basic "r"; auth_basic_user_file {WORK}/ht_open; proxy_pass http://127.0.0.1:{ep}; }}
    location @r_b {{ auth_basic "r"; auth_basic_user_file {WORK}/ht_open; auth_request /_a; proxy_pass http://127.0.0.1:{ep}; }}
    location @r_c {{ auth_basic "r"; auth_basic_user_file {WORK}/ht_locked; proxy_pass http://127.0.0.1:{ep}; }}
    location = /_a {{ internal; proxy_pass_request_body off; proxy_set_header Content-Length ""; proxy_pass http://127.0.0.1:{ap}; }}
}}"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}/x"
H = ("-H", "Host: a.test")
s, h, b = curl(*H, u); check("satisfy any: not in allow list, no credentials -> 401 (asks for credentials)", s == 401, s)
s, h, b = curl(*H, "-u", "alice:pw", u); check("satisfy any: credentials alone suffice", s == 200, s)
s, h, b = curl(*H, "-H", "X-Route: b", "-u", "alice:pw", "-H", "X-Test-Auth: 403", u); check("basic ok + external auth denies -> 403 (satisfy all)", s == 403, s)
s, h, b = curl(*H, "-H", "X-Route: b", "-H", "X-Test-Auth: allow", u); check("external auth allows but no basic credentials -> 401", s == 401, s)
s, h, b = curl(*H, "-H", "X-Route: b", "-u", "alice:pw", u); check("both pass -> 200", s == 200, s)
if os.geteuid() == 0:  # workers run as nobody then, the file belongs to root
    s, h, b = curl(*H, "-H", "X-Route: c", "-u", "alice:pw", u); check("htpasswd file unreadable by the worker (0600, other owner) -> 500, never open", s == 500, s)
# client_header_timeout: which server's value applies?
t0 = time.time(); sk = socket.create_connection(("127.0.0.1", port)); sk.settimeout(10)
sk.sendall(b"GET / HTTP/1.1\r\nHost: a.test\r\n")
try: data = sk.recv(100)
except Exception as e: data = repr(e).encode()
el = time.time() - t0; sk.close()
print(f"   partial header with Host a.test closed after {el:.1f}s: {data[:40]!r}")
check("client_header_timeout comes from the default server of the socket (1s), not the Host's server (6s)", el < 3, el)
n.stop()
