#!/usr/bin/env python3
"""`gwc status` is the cluster's controller's answer, whatever compile's flags.

usage: status_flags.py GWC

For the input of every conformance test (tests/conformance/suite), and for
all of their manifests together, runs `gwc status --format json` plain and
with the flags that only shape the nginx compile writes (--listen-address,
--port-map, --socket-dir, --modules-dir, --resolver, --secrets-dir,
--configmaps-dir), and requires byte-identical output.  The inputs keep
their Gateways without spec.addresses, so Gateways that share ports (which
one nginx on one address could not serve together) are among them.  Prints
TAP.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import suite_inputs as si  # noqa: E402
from golden import first_difference  # noqa: E402

FLAG_SETS = [
    ["--listen-address", "127.0.0.1"],
    ["--port-map", "80=18080", "--port-map", "443=18443", "--port-map", "8080=18081"],
    ["--listen-address", "::1", "--port-map", "80=18080", "--socket-dir", "/tmp/gwc-s",
     "--modules-dir", "/nowhere", "--resolver", "10.0.0.53",
     "--secrets-dir", "/tmp/secrets", "--configmaps-dir", "/tmp/configmaps"],
]


def status(gwc, path, flags):
    r = subprocess.run([gwc, "status", "--format", "json"] + flags + [path],
                       capture_output=True, timeout=120)
    if r.returncode not in (0, 1):
        raise RuntimeError("gwc status %s exited %d: %s"
                           % (" ".join(flags), r.returncode, r.stderr.decode()[-2000:]))
    return r.stdout


def main():
    gwc = os.path.abspath(sys.argv[1])
    tls = si.new_tls_material()
    inputs = [(name, si.assemble(si.load_case(name), tls)) for name in si.all_cases()]
    seen, together = set(), []
    for _, docs in inputs:
        for d in docs:
            if d not in seen:
                seen.add(d)
                together.append(d)
    inputs.append(("all manifests together", together))
    print("1..%d" % len(inputs))
    failed = 0
    with tempfile.TemporaryDirectory(prefix="gwc-status-flags-") as workdir:
        path = os.path.join(workdir, "input.yaml")
        for i, (name, docs) in enumerate(inputs, 1):
            si.write_input(docs, path)
            plain = status(gwc, path, [])
            problems = []
            for flags in FLAG_SETS:
                out = status(gwc, path, flags)
                if out != plain:
                    problems.append("with %s: %s" % (" ".join(flags), first_difference(plain, out)))
            if problems:
                failed += 1
                print("not ok %d - %s" % (i, name))
                for p in problems:
                    print("# " + p)
            else:
                print("ok %d - %s" % (i, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
