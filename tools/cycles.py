#!/usr/bin/env python3
"""Files inside one folder of compiler/ that call each other in a loop.

usage: tools/cycles.py [LIBGWC_A [SOURCE_ROOT]]   (default build/libgwc.a .)

A measure, not a test: it reads the library's symbol table (`nm`), links
each undefined symbol of an object file to the object that defines it, keeps
the links between two files of the same folder, and prints every strongly
connected set of two or more files. A loop means neither file can be read
or tested without the other; the usual cure is to move the shared helper
into a leaf file. Prints "cycles: N" last and always exits 0.
"""
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from symbols import source_of  # noqa: E402  the member -> source mapping


def graph(lib, root):
    out = subprocess.run(["nm", "-A", lib], check=True, capture_output=True,
                         text=True).stdout
    defined, wanted = {}, {}
    for line in out.splitlines():
        f = line.split()  # libgwc.a:dir/member.c.o:[address] type name
        if len(f) != 3:
            continue
        member = f[0].split(":")[1].rsplit("/", 1)[-1]
        if f[1] in "TDRB":
            defined[f[2]] = member
        elif f[1] == "U":
            wanted.setdefault(member, set()).add(f[2])
    src = {}
    for m in set(defined.values()) | set(wanted):
        s = source_of(root, m)
        src[m] = s.relative_to(root / "compiler") if s else pathlib.Path(m)
    edges = {m: set() for m in src}
    for m, names in wanted.items():
        for n in names:
            d = defined.get(n)
            if d and d != m and src[d].parent == src[m].parent:
                edges[m].add(d)
    return src, edges


def components(edges):
    """Tarjan's strongly connected components, iteratively."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = n
        n += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        x = stack.pop()
                        on.discard(x)
                        comp.append(x)
                        if x == v:
                            break
                    out.append(comp)
            elif w not in index:
                index[w] = low[w] = n
                n += 1
                stack.append(w)
                on.add(w)
                work.append((w, iter(sorted(edges[w]))))
            elif w in on:
                low[v] = min(low[v], index[w])
    return out


def main():
    lib = sys.argv[1] if len(sys.argv) > 1 else "build/libgwc.a"
    root = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else ".").resolve()
    src, edges = graph(lib, root)
    loops = sorted(sorted(str(src[m]) for m in c)
                   for c in components(edges) if len(c) > 1)
    for files in loops:
        print(" <-> ".join(files))
    print(f"cycles: {len(loops)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
