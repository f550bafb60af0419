"""What every import end-to-end test shares: an estate (the source
controller's objects) through `gwc import-ingress`, the result through
`gwc compile`, a real nginx serving it on loopback, echo backends behind.

Backends: each Service gets an EndpointSlice (discovery.k8s.io/v1, label
kubernetes.io/service-name, port name "http", address 127.0.0.1) pointing
at its echo server, so gwc routes to it.

A test class sets SERVICES, IMPORT_ARGS and IMPORT_EXIT and defines
documents(ca), the estate's YAML documents (the Services are added);
import_only(ca) may give documents that only import-ingress reads (a
Gateway of --gateway, which the output carries amended in its place);
backends(ca) may give a Service's echo server other options than plain
HTTP (mode "tls" or "tcp", cert and key).

With --include-inputs in IMPORT_ARGS the output carries the estate's
Services, Secrets and other objects: it is checked and compiled alone,
as a user applies it.
"""
import base64
import os
import shutil
import subprocess
import tempfile
import unittest

from gwtest import client
from gwtest.certs import CertificateAuthority
from gwtest.echo import EchoPool
from gwtest.nginx import NginxProcess, free_ports

GWC = os.environ.get("GWC", os.path.join(os.path.dirname(__file__), "..", "..", "build", "gwc"))


def service_yaml(name, namespace="default"):
    return ("apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: %s\n"
            "spec:\n  ports:\n  - name: http\n    port: 80\n" % (name, namespace))


def endpoint_slice_yaml(name, port, namespace="default"):
    return ("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n"
            "  name: %s-e2e\n  namespace: %s\n  labels:\n"
            "    kubernetes.io/service-name: %s\naddressType: IPv4\n"
            "ports:\n- name: http\n  port: %d\n"
            "endpoints:\n- addresses: [\"127.0.0.1\"]\n  conditions: {ready: true}\n"
            % (name, namespace, name, port))


def tls_secret_yaml(name, pair, namespace="default"):
    with open(pair.cert, "rb") as c, open(pair.key, "rb") as k:
        crt, key = base64.b64encode(c.read()).decode(), base64.b64encode(k.read()).decode()
    return ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\n"
            "type: kubernetes.io/tls\ndata:\n  tls.crt: %s\n  tls.key: %s\n"
            % (name, namespace, crt, key))


def run(args):
    return subprocess.run([GWC] + args, capture_output=True, text=True, timeout=60)


@unittest.skipUnless(os.access("/usr/sbin/nginx", os.X_OK), "nginx not installed")
class ImportedEstate(unittest.TestCase):
    # (name, namespace) or a name in "default"
    SERVICES = []
    IMPORT_ARGS = []
    IMPORT_EXIT = 0  # the exit status import-ingress must have
    # Whatever the import reported, what it wrote passes gwc check (a
    # case that leaves out an input on purpose says so).
    CHECK_CLEAN = True

    @classmethod
    def documents(cls, ca):
        raise NotImplementedError

    @classmethod
    def import_only(cls, ca):
        return []

    @classmethod
    def backends(cls, ca):
        """Service name -> EchoPool.start() options; none: HTTP echo."""
        return {}

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="gwc-%s-" % cls.__name__.lower())
        cls.pool = EchoPool()
        cls.nginx = None
        try:
            cls._start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def _services(cls):
        return [(s, "default") if isinstance(s, str) else s for s in cls.SERVICES]

    @classmethod
    def _start(cls):
        d = cls.dir
        ca = CertificateAuthority(os.path.join(d, "ca"))
        source = os.path.join(d, "estate.yaml")
        with open(source, "w") as f:
            f.write("---\n".join(cls.documents(ca)
                                 + [service_yaml(s, ns) for s, ns in cls._services()]))
        gateway = os.path.join(d, "gateway.yaml")
        extra = cls.import_only(ca)
        if extra:
            with open(os.path.join(d, "import-only.yaml"), "w") as f:
                f.write("---\n".join(extra))
            extra = [os.path.join(d, "import-only.yaml")]
        cls.imported = run(["import-ingress"] + cls.IMPORT_ARGS + ["-o", gateway, source]
                           + extra)
        if cls.imported.returncode != cls.IMPORT_EXIT:
            raise AssertionError("import-ingress exited %d, not %d:\n%s"
                                 % (cls.imported.returncode, cls.IMPORT_EXIT,
                                    cls.imported.stderr))
        carried = "--include-inputs" in cls.IMPORT_ARGS
        inputs = [gateway] if carried else [gateway, source]
        cls.checked = run(["check"] + inputs)
        if cls.CHECK_CLEAN and (cls.checked.returncode != 0
                                or ": error:" in cls.checked.stderr):
            raise AssertionError("gwc check of the import's output failed (%d):\n%s"
                                 % (cls.checked.returncode, cls.checked.stderr))
        slices = os.path.join(d, "endpoints.yaml")
        options = cls.backends(ca)
        with open(slices, "w") as f:
            f.write("---\n".join(endpoint_slice_yaml(
                s, cls.pool.start(s, ns, **options.get(s, {})).port, ns)
                for s, ns in cls._services()))
        cls.http, cls.https = free_ports(2)
        sockets = os.path.join(d, "sockets")
        os.mkdir(sockets)
        out = os.path.join(d, "out")
        compiled = run(["compile", "-o", out, "--listen-address", "127.0.0.1",
                        "--port-map", "80=%d" % cls.http, "--port-map", "443=%d" % cls.https,
                        "--socket-dir", sockets, "--fail-on=never"] + inputs + [slices])
        if compiled.returncode != 0 or not os.path.exists(os.path.join(out, "nginx.conf")):
            raise AssertionError("gwc compile failed (%d):\n%s"
                                 % (compiled.returncode, compiled.stderr))
        # nginx opens 443 only for an HTTPS or TLS listener.
        with open(gateway) as f:
            ports = [cls.http] + ([cls.https] if "port: 443" in f.read() else [])
        cls.nginx = NginxProcess(out, tcp_ports=ports).start()

    @classmethod
    def tearDownClass(cls):
        if cls.nginx:
            cls.nginx.stop()
        cls.pool.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def get(self, host, path, **kw):
        return client.http_request(self.http, host, path, **kw)

    def get_tls(self, host, path, **kw):
        return client.http_request(self.https, host, path, scheme="https", sni=host, **kw)

    def assertServed(self, response, service, path=None):
        self.assertEqual(response.status, 200, response.body[:200])
        self.assertEqual(response.echo["service"], service)
        if path is not None:
            self.assertEqual(response.echo["path"], path)

    def assertRedirect(self, response, status, location):
        self.assertEqual(response.status, status, response.body[:200])
        self.assertEqual(response.header("Location"), location)
