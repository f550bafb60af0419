#!/usr/bin/env python3
"""Checks the policy CRDs in deploy/crds against the reference.

  crds_check.py CRD_DIR DOC [GWC]

1. Each CRD is a structural apiextensions.k8s.io/v1 schema: every node has
   a type, properties only on objects, items only on arrays, required
   fields exist, list-map keys are required, defaults and enums fit their
   node, patterns compile, every CEL rule has a message.
2. Every gwc.dev/v1alpha1 object in the YAML examples of DOC validates
   against its CRD's openAPIV3Schema (CEL rules are not evaluated here: gwc
   check applies them).
3. Values the schema must refuse (sizes in nginx spelling, status codes
   out of range, realms with quotes, ...) are refused.
4. With GWC: `gwc check` agrees with the CRDs on 2 and 3: no decoding or
   schema error (GW02xx, GW03xx) for the examples, one for each refused
   value.

Prints TAP.
"""
import copy
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

RESULTS = []


def ok(cond, name, detail=""):
    RESULTS.append(bool(cond))
    n = len(RESULTS)
    print(("ok %d - %s" % (n, name)) if cond else ("not ok %d - %s\n# %s" % (n, name, detail)))


def walk(node, path, problems):
    """Structural-schema rules of apiextensions.k8s.io/v1."""
    if not isinstance(node, dict):
        problems.append("%s: not a schema" % path)
        return
    t = node.get("type")
    if t is None:
        problems.append("%s: no type" % path)
    if "properties" in node and t != "object":
        problems.append("%s: properties on a %s" % (path, t))
    if "items" in node and t != "array":
        problems.append("%s: items on a %s" % (path, t))
    if t == "array" and "items" not in node:
        problems.append("%s: array without items" % path)
    for r in node.get("required", []):
        if r not in node.get("properties", {}):
            problems.append("%s: required %s is not a property" % (path, r))
    if "pattern" in node:
        try:
            re.compile(node["pattern"])
        except re.error as e:
            problems.append("%s: pattern does not compile: %s" % (path, e))
    if "default" in node or "enum" in node:
        bare = {k: v for k, v in node.items() if k in ("type", "enum", "pattern", "minimum",
                                                       "maximum", "minLength", "maxLength")}
        values = ([node["default"]] if "default" in node else []) + node.get("enum", [])
        for v in values:
            try:
                jsonschema.validate(v, bare)
            except jsonschema.ValidationError as e:
                problems.append("%s: default or enum value %r does not fit: %s" % (path, v, e.message))
    if node.get("x-kubernetes-list-type") == "map":
        keys = node.get("x-kubernetes-list-map-keys", [])
        if not keys or any(k not in node["items"].get("required", []) for k in keys):
            problems.append("%s: list-map keys must be required in the items" % path)
    for v in node.get("x-kubernetes-validations", []):
        if not v.get("rule") or not v.get("message"):
            problems.append("%s: CEL rule without rule or message" % path)
        elif v["rule"].count("(") != v["rule"].count(")") or v["rule"].count("[") != v["rule"].count("]"):
            problems.append("%s: unbalanced CEL rule %s" % (path, v["rule"]))
    for k, sub in node.get("properties", {}).items():
        walk(sub, path + "." + k, problems)
    if "items" in node:
        walk(node["items"], path + "[]", problems)


def load_crds(directory):
    import os
    crds = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(directory, name)) as f:
            docs = [d for d in yaml.safe_load_all(f) if d]
        ok(len(docs) == 1 and docs[0].get("kind") == "CustomResourceDefinition",
           "%s holds one CustomResourceDefinition" % name)
        crd = docs[0]
        spec = crd["spec"]
        ver = spec["versions"][0]
        ok(crd["apiVersion"] == "apiextensions.k8s.io/v1" and spec["group"] == "gwc.dev"
           and crd["metadata"]["name"] == spec["names"]["plural"] + ".gwc.dev"
           and ver["name"] == "v1alpha1" and ver["served"] and ver["storage"]
           and ver.get("subresources", {}).get("status") == {},
           "%s: group, name, version and status subresource" % name)
        ok(crd["metadata"]["labels"].get("gateway.networking.k8s.io/policy") == "Inherited",
           "%s: labelled as an inherited Gateway API policy" % name)
        problems = []
        walk(ver["schema"]["openAPIV3Schema"], spec["names"]["kind"], problems)
        ok(not problems, "%s: structural schema" % name, "; ".join(problems[:5]))
        crds[spec["names"]["kind"]] = ver["schema"]["openAPIV3Schema"]
    return crds


class Loader(yaml.SafeLoader):
    """YAML 1.2 booleans, as Kubernetes reads them: `on` and `yes` are
    strings (retry.on is a field name), only true and false are booleans."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"),
                             list("tf"))


def doc_examples(path):
    text = open(path).read()
    out = []
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        for d in yaml.load_all(block, Loader=Loader):
            if isinstance(d, dict) and d.get("apiVersion") == "gwc.dev/v1alpha1":
                out.append(d)
    return out


def valid(schema, obj):
    try:
        jsonschema.validate(obj, schema)
        return None
    except jsonschema.ValidationError as e:
        return "%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message)


BASE = {
    "ClientPolicy": {"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "gw"}],
                     "requestBody": {"maxSize": "10Mi"}},
    "AccessPolicy": {"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "r"}],
                     "basicAuth": {"secretRef": {"name": "s"}}},
    "BackendPolicy": {"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "r"}],
                      "timeouts": {"read": "60s"}},
}

# (kind, a change to BASE's spec as (path, value), what it shows)
REFUSED = [
    ("ClientPolicy", (["requestBody", "maxSize"], "10m"), "nginx size spelling 10m (milli in Kubernetes)"),
    ("ClientPolicy", (["requestBody", "maxSize"], "1Ti"), "a unit gwc does not map"),
    ("ClientPolicy", (["requestBody", "maxSize"], "12345678Gi"), "a size beyond 7 digits"),
    ("ClientPolicy", (["requestLimits"], {"rate": [{"requests": 0, "per": "Second"}]}), "a rate of 0"),
    ("ClientPolicy", (["requestLimits"], {"rate": [{"requests": 5, "per": "Hour"}]}), "a period nginx lacks"),
    ("ClientPolicy", (["requestLimits"], {"concurrent": 5, "rejectStatusCode": 200}), "a 2xx reject status"),
    ("ClientPolicy", (["timeouts"], {"idle": "5d"}), "a duration unit Gateway API lacks"),
    ("ClientPolicy", (["requestLimits"], {"concurrent": 5, "rejectStatusCode": 600}), "a reject status above 599"),
    ("ClientPolicy", (["errorResponses"], [{"statusCodes": [600], "body": "x"}]), "an error response above 599"),
    ("ClientPolicy", (["errorResponses"], [{"statusCodes": [302], "body": "x"}]), "a 3xx error response"),
    ("ClientPolicy", (["clientAddressDetection"], {"source": "Header", "header": "X_Forwarded_For",
                                          "trustedProxies": ["10.0.0.0/8"]}), "a header nginx drops (underscores)"),
    ("ClientPolicy", (["clientAddressDetection"], {"source": "Header", "trustedProxies": ["10.0.0.0/8; allow all"]}),
     "a CIDR carrying a directive"),
    ("ClientPolicy", (["targetRefs"], [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "g%d" % n}
                                       for n in range(17)]), "17 targetRefs"),
    ("ClientPolicy", (["targetRefs"], [{"group": "gateway.networking.k8s.io", "kind": "TCPRoute", "name": "t"}]),
     "a TCPRoute target"),
    ("AccessPolicy", (["basicAuth", "realm"], 'a"b'), "a realm with a quote"),
    ("AccessPolicy", (["basicAuth", "realm"], "$host"), "a realm with a variable"),
    ("AccessPolicy", (["basicAuth", "format"], "Digest"), "digest authentication"),
    ("AccessPolicy", (["externalAuth"], {"url": "http://auth/$request_uri"}), "an auth URL with a variable"),
    ("AccessPolicy", (["externalAuth"], {"url": "http://a/\"; ssl_engine x; #"}), "an auth URL with a quote"),
    ("AccessPolicy", (["externalAuth"], {"url": "ftp://auth/"}), "an auth URL that is not http(s)"),
    ("AccessPolicy", (["externalAuth"], {"url": "http://auth/", "method": "GET;"}), "an auth method outside the enum"),
    ("AccessPolicy", (["clientAddresses"], {"allow": ["all"]}), "the nginx keyword all as a CIDR"),
    ("AccessPolicy", (["clientAddresses"], {"deny": ["unix:"]}), "the nginx keyword unix: as a CIDR"),
    ("BackendPolicy", (["retry"], {"statusCodes": [501]}), "a status nginx cannot retry on"),
    ("BackendPolicy", (["retry"], {"tries": 0}), "zero tries"),
    ("BackendPolicy", (["keepalive"], {"connections": 5000}), "too many idle connections"),
    ("BackendPolicy", (["loadBalancing"], {"method": "IPHash"}), "a method gwc does not offer"),
    ("BackendPolicy", (["loadBalancing"], {"method": "ConsistentHash",
                                           "consistentHash": {"source": "Cookie", "cookie": {"name": "a;b"}}}),
     "a cookie name with a separator"),
]


def with_change(kind, change):
    spec = copy.deepcopy(BASE[kind])
    path, value = change
    node = spec
    for k in path[:-1]:
        node = node.setdefault(k, {})
    node[path[-1]] = value
    return {"apiVersion": "gwc.dev/v1alpha1", "kind": kind,
            "metadata": {"name": "p", "namespace": "ns"}, "spec": spec}


def gwc_schema_errors(gwc, obj):
    """The decoding and schema errors gwc check reports for obj."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "policy.yaml")
        with open(path, "w") as f:
            yaml.safe_dump(obj, f)
        r = subprocess.run([gwc, "check", path], capture_output=True, text=True, timeout=30)
    return [line for line in r.stderr.splitlines()
            if ": error: " in line and re.search(r"\[GW0[23]\d\d\]", line)]


def main():
    crds = load_crds(sys.argv[1])
    ok(sorted(crds) == ["AccessPolicy", "BackendPolicy", "ClientPolicy"], "the three policy kinds")
    examples = doc_examples(sys.argv[2])
    seen = set()
    for ex in examples:
        kind = ex.get("kind")
        seen.add(kind)
        err = valid(crds[kind], ex) if kind in crds else "no CRD for kind %s" % kind
        ok(err is None, "example %s %s validates" % (kind, ex["metadata"]["name"]), err)
    ok(seen >= set(crds), "the reference has an example of every kind", seen)
    for kind in BASE:
        ok(valid(crds[kind], with_change(kind, (["targetRefs"], BASE[kind]["targetRefs"]))) is None,
           "the %s baseline validates" % kind)
    for kind, change, what in REFUSED:
        ok(valid(crds[kind], with_change(kind, change)) is not None, "%s refuses %s" % (kind, what))
    if len(sys.argv) > 3:
        gwc = sys.argv[3]
        for ex in examples:
            errs = gwc_schema_errors(gwc, ex)
            ok(not errs, "gwc check accepts example %s %s" % (ex["kind"], ex["metadata"]["name"]),
               "; ".join(errs[:3]))
        for kind, change, what in REFUSED:
            ok(gwc_schema_errors(gwc, with_change(kind, change)),
               "gwc check refuses %s %s" % (kind, what))
    print("1..%d" % len(RESULTS))
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
