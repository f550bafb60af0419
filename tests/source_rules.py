#!/usr/bin/env python3
"""Bug patterns the code base must not contain (TAP, one case per rule).

strchr(set, c) with a character set as the haystack is true for c == '\\0'
(the terminator is part of the string), so a scanner that tests the byte
after its string's end keeps going: importer/paths.c read past the end of
every path this way.  Membership tests use str_has_char() (base/str.h).

Status condition types and reasons are spelled once, in
controller/conditions.def: a spelling written as a string literal elsewhere
would drift from the catalogue, and an entry no code names is dead.
"""
import pathlib
import re
import sys

RULES = [
    ("no strchr() with a literal character set (use str_has_char)",
     re.compile(r'\bstrchr\s*\(\s*"')),
]


CATALOGUE = "controller/conditions.def"
ENTRY = re.compile(r'^(COND|REASON)\((\w+),\s*"(\w+)"\)', re.M)


def line_hits(root, sources, pattern):
    return [f"{p.relative_to(root)}:{n}: {line.strip()}"
            for p in sources
            for n, line in enumerate(p.read_text().splitlines(), 1)
            if pattern.search(line)]


def catalogue_rules(root, sources):
    """(name, hits) for the condition catalogue's two rules."""
    entries = ENTRY.findall((root / CATALOGUE).read_text())
    if not entries:
        return [("conditions.def has entries", [f"{CATALOGUE}: none found"])]
    spellings = sorted({name for _, _, name in entries})
    spelled = re.compile('"(' + "|".join(spellings) + ')"')
    text = "\n".join(p.read_text() for p in sources)
    unused = [f"{CATALOGUE}: {kind}_{ident} is never used"
              for kind, ident, _ in entries
              if not re.search(rf"\b{kind}_{ident}\b", text)]
    return [
        ("condition types and reasons are spelled only in " + CATALOGUE,
         line_hits(root, sources, spelled)),
        ("every entry of " + CATALOGUE + " is used", unused),
    ]


def main():
    root = pathlib.Path(sys.argv[1])
    sources = sorted(p for p in root.rglob("*") if p.suffix in (".c", ".h"))
    rules = [(name, line_hits(root, sources, pattern)) for name, pattern in RULES]
    rules += catalogue_rules(root, sources)
    print(f"1..{len(rules)}")
    failed = 0
    for i, (name, hits) in enumerate(rules, 1):
        print(("not ok" if hits else "ok") + f" {i} - {name}")
        for h in hits:
            print(f"# {h}")
        failed += bool(hits)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
