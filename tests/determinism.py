#!/usr/bin/env python3
"""Output is a pure function of the input set: for every compile case under
testdata/emit, split its input into one file per document, give the files
in reverse order (and the documents in reverse order inside a List-free
stream), compile again and require a byte-identical output tree.

With --import, for every import-ingress case under IMPORT_DIR: its input
split into one file per document, imported with -o DIR/ once with the
files in order and once reversed; the two trees (the .gwc-output marker
included) must be byte-identical, and hold exactly the objects the
stream output of the same files holds.  (Every object names the file and
line it came from, so the documents keep their files and lines.)

usage: determinism.py GWC EMIT_DIR
       determinism.py --import GWC IMPORT_DIR
Prints TAP.
"""
import os
import shutil
import subprocess
import sys
import tempfile


def documents(text):
    docs, cur = [], []
    for line in text.split("\n"):
        if line.strip() == "---":
            docs.append("\n".join(cur))
            cur = []
        else:
            cur.append(line)
    docs.append("\n".join(cur))
    return [d + "\n" for d in docs if d.strip()]


def tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    out.pop(".gwc-output", None)  # the marker lists files; checked apart
    return out


def compile_tree(gwc, args, inputs, out):
    argv = [a.replace("@OUT@", out) for a in args if a != "input.yaml"] + inputs
    subprocess.run([gwc] + argv, capture_output=True, timeout=60)
    return tree(out) if os.path.isdir(out) else None


def objects(stream):
    """The objects of a YAML stream gwc wrote, sorted."""
    return sorted(d.strip() for d in stream.split("\n---\n") if d.strip())


def import_tree(gwc, argv, files, out):
    r = subprocess.run([gwc] + argv + ["-o", out + "/"] + files, capture_output=True,
                       timeout=60)
    with_marker = tree(out) if os.path.isdir(out) else {}
    marker = os.path.join(out, ".gwc-output")
    if os.path.exists(marker):
        with open(marker, "rb") as f:
            with_marker[".gwc-output"] = f.read()
    return r.returncode, with_marker


def main_import(gwc, import_dir):
    cases = []
    for name in sorted(os.listdir(import_dir)):
        args = os.path.join(import_dir, name, "args")
        if os.path.exists(args):
            with open(args) as f:
                argv = [a for a in f.read().split("\n") if a]
            if argv[:1] == ["import-ingress"] and "input.yaml" in argv and "-o" not in argv:
                cases.append((name, [a for a in argv if a != "input.yaml"]))
    print("1..%d" % len(cases))
    failed = 0
    for i, (name, argv) in enumerate(cases, 1):
        with open(os.path.join(import_dir, name, "input.yaml")) as f:
            docs = documents(f.read())
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for k, doc in enumerate(docs):
                path = os.path.join(tmp, "in", "%03d.yaml" % k)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(doc)
                files.append(path)
            rc_a, a = import_tree(gwc, argv, files, os.path.join(tmp, "a"))
            rc_b, b = import_tree(gwc, argv, list(reversed(files)), os.path.join(tmp, "b"))
            stream = subprocess.run([gwc] + argv + files, capture_output=True, timeout=60)
        in_tree = objects("\n---\n".join(v.decode() for k, v in a.items()
                                          if k != ".gwc-output"))
        problem = None
        if rc_a != stream.returncode or rc_b != rc_a:
            problem = "exit %d and %d with -o DIR/, %d without" % (rc_a, rc_b,
                                                                 stream.returncode)
        elif a != b:
            problem = "the trees differ with the files reversed"
        elif in_tree != objects(stream.stdout.decode()):
            problem = "the tree does not hold the objects of the stream"
        if problem:
            failed += 1
            print("not ok %d - %s: %s" % (i, name, problem))
        else:
            print("ok %d - %s (%d files)" % (i, name, len(a)))
    return 1 if failed else 0


def main():
    if sys.argv[1] == "--import":
        return main_import(os.path.abspath(sys.argv[2]), sys.argv[3])
    gwc, emit_dir = os.path.abspath(sys.argv[1]), sys.argv[2]
    cases = sorted(c for c in os.listdir(emit_dir)
                   if os.path.isdir(os.path.join(emit_dir, c, "expected")))
    print("1..%d" % len(cases))
    failed = 0
    for i, name in enumerate(cases, 1):
        case = os.path.join(emit_dir, name)
        with open(os.path.join(case, "args")) as f:
            args = [a for a in f.read().split("\n") if a]
        with open(os.path.join(case, "input.yaml")) as f:
            docs = documents(f.read())
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for k, doc in enumerate(reversed(docs)):
                path = os.path.join(tmp, "in", "%03d.yaml" % (len(docs) - k))
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(doc)
                files.append(path)
            split = compile_tree(gwc, args, list(reversed(files)), os.path.join(tmp, "a"))
            merged_path = os.path.join(tmp, "merged.yaml")
            with open(merged_path, "w") as f:
                f.write("---\n".join(reversed(docs)))
            merged = compile_tree(gwc, args, [merged_path], os.path.join(tmp, "b"))
        want = tree(os.path.join(case, "expected"))
        if split == want and merged == want:
            print("ok %d - %s" % (i, name))
        else:
            failed += 1
            which = "split files" if split != want else "reversed documents"
            print("not ok %d - %s: output differs with %s" % (i, name, which))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
