#!/usr/bin/env python3
"""The nginx configuration an expert would write by hand for the routing
that gen_repo.py generates: the yardstick for gwc's output.

What the expert does, with the same behaviour as the Gateway API routes:
  - the proxy defaults and every proxy_set_header once, at http level; the
    one header a rule sets (X-Route) comes from a variable through a map
    that falls back to the client's header;
  - one server per host, the listener's certificate inherited from http{}
    where it is the common one;
  - one shared split_clients, and `proxy_pass http://$upstream` naming the
    upstream by the Service plus the split's suffix;
  - the header/query/method match as `if (...) { return 418; }` falling
    back to the catch-all rule through one named location.

Ports and addresses are those bench.py passes to `gwc compile`.

usage: handwritten.py N DIR CERTFILE   (writes DIR/nginx.conf, DIR/http.conf)
"""
import os
import sys

import gen_repo


PRELUDE = """proxy_http_version 1.1;
proxy_redirect off;
server_tokens off;
proxy_set_header Host $gw_host;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-Proto $scheme;
proxy_set_header X-Forwarded-Host $host;
proxy_set_header X-Forwarded-Port $server_port;
proxy_set_header Upgrade $http_upgrade;
proxy_set_header Connection $gw_connection;
proxy_set_header X-Route $x_route_out;
server_names_hash_bucket_size 128;
server_names_hash_max_size %(names_max)d;
%(tls_defaults)s
map $http_host $gw_host {
    "" $host;
    default $http_host;
}
map $http_upgrade $gw_connection {
    "" "";
    default upgrade;
}
map $x_route $x_route_out {
    "" $http_x_route;
    default $x_route;
}
%(listener_map)ssplit_clients $request_id $canary {
    90%% "";
    * "-canary";
}
%(servers)s"""


TLS_DEFAULTS = """ssl_certificate "%(cert)s";
ssl_certificate_key "%(cert)s";
"""
LISTENER_MAP = """map $ssl_server_name $listener {
    hostnames;
    "*.%(domain)s" "*.%(domain)s";
    "*.%(internal)s" "*.%(internal)s";
    default "*";
}
"""
TLS_SERVERS = """
server {
    listen %(http)s default_server;
    server_name "";
    location / {
        return 301 "https://$host$request_uri";
    }
}
server {
    listen %(https)s ssl http2 default_server;
    server_name "";
    ssl_reject_handshake on;
    return 404;
}
server {
    listen %(https)s ssl http2;
    server_name "*.%(domain)s";
    if ($listener != "*.%(domain)s") {
        return 421;
    }
    return 404;
}
server {
    listen %(https)s ssl http2;
    server_name "*.%(internal)s";
    ssl_certificate "%(cert)s";
    ssl_certificate_key "%(cert)s";
    if ($listener != "*.%(internal)s") {
        return 421;
    }
    return 404;
}
"""
PLAIN_SERVERS = """
server {
    listen %(http)s default_server;
    server_name "";
    return 404;
}
"""


def upstream(name, ips, port):
    return ("upstream %s {\n" % name +
            "".join("    server %s:%d;\n" % (ip, port) for ip in ips) +
            "    keepalive 16;\n}\n")


def api_location(s, head):
    conds = ['$http_x_tenant != "%s"' % s["tenant"]]
    if s["query"]:
        conds.append('$arg_%s != "%s"' % s["query"])
    if s["method"]:
        conds.append('$request_method != %s' % s["method"])
    body = "".join("        if (%s) {\n            return 418;\n        }\n" % c
                   for c in conds)
    return ("    location %s {\n        error_page 418 = @split;\n%s"
            "        proxy_pass http://%s;\n    }\n" % (head, body, s["name"]))


def server(i, cert, listen, plain):
    s = gen_repo.route_shape(i)
    internal = s["host"].endswith(gen_repo.INTERNAL) and not plain
    listener = "*." + (gen_repo.INTERNAL if internal else gen_repo.DOMAIN)
    split = ("        set $x_route %s;\n        proxy_pass http://%s$canary;\n"
             % (s["name"], s["name"]))
    out = ["server {\n    listen %s;\n    server_name %s;\n" % (listen, s["host"])]
    if internal:
        out.append('    ssl_certificate "%s";\n    ssl_certificate_key "%s";\n'
                   % (cert, cert))
    if not plain:
        out.append('    if ($listener != "%s") {\n        return 421;\n    }\n' % listener)
    out.append("    location / {\n%s    }\n" % split)
    if s["api_regex"]:
        out.append(api_location(s, '~ "^%s$"' % s["api_path"]))
    else:
        out.append(api_location(s, "= %s" % s["api_path"]))
        out.append(api_location(s, "%s/" % s["api_path"]))
    out.append('    location = /old {\n'
               '        return 301 "https://$host/new$is_args$args";\n    }\n')
    out.append("    location @split {\n%s    }\n}\n" % split)
    return "".join(out)


def write(n, out_dir, cert, http_port=18080, https_port=18443, plain=False):
    """Ports as bench.py passes them to `gwc compile` (--port-map); plain:
    for gen_repo.PLAIN, every route on the HTTP port."""
    http, https = '"127.0.0.1:%d"' % http_port, '"127.0.0.1:%d"' % https_port
    slots = {"cert": cert, "domain": gen_repo.DOMAIN, "internal": gen_repo.INTERNAL,
             "http": http, "https": https}
    os.makedirs(os.path.join(out_dir, "logs"), exist_ok=True)
    os.makedirs(os.path.join(out_dir, "tmp"), exist_ok=True)
    with open(os.path.join(out_dir, "nginx.conf"), "w") as f:
        f.write("""worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log notice;
events {
    worker_connections 4096;
}
http {
    access_log logs/access.log;
    client_body_temp_path tmp/client_body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    include http.conf;
}
""")
    with open(os.path.join(out_dir, "http.conf"), "w") as f:
        f.write(PRELUDE % dict(
            slots, names_max=max(512, 4 * (n + 3)),
            tls_defaults="" if plain else TLS_DEFAULTS % slots,
            listener_map="" if plain else LISTENER_MAP % slots,
            servers=(PLAIN_SERVERS if plain else TLS_SERVERS) % slots))
        for i in range(n):
            s = gen_repo.route_shape(i)
            f.write(upstream(s["main"][1], s["ips"]["main"], s["port"]))
            f.write(upstream(s["canary"][1], s["ips"]["canary"], s["port"]))
            f.write(server(i, cert, http if plain else https + " ssl http2", plain))


def main():
    write(int(sys.argv[1]), sys.argv[2], sys.argv[3])


if __name__ == "__main__":
    main()
