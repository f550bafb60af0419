#!/usr/bin/env python3
"""Every input kept in fuzz/regressions/<target>/ through the gwc binary.

usage: fuzz_replay.py GWC REGRESSIONS_DIR

The libFuzzer targets replay these inputs in build-fuzz (clang); this runs
them through the command each target stands for, so the plain and the
sanitizer (gcc) builds test them too.  An input passes when gwc exits with
0, 1 or 2 and prints no sanitizer report and no BUG.  Prints TAP.
"""
import os
import subprocess
import sys
import tempfile

COMMANDS = {
    "load": [["check"]],
    "validate": [["check"]],
    "compile": [["compile", "-o", "{out}"]],
    "status": [["status"], ["status", "--format", "json"]],
    "import": [["import-ingress"]],
}
BAD = (b"Sanitizer", b"runtime error:", b"gwc: BUG")


def main():
    gwc, root = sys.argv[1], sys.argv[2]
    cases = sorted((t, os.path.join(root, t, f))
                   for t in COMMANDS if os.path.isdir(os.path.join(root, t))
                   for f in os.listdir(os.path.join(root, t)))
    print("1..%d" % len(cases))
    failed = 0
    for i, (target, path) in enumerate(cases, 1):
        problems = []
        with tempfile.TemporaryDirectory() as tmp:
            for cmd in COMMANDS[target]:
                argv = [gwc] + [a.format(out=os.path.join(tmp, "out")) for a in cmd]
                argv.append(path)
                p = subprocess.run(argv, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, cwd=tmp, timeout=120)
                if p.returncode not in (0, 1, 2) or any(b in p.stderr for b in BAD):
                    tail = p.stderr.decode(errors="replace").splitlines()[-20:]
                    problems.append("%s: exit %d\n%s" % (" ".join(cmd), p.returncode,
                                                         "\n".join(tail)))
        name = "%s/%s" % (target, os.path.basename(path))
        if problems:
            failed += 1
            print("not ok %d - %s" % (i, name))
            for line in "\n".join(problems).splitlines():
                print("# " + line)
        else:
            print("ok %d - %s" % (i, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
