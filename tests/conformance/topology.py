"""What a cluster would provide around one conformance test, made local.

The upstream suite runs each Deployment of echo-basic (or CoreDNS) as pods,
gives every Gateway its own address, and lets Kubernetes fill EndpointSlices
with pod IPs.  Here:

- every Deployment a Service selects becomes in-process echo backends
  (gwtest.echo), one per container port a Service targets, in the mode its
  environment asks for (HTTP, h2c, HTTPS, gRPC, TCP, TLS, UDP, DNS), with the
  certificates its volumes mount, reporting pod `<deployment>-<x>-<y>`;
- every such Service gets an EndpointSlice pointing its ports at those
  backends on 127.0.0.1;
- every Gateway gets its own loopback address (127.0.0.2, .3, ...) through
  spec.addresses, so Gateways sharing a port stay apart as on separate IPs;
- every listener port is mapped to a free high port (gwc --port-map).
"""
import base64
import os

import yaml

import suite_inputs as si
from gwtest.echo import pod_name
from gwtest.nginx import free_port

ECHO_IMAGE = "echo-basic"
COREDNS_IMAGE = "coredns"


def _meta(obj):
    m = obj.get("metadata") or {}
    return m.get("namespace") or "default", m.get("name")


def _selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


class Pod:
    """One Deployment's pod: what it serves on which container port."""

    def __init__(self, deployment, objects):
        self.namespace, self.deployment = _meta(deployment)
        template = deployment["spec"]["template"]
        self.labels = (template.get("metadata") or {}).get("labels") or {}
        spec = template["spec"]
        container = spec["containers"][0]
        self.image = container.get("image", "")
        self.env = {e["name"]: e.get("value") for e in container.get("env") or []}
        self.named_ports = {p["name"]: p["containerPort"]
                            for p in container.get("ports") or [] if p.get("name")}
        self.files = self._mounted_files(container, spec, objects)
        self.pod = pod_name(self.deployment, self.namespace)
        self.backends = {}  # container port -> running echo backend

    def _mounted_files(self, container, spec, objects):
        """Path -> file content, for Secret and ConfigMap volumes."""
        volumes = {v["name"]: v for v in spec.get("volumes") or []}
        files = {}
        for mount in container.get("volumeMounts") or []:
            volume = volumes.get(mount["name"]) or {}
            if "secret" in volume:
                source = objects.get(("Secret", self.namespace, volume["secret"]["secretName"]))
                data = {k: base64.b64decode(v).decode()
                        for k, v in ((source or {}).get("data") or {}).items()}
                items = volume["secret"].get("items")
            elif "configMap" in volume:
                source = objects.get(("ConfigMap", self.namespace, volume["configMap"]["name"]))
                data = dict((source or {}).get("data") or {})
                items = volume["configMap"].get("items")
            else:
                continue
            for item in items or [{"key": k, "path": k} for k in data]:
                if item["key"] in data:
                    files[os.path.join(mount["mountPath"], item["path"])] = data[item["key"]]
        return files

    def _file(self, env_name):
        path = self.env.get(env_name)
        return self.files.get(path) if path else None

    def mode_for(self, port):
        """(echo mode, options) for a container port, or None."""
        if COREDNS_IMAGE in self.image:
            return ("dns", {}) if port == 53 else None
        if ECHO_IMAGE not in self.image:
            return None
        cert = self._file("TLS_SERVER_CERT")
        key = self._file("TLS_SERVER_PRIVKEY") or self._file("TLS_SERVER_PRIV_KEY")
        tls = {"cert": cert, "key": key} if cert and key else None
        if "UDP_ECHO_SERVER" in self.env:
            return ("udp", {}) if port == int(self.env.get("UDP_PORT") or 8080) else None
        if "TCP_ECHO_SERVER" in self.env:
            if port == 3000:
                return "tcp", {}
            return ("tls", dict(tls)) if port == 8443 and tls else None
        if "GRPC_ECHO_SERVER" in self.env:
            if port == 3000:
                return "grpc", {}
            return ("grpcs", dict(tls)) if port == 8443 and tls else None
        if port == 3000:
            return "http", {}
        if port == 3001:
            return "h2c", {}
        if port == 8443 and tls:
            options = dict(tls)
            ca = self._file("TLS_CLIENT_CACERTS")
            if ca:
                options["client_ca"] = ca
            return "https", options
        return None


class Topology:
    def __init__(self, docs, workdir):
        self.docs = list(docs)
        self.workdir = workdir
        self.parsed = [yaml.safe_load(d) for d in self.docs]
        self.objects = {}
        for obj in self.parsed:
            if isinstance(obj, dict) and obj.get("kind"):
                ns, name = _meta(obj)
                self.objects[(obj["kind"], ns, name)] = obj
        self.pods = [Pod(o, self.objects) for o in self.parsed
                     if isinstance(o, dict) and o.get("kind") == "Deployment"]
        self.gateway_address = {}
        self.port_map = {}  # listener port -> local port
        self.port_kinds = {}
        self.pool = None

    # ---- backends ----

    def _pods_for(self, service):
        ns, _ = _meta(service)
        selector = (service.get("spec") or {}).get("selector")
        return [p for p in self.pods if p.namespace == ns and _selects(selector, p.labels)]

    def _write_pem(self, pod, options):
        """echo backends take certificate files, not text."""
        for key in ("cert", "key", "client_ca"):
            if key in options:
                path = os.path.join(self.workdir, "%s-%s-%s.pem" % (pod.namespace, pod.pod, key))
                with open(path, "w") as f:
                    f.write(options[key])
                options[key] = path
        return options

    def _backend(self, pod, port):
        if port not in pod.backends:
            mode = pod.mode_for(port)
            if mode is None:
                return None
            name, options = mode
            pod.backends[port] = self.pool.start(
                pod.env.get("SERVICE_NAME") or pod.deployment, pod.namespace, mode=name,
                pod=pod.pod, **self._write_pem(pod, options))
        return pod.backends[port]

    def _target_port(self, pod, port):
        target = port.get("targetPort", port["port"])
        return pod.named_ports.get(target) if isinstance(target, str) else target

    def start_backends(self, pool):
        """Starts the echo backends Services need; returns EndpointSlices."""
        self.pool = pool
        slices = []
        for obj in self.parsed:
            if not isinstance(obj, dict) or obj.get("kind") != "Service":
                continue
            for pod in self._pods_for(obj):
                ports = []
                for port in obj["spec"].get("ports") or []:
                    backend = self._backend(pod, self._target_port(pod, port))
                    if backend:
                        ports.append((port, backend.port))
                if ports:
                    slices.append(self._endpoint_slice(obj, pod, ports))
        return slices

    @staticmethod
    def _endpoint_slice(service, pod, ports):
        ns, name = _meta(service)
        lines = ["apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice", "metadata:",
                 "  name: %s" % ("%s-%s" % (name, pod.deployment))[:63].rstrip("-"),
                 "  namespace: %s" % ns, "  labels:",
                 "    kubernetes.io/service-name: %s" % name,
                 "addressType: IPv4", "ports:"]
        for port, local in ports:
            lines.append("  - name: \"%s\"" % port.get("name", ""))
            lines.append("    port: %d" % local)
            lines.append("    protocol: %s" % port.get("protocol", "TCP"))
        lines += ["endpoints:", "  - addresses: [\"127.0.0.1\"]",
                  "    conditions: {ready: true, serving: true, terminating: false}",
                  "    targetRef: {kind: Pod, namespace: %s, name: %s}" % (ns, pod.pod)]
        return "\n".join(lines) + "\n"

    def fill_manual_slice(self, namespace, name, deployment):
        """A manually managed EndpointSlice gets the deployment's pod as its
        endpoint, its ports pointed at the pod's backends."""
        pod = next(p for p in self.pods if p.deployment == deployment and p.namespace == namespace)
        for i, obj in enumerate(self.parsed):
            if (isinstance(obj, dict) and obj.get("kind") == "EndpointSlice" and
                    _meta(obj) == (namespace, name)):
                if obj.get("addressType") != "IPv4":
                    return
                doc = self.docs[i]
                for port in obj.get("ports") or []:
                    backend = self._backend(pod, port["port"])
                    doc = doc.replace("  port: %d\n" % port["port"], "  port: %d\n" % backend.port)
                doc += ("endpoints:\n- addresses: [\"127.0.0.1\"]\n"
                        "  conditions: {ready: true, serving: true, terminating: false}\n"
                        "  targetRef: {kind: Pod, namespace: %s, name: %s}\n" % (namespace, pod.pod))
                self.docs[i] = doc

    # ---- gateways and ports ----

    def assign_addresses(self):
        """Each Gateway without addresses gets 127.0.0.N of its own."""
        self.docs, self.gateway_address = si.own_addresses(self.docs)

    def map_ports(self):
        kinds = {}
        for obj in self.parsed:
            if not isinstance(obj, dict) or obj.get("kind") not in ("Gateway", "ListenerSet",
                                                                   "XListenerSet"):
                continue
            for listener in (obj.get("spec") or {}).get("listeners") or []:
                kind = "udp" if listener.get("protocol") == "UDP" else "tcp"
                kinds.setdefault(listener["port"], set()).add(kind)
        for port, k in sorted(kinds.items()):
            kind = "both" if len(k) == 2 else next(iter(k))
            self.port_map[port] = free_port(kind)
            self.port_kinds[port] = k
        return self.port_map

    def listening(self, kind):
        return [local for port, local in sorted(self.port_map.items())
                if kind in self.port_kinds[port]]

    def backend_of(self, namespace, deployment):
        for pod in self.pods:
            if pod.namespace == namespace and pod.deployment == deployment:
                return list(pod.backends.values())
        return []

    def all_backends(self):
        return [b for pod in self.pods for b in pod.backends.values()]
