#!/usr/bin/env python3
"""Writes N HTTPRoutes (plus one Gateway and the Services they use) as one
multi-document YAML stream on standard output.

Each route has its own hostname, so gwc makes one server per route; with
--one-host they all share one hostname (and differ by path), so one server
holds every route's locations.

usage: gen_routes.py N [--one-host]
"""
import sys


def main():
    n = int(sys.argv[1])
    one_host = "--one-host" in sys.argv[2:]
    out = sys.stdout
    out.write("""apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: bench
  namespace: bench
spec:
  gatewayClassName: nginx
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    hostname: "*.bench.example.com"
""")
    services = max(1, n // 10)
    for i in range(services):
        out.write("""---
apiVersion: v1
kind: Service
metadata:
  name: svc-%d
  namespace: bench
spec:
  clusterIP: 10.96.%d.%d
  ports:
  - name: http
    port: 8080
""" % (i, (i // 250) % 250, i % 250 + 1))
    for i in range(n):
        out.write("""---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: route-%d
  namespace: bench
  labels:
    app: app-%d
    tier: web
  annotations:
    owner: team-%d
spec:
  parentRefs:
  - name: bench
  hostnames:
  - %s.bench.example.com
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api/%s
      headers:
      - name: X-Tenant
        value: tenant-%d
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: X-Route
          value: route-%d
    backendRefs:
    - name: svc-%d
      port: 8080
      weight: 90
    - name: svc-%d
      port: 8080
      weight: 10
  - matches:
    - path:
        type: Exact
        value: /healthz
    backendRefs:
    - name: svc-%d
      port: 8080
""" % (i, i, i % 17, "shared" if one_host else "app-%d" % i,
       "r%d" % i if one_host else "v%d" % (i % 5), i % 31, i, i % services,
       (i + 1) % services, i % services))


if __name__ == "__main__":
    main()
