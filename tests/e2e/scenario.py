"""A running gwc scenario: manifests compiled by gwc, served by real nginx,
routing to local echo backends that say who they are.

    with Scenario(MANIFESTS, backends=[Backend("shop", "web")]) as s:
        r = s.get("/path", host="shop.example.com")
        assert r.echo["service"] == "web"

Each Backend stands for a Kubernetes Service: the scenario starts an echo
server for it and adds a Service (unless the manifests define it) and an
EndpointSlice that points the Service's port at the echo server, so gwc's
own endpoint resolution routes there.  Gateway listener ports are mapped to
free high ports with --port-map; nginx listens on 127.0.0.1 only and is
stopped by PID whatever happens.
"""
import dataclasses
import json
import os
import shutil
import subprocess
import tempfile

from gwtest import client
from gwtest.echo import EchoPool
from gwtest.nginx import NginxProcess, free_ports

GWC = os.environ.get("GWC", os.path.join(os.path.dirname(__file__), "..", "..", "build", "gwc"))


@dataclasses.dataclass
class Backend:
    namespace: str
    service: str
    port: int = 8080           # the Service port routes refer to
    port_name: str = "http"
    mode: str = "http"         # echo mode
    app_protocol: str = None
    defined: bool = False      # the manifests already define the Service
    ready: bool = True         # False: an EndpointSlice with no ready endpoint
    cert: str = None           # https/tls modes
    key: str = None
    endpoint_of: str = None    # the manifests make it an endpoint of this Service


def service_yaml(b):
    app = "\n      appProtocol: %s" % b.app_protocol if b.app_protocol else ""
    return ("apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: %s\n"
            "spec:\n  ports:\n    - name: %s\n      port: %d%s\n"
            % (b.service, b.namespace, b.port_name, b.port, app))


def endpoint_slice_yaml(b, echo_port):
    return ("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n"
            "  name: %s-e2e\n  namespace: %s\n  labels:\n"
            "    kubernetes.io/service-name: %s\naddressType: IPv4\n"
            "ports:\n  - name: %s\n    port: %d\n"
            "endpoints:\n  - addresses: [\"127.0.0.1\"]\n    conditions: {ready: %s}\n"
            % (b.service, b.namespace, b.service, b.port_name, echo_port,
               "true" if b.ready else "false"))


class CompileError(AssertionError):
    pass


class Scenario:
    def __init__(self, manifests, backends=(), listener_ports=(80,), udp_listener_ports=(),
                 extra_args=(), files=None):
        self.manifests = manifests
        self.backends = list(backends)
        self.listener_ports = list(listener_ports)
        self.udp_listener_ports = list(udp_listener_ports)
        self.extra_args = list(extra_args)
        self.files = files or {}
        self.pool = None
        self.nginx = None
        self.dir = None
        self.ports = {}
        self.echo = {}
        self.compile_stderr = ""
        self.explained = 0
        self.cases = []  # RoutingTest cases: what nginx answered (check_explained)

    # ---- lifecycle ----

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, exc_type, *exc):
        try:
            if exc_type is None:
                self.verify_routing_tests()
        finally:
            self.stop()

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="gwc-e2e-")
        self.pool = EchoPool()
        docs = []
        for b in self.backends:
            options = {}
            if b.cert:
                options.update(cert=b.cert, key=b.key)
            echo = self.pool.start(b.service, b.namespace, mode=b.mode, **options)
            self.echo[(b.namespace, b.service)] = echo
            if not b.defined:
                docs.append(service_yaml(b))
            docs.append(endpoint_slice_yaml(b, echo.port))
        # Manifests may be a function of the running scenario (echo ports).
        docs.insert(0, self.manifests(self) if callable(self.manifests) else self.manifests)
        for name, text in self.files.items():
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(text)
        path = os.path.join(self.dir, "input.yaml")
        with open(path, "w") as f:
            f.write("\n---\n".join(docs))
        tcp = free_ports(len(self.listener_ports))
        udp = free_ports(len(self.udp_listener_ports), kind="udp")
        sockets = os.path.join(self.dir, "sockets")  # stream/http hops
        os.mkdir(sockets)
        args = [GWC, "compile", "-o", os.path.join(self.dir, "out"),
                "--listen-address", "127.0.0.1", "--socket-dir", sockets, "--fail-on=never"]
        for lp, p in zip(self.listener_ports, tcp):
            self.ports[lp] = p
            args += ["--port-map", "%d=%d" % (lp, p)]
        for lp, p in zip(self.udp_listener_ports, udp):
            self.ports[lp] = p
            args += ["--port-map", "%d=%d" % (lp, p)]
        r = subprocess.run(args + self.extra_args + [path], capture_output=True, text=True,
                           timeout=60)
        self.compile_stderr = r.stderr
        if r.returncode != 0 or not os.path.exists(os.path.join(self.dir, "out", "nginx.conf")):
            raise CompileError("gwc compile failed (%d):\n%s" % (r.returncode, r.stderr))
        self.nginx = NginxProcess(os.path.join(self.dir, "out"), tcp_ports=tcp, udp_ports=udp)
        self.nginx.start()

    def stop(self):
        if self.nginx:
            self.nginx.stop()
            self.nginx = None
        if self.pool:
            self.pool.stop()
            self.pool = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    # ---- requests ----

    def port(self, listener_port=80):
        return self.ports[listener_port]

    def get(self, path, host, listener=80, **kw):
        return self.request(path, host, listener=listener, **kw)

    def request(self, path, host, method="GET", listener=80, **kw):
        r = client.http_request(self.port(listener), host, path, method=method, **kw)
        self.check_explained(path, host, method, listener, kw, r)
        return r

    # ---- what gwc explain-request predicted ----

    def explain(self, path, host, method="GET", listener=80, headers=None, scheme="http",
                sni=None):
        """gwc explain-request --format json for a request, as compiled."""
        args = [GWC, "explain-request", "--format", "json", "-X", method,
                "--listen-address", "127.0.0.1"]
        for lp, p in self.ports.items():
            args += ["--port-map", "%d=%d" % (lp, p)]
        headers = list(headers.items() if isinstance(headers, dict) else headers or [])
        if ":" in host:  # a port in Host: the URL names the listener's
            headers.append(("Host", host))
            host = host.partition(":")[0]
        for name, value in headers:
            args += ["-H", "%s: %s" % (name, value)]
        if sni is not None:
            args += ["--sni", sni]
        args += self.extra_args + ["%s://%s:%d%s" % (scheme, host, listener, path),
                                   os.path.join(self.dir, "input.yaml")]
        r = subprocess.run(args, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError("gwc explain-request failed (%d): %s" % (r.returncode, r.stderr))
        return json.loads(r.stdout)

    def check_explained(self, path, host, method, listener, kw, response):
        """Every request an e2e test sends is also explained: the answer
        explain-request predicts must be what nginx served (the backend, or
        the status and Location nginx answered itself)."""
        if (not isinstance(path, str) or not isinstance(host, str) or kw.get("body")
                or kw.get("client_cert") or not path.startswith("/")):
            return
        x = self.explain(path, host, method, listener, kw.get("headers"),
                         kw.get("scheme", "http"), kw.get("sni"))
        self.explained += 1
        where = "%s %s%s" % (method, host, path)
        if x.get("error"):
            raise AssertionError("%s: explain says nginx does not answer (%s), nginx said %d"
                                 % (where, x["error"], response.status))
        if x["status"] is not None:
            if response.status != x["status"]:
                raise AssertionError("%s: explain predicts status %d, nginx said %d"
                                     % (where, x["status"], response.status))
            if x["location"] is not None and response.header("Location") != x["location"]:
                raise AssertionError("%s: explain predicts Location %s, nginx said %s"
                                     % (where, x["location"], response.header("Location")))
            expect = {"status": response.status}
            if x["location"] is not None:
                expect["location"] = response.header("Location")
            self.record_case(path, host, method, listener, kw, expect)
            return
        served = served_by(response)
        # An endpoint's echo names itself; explain names its Service.
        served = next((b.endpoint_of for b in self.backends
                       if b.endpoint_of and b.namespace == response.namespace
                       and b.service == served), served)
        names = {b["name"] for b in x["backends"] if "name" in b}
        if served and "%s/%s" % (response.namespace, served) not in names:
            raise AssertionError("%s: explain predicts %s, nginx served %s/%s"
                                 % (where, sorted(names), response.namespace, served))
        if served and len(names) == len(x["backends"]):
            self.record_case(path, host, method, listener, kw,
                             {"backends": {b["name"]: b["weight"] for b in x["backends"]}})

    def record_case(self, path, host, method, listener, kw, expect):
        """Keeps a plain-HTTP request and nginx's answer as a RoutingTest
        case, for verify_routing_tests()."""
        headers = kw.get("headers") or {}
        headers = list(headers.items() if isinstance(headers, dict) else headers)
        if (kw.get("scheme", "http") != "http" or ":" in host
                or set(kw) - {"headers", "scheme", "timeout"}
                or len({n.lower() for n, _ in headers}) != len(headers)):
            return
        url = "http://%s%s%s" % (host, "" if listener == 80 else ":%d" % listener, path)
        self.cases.append({"name": "%d: %s %s" % (len(self.cases), method, url),
                           "request": {"method": method, "url": url,
                                       "headers": dict(headers)},
                           "expect": expect})

    def verify_routing_tests(self):
        """Every plain-HTTP request the scenario sent, with the answer nginx
        gave it, as a RoutingTest run by `gwc test --verify-nginx`: gwc's
        model must predict it and a second nginx, serving the same input
        with stub Services, must answer it the same way."""
        if not self.cases:
            return
        path = os.path.join(self.dir, "routing-test.yaml")
        with open(path, "w") as f:
            json.dump({"apiVersion": "gwc.dev/v1alpha1", "kind": "RoutingTest",
                       "metadata": {"name": "e2e", "namespace": "default"},
                       "spec": {"cases": self.cases}}, f)
        r = subprocess.run([GWC, "test", "--verify-nginx", "--format", "json",
                            *self.extra_args, os.path.join(self.dir, "input.yaml"), path],
                           capture_output=True, text=True, timeout=120)
        # Inputs with errors (compiled with --fail-on=never) exit 1 too:
        # the cases' results decide.
        if r.returncode not in (0, 1) or not r.stdout.startswith("["):
            raise AssertionError("gwc test --verify-nginx of the scenario's requests "
                                 "failed (%d):\n%s%s" % (r.returncode, r.stdout, r.stderr))
        results = json.loads(r.stdout)
        ours = [c for c in results if c["test"] == "default/e2e"]
        if len(ours) != len(self.cases) or any(
                c["result"] != "pass" or c["nginx"]["result"] == "disagrees" for c in results):
            raise AssertionError("gwc test --verify-nginx: %s" % r.stdout)

    def backend(self, namespace, service):
        return self.echo[(namespace, service)]

    def http_conf(self):
        return self.output("http.conf")

    def output(self, name):
        with open(os.path.join(self.dir, "out", name)) as f:
            return f.read()


def served_by(response):
    """The Service the echo says answered, or None."""
    return (response.echo or {}).get("service") or client.service_from_pod(response.pod) or None
