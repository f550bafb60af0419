#!/usr/bin/env python3
"""Writes a realistic Gateway API repository of N HTTPRoutes into a directory.

The shape is what a platform team has: one Gateway "edge" in namespace infra
with an HTTP listener (whose only route redirects every host to HTTPS) and
two HTTPS listeners whose certificates are Secrets, one of them in another
namespace behind a ReferenceGrant; application routes spread over several
team namespaces, which the HTTPS listeners select by label.

Every route has its own hostname and three rules:
  - /api (PathPrefix; every 4th route a RegularExpression) matched on a
    header, and on a query parameter or the method for some routes;
  - everything else split 90/10 between two Services, with a request
    header set;
  - an Exact path redirected to another path.
Each route uses two Services, each with an EndpointSlice labelled
kubernetes.io/service-name; every 10th route's canary Service lives in the
namespace "shared", which ReferenceGrants open to the team namespaces.

Files hold at most ROUTES_PER_FILE routes with their Services and slices,
so no file approaches gwc's 32 MiB limit at any N.

usage: gen_repo.py N DIR [--certs CERTDIR]
  CERTDIR holds tls.crt/tls.key (PEM) to put in the Secrets; without it
  a fixed throw-away pair is used (valid PEM framing, not for nginx).

The same module renders the hand-written nginx configuration an expert
would write for the same routing (see handwritten.py).
"""
import base64
import os
import sys

TEAMS = 8
# Where the EndpointSlices point: pod addresses on port 8080, or (for
# bench/wrk.py) every endpoint at one real backend on this machine.
ENDPOINT = None  # or ("127.0.0.1", port)
# Plain HTTP listeners instead of HTTPS ones (bench/wrk.py: wrk cannot send
# an SNI other than the address it connects to).
PLAIN = False
ROUTES_PER_FILE = 2000
SHARED_EVERY = 10
DOMAIN = "example.com"
INTERNAL = "internal.example.com"


def team(i):
    return "team-%d" % (i % TEAMS)


def host(i):
    # Every 5th route is on the internal listener's wildcard.
    return "app-%d.%s" % (i, INTERNAL if i % 5 == 4 else DOMAIN)


def canary_ns(i):
    return "shared" if i % SHARED_EVERY == 9 else team(i)


def route_shape(i):
    """What route i does, shared by the YAML and the hand-written config."""
    return {
        "ns": team(i),
        "name": "app-%d" % i,
        "host": host(i),
        "api_regex": i % 4 == 3,
        "api_path": "/api/v[0-9]+/.*" if i % 4 == 3 else "/api",
        "tenant": "tenant-%d" % (i % 31),
        "query": ("version", "2") if i % 4 == 1 else None,
        "method": "GET" if i % 4 == 2 else None,
        "main": (team(i), "app-%d" % i),
        "canary": (canary_ns(i), "app-%d-canary" % i),
        "ips": {
            "main": ["10.%d.%d.%d" % (1 + i // 60000, (i // 240) % 250, 4 + i % 240),
                     "10.%d.%d.%d" % (101 + i // 60000, (i // 240) % 250, 4 + i % 240)],
            "canary": ["10.%d.%d.%d" % (51 + i // 60000, (i // 240) % 250, 4 + i % 240)],
        } if not ENDPOINT else {"main": [ENDPOINT[0]], "canary": [ENDPOINT[0]]},
        "port": ENDPOINT[1] if ENDPOINT else 8080,
    }


def namespaces():
    out = []
    for name, labels in ([("infra", {}), ("certs", {}), ("shared", {})] +
                         [(team(t), {"gateway-access": "edge"})
                          for t in range(TEAMS)]):
        lab = "".join("\n    %s: %s" % kv for kv in labels.items())
        out.append("""apiVersion: v1
kind: Namespace
metadata:
  name: %s%s
""" % (name, "\n  labels:" + lab if lab else ""))
    return out


FALLBACK_CRT = ("-----BEGIN CERTIFICATE-----\nMIIBbm90IGEgcmVhbCBjZXJ0aWZpY2F0ZQ==\n"
                "-----END CERTIFICATE-----\n")
FALLBACK_KEY = ("-----BEGIN PRIVATE KEY-----\nbm90IGEgcmVhbCBrZXk=\n"
                "-----END PRIVATE KEY-----\n")


def b64(text):
    return base64.b64encode(text.encode()).decode()


def plain_listeners(text):
    """The Gateway's HTTPS listeners as HTTP ones, without certificates."""
    out, skip = [], False
    for line in text.splitlines(True):
        if line.startswith("    tls:"):
            skip = True
            continue
        if skip and line.startswith("    allowedRoutes:"):
            skip = False
        if not skip:
            out.append(line.replace("protocol: HTTPS", "protocol: HTTP")
                       .replace("port: 443", "port: 80"))
    return "".join(out)


def gateway(crt, key):
    secret = """apiVersion: v1
kind: Secret
metadata:
  name: %s
  namespace: %s
type: kubernetes.io/tls
data:
  tls.crt: %s
  tls.key: %s
"""
    docs = [
        """apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: nginx
spec:
  controllerName: gwc.dev/gateway-controller
""",
        """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: nginx
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces:
        from: Same
  - name: https
    protocol: HTTPS
    port: 443
    hostname: "*.%s"
    tls:
      certificateRefs:
      - name: wildcard-tls
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchLabels:
            gateway-access: edge
  - name: https-internal
    protocol: HTTPS
    port: 443
    hostname: "*.%s"
    tls:
      certificateRefs:
      - name: internal-tls
        namespace: certs
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchLabels:
            gateway-access: edge
""" % (DOMAIN, INTERNAL)]
    if PLAIN:
        docs[1] = plain_listeners(docs[1])
    else:
        docs += [
        secret % ("wildcard-tls", "infra", b64(crt), b64(key)),
        secret % ("internal-tls", "certs", b64(crt), b64(key)),
        """apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: edge-certificates
  namespace: certs
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: Gateway
    namespace: infra
  to:
  - group: ""
    kind: Secret
    name: internal-tls
""",
        """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: to-https
  namespace: infra
spec:
  parentRefs:
  - name: edge
    sectionName: http
  rules:
  - filters:
    - type: RequestRedirect
      requestRedirect:
        scheme: https
        statusCode: 301
"""]
    return docs + ["""apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: from-%s
  namespace: shared
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    namespace: %s
  to:
  - group: ""
    kind: Service
""" % (team(t), team(t)) for t in range(TEAMS)]


def service(ns, name, ip_seed):
    return """apiVersion: v1
kind: Service
metadata:
  name: %s
  namespace: %s
  labels:
    app.kubernetes.io/name: %s
spec:
  type: ClusterIP
  clusterIP: 10.96.%d.%d
  selector:
    app.kubernetes.io/name: %s
  ports:
  - name: http
    port: 80
    targetPort: 8080
    protocol: TCP
""" % (name, ns, name, (ip_seed // 250) % 250, ip_seed % 250 + 1, name)


def endpoint_slice(ns, name, ips, port):
    eps = "".join("""
- addresses:
  - %s
  conditions:
    ready: true
    serving: true
    terminating: false""" % ip for ip in ips)
    return """apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: %s-x7k2p
  namespace: %s
  labels:
    kubernetes.io/service-name: %s
    endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io
addressType: IPv4
endpoints:%s
ports:
- name: http
  port: %d
  protocol: TCP
""" % (name, ns, name, eps, port)


def route(i):
    s = route_shape(i)
    if s["api_regex"]:
        path = "type: RegularExpression\n        value: \"%s\"" % s["api_path"]
    else:
        path = "type: PathPrefix\n        value: %s" % s["api_path"]
    extra = ""
    if s["query"]:
        extra += """
      queryParams:
      - name: %s
        value: "%s\"""" % s["query"]
    if s["method"]:
        extra += "\n      method: %s" % s["method"]
    canary = s["canary"]
    canary_ns = "" if canary[0] == s["ns"] else "\n      namespace: %s" % canary[0]
    return """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: %s
  namespace: %s
  labels:
    app.kubernetes.io/name: %s
spec:
  parentRefs:
  - name: edge
    namespace: infra
  hostnames:
  - %s
  rules:
  - matches:
    - path:
        %s
      headers:
      - name: X-Tenant
        value: %s%s
    backendRefs:
    - name: %s
      port: 80
  - backendRefs:
    - name: %s
      port: 80
      weight: 90
    - name: %s%s
      port: 80
      weight: 10
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: X-Route
          value: %s
  - matches:
    - path:
        type: Exact
        value: /old
    filters:
    - type: RequestRedirect
      requestRedirect:
        path:
          type: ReplaceFullPath
          replaceFullPath: /new
        statusCode: 301
""" % (s["name"], s["ns"], s["name"], s["host"], path, s["tenant"], extra,
       s["main"][1], s["main"][1], canary[1], canary_ns, s["name"])


def route_docs(i):
    s = route_shape(i)
    return [route(i),
            service(s["main"][0], s["main"][1], 2 * i),
            endpoint_slice(s["main"][0], s["main"][1], s["ips"]["main"], s["port"]),
            service(s["canary"][0], s["canary"][1], 2 * i + 1),
            endpoint_slice(s["canary"][0], s["canary"][1], s["ips"]["canary"], s["port"])]


def write(n, out_dir, crt, key):
    os.makedirs(out_dir, exist_ok=True)
    docs = 0
    with open(os.path.join(out_dir, "00-platform.yaml"), "w") as f:
        ds = namespaces() + gateway(crt, key)
        f.write("---\n".join(ds))
        docs += len(ds)
    for start in range(0, n, ROUTES_PER_FILE):
        name = os.path.join(out_dir, "routes-%06d.yaml" % (start // ROUTES_PER_FILE))
        with open(name, "w") as f:
            for i in range(start, min(n, start + ROUTES_PER_FILE)):
                for d in route_docs(i):
                    f.write("---\n" if docs else "")
                    f.write(d)
                    docs += 1
    return docs


def main():
    args = sys.argv[1:]
    crt, key = FALLBACK_CRT, FALLBACK_KEY
    if "--certs" in args:
        k = args.index("--certs")
        cdir = args[k + 1]
        del args[k:k + 2]
        with open(os.path.join(cdir, "tls.crt")) as f:
            crt = f.read()
        with open(os.path.join(cdir, "tls.key")) as f:
            key = f.read()
    n, out_dir = int(args[0]), args[1]
    print(write(n, out_dir, crt, key))


if __name__ == "__main__":
    main()
