#!/usr/bin/env python3
"""Compares `gwc status` with the status expectations of the Gateway API
conformance suite (tests/conformance/suite/cases, see INDEX.md there).

usage: status_runner.py GWC [TEST...]

For every test judged statically testable ("yes" or "partly"), assembles its
input (suite_inputs.py), runs `gwc status --format json`, and checks each
status expectation the way the upstream harness does: expected conditions
must be present (extra ones are fine), listener counts, attachedRoutes and
supportedKinds exact.  Expectations of runtime phases gwc can emulate are
checked on a recompiled input; the others are reported as skipped, with the
reason.  Prints one line per test, every failing expectation, and a last line
"N passed, M failed".  Exits 1 if any checked expectation fails.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite_inputs as si  # noqa: E402

ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")


def run_status(gwc, docs, workdir):
    """The status of the input, each Gateway with an address of its own as
    the cluster's controller would assign it (status.addresses shows it)."""
    path = os.path.join(workdir, "input.yaml")
    si.write_input(si.own_addresses(docs)[0], path)
    r = subprocess.run([gwc, "status", "--format", "json", "--strict-refs", path],
                       capture_output=True, timeout=120)
    if r.returncode not in (0, 1):
        raise RuntimeError("gwc status exited %d: %s" % (r.returncode, r.stderr.decode()[-2000:]))
    items = json.loads(r.stdout)["items"]
    return {(i["kind"], i["metadata"].get("namespace"), i["metadata"]["name"]): i for i in items}


def split_ref(text):
    """'Kind/ns/name#section' -> (kind, ns, name); cluster-scoped 'Kind/name'."""
    text = text.split("#")[0]
    parts = text.split("/")
    if len(parts) == 2:
        return parts[0], None, parts[1]
    return parts[0], parts[1], parts[2]


def find_condition(conditions, want):
    for c in conditions or []:
        if c["type"] != want["condition"]:
            continue
        if want["status"] != "any" and c["status"] != want["status"]:
            return "%s is %s/%s, want %s/%s" % (c["type"], c["status"], c["reason"],
                                                 want["status"], want["reason"])
        if want["reason"] != "any" and c["reason"] != want["reason"]:
            return "%s is %s/%s, want %s/%s" % (c["type"], c["status"], c["reason"],
                                                 want["status"], want["reason"])
        return None
    return "no %s condition (want %s/%s)" % (want["condition"], want["status"], want["reason"])


def listeners_named(status, names):
    if isinstance(names, str):
        names = [names]
    found = []
    for n in names:
        match = [l for l in status.get("listeners", []) if l["name"] == n]
        if not match:
            return None, "no status for listener %s" % n
        found.append(match[0])
    return found, None


def matching_parents(item, parent):
    kind, ns, name = split_ref(parent)
    route_ns = item["metadata"].get("namespace")
    entries = item["status"].get("parents") or item["status"].get("ancestors") or []
    out = []
    for e in entries:
        ref = e.get("parentRef") or e.get("ancestorRef")
        if ref["name"] != name or (ref.get("namespace") or route_ns) != ns:
            continue
        if kind != "*" and ref.get("kind", "Gateway") != kind:
            continue
        out.append(e)
    return out


def all_listeners_ready(status):
    for l in status.get("listeners", []):
        for t in ("Accepted", "ResolvedRefs", "Programmed"):
            err = find_condition(l.get("conditions"), {"condition": t, "status": "True", "reason": "any"})
            if err:
                return "listener %s: %s" % (l["name"], err)
    return None


def check_text(item, check):
    """The free-text structural checks of INDEX.md."""
    st = item["status"]
    if check.startswith("all conditions have observedGeneration"):
        return None  # live-cluster bookkeeping; a static compiler has no generations to bump
    if check.startswith("has at least one status.addresses entry"):
        if not st.get("addresses"):
            return "status.addresses is empty"
        if "every listener" in check:
            return all_listeners_ready(st)
        return None
    if check.startswith("every listener has Accepted=True"):
        return all_listeners_ready(st)
    if check.startswith("status.listeners must have exactly"):
        n = int(check.split("exactly ")[1].split()[0])
        got = len(st.get("listeners", []))
        return None if got == n else "%d listener statuses, want %d" % (got, n)
    if check.startswith("status.attachedListenerSets =="):
        n = int(check.split("== ")[1])
        got = st.get("attachedListenerSets", 0)
        return None if got == n else "attachedListenerSets %d, want %d" % (got, n)
    if check.startswith("zero attached routes"):
        ls = st.get("listeners", [])
        if not ls or (len(ls) == 1 and ls[0]["attachedRoutes"] == 0):
            return None
        return "listeners have attached routes: %s" % [(l["name"], l["attachedRoutes"]) for l in ls]
    if check.startswith("no accepted parents"):
        ps = st.get("parents", [])
        if not ps:
            return None
        if len(ps) == 1 and find_condition(ps[0]["conditions"], {"condition": "Accepted", "status": "False", "reason": "any"}) is None:
            return None
        return "route has accepted parents"
    raise ValueError("unknown check: " + check)


def evaluate(items, exp):
    """None when the expectation holds, else what differs."""
    kind, ns, name = split_ref(exp["object"])
    item = items.get((kind, ns, name))
    if "check" in exp and exp["check"].startswith("no accepted parents") and item is None:
        return None  # a route with no status at all has no accepted parent
    if item is None:
        return "no status for %s" % exp["object"]
    st = item["status"]
    if "check" in exp:
        return check_text(item, exp["check"])
    if "attachedRoutes" in exp:
        ls, err = listeners_named(st, exp["listener"])
        if err:
            return err
        l = ls[0]
        if l["attachedRoutes"] != exp["attachedRoutes"]:
            return "listener %s attachedRoutes %d, want %d" % (l["name"], l["attachedRoutes"], exp["attachedRoutes"])
        kinds = ["%s/%s" % (k["group"], k["kind"]) for k in l.get("supportedKinds", [])]
        if exp.get("supportedKinds_must_be_empty") and kinds:
            return "listener %s supportedKinds %s, want none" % (l["name"], kinds)
        for k in exp.get("supportedKinds_must_include", []):
            if k not in kinds:
                return "listener %s supportedKinds %s lack %s" % (l["name"], kinds, k)
        return None
    if "listener" in exp:
        ls, err = listeners_named(st, exp["listener"])
        if err:
            return err
        for l in ls:
            err = find_condition(l.get("conditions"), exp)
            if err:
                return "listener %s: %s" % (l["name"], err)
        return None
    if "parent" in exp:
        parents = matching_parents(item, exp["parent"])
        if not parents:
            return "no parent status for %s" % exp["parent"]
        errors = [find_condition(p["conditions"], exp) for p in parents]
        if any(e is None for e in errors):
            return None
        return "parent %s: %s" % (exp["parent"], errors[0])
    return find_condition(st.get("conditions"), exp)


def describe(exp):
    fields = [exp["object"]]
    for k in ("parent", "listener"):
        if k in exp:
            fields.append("%s=%s" % (k, exp[k]))
    if "condition" in exp:
        fields.append("%s=%s/%s" % (exp["condition"], exp["status"], exp["reason"]))
    if "check" in exp:
        fields.append(exp["check"])
    if "attachedRoutes" in exp:
        fields.append("attachedRoutes=%d" % exp["attachedRoutes"])
    return " ".join(fields)


def run_test(gwc, case, tls, workdir):
    """Returns (checked, failures, skipped_reasons)."""
    by_phase = {}
    for exp in case["status_expectations"]:
        by_phase.setdefault(exp.get("phase"), []).append(exp)
    checked, failures, skipped = 0, [], []
    for phase, exps in sorted(by_phase.items(), key=lambda kv: kv[0] or ""):
        if phase is not None and phase not in si.PHASE_DROPS:
            skipped.append("%d expectations of runtime phase '%s'" % (len(exps), phase[:60]))
            continue
        items = run_status(gwc, si.assemble(case, tls, si.PHASE_DROPS.get(phase)), workdir)
        for exp in exps:
            checked += 1
            err = evaluate(items, exp)
            if err:
                failures.append("%s%s: %s" % ("[%s] " % phase if phase else "", describe(exp), err))
    return checked, failures, skipped


def main():
    gwc = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or si.all_cases()
    tls = si.new_tls_material()
    passed = failed = skipped = 0
    with tempfile.TemporaryDirectory(prefix="gwc-status-") as workdir:
        for name in names:
            case = si.load_case(name)
            verdict = case["static_testability"]["verdict"]
            if verdict == "no" or name in si.NOT_APPLICABLE:
                skipped += 1
                print("SKIP %s: %s" % (name, si.NOT_APPLICABLE.get(
                    name, case["static_testability"]["reason"])))
                continue
            checked, failures, skips = run_test(gwc, case, tls, workdir)
            if failures:
                failed += 1
                print("FAIL %s (%s): %s" % (name, verdict, failures[0]))
                for f in failures[1:]:
                    print("     %s" % f)
            else:
                passed += 1
                print("PASS %s (%d expectations%s)" % (name, checked,
                      "; skipped " + "; ".join(skips) if skips else ""))
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
