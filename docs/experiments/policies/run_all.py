#!/usr/bin/env python3
"""Runs every experiment of docs/policies.md ("Verified on nginx 1.22.1")
against the local nginx and prints one PASS/FAIL line per fact, then
"N passed, M failed".  Needs nginx, curl and python3 (PyYAML not needed);
gwc_output.py also needs a built gwc (build/gwc, or $GWC)."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
passed = failed = 0
for name in sorted(os.listdir(HERE)):
    if not name.endswith(".py") or name in ("nginxlab.py", "run_all.py"):
        continue
    print("==", name, flush=True)
    r = subprocess.run([sys.executable, os.path.join(HERE, name)], capture_output=True, text=True, timeout=300)
    sys.stdout.write(r.stdout)
    passed += r.stdout.count("\nPASS ") + r.stdout.startswith("PASS ")
    failed += r.stdout.count("\nFAIL ") + r.stdout.startswith("FAIL ")
    if r.returncode:
        failed += 1
        print("   exit status %d: %s" % (r.returncode, r.stderr.strip()[-500:]))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
