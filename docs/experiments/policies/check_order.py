"""Order of the access-phase checks: allow/deny, auth_basic, auth_request."""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
echo, ep = serve(Echo, "app"); auth, ap = serve(Auth, "auth")
workfile("ht", "alice:{PLAIN}pw\n")
port = free_port()
conf = f"""
server {{ listen 127.0.0.1:{port};
  location /a {{ deny all; auth_basic "r"; auth_basic_user_file {WORK}/ht; auth_request /_a; proxy_pass http://127.0.0.1:{ep}; }}
  location /b {{ auth_basic "r"; auth_basic_user_file {WORK}/ht; auth_request /_a; proxy_pass http://127.0.0.1:{ep}; }}
  location = /_a {{ internal; proxy_pass_request_body off; proxy_set_header Content-Length ""; proxy_pass http://127.0.0.1:{ap}; }}
}}"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}"
check("address refused and no credentials -> 403 (address check first)", curl(u + "/a")[0] == 403)
check("address refused, valid credentials -> 403", curl("-u", "alice:pw", u + "/a")[0] == 403)
a0 = len(auth.seen)
s = curl("-H", "X-Test-Auth: 403", u + "/b")[0]
check("no credentials, auth service would deny -> 401, and the auth service is not called", s == 401 and len(auth.seen) == a0, (s, len(auth.seen) - a0))
a0 = len(auth.seen)
s = curl("-u", "alice:x", u + "/b")[0]
check("wrong password, auth service would allow -> 401, auth service not called", s == 401 and len(auth.seen) == a0, (s, len(auth.seen) - a0))
n.stop()
