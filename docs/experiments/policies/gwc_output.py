import os, re, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
GWC = os.environ.get("GWC") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "build", "gwc")
echo, ep = serve(Echo, "app")
auth, ap = serve(Auth, "auth")
port = free_port()
manifest = f"""
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: gw, namespace: shop}}
spec:
  gatewayClassName: nginx
  listeners: [{{name: http, protocol: HTTP, port: 80}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r, namespace: shop}}
spec:
  parentRefs: [{{name: gw}}]
  rules:
    - name: admin
      matches: [{{path: {{type: PathPrefix, value: /}}, headers: [{{name: X-Admin, value: "1"}}]}}]
      backendRefs: [{{name: app, port: {ep}}}]
    - name: public
      backendRefs: [{{name: app, port: {ep}}}]
---
apiVersion: v1
kind: Service
metadata: {{name: app, namespace: shop}}
spec: {{clusterIP: 127.0.0.1, ports: [{{name: http, port: {ep}}}]}}
"""
os.makedirs(WORK + "/gwc"); workfile("gwc/in.yaml", manifest)
out = WORK + "/gwc/out"
r = subprocess.run([GWC, "compile", "-o", out, "--listen-address", "127.0.0.1", "--port-map", f"80={port}", WORK + "/gwc/in.yaml"], capture_output=True, text=True)
print(r.stderr.strip())
conf = open(out + "/http.conf").read()
m = re.findall(r'location "(@/_gw/http/shop/r/r\d)" \{', conf)
print("   named locations:", m)
# Hand-apply what SecurityPolicy(rule admin: ipAccess allow 10/8 + externalAuth) would emit
admin = m[0]
conf = conf.replace(f'location "{admin}" {{', f'''location "{admin}" {{
        allow 10.0.0.0/8;
        deny all;''')
conf = conf.replace('        error_page 418 = ', '        recursive_error_pages on;\n        error_page 418 = ')
public = m[1]
conf = conf.replace(f'location "{public}" {{', f'''location "{public}" {{
        auth_request "/_gw/auth/shop/p1";
        auth_request_set $gw_ea_p1_0 $upstream_http_x_auth_user;
        proxy_set_header X-Auth-User $gw_ea_p1_0;
        proxy_set_header Host $gw_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        error_page 403 @gw_err_p1_403;''')
conf = conf.replace('    location "/" {', f'''    location = "/_gw/auth/shop/p1" {{
        internal;
        proxy_pass_request_body off;
        proxy_set_header Content-Length "";
        proxy_set_header X-Original-URI $request_uri;
        proxy_pass "http://127.0.0.1:{ap}/check";
    }}
    location @gw_err_p1_403 {{
        default_type "text/plain";
        return 403 "custom denied";
    }}
    location "/" {{''', 1)
open(out + "/http.conf", "w").write(conf)
os.chmod(out, 0o755)
for d in ("logs", "tmp"):
    os.makedirs(f"{out}/{d}", exist_ok=True); os.chmod(f"{out}/{d}", 0o777)
t = subprocess.run(["nginx", "-t", "-p", out + "/", "-c", out + "/nginx.conf"], capture_output=True, text=True)
check("gwc output with hand-applied policy directives passes nginx -t", t.returncode == 0, t.stderr)
p = subprocess.Popen(["nginx", "-p", out + "/", "-c", out + "/nginx.conf", "-g", "daemon off;"], stderr=subprocess.DEVNULL)
time.sleep(0.5)
try:
    u = f"http://127.0.0.1:{port}/x"
    s, h, b = curl("-H", "X-Admin: 1", u); check("rule 'admin' (ipAccess in its named location): 127.0.0.1 not in 10/8 -> 403", s == 403, s)
    s, h, b = curl(u); check("rule 'public' (external auth) allows -> 200 and auth header reaches backend", s == 200 and json.loads(b)["headers"].get("X-Auth-User") == "alice", (s, b))
    s, h, b = curl("-H", "X-Test-Auth: 403", u); check("rule 'public': auth denies -> custom 403 page", s == 403 and b == "custom denied", (s, b))
    s, h, b = curl(f"http://127.0.0.1:{port}/_gw/auth/shop/p1"); check("the internal auth location cannot be requested directly", s != 200 and len(auth.seen) == 2, (s, len(auth.seen)))
finally:
    p.send_signal(signal.SIGQUIT); p.wait(5)
