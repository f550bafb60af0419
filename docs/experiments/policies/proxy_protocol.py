import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
echo, ep = serve(Echo, "app")
port = free_port(); port2 = free_port()
conf = f"""
server {{
    listen 127.0.0.1:{port} proxy_protocol;
    set_real_ip_from 127.0.0.1;
    real_ip_header proxy_protocol;
    location / {{ allow 10.0.0.0/8; deny all; proxy_set_header X-Seen $remote_addr; proxy_pass http://127.0.0.1:{ep}; }}
}}
server {{
    listen 127.0.0.1:{port2};
    location = /a {{ set $t "http://auth.example.invalid/check"; auth_request /_a; proxy_pass http://127.0.0.1:{ep}; }}
    location = /_a {{ internal; set $t "http://auth.example.invalid/check"; proxy_pass $t; }}
}}"""
n = Nginx(conf)
def raw(pp):
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(3)
    s.sendall(pp + b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    try:
        while True:
            c = s.recv(65536)
            if not c: break
            data += c
    except Exception: pass
    s.close(); return data
r = raw(b"PROXY TCP4 10.1.2.3 127.0.0.1 5555 80\r\n")
check("PROXY header from trusted peer: client 10.1.2.3 allowed", r.startswith(b"HTTP/1.1 200") and b"10.1.2.3" in r, r[:60])
r = raw(b"PROXY TCP4 8.8.8.8 127.0.0.1 5555 80\r\n")
check("PROXY header client outside allow list -> 403", r.startswith(b"HTTP/1.1 403"), r[:60])
r = raw(b"")
check("no PROXY header on a proxy_protocol listener -> connection closed without a response", r == b"" or not r.startswith(b"HTTP/1.1 2"), r[:60])
s, h, b = curl(f"http://127.0.0.1:{port2}/a")
check("auth_request to a hostname URL with no resolver -> 500 (fail closed)", s == 500, s)
n.stop()
print([l.split("] ",1)[1][:120] for l in n.errlog().splitlines() if "resolver" in l or "broken header" in l][:3])
