import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
echo, ep = serve(Echo, "app")
workfile("small.bin", "x" * 50); workfile("big.bin", "x" * 200000)
auth, ap = serve(Auth, "auth")
port = free_port()
conf = dispatch_conf(port, ep, """
    client_max_body_size 1k;               # server level (Gateway-level policy)""", f"""
    location / {{
        client_max_body_size 100k;         # dispatch location
        error_page 418 = $gw_d0;
        return 418;
    }}
    location @r_a {{ client_max_body_size 10; proxy_pass http://app; }}   # 10 bytes
    location @r_b {{ client_max_body_size 0; proxy_pass http://app; }}
    location @r_c {{ client_max_body_size 10; auth_request /_auth; proxy_pass http://app; }}
    location = /_auth {{ internal; proxy_pass_request_body off; proxy_set_header Content-Length ""; proxy_pass http://127.0.0.1:{ap}; }}
    location = /direct {{ client_max_body_size 10; proxy_pass http://app; }}""")
n = Nginx(conf)
u = f"http://127.0.0.1:{port}/x"
d50 = "@" + WORK + "/small.bin"
s, h, b = curl("--data-binary", d50, u); print("   CL 50B, dispatch 100k, named 10B ->", s)
check("Content-Length over the NAMED location's limit is NOT refused (limit checked at find-config, in the dispatch location)", s == 200, s)
s, h, b = curl("--data-binary", "@" + WORK + "/big.bin", u); print("   CL 200kB, dispatch 100k ->", s)
check("Content-Length over the DISPATCH location's limit -> 413", s == 413, s)
s, h, b = curl("-H", "Transfer-Encoding: chunked", "--data-binary", d50, u); print("   chunked 50B, named 10B ->", s)
check("chunked body over the named location's limit -> 413 (checked while reading, named location's value)", s == 413, s)
s, h, b = curl("-H", "Transfer-Encoding: chunked", "-H", "X-Route: b", "--data-binary", "@" + WORK + "/big.bin", u); print("   chunked 200kB, named 0 (unlimited) ->", s)
check("chunked body in named location with 0 (unlimited) passes even over the dispatch limit", s == 200, s)
s, h, b = curl("--data-binary", d50, f"http://127.0.0.1:{port}/direct"); print("   direct location CL 50B, 10B ->", s)
check("direct (non-dispatch) location enforces its own limit on Content-Length", s == 413, s)
n0 = len(auth.seen)
s, h, b = curl("-H", "X-Route: c", "-H", "X-Test-Auth: 403", "-H", "Transfer-Encoding: chunked", "--data-binary", d50, u); print("   auth deny + chunked over limit ->", s, "auth calls", len(auth.seen) - n0)
check("auth_request runs before the body is read (denied request answered 403, not 413)", s == 403, s)
n.stop()
