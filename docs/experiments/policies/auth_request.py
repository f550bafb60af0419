import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
echo, ep = serve(Echo, "app")
auth, ap = serve(Auth, "auth")
port = free_port()
conf = f"""
upstream app {{ server 127.0.0.1:{ep}; keepalive 4; }}
map $http_x_route $gw_d0 {{ "~^b$" "@r_b"; default "@r_a"; }}
server {{
    listen 127.0.0.1:{port};
    proxy_http_version 1.1; proxy_set_header Connection "";
    # dispatch location, as gwc emits it, with access directives that must NOT be the ones enforced
    location / {{
        deny all;                          # E3: does a deny in the dispatch location apply?
        error_page 418 = $gw_d0;
        return 418;
    }}
    location @r_a {{
        auth_request /_gw/auth/a;
        auth_request_set $gw_a_user $upstream_http_x_auth_user;
        auth_request_set $gw_a_email $upstream_http_x_auth_email;
        proxy_set_header X-Auth-User $gw_a_user;
        proxy_set_header X-Auth-Email $gw_a_email;
        proxy_set_header Host $host;
        proxy_set_header Connection "";
        proxy_pass http://app;
    }}
    location @r_b {{
        proxy_pass http://app;
    }}
    location = /_gw/auth/a {{
        internal;
        proxy_pass_request_body off;
        proxy_set_header Content-Length "";
        proxy_set_header X-Original-URI $request_uri;
        proxy_set_header X-Original-Method $request_method;
        proxy_set_header Host "auth.internal";
        proxy_pass_request_headers off;
        proxy_set_header X-Test-Auth $http_x_test_auth;
        proxy_set_header Cookie $http_cookie;
        proxy_connect_timeout 1s; proxy_read_timeout 1s;
        proxy_pass http://127.0.0.1:{ap}/check;
    }}
}}
"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}/x?y=1"
s, h, b = curl(u)
check("auth allow in named location -> 200 (deny all in dispatch location NOT enforced)", s == 200, (s, b))
if s == 200:
    j = json.loads(b)
    check("auth response headers copied upstream", j["headers"].get("X-Auth-User") == "alice" and j["headers"].get("X-Auth-Email") == "alice@example.com", j["headers"])
    check("other auth response header not copied", "X-Other" not in j["headers"])
seen = auth.seen[-1] if auth.seen else {}
check("auth subrequest sees original URI and method", seen.get("headers", {}).get("X-Original-URI") == "/x?y=1" and seen["headers"].get("X-Original-Method") == "GET", seen)
check("auth subrequest path is fixed /check", seen.get("path") == "/check", seen)
check("auth subrequest: unlisted headers not passed (proxy_pass_request_headers off)", "User-Agent" not in seen.get("headers", {}), seen)
s, h, b = curl("-H", "X-Test-Auth: 401", u)
check("auth 401 -> client 401", s == 401, s)
check("auth 401: the auth service's WWW-Authenticate is passed to the client", h.get("www-authenticate") == ['Bearer realm="ext"'], h)
# only 2xx, 401 and 403 from the auth service mean something; the rest is 500
for answer, expected in (("403", 403), ("500", 500), ("302", 500), ("404", 500), ("slow", 500)):
    s, h, b = curl("-H", "X-Test-Auth: " + answer, u)
    check(f"auth service answers {answer} -> client {expected}", s == expected, s)
s, h, b = curl("-H", "X-Route: b", u)
check("other named location without auth not affected; dispatch deny not enforced", s == 200, s)
# POST with body: auth subrequest without body, backend gets body
s, h, b = curl("-X", "POST", "--data-binary", "hello world", u)
check("POST body reaches backend after auth", s == 200 and json.loads(b)["body_len"] == 11, (s, b))
check("auth subrequest got no body / no Content-Length", "Content-Length" not in auth.seen[-1]["headers"], auth.seen[-1])
n.stop()
print("errors:", [l for l in n.errlog().splitlines() if "[error]" in l][:5])
