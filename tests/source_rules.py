#!/usr/bin/env python3
"""Bug patterns the code base must not contain (TAP, one case per rule).

strchr(set, c) with a character set as the haystack is true for c == '\\0'
(the terminator is part of the string), so a scanner that tests the byte
after its string's end keeps going: importer/paths.c read past the end of
every path this way.  Membership tests use str_has_char() (base/str.h).
"""
import pathlib
import re
import sys

RULES = [
    ("no strchr() with a literal character set (use str_has_char)",
     re.compile(r'\bstrchr\s*\(\s*"')),
]


def main():
    root = pathlib.Path(sys.argv[1])
    sources = sorted(p for p in root.rglob("*") if p.suffix in (".c", ".h"))
    print(f"1..{len(RULES)}")
    failed = 0
    for i, (name, pattern) in enumerate(RULES, 1):
        hits = [f"{p.relative_to(root)}:{n}: {line.strip()}"
                for p in sources
                for n, line in enumerate(p.read_text().splitlines(), 1)
                if pattern.search(line)]
        print(("not ok" if hits else "ok") + f" {i} - {name}")
        for h in hits:
            print(f"# {h}")
        failed += bool(hits)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
