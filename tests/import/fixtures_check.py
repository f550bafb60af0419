#!/usr/bin/env python3
"""Every YAML file of the vendored ingress2gateway fixtures through
`gwc import-ingress`, and its output through `gwc check`.

usage: fixtures_check.py GWC [--provider=NAME] PATH...

The provider is ingress-nginx unless given; with another one every file
must give output (its CRDs are inputs as much as Ingresses).

For each *.yaml / *.yml file given or under a directory given (sorted):
  1. `gwc import-ingress FILE` (a golden case's input.yaml: with the
     case's args) must not crash: exit 0 (everything exact) or
     1 (something reported as not carried over), with the report on stderr
     and YAML on stdout;
  2. every object of the output names where it came from: a comment line
     "# source: FILE:LINE, ..." right before it and the annotation
     gwc.dev/source: Kind/namespace/name,...;
  3. the output must pass `gwc check` with zero errors.  check is given the
     import output *and the input file*, because the input's Services,
     Secrets and ConfigMaps are the cluster the output will run in (the
     Ingresses in it are not gwc check's business).  Objects the output
     refers to but the input lacks are, for check, simply absent from the
     cluster snapshot:
       - a Service: gwc check assumes it exists (warning GW0605) - allowed;
       - a TLS Secret named by a listener: gwc check refuses the listener
         (GW0407).  That is a fact about the input, not the conversion, so
         the script supplies a throw-away self-signed kubernetes.io/tls
         Secret of that name (as the cluster would have) and checks again;
       - an htpasswd Secret named by an AccessPolicy (basic auth): gwc
         check reports GW0620; the script supplies one with a single user,
         in the format (htpasswd file under the policy's key, or user map)
         the policy reads.
     Warnings of gwc's NGINX class (GW07xx) are allowed too: they say what
     nginx 1.22 can only approximate of valid Gateway API (a session-
     persistence field, per-step timeouts), which is the data plane's
     limit, not the conversion's; the import still writes the faithful
     Gateway API field.  Any other warning, and any error, fails the file.
An object the output carries amended (the Gateway of --gateway, taken
from the input) replaces the input's: check is given the input without
it.
The i2gw *output* files in the corpus hold no Ingress: they must import to
nothing, cleanly.  Prints TAP.
"""
import base64
import json
import os
import re
import subprocess
import sys
import tempfile

# Warnings that describe the input (objects the cluster has and the input
# lacks), or nginx 1.22's limits on valid Gateway API, never the conversion.
INPUT_WARNINGS = {"GW0605"}
NGINX_WARNING = re.compile(r"^GW07[0-9][0-9]$")
MISSING_SECRET = re.compile(r"^Secret '([^/']+)/([^']+)' does not exist$")
MISSING_AUTH = re.compile(r"^Secret '([^/']+)/([^']+)' is not in the input; the rules "
                          r"this policy covers")
# htpasswd -m's hash of "stub" (salt "gwcstub1")
STUB_HASH = "$apr1$gwcstub1$Y7qD4gUfCQprfN5WVjdrN/"
USER_MAP_REF = re.compile(r"secretRef:\n\s+name: (\S+)\n(?:\s+namespace: (\S+)\n)?"
                          r"\s+format: UserMap")


KEY_REF = re.compile(r"secretRef:\n\s+name: (\S+)\n(?:\s+namespace: (\S+)\n)?"
                     r"\s+key: (\S+)")


def htpasswd_keys(output):
    """{(namespace, name): key} of the Secrets the output reads by key."""
    found = {}
    for doc in output.split("\n---\n"):
        ns = re.search(r"(?m)^  namespace: (\S+)$", doc)
        for m in KEY_REF.finditer(doc):
            found[(m.group(2) or (ns.group(1) if ns else "default"), m.group(1))] = m.group(3)
    return found


def user_maps(output):
    """(namespace, name) of the Secrets the output reads as user maps."""
    found = set()
    for doc in output.split("\n---\n"):
        ns = re.search(r"(?m)^  namespace: (\S+)$", doc)
        for m in USER_MAP_REF.finditer(doc):
            found.add((m.group(2) or (ns.group(1) if ns else "default"), m.group(1)))
    return found


def self_signed(tmp):
    """A PEM certificate and key for stand-in Secrets (openssl CLI)."""
    key, crt = os.path.join(tmp, "stub.key"), os.path.join(tmp, "stub.crt")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", key, "-out", crt, "-days", "2", "-subj", "/CN=stub"],
                   check=True, capture_output=True, timeout=60)
    with open(crt, "rb") as c, open(key, "rb") as k:
        return base64.b64encode(c.read()).decode(), base64.b64encode(k.read()).decode()


def stub_secrets(names, pem, htpasswd=(), maps=(), keys=None):
    docs = []
    for ns, name in sorted(htpasswd):
        key = (keys or {}).get((ns, name), "auth")
        line = ("stub: '%s'" % STUB_HASH if (ns, name) in maps
                else "%s: 'stub:%s'" % (key, STUB_HASH))
        docs.append("apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\n"
                    "stringData:\n  %s\n" % (name, ns, line))
    for ns, name in sorted(names):
        docs.append("apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\n"
                    "type: kubernetes.io/tls\ndata:\n  tls.crt: %s\n  tls.key: %s\n"
                    % (name, ns, pem[0], pem[1]))
    return "\n---\n".join(docs)


SOURCE_COMMENT = re.compile(r"^# source: [^\n]+:[0-9]+(, [^\n]+:[0-9]+)*(, \.\.\. [0-9]+ more)?\n"
                            r"apiVersion: ")
SOURCE_ANNOTATION = re.compile(r"(?m)^  annotations:\n(    \S+: .*\n)*    gwc\.dev/source: "
                               r"[A-Za-z]+/[a-z0-9.-]+/[^\s,]+(,[A-Za-z]+/[^\s,]+)*"
                               r"(,\.\.\. [0-9]+ more)?$")


def untraced(output):
    """The objects of the output that do not say where they came from."""
    bad = []
    for doc in output.split("\n---\n"):
        if not SOURCE_COMMENT.match(doc) or not SOURCE_ANNOTATION.search(doc):
            kind = re.search(r"(?m)^kind: (\S+)$", doc)
            name = re.search(r"(?m)^  name: (\S+)$", doc)
            bad.append("%s %s names no source" % (kind.group(1) if kind else "?",
                                                  name.group(1) if name else "?"))
    return bad


def check(gwc, files):
    r = subprocess.run([gwc, "check", "--format", "json", "--fail-on=never"] + files,
                       capture_output=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("gwc check exited %d: %s" % (r.returncode, r.stderr.decode()))
    return json.loads(r.stdout)["diagnostics"]


def import_argv(path, provider):
    """The command line of a golden case's input.yaml (its args file), else
    the given provider's (the corpus is the input of ingress2gateway's
    ingress-nginx provider; some of its Ingresses name only class "nginx",
    which F5's controller serves too, so the provider is given, not
    detected)."""
    args = os.path.join(os.path.dirname(path), "args")
    if os.path.basename(path) == "input.yaml" and os.path.exists(args):
        with open(args) as f:
            argv = [a for a in f.read().split("\n") if a]
        if argv and argv[0] == "import-ingress":
            return [path if a == "input.yaml" else a for a in argv]
    return ["import-ingress", "--provider", provider, path]


TOP_KEY = re.compile(r"(?m)^kind:\s*(\S+)\s*$")
META = re.compile(r"(?m)^metadata:\s*\n((?:[ #].*\n?)*)")


def identity(doc):
    """(kind, namespace, name) of a YAML document written block style."""
    kind, meta = TOP_KEY.search(doc), META.search(doc)
    if not kind or not meta:
        return None
    name = re.search(r"(?m)^  name:\s*(\S+)", meta.group(1))
    ns = re.search(r"(?m)^  namespace:\s*(\S+)", meta.group(1))
    return (kind.group(1), ns.group(1) if ns else None,
            name.group(1) if name else None)


def without_carried(path, output, tmp):
    """The input file, or a copy without the objects the output carries."""
    carried = {identity(d) for d in output.split("\n---\n")} - {None}
    with open(path) as f:
        docs = re.split(r"(?m)^---\s*$", f.read())
    kept = [d for d in docs if identity(d) not in carried]
    if len(kept) == len(docs):
        return path
    copy = os.path.join(tmp, "input-rest.yaml")
    with open(copy, "w") as f:
        f.write("\n---\n".join(kept))
    return copy


def run_file(gwc, path, tmp, pem, provider):
    problems = []
    r = subprocess.run([gwc] + import_argv(path, provider), capture_output=True,
                       timeout=60)
    if r.returncode not in (0, 1):
        return ["import-ingress exited %d:\n%s" % (r.returncode, r.stderr.decode())]
    has_ingress = (provider != "ingress-nginx" or
                   re.search(rb"(?m)^kind:\s*(Ingress|IngressRoute|IngressRouteTCP|"
                             rb"IngressRouteUDP)\s*$", open(path, "rb").read()))
    if not has_ingress:
        if r.stdout:
            problems.append("no Ingress in the file, but output was written")
        return problems
    if not r.stdout:
        return ["no output for a file with Ingresses:\n" + r.stderr.decode()]
    problems += untraced(r.stdout.decode())
    out = os.path.join(tmp, "output.yaml")
    with open(out, "wb") as f:
        f.write(r.stdout)
    files = [out, without_carried(path, r.stdout.decode(), tmp)]
    diags = check(gwc, files)
    missing, htpasswd = set(), set()
    for d in diags:
        m = MISSING_SECRET.match(d["message"])
        if d["code"] == "GW0407" and d["file"] == out and m:
            missing.add(m.groups())
        m = MISSING_AUTH.match(d["message"])
        if d["code"] == "GW0620" and d["file"] == out and m:
            htpasswd.add(m.groups())
    if missing or htpasswd:
        stub = os.path.join(tmp, "cluster-secrets.yaml")
        with open(stub, "w") as f:
            f.write(stub_secrets(missing, pem, htpasswd, user_maps(r.stdout.decode()),
                                 htpasswd_keys(r.stdout.decode())))
        diags = check(gwc, files + [stub])
    for d in diags:
        if d["severity"] == "error" or (d["severity"] == "warning"
                                        and d["code"] not in INPUT_WARNINGS
                                        and not NGINX_WARNING.match(d["code"])):
            problems.append("%s:%s: %s: %s [%s]" % (os.path.basename(d["file"]),
                                                    d.get("line", 0), d["severity"],
                                                    d["message"], d["code"]))
    return problems


def main():
    gwc, paths = os.path.abspath(sys.argv[1]), sys.argv[2:]
    # The corpus is the input of ingress2gateway's ingress-nginx provider;
    # some of its Ingresses name only class "nginx", which F5's controller
    # serves too, so the provider is given, not detected.
    provider = "ingress-nginx"
    if paths and paths[0].startswith("--provider="):
        provider, paths = paths[0].split("=", 1)[1], paths[1:]
    root = os.path.commonpath([os.path.abspath(p) for p in paths])
    if not os.path.isdir(root):
        root = os.path.dirname(root)
    files = sorted(os.path.abspath(p) for p in paths if os.path.isfile(p))
    files += sorted(os.path.join(d, f) for p in paths if os.path.isdir(p)
                    for d, _, fs in os.walk(p) for f in fs if f.endswith((".yaml", ".yml")))
    print("1..%d" % len(files))
    failed = 0
    with tempfile.TemporaryDirectory(prefix="gwc-fixtures-") as tmp:
        pem = self_signed(tmp)
        for i, path in enumerate(files, 1):
            name = os.path.relpath(path, root)
            problems = run_file(gwc, path, tmp, pem, provider)
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
