import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginxlab import *
import concurrent.futures
echo, ep = serve(Echo, "app")
port = free_port()
conf = f"""
limit_req_zone $binary_remote_addr zone=gw_rl_a:1m rate=2r/s;
limit_req_zone $binary_remote_addr zone=gw_rl_gw:1m rate=100r/m;
geo $gw_rl_ex {{ default 0; 127.0.0.2/32 1; }}
map $gw_rl_ex $gw_rl_key {{ "1" ""; default $binary_remote_addr; }}
limit_req_zone $gw_rl_key zone=gw_rl_ex:1m rate=1r/m;
limit_conn_zone $binary_remote_addr zone=gw_lc_a:1m;
map $http_x_route $gw_d0 {{ "~^b$" "@r_b"; "~^c$" "@r_c"; "~^d$" "@r_d"; default "@r_a"; }}
upstream app {{ server 127.0.0.1:{ep}; }}
server {{
    listen 127.0.0.1:{port};
    listen 127.0.0.2:{port};
    location / {{
        limit_req zone=gw_rl_gw nodelay;   # must NOT count: return 418 comes first
        error_page 418 = $gw_d0;
        return 418;
    }}
    location @r_a {{
        limit_req zone=gw_rl_a burst=3 nodelay;
        limit_req_status 429;
        proxy_pass http://app;
    }}
    location @r_b {{
        proxy_pass http://app;
    }}
    location @r_c {{
        limit_req zone=gw_rl_ex nodelay;
        proxy_pass http://app;
    }}
    location @r_d {{
        limit_conn gw_lc_a 1;
        proxy_pass http://app;
    }}
}}
"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}/"
codes = [curl(u)[0] for _ in range(8)]
check("limit_req burst=3 nodelay in named location: first 4 pass, then limit_req_status 429", codes[:4] == [200]*4 and 429 in codes[4:], codes)
codes = [curl("-H", "X-Route: b", u)[0] for _ in range(5)]
check("dispatch-location limit_req (burst 0) not applied; other named location unlimited", codes == [200]*5, codes)
codes = [curl("-H", "X-Route: c", u)[0] for _ in range(3)]
check("limit via map key: client not exempt limited (default status 503)", codes[0] == 200 and codes[1:] == [503, 503], codes)
u2 = f"http://127.0.0.2:{port}/"
codes = [curl("--interface", "127.0.0.2", "-H", "X-Route: c", u2)[0] for _ in range(3)]
check("exempt CIDR (empty key) never limited", codes == [200]*3, codes)
n.stop()
n = Nginx(conf)
with concurrent.futures.ThreadPoolExecutor(3) as ex:
    futs = [ex.submit(curl, "-H", "X-Route: d", u + "?sleep=1") for _ in range(3)]
    codes = sorted(f.result()[0] for f in futs)
check("limit_conn 1 in named location: concurrent requests over the limit get 503", codes == [200, 503, 503], codes)
n.stop()
