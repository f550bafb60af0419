#!/usr/bin/env python3
"""The README's quick start runs gwc on examples/: every example must
check clean and compile, all together, into a config nginx -t accepts.

usage: examples_check.py GWC EXAMPLES_DIR
"""
import os
import subprocess
import sys
import tempfile


def main():
    gwc, examples = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    check = subprocess.run([gwc, "check", examples], capture_output=True, text=True)
    if check.returncode != 0:
        print("gwc check examples/ exited %d:\n%s" % (check.returncode, check.stderr))
        return 1
    with tempfile.TemporaryDirectory(prefix="gwc-examples-") as tmp:
        out, sockets = os.path.join(tmp, "out"), os.path.join(tmp, "s")
        os.mkdir(sockets)
        comp = subprocess.run([gwc, "compile", "-o", out, "--socket-dir", sockets, examples],
                              capture_output=True, text=True)
        if comp.returncode != 0:
            print("gwc compile examples/ exited %d:\n%s" % (comp.returncode, comp.stderr))
            return 1
        nginx = subprocess.run(["/usr/sbin/nginx", "-t", "-q", "-p", out + "/", "-e", "stderr",
                                "-c", os.path.join(out, "nginx.conf")],
                               capture_output=True, text=True)
        if nginx.returncode != 0:
            print("nginx -t rejects the compiled examples:\n%s" % nginx.stderr)
            return 1
    print("examples check, compile and pass nginx -t")
    return 0


if __name__ == "__main__":
    sys.exit(main())
