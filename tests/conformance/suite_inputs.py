"""Inputs for replaying the Gateway API conformance suite against gwc.

The upstream suite applies base/manifests.yaml plus each test's manifests to
a live cluster, after generating TLS material and substituting the class under
test.  This module builds the same set as one YAML stream:

- every manifest with {GATEWAY_CLASS_NAME} replaced;
- a GatewayClass of that name handled by gwc's controller;
- the Secrets and ConfigMaps the suite generates at start-up (manifests
  README, "Things the YAML does not contain"), made with the openssl CLI;
- per-test emulation of runtime changes (objects created later, objects
  deleted), described in MUTATIONS.
"""
import base64
import json
import os
import re
import subprocess
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(HERE, "suite")
CASES = os.path.join(SUITE, "cases")
MANIFESTS = os.path.join(SUITE, "manifests")
CLASS_NAME = "gwc-conformance"
CONTROLLER = "gwc.dev/gateway-controller"
INFRA = "gateway-conformance-infra"


# Tests that only apply to an implementation lacking a feature gwc has.
NOT_APPLICABLE = {
    "TLSRouteListenerMixedTerminationNotSupported":
        "gwc supports TLSRouteModeMixed (Terminate and Passthrough on one port)",
    "TLSRouteListenerTerminateNotSupported":
        "gwc supports TLSRouteModeTerminate",
}


def load_case(name):
    with open(os.path.join(CASES, name + ".json")) as f:
        return json.load(f)


def all_cases():
    return sorted(f[:-5] for f in os.listdir(CASES) if f.endswith(".json"))


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class TLSMaterial:
    """CAs and certificates named as the upstream suite names them.

    EC P-256 keys keep generation fast; nothing here is secret (it is made
    fresh in a temporary directory for each run).
    """

    def __init__(self, workdir):
        self.dir = workdir
        self.pem = {}
        self._ca("ca1")
        self._ca("ca2")
        self._ca("ca3")
        self._ca("mismatch-ca")
        self._ca("web-ca")
        self._self_signed("any", ["*"])
        self._self_signed("validity", ["*", "*.org", "*.wildcard.org"])
        self._leaf("client1", "ca1", ["client.example.com"], client=True)
        self._leaf("client2", "ca2", ["client.example.com"], client=True)
        self._leaf("checks", "ca3", ["abc.example.com", "URI:spiffe://abc.example.com/test-identity",
                                     "other.example.com"])
        self._leaf("checks-client", "ca3", ["client.example.com"], client=True)
        self._leaf("passthrough", "ca3", ["abc.example.com"])
        self._leaf("terminate", "ca3", ["tls.example.com"])

    def _path(self, name, ext):
        return os.path.join(self.dir, name + "." + ext)

    def _read(self, name):
        with open(self._path(name, "crt")) as c, open(self._path(name, "key")) as k:
            self.pem[name] = (c.read(), k.read())

    def _key(self, name):
        # PKCS#8, as Kubernetes tooling writes keys.
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-out", name + ".key", cwd=self.dir)

    def _ca(self, name):
        self._key(name)
        _openssl("req", "-x509", "-new", "-key", name + ".key", "-days", "3650",
                 "-subj", "/CN=" + name, "-out", name + ".crt", cwd=self.dir)
        self._read(name)

    @staticmethod
    def _san(names):
        return "subjectAltName=" + ",".join(
            n if n.startswith("URI:") else "DNS:" + n for n in names)

    def _self_signed(self, name, names):
        self._key(name)
        _openssl("req", "-x509", "-new", "-key", name + ".key", "-days", "3650",
                 "-subj", "/CN=" + names[0], "-addext", self._san(names),
                 "-out", name + ".crt", cwd=self.dir)
        self._read(name)

    def _leaf(self, name, ca, names, client=False):
        self._key(name)
        _openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + names[0],
                 "-out", name + ".csr", cwd=self.dir)
        ext = os.path.join(self.dir, name + ".ext")
        with open(ext, "w") as f:
            f.write(self._san(names) + "\n")
            f.write("extendedKeyUsage=%s\n" % ("clientAuth" if client else "serverAuth"))
        _openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt",
                 "-CAkey", ca + ".key", "-CAcreateserial", "-days", "3650",
                 "-extfile", ext, "-out", name + ".crt", cwd=self.dir)
        self._read(name)

    def cert(self, name):
        return self.pem[name][0]

    def key(self, name):
        return self.pem[name][1]


def _b64(text):
    return base64.b64encode(text.encode()).decode()


def _secret(ns, name, crt, key):
    return ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\n"
            "type: kubernetes.io/tls\ndata:\n  tls.crt: %s\n  tls.key: %s\n"
            % (name, ns, _b64(crt), _b64(key)))


def _config_map(ns, name, ca):
    body = "\n".join("    " + line for line in ca.strip().split("\n"))
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\n"
            "data:\n  ca.crt: |\n%s\n" % (name, ns, body))


def generated_objects(tls):
    """The Secrets and ConfigMaps the upstream suite creates at start-up."""
    docs = [
        _secret("gateway-conformance-web-backend", "certificate", tls.cert("any"), tls.key("any")),
        _secret(INFRA, "tls-validity-checks-certificate", tls.cert("validity"), tls.key("validity")),
        _config_map("gateway-conformance-web-backend", "web-backend-cm", tls.cert("web-ca")),
        _config_map(INFRA, "tls-validity-checks-ca-certificate", tls.cert("ca1")),
        _secret(INFRA, "tls-validity-checks-client-certificate", tls.cert("client1"), tls.key("client1")),
        _config_map(INFRA, "tls-validity-checks-per-port-ca-certificate", tls.cert("ca2")),
        _secret(INFRA, "tls-validity-checks-per-port-client-certificate", tls.cert("client2"), tls.key("client2")),
        _config_map(INFRA, "tls-checks-ca-certificate", tls.cert("ca3")),
        _secret(INFRA, "tls-checks-certificate", tls.cert("checks"), tls.key("checks")),
        _secret(INFRA, "tls-checks-client-certificate", tls.cert("checks-client"), tls.key("checks-client")),
        _secret(INFRA, "tls-passthrough-checks-certificate", tls.cert("passthrough"), tls.key("passthrough")),
        _secret("gateway-conformance-app-backend", "tls-passthrough-checks-certificate",
                tls.cert("passthrough"), tls.key("passthrough")),
        _secret(INFRA, "tls-terminate-checks-certificate", tls.cert("terminate"), tls.key("terminate")),
        _config_map(INFRA, "mismatch-ca-certificate", tls.cert("mismatch-ca")),
    ]
    return docs


GATEWAY_CLASS = ("apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
                 "metadata:\n  name: %s\nspec:\n  controllerName: %s\n" % (CLASS_NAME, CONTROLLER))


def _tcp_newer_route():
    return ("apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\n"
            "metadata:\n  name: tcproute-attach-newer\n  namespace: %s\n"
            "  creationTimestamp: \"2030-01-01T00:00:01Z\"\n"
            "spec:\n  parentRefs:\n  - name: tcp-multi-route-attach-gateway\n"
            "    sectionName: tcp\n  rules:\n  - backendRefs:\n"
            "    - name: tcp-attach-backend-2\n      port: 3000\n" % INFRA)


def _udp_newer_route():
    return ("apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: UDPRoute\n"
            "metadata:\n  name: udproute-attach-newer\n  namespace: %s\n"
            "  creationTimestamp: \"2030-01-01T00:00:01Z\"\n"
            "spec:\n  parentRefs:\n  - name: udp-multi-route-attach-gateway\n"
            "    sectionName: udp\n  rules:\n  - backendRefs:\n"
            "    - name: udp-attach-backend-2\n      port: 8080\n" % INFRA)


def _stamp(kind, ns, name, ts):
    """Adds a creationTimestamp to one object of the text (route ordering)."""
    def mutate(docs):
        out = []
        for d in docs:
            if _is_object(d, kind, name, ns):
                d = d.replace("metadata:\n", "metadata:\n  creationTimestamp: \"%s\"\n" % ts, 1)
            out.append(d)
        return out
    return mutate


def _is_object(doc, kind, name, ns=None):
    """Is this document the object itself (not one that refers to it)?"""
    if not re.search(r"^kind: %s$" % re.escape(kind), doc, re.M):
        return False
    meta = re.search(r"^metadata:\n((?:[ #].*\n|\n)*)", doc, re.M)
    if not meta:
        return False
    if not re.search(r"^  name: \"?%s\"?$" % re.escape(name), meta.group(1), re.M):
        return False
    return ns is None or re.search(r"^  namespace: \"?%s\"?$" % re.escape(ns),
                                   meta.group(1), re.M) is not None


def _add_listener_to_gateway_add_listener(docs):
    """GatewayModifyListeners subtest 1 appends an HTTP listener."""
    extra = ("  - name: http\n    port: 80\n    protocol: HTTP\n    hostname: data.test.com\n"
             "    allowedRoutes:\n      namespaces:\n        from: All\n")
    return [d + extra if _is_object(d, "Gateway", "gateway-add-listener") else d
            for d in docs]


def _remove_https_from_gateway_remove_listener(docs):
    """GatewayModifyListeners subtest 2 keeps only the listener named http."""
    out = []
    for d in docs:
        if _is_object(d, "Gateway", "gateway-remove-listener"):
            start = d.index("  - name: https\n")
            end = d.index("  - name: http\n")
            d = d[:start] + d[end:]
        out.append(d)
    return out


# Runtime changes of "partly" tests, emulated on the static input:
#   extra: documents to add; drop: (kind, namespace, name) objects to remove
#   for a named phase; prepare: functions over the document list.
MUTATIONS = {
    "GatewayModifyListeners": {
        "prepare": [_add_listener_to_gateway_add_listener,
                    _remove_https_from_gateway_remove_listener],
    },
    "TCPRouteMultipleRoutesAttachment": {
        "prepare": [_stamp("TCPRoute", INFRA, "tcproute-attach-older", "2030-01-01T00:00:00Z")],
        "extra": [_tcp_newer_route()],
    },
    "UDPRouteMultipleRoutesAttachment": {
        "prepare": [_stamp("UDPRoute", INFRA, "udproute-attach-older", "2030-01-01T00:00:00Z")],
        "extra": [_udp_newer_route()],
    },
}

# Phases that drop an object: phase text -> (kind, namespace, name).
PHASE_DROPS = {
    "after deleting ReferenceGrant gateway-conformance-web-backend/tcp-reference-grant":
        ("ReferenceGrant", "gateway-conformance-web-backend", "tcp-reference-grant"),
    "after deleting ReferenceGrant gateway-conformance-app-backend/udp-reference-grant":
        ("ReferenceGrant", "gateway-conformance-app-backend", "udp-reference-grant"),
}


def split_documents(text):
    docs, cur = [], []
    for line in text.split("\n"):
        if line.strip() == "---":
            docs.append("\n".join(cur) + "\n")
            cur = []
        else:
            cur.append(line)
    docs.append("\n".join(cur) + "\n")
    return [d for d in docs if d.strip() and any(
        l and not l.lstrip().startswith("#") for l in d.split("\n"))]


def assemble(case, tls, drop=None):
    """The whole input of one test as a list of YAML documents."""
    docs = []
    for rel in case["manifests"]:
        with open(os.path.join(MANIFESTS, rel)) as f:
            text = f.read().replace("{GATEWAY_CLASS_NAME}", CLASS_NAME)
        docs.extend(split_documents(text))
    mut = MUTATIONS.get(case["name"], {})
    for fn in mut.get("prepare", []):
        docs = fn(docs)
    docs.extend(mut.get("extra", []))
    docs.append(GATEWAY_CLASS)
    docs.extend(generated_objects(tls))
    if drop:
        kind, ns, name = drop
        docs = [d for d in docs if not _is_object(d, kind, name, ns)]
    return docs


def own_addresses(docs):
    """Gives each Gateway without spec.addresses 127.0.0.N of its own, as a
    cluster's controller assigns every Gateway addresses of its own.
    Returns the new documents and {(namespace, name): address}."""
    docs, addresses, n = list(docs), {}, 2
    for i, doc in enumerate(docs):
        obj = yaml.safe_load(doc)
        if not isinstance(obj, dict) or obj.get("kind") != "Gateway":
            continue
        if (obj.get("spec") or {}).get("addresses"):
            continue
        meta = obj.get("metadata") or {}
        address = "127.0.0.%d" % n
        n += 1
        addresses[(meta.get("namespace") or "default", meta.get("name"))] = address
        docs[i] = doc.replace(
            "\nspec:\n", "\nspec:\n  addresses:\n  - type: IPAddress\n    value: %s\n" % address, 1)
    return docs, addresses


def write_input(docs, path):
    with open(path, "w") as f:
        f.write("---\n".join(docs))


def new_tls_material():
    """TLS material in a fresh temporary directory (removed at exit)."""
    tmp = tempfile.TemporaryDirectory(prefix="gwc-conformance-tls-")
    tls = TLSMaterial(tmp.name)
    tls._tmp = tmp  # keep the directory alive as long as the material
    return tls
