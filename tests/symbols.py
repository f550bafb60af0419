#!/usr/bin/env python3
"""Every global symbol of libgwc names its home (TAP).

usage: symbols.py LIBGWC_A SOURCE_ROOT

A symbol's prefix says which folder of compiler/ defines it, as luaH_ and
ngx_http_map_ do: the stage's prefix, or for base/ the module's (its file
name).  A folder may own a second prefix for a type it defines (load/ owns
ynode_, emit/ its conf writer confw_).  No prefix has two homes.  Adding a
folder or a base module means adding it here.
"""
import pathlib
import subprocess
import sys

STAGES = {  # folder under compiler/ -> the prefixes its symbols may carry
    "load": ["load_", "ynode_"],
    "model": ["model_"],
    "controller": ["ctl_"],
    "schema": ["schema_"],
    "plan": ["plan_"],
    "nginx": ["nginx_"],
    "emit": ["emit_", "confw_", "template_"],
    "explain": ["explain_"],
    "graph": ["graph_"],
    "cli": ["cli_"],
    "importer": ["imp_"],
    "importer/ingress_nginx": ["nx_"],
    "importer/contour": ["ct_"],
    "importer/traefik": ["tr_"],
    "importer/nginx_inc": ["nic_"],
}


def source_of(root, member):
    """compiler_importer_ingress_nginx_access.c.o -> its source file: meson
    joins the path with underscores, which folder names also contain."""
    if member.startswith("meson-generated_"):  # compiler/templates.c (emit)
        return root / "compiler" / "emit" / "templates.c"
    parts = member[: -len(".c.o")].split("_")

    def walk(base, rest):
        for i in range(1, len(rest) + 1):
            name = "_".join(rest[:i])
            if i == len(rest) and (base / (name + ".c")).is_file():
                return base / (name + ".c")
            if (base / name).is_dir():
                found = walk(base / name, rest[i:])
                if found:
                    return found
        return None
    return walk(root, parts)


def home(root, src):
    rel = src.relative_to(root / "compiler")
    folder = rel.parent.as_posix()
    if folder == "base":
        return "base/" + rel.stem.split("_")[0]  # diag_sarif.c is diag's
    return folder


def main():
    lib, root = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
    table = dict(STAGES)
    for p in sorted((root / "compiler" / "base").glob("*.c")):
        module = p.stem.split("_")[0]
        table["base/" + module] = [module + "_"]
    out = subprocess.run(["nm", "-A", "-g", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    bad, unknown, count = {}, [], 0
    for line in out.splitlines():
        f = line.split()  # libgwc.a:member.c.o:address type name
        if len(f) != 3 or f[1] not in "TDRB" or f[2].startswith("__"):
            continue  # "__": the implementation's (a sanitizer's ODR markers)
        member = f[0].split(":")[-2].rsplit("/", 1)[-1]
        src = source_of(root, member)
        h = home(root, src) if src else None
        if h not in table:
            unknown.append(f"{member}: {f[2]}")
            continue
        count += 1
        if not any(f[2].startswith(p) for p in table[h]):
            bad.setdefault(h, []).append(f[2])
    owners = {}
    for h, prefixes in table.items():
        for p in prefixes:
            owners.setdefault(p, []).append(h)
    shared = sorted((p, hs) for p, hs in owners.items() if len(hs) > 1)
    overlap = sorted((a, b) for a in owners for b in owners
                     if a != b and b.startswith(a))

    checks = [("every object file has a home in the table", unknown)]
    checks += [(f"{h}: every symbol starts with {' or '.join(table[h])}",
                bad.get(h, [])) for h in sorted(table)]
    checks.append(("no prefix has two homes", shared + overlap))
    checks.append((f"{count} symbols read", [] if count > 300 else ["too few"]))
    print(f"1..{len(checks)}")
    failed = 0
    for i, (name, problems) in enumerate(checks, 1):
        print(("not ok" if problems else "ok") + f" {i} - {name}")
        for p in problems:
            print(f"# {p}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
