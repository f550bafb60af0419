import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
def gt_regex(n):
    """Anchored regex for decimal strings (leading zeros allowed) whose value is > n."""
    s = str(n); L = len(s); alts = [f"[1-9][0-9]{{{L},}}"]
    for i, ch in enumerate(s):
        d = int(ch)
        if d < 9:
            nxt = f"[{d+1}-9]" if d + 1 < 9 else "9"
            alts.append(s[:i] + nxt + (f"[0-9]{{{L-i-1}}}" if L - i - 1 else ""))
    return "^0*(?:" + "|".join(alts) + ")$"
import re
for n_ in (0, 9, 10, 1048576, 999, 1000):
    r = re.compile(gt_regex(n_))
    bad = [v for v in list(range(0, 2100000, 997)) + list(range(0, 2000)) if bool(r.match(str(v))) != (v > n_)]
    bad += [v for v in ["0010", "0000011", "1048577", "01048576"] if bool(r.match(v)) != (int(v) > n_)]
    check(f"regex for '> {n_}' agrees with integer comparison", not bad, bad[:5])
echo, ep = serve(Echo, "app")
port = free_port()
conf = f"""
map $content_length $gw_body_over_10 {{ "~{gt_regex(10)}" 1; default ""; }}
map $http_x_route $gw_d0 {{ "~^b$" "@r_b"; default "@r_a"; }}
server {{
    listen 127.0.0.1:{port};
    location / {{ client_max_body_size 1m; error_page 418 = $gw_d0; return 418; }}
    location @r_a {{ client_max_body_size 10; if ($gw_body_over_10) {{ return 413; }} proxy_pass http://127.0.0.1:{ep}; }}
    location @r_b {{ client_max_body_size 1m; proxy_pass http://127.0.0.1:{ep}; }}
}}"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}/x"
workfile("b10", "x" * 10); workfile("b11", "x" * 11)
s, h, b = curl("--data-binary", "@" + WORK + "/b10", u); check("CL 10 at limit 10 -> 200", s == 200, s)
s, h, b = curl("--data-binary", "@" + WORK + "/b11", u); check("CL 11 over limit 10 -> 413 via the content-length map", s == 413, s)
check("413 closes the connection like nginx's own check", h.get("connection") == ["close"], h)
s, h, b = curl("-H", "X-Route: b", "--data-binary", "@" + WORK + "/b11", u); check("other rule of the same dispatch location keeps its own larger limit", s == 200, s)
s, h, b = curl("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + WORK + "/b11", u); check("chunked 11 over 10 -> 413 (nginx native, named location value)", s == 413, s)
s, h, b = curl("-H", "Content-Length: 00011", "--data-binary", "@" + WORK + "/b11", u); print("   CL '00011' ->", s)
n.stop()
print("gt_regex(1048576) =", gt_regex(1048576))
