#!/usr/bin/env python3
"""Prints "N passed, M failed" over meson test logs; exits 1 on failures.

A meson test that reports TAP subtests counts each subtest; others count once.
"""
import json
import sys


def main():
    passed = failed = skipped = 0
    for path in sys.argv[1:]:
        with open(path) as f:
            for line in f:
                t = json.loads(line)
                build = path.split("/")[0]
                result = t["result"]
                tap = [l for l in t.get("stdout", "").splitlines()
                       if l.startswith("ok ") or l.startswith("not ok ")]
                if result == "SKIP" and not tap:
                    skipped += 1
                    continue
                if tap and result in ("OK", "FAIL"):
                    bad = [l for l in tap if l.startswith("not ok ")]
                    passed += len(tap) - len(bad)
                    failed += len(bad)
                    for l in bad:
                        print("FAILED: %s %s: %s" % (build, t["name"], l))
                    if result == "FAIL" and not bad:
                        failed += 1
                        print("FAILED: %s %s (exit status %s)" % (build, t["name"], t.get("returncode")))
                elif result == "OK":
                    passed += 1
                else:
                    failed += 1
                    print("FAILED: %s %s (%s)" % (build, t["name"], result))
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
