#!/usr/bin/env python3
"""Output is a pure function of the input set: for every compile case under
testdata/emit, split its input into one file per document, give the files
in reverse order (and the documents in reverse order inside a List-free
stream), compile again and require a byte-identical output tree.

usage: determinism.py GWC EMIT_DIR
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


def main():
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
