import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
import collections
backs = [serve(Echo, f"pod{i}") for i in range(2)]
canary = serve(Echo, "canary")
port = free_port()
conf = f"""
limit_req_zone $binary_remote_addr zone=gw_rl_g:1m rate=3r/m;
limit_req_zone $binary_remote_addr zone=gw_rl_r:1m rate=100r/s;
map $cookie_s $gw_key {{ "" $request_id; default $cookie_s; }}
split_clients "${{gw_key}}" $gw_split {{ 50% "b0"; * "b1"; }}
upstream main {{ hash $gw_key consistent; server 127.0.0.1:{backs[0][1]}; server 127.0.0.1:{backs[1][1]}; }}
upstream dead_x2 {{ server 127.0.0.1:1 max_fails=0; server 127.0.0.1:1 max_fails=0; }}
server {{
    listen 127.0.0.1:{port};
    error_page 503 @gw_e503;
    location @gw_e503 {{ default_type text/plain; return 503 "custom 503\\n"; }}
    location @gw_unavailable {{ return 503; }}
    location /s {{ error_page 418 = "@s_${{gw_split}}"; return 418; }}
    location @s_b0 {{ proxy_pass http://main; }}
    location @s_b1 {{ proxy_pass http://127.0.0.1:{canary[1]}; }}
    location /retry_off {{
        error_page 503 @gw_e503;
        proxy_next_upstream error timeout; proxy_next_upstream_tries 2;
        error_page 502 = @gw_unavailable;
        proxy_pass http://dead_x2;
    }}
    location /retry {{
        recursive_error_pages on;
        error_page 503 @gw_e503;               # repeated: this location has its own error_page
        proxy_next_upstream error timeout; proxy_next_upstream_tries 2;
        error_page 502 = @gw_unavailable;
        proxy_pass http://dead_x2;
    }}
    location /two {{ error_page 418 = @two; return 418; }}
    location @two {{ limit_req zone=gw_rl_g nodelay; limit_req zone=gw_rl_r burst=10 nodelay; proxy_pass http://127.0.0.1:{canary[1]}; }}
}}"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}"
res = collections.Counter()
for i in range(30):
    k = f"user{i}"
    seen = {json.loads(curl("-H", f"Cookie: s={k}", u + "/s")[2])["server"] for _ in range(4)}
    res[len(seen)] += 1
check("split_clients keyed by the affinity key: a client stays on one side of a weighted split (and one pod)", res == {1: 30}, res)
s, h, b = curl(u + "/retry"); print("   retry exhausted ->", s, repr(b[:20]))
check("502 -> @gw_unavailable (503) -> custom 503 page needs recursive_error_pages on in the retry location", s == 503 and b.startswith("custom 503"), (s, b))
s, h, b = curl(u + "/retry_off")
check("with recursive_error_pages off the custom 503 page is NOT applied after the 502 hop", s == 503 and not b.startswith("custom 503"), (s, b))
codes = [curl(u + "/two")[0] for _ in range(5)]
check("two limit_req zones in one location: the stricter (gateway-wide 3r/m, no burst) applies too", codes[0] == 200 and 503 in codes, codes)
n.stop()
