import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
echo, ep = serve(Echo, "app")
port = free_port()
conf = dispatch_conf(port, ep, """
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;   # server level""", """
    location / { error_page 418 = $gw_d0; return 418; }
    location @r_a { proxy_pass http://app; }                                   # inherits
    location @r_b { add_header X-Route-Filter "b" always; proxy_pass http://app; }   # own add_header: loses HSTS
    location @r_c { keepalive_timeout 0; proxy_pass http://app; }""")
n = Nginx(conf)
u = f"http://127.0.0.1:{port}/x"
s, h, b = curl(u)
check("server-level add_header inherited into a named location without add_header", "strict-transport-security" in h, h)
s, h, b = curl("-H", "X-Route: b", u)
check("a named location with its own add_header loses the server-level HSTS header", "strict-transport-security" not in h and "x-route-filter" in h, h)
s, h, b = curl(u + "?status=500")
check("'always' adds HSTS to error responses too", s == 500 and "strict-transport-security" in h, (s, h))
s, h, b = curl(u + "?hdr=Strict-Transport-Security:max-age=1")
print("   backend sends its own STS + add_header ->", h.get("strict-transport-security"))
check("backend STS header and add_header both appear (needs proxy_hide_header to have exactly one)", len(h.get("strict-transport-security", [])) == 2, h)
s, h, b = curl("-H", "X-Route: c", u)
check("keepalive_timeout 0 in the named location closes the connection", h.get("connection") == ["close"], h)
n.stop()
