import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
echo, ep = serve(Echo, "app")
port = free_port()
conf = f"""
limit_req_zone $binary_remote_addr zone=rl:1m rate=1r/m;
map $http_x_route $gw_d0 {{ "~^b$" "@r_b"; "~^c$" "@r_c"; default "@r_a"; }}
upstream app {{ server 127.0.0.1:{ep}; }}
server {{
    listen 127.0.0.1:{port};
    listen 127.0.0.2:{port};
    set_real_ip_from 127.0.0.1;
    real_ip_header X-Forwarded-For;
    real_ip_recursive on;
    location / {{ error_page 418 = $gw_d0; return 418; }}
    location @r_a {{ deny 10.0.0.5; allow 10.0.0.0/8; deny all; proxy_set_header X-Seen-Addr $remote_addr; proxy_pass http://app; }}
    location @r_b {{ limit_req zone=rl nodelay; proxy_pass http://app; }}
    location @r_c {{ allow 10.0.0.1/8; deny all; proxy_pass http://app; }}
}}"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}/x"
s, h, b = curl("-H", "X-Forwarded-For: 10.1.2.3", u)
check("trusted peer + XFF in allow list -> 200", s == 200, s)
if s == 200: check("backend sees the real client address", json.loads(b)["headers"].get("X-Seen-Addr") == "10.1.2.3", b)
s, h, b = curl("-H", "X-Forwarded-For: 10.0.0.5", u); check("deny before allow: denied host inside allowed range -> 403", s == 403, s)
s, h, b = curl("-H", "X-Forwarded-For: 8.8.8.8", u); check("XFF outside allow list -> 403", s == 403, s)
s, h, b = curl(u); check("no XFF: peer 127.0.0.1 outside allow list -> 403", s == 403, s)
s, h, b = curl("-H", "X-Forwarded-For: 10.1.2.3, 127.0.0.1", u); check("recursive: trusted hops skipped from the right -> 10.1.2.3 -> 200", s == 200, s)
s, h, b = curl("-H", "X-Forwarded-For: 8.8.8.8, 10.1.2.3", u); check("spoofed leftmost entry ignored: rightmost untrusted entry used (10.1.2.3) -> 200", s == 200, s)
s, h, b = curl("--interface", "127.0.0.2", "-H", "X-Forwarded-For: 10.1.2.3", f"http://127.0.0.2:{port}/x")
check("untrusted peer (127.0.0.2): XFF ignored -> peer address used -> 403", s == 403, s)
a = curl("-H", "X-Route: b", "-H", "X-Forwarded-For: 10.9.9.1", u)[0]
b2 = curl("-H", "X-Route: b", "-H", "X-Forwarded-For: 10.9.9.2", u)[0]
c = curl("-H", "X-Route: b", "-H", "X-Forwarded-For: 10.9.9.1", u)[0]
check("limit_req keyed by $binary_remote_addr counts the real client address", (a, b2, c) == (200, 200, 503), (a, b2, c))
s, h, b = curl("-H", "X-Route: c", "-H", "X-Forwarded-For: 10.200.0.1", u)
check("allow 10.0.0.1/8 is treated as 10.0.0.0/8 (host bits dropped)", s == 200, s)
n.stop()
t = subprocess.run(["nginx", "-t", "-p", n.dir + "/", "-c", n.dir + "/nginx.conf"], capture_output=True, text=True)
print("   nginx -t says:", [l for l in t.stderr.splitlines() if "meaningless" in l])
