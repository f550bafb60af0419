"""Test certificates made at run time with the openssl CLI.

Private keys are never committed: each test run creates a throw-away CA in a
temporary directory and issues server/client certificates from it. EC P-256
keys keep generation fast.
"""

import dataclasses
import itertools
import os
import shutil
import subprocess

_serials = itertools.count(1000)


@dataclasses.dataclass(frozen=True)
class CertPair:
    cert: str  # PEM certificate path
    key: str  # PEM private key path

    def read_cert(self):
        with open(self.cert) as f:
            return f.read()


def openssl(*args, cwd=None):
    """Run the openssl CLI; raises RuntimeError with its stderr on failure."""
    exe = shutil.which("openssl")
    if exe is None:
        raise RuntimeError("the openssl command is required to make test certificates")
    result = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("openssl %s failed:\n%s" % (args[0], result.stderr))
    return result.stdout


class CertificateAuthority:
    """A self-signed CA in `directory` that issues leaf certificates."""

    def __init__(self, directory, name="gwtest CA", days=2):
        self.directory = directory
        self.days = days
        os.makedirs(directory, exist_ok=True)
        self.pair = CertPair(os.path.join(directory, "ca.crt"), os.path.join(directory, "ca.key"))
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", self.pair.key, "-out", self.pair.cert,
                "-days", str(days), "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    @property
    def cert(self):
        return self.pair.cert

    def issue(self, name, dns_names=(), ip_addresses=(), client=False):
        """A leaf certificate for `name` (also its file stem) with the given
        subjectAltNames; client=True makes it a TLS client certificate."""
        base = os.path.join(self.directory, name)
        pair = CertPair(base + ".crt", base + ".key")
        extensions = base + ".ext"
        sans = ["DNS:" + d for d in dns_names] + ["IP:" + ip for ip in ip_addresses]
        with open(extensions, "w") as f:
            f.write("basicConstraints=critical,CA:FALSE\n")
            f.write("keyUsage=critical,digitalSignature\n")
            f.write("extendedKeyUsage=%s\n" % ("clientAuth" if client else "serverAuth"))
            if sans:
                f.write("subjectAltName=%s\n" % ",".join(sans))
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", pair.key, "-out", base + ".csr", "-subj", "/CN=" + name)
        openssl("x509", "-req", "-in", base + ".csr", "-CA", self.pair.cert,
                "-CAkey", self.pair.key, "-set_serial", str(next(_serials)),
                "-days", str(self.days), "-out", pair.cert, "-extfile", extensions)
        return pair
