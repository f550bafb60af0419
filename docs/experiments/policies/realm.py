import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
echo, ep = serve(Echo, "app")
workfile("ht_open", "alice:{PLAIN}pw\n")
port = free_port()
conf = f"""
server {{ listen 127.0.0.1:{port};
  location /off {{ auth_basic "off"; auth_basic_user_file {WORK}/ht_open; proxy_pass http://127.0.0.1:{ep}; }}
  location /OFF {{ auth_basic "OFF"; auth_basic_user_file {WORK}/ht_open; proxy_pass http://127.0.0.1:{ep}; }}
  location /empty {{ auth_basic ""; auth_basic_user_file {WORK}/ht_open; proxy_pass http://127.0.0.1:{ep}; }}
  location /var {{ auth_basic "$http_x_realm"; auth_basic_user_file {WORK}/ht_open; proxy_pass http://127.0.0.1:{ep}; }}
}}"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}"
s, h, b = curl(u + "/off"); check("auth_basic \"off\" (a realm spelled off) DISABLES authentication -> 200 without credentials", s == 200, s)
s, h, b = curl(u + "/OFF"); print("   realm OFF ->", s)
s, h, b = curl(u + "/empty"); check("empty realm still requires credentials (Basic realm=\"\")", s == 401 and h.get("www-authenticate") == ['Basic realm=""'], (s, h))
s, h, b = curl("-H", "X-Realm: off", u + "/var"); check("a realm with a variable that evaluates to off disables auth", s == 200, s)
n.stop()
