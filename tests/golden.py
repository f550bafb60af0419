#!/usr/bin/env python3
"""Golden tests: run gwc on each case directory and compare its output.

usage: golden.py GWC STAGE_DIR

Each case is a directory under STAGE_DIR, used as gwc's working directory:
  args             command line after "gwc", one argument per line
                   (default: check, input.yaml)
  stdin            optional: fed to gwc's standard input
  expected.stdout  expected standard output (absent means empty)
  expected.stderr  expected standard error (absent means empty)
  expected.exit    expected exit status (absent means 0)
                   (in expected output, @CASE@ stands for the case
                   directory's absolute path, @OUT@ for compile's output)
  expected/        for compile cases: the expected output directory; every
                   file gwc writes (but its marker, .gwc-output) must match,
                   and nginx -t must accept the expected nginx.conf
  mounted/         optional: what Secret and ConfigMap volumes hold at run
                   time; nginx -t reads it where the configuration names
                   /etc/gwc-test/ (--secrets-dir /etc/gwc-test/secrets)
With GOLDEN_UPDATE=1 the expectations are rewritten from what gwc does.
Prints TAP.
"""
import os
import shutil
import subprocess
import sys
import tempfile

UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"


def read(path, default=None):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return default


def write_or_remove(path, data, keep_empty=False):
    if data or keep_empty:
        with open(path, "wb") as f:
            f.write(data)
    elif os.path.exists(path):
        os.remove(path)


# gwc's marker of its output directory lists the files around it; it is
# tested on its own (tests/cli/test_output_dir.py), not in every case.
MARKER = ".gwc-output"


def tree_files(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            full = os.path.join(dirpath, name)
            out[os.path.relpath(full, root)] = read(full)
    out.pop(MARKER, None)
    return out


def first_difference(want, got):
    wl, gl = want.decode(errors="replace").splitlines(), got.decode(errors="replace").splitlines()
    for i in range(max(len(wl), len(gl))):
        w = wl[i] if i < len(wl) else "<end>"
        g = gl[i] if i < len(gl) else "<end>"
        if w != g:
            return "line %d:\n#   want: %s\n#   got:  %s" % (i + 1, w, g)
    return "(no line differs; trailing bytes?)"


def nginx_test(conf_dir, mounted):
    """nginx -t on an expected output tree, run from a scratch copy."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(conf_dir, tmp, dirs_exist_ok=True)
        if os.path.isdir(mounted):
            shutil.copytree(mounted, os.path.join(tmp, "mounted"))
        os.makedirs(os.path.join(tmp, "logs"), exist_ok=True)
        os.makedirs(os.path.join(tmp, "tmp"), exist_ok=True)
        # nginx -t binds unix sockets: cases that use --socket-dir
        # /run/gwc-test are checked with their sockets in the scratch copy.
        sockets = os.path.join(tmp, "sockets")
        os.makedirs(sockets)
        for name in ("http.conf", "stream.conf"):
            path = os.path.join(tmp, name)
            if os.path.exists(path):
                with open(path) as f:
                    text = f.read()
                text = text.replace("/etc/gwc-test/", os.path.join(tmp, "mounted") + "/")
                with open(path, "w") as f:
                    f.write(text.replace("/run/gwc-test/", sockets + "/"))
        r = subprocess.run([nginx, "-t", "-q", "-p", tmp + "/", "-e", "stderr",
                            "-c", os.path.join(tmp, "nginx.conf")],
                           capture_output=True, timeout=60)
        return r.returncode == 0, r.stderr.decode(errors="replace")


def run_case(gwc, case):
    args = read(os.path.join(case, "args"))
    argv = args.decode().split("\n") if args else ["check", "input.yaml"]
    argv = [a for a in argv if a != ""]
    stdin = read(os.path.join(case, "stdin"), b"")
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C")
    out_dir = None
    if "compile" in argv:
        out_dir = tempfile.mkdtemp(prefix="gwc-golden-")
        shutil.rmtree(out_dir)
        argv = [a.replace("@OUT@", out_dir) for a in argv]
    try:
        r = subprocess.run([gwc] + argv, cwd=case, input=stdin, capture_output=True,
                           env=env, timeout=60)
        produced = tree_files(out_dir) if out_dir and os.path.isdir(out_dir) else None
    finally:
        if out_dir and os.path.isdir(out_dir):
            shutil.rmtree(out_dir)
    problems = []
    stdout, stderr = r.stdout, r.stderr
    if out_dir:
        stdout = stdout.replace(out_dir.encode(), b"@OUT@")
        stderr = stderr.replace(out_dir.encode(), b"@OUT@")
    here = os.path.realpath(case).encode()
    stdout = stdout.replace(here, b"@CASE@")
    stderr = stderr.replace(here, b"@CASE@")
    if UPDATE:
        write_or_remove(os.path.join(case, "expected.stdout"), stdout)
        write_or_remove(os.path.join(case, "expected.stderr"), stderr)
        write_or_remove(os.path.join(case, "expected.exit"),
                        b"%d\n" % r.returncode if r.returncode else b"")
        exp_dir = os.path.join(case, "expected")
        if os.path.isdir(exp_dir):
            shutil.rmtree(exp_dir)
        if produced is not None:
            for rel, data in produced.items():
                os.makedirs(os.path.dirname(os.path.join(exp_dir, rel)), exist_ok=True)
                write_or_remove(os.path.join(exp_dir, rel), data, keep_empty=True)
    want_exit = int((read(os.path.join(case, "expected.exit"), b"0")).strip() or 0)
    if r.returncode != want_exit:
        problems.append("exit status %d, want %d" % (r.returncode, want_exit))
    for name, got in (("stdout", stdout), ("stderr", stderr)):
        want = read(os.path.join(case, "expected." + name), b"")
        if got != want:
            problems.append("%s differs at %s" % (name, first_difference(want, got)))
    exp_dir = os.path.join(case, "expected")
    if os.path.isdir(exp_dir) or produced:
        want_files = tree_files(exp_dir) if os.path.isdir(exp_dir) else {}
        got_files = produced or {}
        for rel in sorted(set(want_files) | set(got_files)):
            if rel not in got_files:
                problems.append("%s was not written" % rel)
            elif rel not in want_files:
                problems.append("%s was written but not expected" % rel)
            elif want_files[rel] != got_files[rel]:
                problems.append("%s differs at %s" % (rel, first_difference(want_files[rel], got_files[rel])))
        if os.path.exists(os.path.join(exp_dir, "nginx.conf")):
            ok, err = nginx_test(exp_dir, os.path.join(case, "mounted"))
            if not ok:
                problems.append("nginx -t rejects expected/nginx.conf: " + err.strip())
    return problems


def main():
    gwc, stage_dir = sys.argv[1], sys.argv[2]
    cases = sorted(d for d in os.listdir(stage_dir)
                   if os.path.isdir(os.path.join(stage_dir, d)))
    print("1..%d" % len(cases))
    failed = 0
    for i, name in enumerate(cases, 1):
        problems = run_case(os.path.abspath(gwc), os.path.join(stage_dir, name))
        if problems:
            failed += 1
            print("not ok %d - %s" % (i, name))
            for p in problems:
                print("# " + p.replace("\n", "\n# "))
        else:
            print("ok %d - %s" % (i, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
