"""The benign baseline of the injection test: one set of manifests in which
every string a manifest can carry into nginx text is a placeholder
@name@, and the fields that fill them.

A field's benign value holds a marker no other part of the baseline holds,
so the test can find every place the value reaches nginx.  A hostile value
keeps the marker where the field's format allows it (wrap), so it can be
found again, and so that a refused value can be shown absent.
"""
import base64
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def _tls_data():
    """A certificate and key from the emit goldens (nginx -t loads them)."""
    with open(os.path.join(ROOT, "testdata", "emit", "https-certificates", "input.yaml")) as f:
        m = re.search(r"  tls.crt: (\S+)\n  tls.key: (\S+)\n", f.read())
    return m.group(1), m.group(2)


class Field:
    """name: the placeholder; benign: its value in the baseline; wrap(h):
    the value carrying hostile text h; regex: a RegularExpression field
    (its text reaches nginx as a pattern); header_name: the name of a
    matched header, which also reaches nginx as the variable $http_<name>;
    literal(v): the text nginx must carry for value v, where the spec
    changes it; marker: the part of the benign value no other text holds."""

    def __init__(self, name, benign, wrap=None, regex=False, header_name=False,
                 literal=None, marker=None):
        self.name = name
        self.benign = benign
        self.marker = marker or re.search(r"zq[a-z]+q", benign, re.I).group(0)
        self.wrap = wrap or (lambda h, b=benign: b + h)
        self.regex = regex
        self.header_name = header_name
        self.literal = literal or (lambda v: v)  # what nginx must carry


def _prefix_replacement(v):
    """ReplacePrefixMatch ignores a trailing '/' (Gateway API)."""
    return v[:-1] if v.endswith("/") else v


def _host(label):
    return lambda h: "%s%s.example.com" % (label, h)


FIELDS = [
    # Hostnames: server_name, map keys, SNI.
    Field("listener_host", "zqlhq.example.com", _host("zqlhq")),
    Field("route_host", "zqrhq.example.com", _host("zqrhq")),
    Field("tls_route_host", "zqthq.example.com", _host("zqthq")),
    Field("grpc_host", "zqghq.example.com", _host("zqghq")),
    # Path matches.
    Field("path_exact", "/zqpeq"),
    Field("path_prefix", "/zqppq"),
    Field("path_regex", "/zqprq/[0-9]+", regex=True),
    # Header and query matches.
    Field("match_header_name", "x-zqmhnq", header_name=True),
    Field("match_header_value", "zqmhvq"),
    Field("match_header_regex", "zqmhrq.*", regex=True),
    Field("match_query_name", "zqmqnq"),
    Field("match_query_value", "zqmqvq"),
    Field("match_query_regex", "zqmqrq.*", regex=True),
    # Header modifiers.
    Field("request_set_name", "x-zqrsnq"),
    Field("request_set_value", "zqrsvq"),
    # '_' makes nginx drop such a header from requests, so an add needs no
    # map of the current value, with the benign name as with any hostile one.
    Field("request_add_name", "x-zq_ranq", marker="zq_ranq"),
    Field("request_add_value", "zqravq"),
    Field("request_remove", "x-zqrrmq"),
    Field("response_set_name", "x-zqssnq"),
    Field("response_set_value", "zqssvq"),
    Field("response_add_name", "x-zqsanq"),
    Field("response_add_value", "zqsavq"),
    Field("response_remove", "x-zqsrmq"),
    # Redirects and rewrites.
    Field("redirect_host", "zqdhq.example.com", _host("zqdhq")),
    Field("redirect_full_path", "/zqdfq"),
    Field("redirect_prefix", "/zqdpq", literal=_prefix_replacement),
    Field("rewrite_host", "zqwhq.example.com", _host("zqwhq")),
    Field("rewrite_full_path", "/zqwfq"),
    Field("rewrite_prefix", "/zqwpq", literal=_prefix_replacement),
    # CORS.
    Field("cors_origin", "https://zqcoq.example.com", lambda h: "https://zqcoq%s.example.com" % h),
    Field("cors_allow_header", "x-zqcahq"),
    Field("cors_expose_header", "x-zqcehq"),
    # gRPC method matches.
    Field("grpc_service", "zqgsq.Svc"),
    Field("grpc_method", "Zqgmq"),
    Field("grpc_service_regex", "zqgrq\\..*", regex=True),
    Field("grpc_set_name", "x-zqgnq"),
    Field("grpc_set_value", "zqgvq"),
    # Backends: names become upstream names and file names.
    Field("service_name", "zqsnq", lambda h: "zqsnq" + h),
    Field("external_name", "zqenq.example.com", _host("zqenq")),
    Field("cluster_ip", "10.96.77.66", marker="10.96.77.66"),
    Field("endpoint_address", "10.99.88.77", marker="10.99.88.77"),
    Field("backend_tls_host", "zqbhq.example.com", _host("zqbhq")),
    Field("secret_name", "zqcertq", lambda h: "zqcertq" + h),
    Field("gateway_name", "zqgwq", lambda h: "zqgwq" + h),
    Field("timeout", "7s", lambda h: "7s" + h, marker="7s"),
]

_CRT, _KEY = _tls_data()

# The HTTP side: plain listeners only, so that nginx -t (run on every
# output) loads no TLS context; gRPC on a cleartext port of its own (h2c).
PLAIN = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  gatewayClassName: nginx
  listeners:
    - name: http
      protocol: HTTP
      port: 80
      hostname: @listener_host@
    - name: http-any
      protocol: HTTP
      port: 80
    - name: grpc
      protocol: HTTP
      port: 9090
    - name: passthrough
      protocol: TLS
      port: 8443
      tls: {mode: Passthrough}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: listener, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: http}]
  rules:
    - backendRefs: [{name: app, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: http-any}]
  hostnames: [@route_host@]
  rules:
    - matches:
        - path: {type: Exact, value: @path_exact@}
          headers:
            - {name: @match_header_name@, value: @match_header_value@}
            - {name: x-re, type: RegularExpression, value: @match_header_regex@}
          queryParams:
            - {name: @match_query_name@, value: @match_query_value@}
            - {name: qre, type: RegularExpression, value: @match_query_regex@}
      filters:
        - type: RequestHeaderModifier
          requestHeaderModifier:
            set: [{name: @request_set_name@, value: @request_set_value@}]
            add: [{name: @request_add_name@, value: @request_add_value@}]
            remove: [@request_remove@]
        - type: ResponseHeaderModifier
          responseHeaderModifier:
            set: [{name: @response_set_name@, value: @response_set_value@}]
            add: [{name: @response_add_name@, value: @response_add_value@}]
            remove: [@response_remove@]
        - type: URLRewrite
          urlRewrite:
            hostname: @rewrite_host@
            path: {type: ReplaceFullPath, replaceFullPath: @rewrite_full_path@}
      backendRefs: [{name: app, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: @path_prefix@}}]
      filters:
        - type: URLRewrite
          urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: @rewrite_prefix@}}
      backendRefs: [{name: app, port: 8080}]
    - matches: [{path: {type: RegularExpression, value: @path_regex@}}]
      timeouts: {request: @timeout@}
      backendRefs: [{name: @service_name@, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /redirect-full}}]
      filters:
        - type: RequestRedirect
          requestRedirect:
            hostname: @redirect_host@
            path: {type: ReplaceFullPath, replaceFullPath: @redirect_full_path@}
    - matches: [{path: {type: PathPrefix, value: /redirect-prefix}}]
      filters:
        - type: RequestRedirect
          requestRedirect:
            path: {type: ReplacePrefixMatch, replacePrefixMatch: @redirect_prefix@}
    - matches: [{path: {type: PathPrefix, value: /cors}}]
      filters:
        - type: CORS
          cors:
            allowOrigins: [@cors_origin@]
            allowMethods: [GET]
            allowHeaders: [@cors_allow_header@]
            exposeHeaders: [@cors_expose_header@]
      backendRefs: [{name: app, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /external}}]
      backendRefs: [{name: external, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /pinned}}]
      backendRefs: [{name: pinned, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: g, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: grpc}]
  hostnames: [@grpc_host@]
  rules:
    - matches:
        - method: {service: @grpc_service@, method: @grpc_method@}
        - method: {type: RegularExpression, service: @grpc_service_regex@}
      filters:
        - type: RequestHeaderModifier
          requestHeaderModifier:
            set: [{name: @grpc_set_name@, value: @grpc_set_value@}]
      backendRefs: [{name: app, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: t, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: passthrough}]
  hostnames: [@tls_route_host@]
  rules:
    - backendRefs: [{name: app, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: shop}
spec:
  clusterIP: 10.96.0.10
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: @service_name@, namespace: shop}
spec:
  clusterIP: @cluster_ip@
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: pinned, namespace: shop}
spec:
  clusterIP: 10.96.0.13
  ports: [{name: http, port: 8080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: pinned-1
  namespace: shop
  labels: {kubernetes.io/service-name: pinned}
addressType: IPv4
ports: [{name: http, port: 8081}]
endpoints: [{addresses: [@endpoint_address@], conditions: {ready: true}}]
---
apiVersion: v1
kind: Service
metadata: {name: external, namespace: shop}
spec:
  type: ExternalName
  externalName: @external_name@
  ports: [{port: 80}]
"""

# The TLS side: a certificate, client certificate validation and TLS to a
# backend, whose names and hostname reach nginx.
TLS = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: @gateway_name@, namespace: shop}
spec:
  gatewayClassName: nginx
  tls:
    frontend:
      default:
        validation:
          caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
  listeners:
    - name: https
      protocol: HTTPS
      port: 443
      tls: {certificateRefs: [{name: @secret_name@}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: secure, namespace: shop}
spec:
  parentRefs: [{name: @gateway_name@}]
  rules:
    - matches: [{path: {type: Exact, value: /secure}}]
      backendRefs: [{name: secure, port: 443}]
---
apiVersion: v1
kind: Service
metadata: {name: secure, namespace: shop}
spec:
  clusterIP: 10.96.0.12
  ports: [{name: https, port: 443}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: secure, namespace: shop}
spec:
  targetRefs: [{group: "", kind: Service, name: secure}]
  validation:
    caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
    hostname: @backend_tls_host@
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ca, namespace: shop}
data:
  ca.crt: @ca_pem@
---
apiVersion: v1
kind: Secret
metadata: {name: @secret_name@, namespace: shop}
type: kubernetes.io/tls
data:
  tls.crt: %s
  tls.key: %s
""" % (_CRT, _KEY)

TEMPLATES = {"plain": PLAIN, "tls": TLS}
TLS_FIELDS = {"backend_tls_host", "secret_name", "gateway_name"}


def yaml_string(value):
    """value as one double-quoted YAML scalar on one line, every character
    YAML would not keep as it is written as an escape."""
    out = ['"']
    for c in value:
        o = ord(c)
        if c == '"' or c == "\\":
            out.append("\\" + c)
        elif o < 0x20 or 0x7F <= o <= 0x9F:
            out.append("\\x%02x" % o)
        elif o in (0x2028, 0x2029, 0xFEFF) or 0xD800 <= o <= 0xDFFF:
            out.append("\\u%04x" % o)
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def template(field):
    return "tls" if field.name in TLS_FIELDS else "plain"


def render(name, values):
    """Template `name` with every placeholder replaced: values maps a
    field name to its value (benign when absent)."""
    text = TEMPLATES[name].replace("@ca_pem@", yaml_string(base64.b64decode(_CRT).decode()))
    for f in FIELDS:
        text = text.replace("@%s@" % f.name, yaml_string(values.get(f.name, f.benign)))
    return text


def field_lines(field):
    """The 1-based lines of its template where a field's value is written."""
    lines = TEMPLATES[template(field)].split("\n")
    return {i + 1 for i, line in enumerate(lines) if "@%s@" % field.name in line}
