import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
echo, ep = serve(Echo, "app")
workfile("htpasswd", "alice:{PLAIN}pw\n"); workfile("small.bin", "x" * 50)
errb, eb = serve(Echo, "errbackend")
for recursive in ("off", "on"):
    port = free_port()
    conf = f"""
map $http_x_route $gw_d0 {{ "~^b$" "@r_b"; "~^c$" "@r_c"; "~^d$" "@r_d"; default "@r_a"; }}
upstream app {{ server 127.0.0.1:{ep}; }}
server {{
    listen 127.0.0.1:{port};
    # Gateway-level custom error responses
    error_page 503 @gw_e503;
    error_page 404 @gw_e404;
    error_page 401 @gw_e401;
    error_page 403 @gw_e403;
    error_page 413 @gw_e413;
    location @gw_e503 {{ default_type text/plain; return 503 "custom 503\\n"; }}
    location @gw_e404 {{ default_type text/plain; return 404 "custom 404\\n"; }}
    location @gw_e401 {{ default_type text/plain; return 401 "custom 401\\n"; }}
    location @gw_e403 {{ proxy_set_header X-Code 403; proxy_pass http://127.0.0.1:{eb}; }}   # error backend answers 200
    location @gw_e413 {{ default_type text/plain; return 413 "custom 413\\n"; }}
    location / {{
        recursive_error_pages {recursive};
        client_max_body_size 10;
        error_page 418 = $gw_d0;
        return 418;
    }}
    location @r_a {{ proxy_intercept_errors on; proxy_pass http://app; }}
    location @r_b {{ auth_basic "r"; auth_basic_user_file {WORK}/htpasswd; proxy_pass http://app; }}
    location @r_c {{ deny all; proxy_pass http://app; }}
    location @r_d {{ proxy_pass http://app; }}     # no intercept
    location = /nomatch {{ return 404; }}
}}"""
    n = Nginx(conf)
    u = f"http://127.0.0.1:{port}/x"
    print(f"--- recursive_error_pages {recursive} in the dispatch location")
    s, h, b = curl(u + "?status=503"); print("   backend 503 intercepted ->", s, repr(b[:30]))
    if recursive == "on":
        check("backend 503 + intercept, named location, recursive on -> custom body, status 503", s == 503 and b.startswith("custom 503"), (s, b))
    else:
        check("backend 503 + intercept, recursive OFF -> custom page NOT applied (error_page already used by the 418 hop)", not b.startswith("custom 503"), (s, b))
    s, h, b = curl("-H", "X-Route: b", u); print("   auth_basic 401 ->", s, h.get("www-authenticate"), repr(b[:20]))
    if recursive == "on":
        check("401 custom page keeps WWW-Authenticate", s == 401 and h.get("www-authenticate") and b.startswith("custom 401"), (s, h, b))
    s, h, b = curl("-H", "X-Route: c", u); print("   deny 403 -> error backend answering 200:", s, repr(b[:40]))
    if recursive == "on":
        check("error_page without '=' keeps the original status (403) although the error backend answered 200", s == 403 and "errbackend" in b, (s, b))
    s, h, b = curl("--data-binary", "@" + WORK + "/small.bin", u); print("   413 in dispatch location ->", s, repr(b[:20]))
    check("413 from the dispatch location: server-level error_page NOT inherited (location has its own error_page 418)", s == 413 and not b.startswith("custom"), (s, b))
    s, h, b = curl(f"http://127.0.0.1:{port}/nomatch"); print("   404 from return in a location without error_page ->", s, repr(b[:20]))
    check("return 404 in a location without own error_page -> inherited custom 404", s == 404 and b.startswith("custom 404"), (s, b))
    s, h, b = curl("-H", "X-Route: d", u + "?status=503"); print("   backend 503 without intercept ->", s, repr(b[:30]))
    check("backend 503 without proxy_intercept_errors passes through", s == 503 and "app" in b, (s, b))
    n.stop()
