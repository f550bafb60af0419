import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
import collections
backs = [serve(Echo, f"pod{i}") for i in range(4)]
port = free_port()
servers = "".join(f"server 127.0.0.1:{p};" for _, p in backs)
conf = f"""
map $cookie_gwsticky $gw_aff_key {{ "" $request_id; default $cookie_gwsticky; }}
map $cookie_gwsticky $gw_aff_set {{ "" "gwsticky=${{request_id}}; Path=/; HttpOnly; SameSite=Lax"; default ""; }}
map $http_x_user $gw_hkey {{ "" $request_id; default $http_x_user; }}
upstream h_cookie {{ hash $gw_aff_key consistent; {servers} keepalive 8; }}
upstream h_header {{ hash $gw_hkey consistent; {servers} keepalive 8; }}
upstream h_raw {{ hash $http_x_user consistent; {servers} }}
upstream lc {{ least_conn; {servers} }}
upstream retry3 {{ server 127.0.0.1:1 max_fails=0; server 127.0.0.1:1 max_fails=0; server 127.0.0.1:{backs[0][1]} max_fails=0; }}
map $http_x_route $gw_d0 {{ "~^b$" "@r_b"; "~^c$" "@r_c"; "~^d$" "@r_d"; default "@r_a"; }}
server {{
    listen 127.0.0.1:{port};
    proxy_http_version 1.1;
    location / {{ error_page 418 = $gw_d0; return 418; }}
    location @r_a {{ add_header Set-Cookie $gw_aff_set; proxy_set_header Connection ""; proxy_pass http://h_cookie; }}
    location @r_b {{ proxy_pass http://h_header; }}
    location @r_c {{ proxy_pass http://h_raw; }}
    location @r_d {{ proxy_next_upstream error timeout; proxy_next_upstream_tries 3; proxy_pass http://retry3; }}
}}"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}/x"
s, h, b = curl(u)
cookie = h.get("set-cookie", [""])[0]
first = json.loads(b)["server"]
print("   first answer", first, "Set-Cookie:", cookie)
check("no cookie: gwc issues the affinity cookie", cookie.startswith("gwsticky=") and "HttpOnly" in cookie, h)
val = cookie.split(";")[0]
seen = {json.loads(curl("-H", f"Cookie: {val}", u)[2])["server"] for _ in range(10)}
check("with the cookie every request reaches the backend that served the first one", seen == {first}, (first, seen))
s, h, b = curl("-H", f"Cookie: {val}", u)
check("no Set-Cookie once the client has the cookie", "set-cookie" not in h, h)
spread = collections.Counter(json.loads(curl(u)[2])["server"] for _ in range(40))
check("clients without the cookie are spread over the backends", len(spread) >= 3, spread)
same = {json.loads(curl("-H", "X-Route: b", "-H", "X-User: bob", u)[2])["server"] for _ in range(10)}
check("hash on a header: same header value, same backend", len(same) == 1, same)
spread = collections.Counter(json.loads(curl("-H", "X-Route: b", u)[2])["server"] for _ in range(40))
check("hash on a header: requests without the header spread (map fallback to $request_id)", len(spread) >= 3, spread)
raw = collections.Counter(json.loads(curl("-H", "X-Route: c", u)[2])["server"] for _ in range(20))
check("raw 'hash $http_x_user consistent': requests without the header are balanced round robin (empty key)", len(raw) >= 3, raw)
s, h, b = curl("-H", "X-Route: d", u)
check("retries over repeated server entries (tries 3) reach the live one", s == 200, (s, b))
n.stop()
