import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
echo, ep = serve(Echo, "app")
auth, ap = serve(Auth, "auth")
port = free_port()
conf = f"""
server {{
    listen 127.0.0.1:{port};
    location / {{ recursive_error_pages on; error_page 418 = @r; return 418; }}
    location @r {{
        auth_request /_a;
        auth_request_set $gw_u $upstream_http_x_auth_missing;
        proxy_set_header X-Auth-Missing $gw_u;
        error_page 401 = @signin;
        proxy_pass http://127.0.0.1:{ep};
    }}
    location @signin {{ rewrite ^(.*)$ "https://login.example.com/oauth2/start?rd=$scheme://$http_host$1?" redirect; }}
    location = /_a {{ internal; proxy_pass_request_body off; proxy_set_header Content-Length ""; proxy_pass http://127.0.0.1:{ap}; }}
}}"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}"
s, h, b = curl("-H", "X-Test-Auth: 401", u + "/a%20b/c%26d+e;f?x=1&y=2")
print("   signin:", s, h.get("location"))
check("401 from the auth service becomes 302 to the sign-in URL", s == 302 and h.get("location", [""])[0].startswith("https://login.example.com/oauth2/start?rd="), (s, h))
s, h, b = curl("-H", "X-Test-Auth: 403", u + "/p")
check("403 from the auth service stays 403 (no sign-in redirect)", s == 403, s)
s, h, b = curl("-H", "X-Auth-Missing: spoofed", u + "/p")
check("a copied auth response header the auth service did not send is removed, not taken from the client", s == 200 and "X-Auth-Missing" not in json.loads(b)["headers"], b)
n.stop()
