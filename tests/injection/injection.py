#!/usr/bin/env python3
"""The injection test: no string a manifest carries into nginx text can
change the configuration's structure or reach nginx as anything but its
exact literal value.

usage: injection.py [--quick] GWC [FIELD...]

For every field of manifests.FIELDS and every hostile value of HOSTILE,
the baseline with that one value changed is compiled, and either
  - gwc refuses it with a positioned diagnostic (file:line:col at the
    field's line, [GWnnnn]): no output, or output in which the value
    appears nowhere; or
  - the output, read back with nginxconf's model of nginx's tokenizer,
    parser and variable syntax, has exactly the baseline's structure, and
    the value appears exactly where the benign value did, as its literal
    (after nginx's unquoting and variable expansion; in a pattern, as
    escaped literal text, or, for a regular expression field, as the
    pattern the test expects).
Every output passes nginx -t.  Prints TAP, one test per field.
"""
import concurrent.futures
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

import manifests
import nginxconf

ARGS = ["--listen-address", "127.0.0.1", "--port-map", "80=18080", "--port-map", "443=18443",
        "--port-map", "8443=18444", "--port-map", "9090=18090"]

LONG = 4096
HOSTILE = [
    # nginx syntax
    '"', "'", "\\", "$", "${", "$host", "${host}", "$1", "${gw_dollar}",
    ";", "{", "}", "#", " ", ")", "(",
    # control characters and other code points
    "\t", "\r", "\n", "\x00", "\x01", "\x1b", "\x7f", "\u0085", "\u202e", "\u00e9",
    # directives
    '"; return 200 pwned; #', "'; } server { listen 1; } #", '\\"; deny all; #',
    "~", "=", "@x",
    # scheme-looking and path syntax
    "http://evil.example/", "//evil.example/", "$scheme://evil.example/",
    "@evil.example", "?x=1", "%00", "/../..",
    # regular expressions
    "(?<http_x_admin>.*)", "(?'args'x)", "(?P<host>.*)", "(?<gw_dollar>x)",
    "(?<n>a)\\k<n>", "[(?<x>a)]", "\\Q(?<x>", "(?#(?<x>))", "(?x)a#b", "a(?R)?", "(*UTF)",
    # lengths: nginx words end at 4,096 bytes ('$' is written as ${gw_dollar});
    # names of up to 256 characters go into nginx hashes
    "a" * LONG, "a" * 4084, "a" * 240, "a" * 40, "$" * 400, "\\" * 2100,
]

# One value of each kind, for --quick (sanitizer builds, where gwc is slow):
# what they check there is gwc's memory safety on hostile input.
QUICK = ['"', "${host}", ";", "{", "\r", "\x00", '"; return 200 pwned; #',
         "http://evil.example/", "(?<http_x_admin>.*)", "(?<n>a)\\k<n>", "a" * 4084, "a" * 240]

# What a user pattern must look like in nginx: its named groups made plain.
REGEX_NGINX = {
    "(?<http_x_admin>.*)": "(.*)",
    "(?'args'x)": "(x)",
    "(?P<host>.*)": "(.*)",
    "(?<gw_dollar>x)": "(x)",
    "\\Q(?<x>": "\\Q(?<x>\\E",
}

DIAG = re.compile(r"^input\.yaml:(\d+):(\d+): (error|warning|note): ")
MASK = "\x01VALUE\x01"
HASHED = re.compile(r"gw_([a-z_]*?)[0-9a-f]{16}(?![0-9a-z_])")
REGEX_META = set("^$.|?*+()[]{}")

SCRIPT_ARGS = {
    b"proxy_set_header": 2, b"grpc_set_header": 2, b"add_header": 2, b"set": 2,
    b"proxy_pass": 1, b"grpc_pass": 1, b"proxy_ssl_name": 1, b"grpc_ssl_name": 1,
    b"ssl_certificate": 1, b"ssl_certificate_key": 1, b"map": 1, b"split_clients": 1,
}


class Failure(Exception):
    pass


# ---- what nginx makes of each word ----

def script_view(word):
    out = []
    for kind, v in nginxconf.script(word):
        if kind == "text":
            out.append(v)
        elif kind == "var" and v == "gw_dollar":
            out.append("$")  # geo $gw_dollar { default "$"; }
        elif kind == "capture":
            # A user's pattern may have run last: gwc never reads $1..$9.
            raise Failure("the configuration reads the capture $%d" % v)
        else:
            out.append("\x00$%s\x00" % v)
    return "".join(out)


def word_kinds(d, parent):
    """(kind, word) for each word of a directive: "lit" (taken as it is),
    "script" (variables expanded), "regex" (a PCRE pattern)."""
    w = d.words
    name = w[0]
    kinds = ["lit"] * len(w)
    if parent == b"map":  # ngx_http_map(): "~" makes a regex, one "\\" is dropped
        if len(w) != 2:
            return list(zip(kinds, w))
        key = w[0]
        if key.startswith(b"~"):
            return [("regex", key[2:] if key.startswith(b"~*") else key[1:]), ("script", w[1])]
        return [("lit", key[1:] if key.startswith(b"\\") else key), ("script", w[1])]
    if parent in (b"geo", b"split_clients", b"upstream"):
        return list(zip(kinds, w))
    if name in SCRIPT_ARGS and len(w) > SCRIPT_ARGS[name]:
        kinds[SCRIPT_ARGS[name]] = "script"
    elif name == b"rewrite" and len(w) >= 3:
        kinds[1], kinds[2] = "regex", "script"
    elif name == b"return" and len(w) == 3:
        kinds[2] = "script"
    elif name == b"return" and len(w) == 2 and not w[1].isdigit():
        kinds[1] = "script"
    elif name == b"error_page":
        kinds[-1] = "script"
    elif name == b"if" and len(w) >= 3:
        op = w[2]
        if op in (b"=", b"!="):
            kinds[3] = "script"
        elif op in (b"~", b"~*", b"!~", b"!~*"):
            kinds[3] = "regex"
    elif name == b"location":
        # ngx_http_core_location(): a modifier is its own word, or glued
        # to a one-word location: "=/p", "~re", "^~/p", "@name".
        if len(w) == 3 and w[1] in (b"~", b"~*"):
            kinds[2] = "regex"
        elif len(w) == 2 and w[1][:1] in (b"~", b"="):
            kinds[1] = "glued-" + chr(w[1][0])
        elif len(w) == 2 and w[1][:1] == b"@":
            kinds[1] = "named"
    elif name == b"server_name":
        for i in range(1, len(w)):
            if w[i].startswith(b"~"):
                kinds[i] = "regex"
    return list(zip(kinds, w))


def regex_literal_view(pattern):
    """A pattern with escaped literal characters decoded and the others
    marked, so a literal value is found in it only if it was escaped."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and re.fullmatch(r"x[0-9a-f]{2}", pattern[i + 1:i + 4]):
            out.append(chr(int(pattern[i + 2:i + 4], 16)))  # a byte (no UTF mode)
            i += 4
            continue
        if c == "\\" and i + 1 < len(pattern):
            n = pattern[i + 1]
            out.append("\x02\\" + n if n.isalnum() else n)
            i += 2
            continue
        out.append("\x02" + c if c in REGEX_META else c)
        i += 1
    return "".join(out)


def uncut(path):
    """gwc's long file names joined back: a 200-byte component ending in
    '_' continues in the next one."""
    parts = path.split("/")
    out = []
    for p in parts:
        if out and out[-1].endswith("\x03"):
            out[-1] = out[-1][:-1] + p
        elif len(p) == 201 and p.endswith("_"):
            out.append(p[:-1] + "\x03")
        else:
            out.append(p)
    return "/".join(o.rstrip("\x03") for o in out)


def expected_regex(field, value, hostile):
    """How the field's pattern must read in nginx (for the baseline, the
    benign pattern itself)."""
    if hostile is None:
        return value
    return field.benign + REGEX_NGINX.get(hostile, hostile)


def view(kind, word, field, value, hostile):
    """The word as nginx reads it, with the field's value masked."""
    text = word.decode("latin-1")
    v = field.literal(value).encode("utf-8").decode("latin-1")  # compared as bytes
    if kind == "script":
        text = script_view(word)
    if kind == "regex" and field.regex:
        want = expected_regex(field, value, hostile).encode("utf-8").decode("latin-1")
        text = text.replace(want, MASK)
    elif kind == "regex":
        text = regex_literal_view(text).replace(v, MASK)
    else:
        text = uncut(text).replace(v, MASK)
    if field.header_name:
        text = text.replace("http_" + v.lower().replace("-", "_"), "http_" + MASK)
    return kind, HASHED.sub(r"gw_\1#", text)


SIZING = re.compile(rb"[a-z_]+_hash_(bucket|max)_size")


def canon(directives, field, value, hostile, parent=None):
    items = []
    for d in directives:
        if SIZING.fullmatch(d.words[0]) and parent != b"map":
            # Hash sizes follow the names gwc writes: a number, no structure.
            if len(d.words) != 2 or not d.words[1].isdigit() or d.block is not None:
                raise Failure("%r is not a hash size" % d.words)
            continue
        words = tuple(view(k, w, field, value, hostile) for k, w in word_kinds(d, parent))
        block = None if d.block is None else canon(d.block, field, value, hostile, d.words[0])
        items.append((words, block))
    return tuple(sorted(items, key=repr))


# ---- running gwc and nginx ----

def conf_files(out):
    return sorted(n for n in os.listdir(out) if n.endswith(".conf"))


def read_conf(out):
    parsed = {}
    for name in conf_files(out):
        with open(os.path.join(out, name), "rb") as f:
            data = f.read()
        try:
            parsed[name] = nginxconf.parse(data)
        except nginxconf.ConfError as e:
            raise Failure("%s does not read back: %s" % (name, e))
    return parsed


class Runner:
    def __init__(self, gwc, work):
        self.gwc = gwc
        self.work = work
        self.nginx_ok = {}
        self.baseline_diags = {}  # per template
        self.baseline = {}
        self.canon = {}

    def compile(self, template, values):
        d = tempfile.mkdtemp(dir=self.work)
        with open(os.path.join(d, "input.yaml"), "w", encoding="utf-8") as f:
            f.write(manifests.render(template, values))
        r = subprocess.run([self.gwc, "compile", "-o", "out"] + ARGS + ["input.yaml"],
                           cwd=d, capture_output=True, timeout=120)
        out = os.path.join(d, "out")
        return d, (out if os.path.exists(os.path.join(out, "nginx.conf")) else None), r

    def nginx_t(self, out):
        h = hashlib.sha256()
        for root, _, files in sorted(os.walk(out)):
            for n in sorted(files):
                if root.endswith("logs"):
                    continue
                with open(os.path.join(root, n), "rb") as f:
                    h.update(n.encode() + b"\0" + f.read() + b"\0")
        key = h.hexdigest()
        if key not in self.nginx_ok:
            r = subprocess.run(["nginx", "-t", "-q", "-p", out + "/", "-c",
                                os.path.join(out, "nginx.conf")],
                               capture_output=True, text=True, timeout=60)
            self.nginx_ok[key] = r.returncode == 0, r.stderr.strip()
        ok, err = self.nginx_ok[key]
        if not ok:
            raise Failure("nginx -t fails: %s" % err)

    def start(self):
        for template in manifests.TEMPLATES:
            d, out, r = self.compile(template, {})
            if not out:
                raise SystemExit("the %s baseline does not compile:\n%s"
                                 % (template, r.stderr.decode()))
            self.nginx_t(out)
            self.baseline_diags[template] = set(diags(r.stderr))
            self.baseline[template] = read_conf(out)
            shutil.rmtree(d)

    def baseline_canon(self, field, name):
        key = (field.name, name)
        if key not in self.canon:
            self.canon[key] = canon(self.baseline[manifests.template(field)].get(name, []),
                                    field, field.benign, None)
        return self.canon[key]

    def check(self, field, hostile):
        value = field.wrap(hostile)
        template = manifests.template(field)
        d, out, r = self.compile(template, {field.name: value})
        try:
            new = [x for x in diags(r.stderr) if x not in self.baseline_diags[template]]
            lines = manifests.field_lines(field)
            at_field = [x for x in new if x[0] in lines and x[2] in ("error", "warning")]
            if not out:
                if not [x for x in at_field if x[2] == "error"]:
                    raise Failure("no output and no error at line %s:\n%s"
                                  % (sorted(lines), r.stderr.decode(errors="replace")))
                return "refused"
            conf = read_conf(out)
            self.nginx_t(out)
            if at_field:
                absent(conf, field)
                return "dropped"
            for name in sorted(set(conf) | set(self.baseline[template])):
                want = self.baseline_canon(field, name)
                got = canon(conf.get(name, []), field, value, hostile)
                if want != got:
                    raise Failure("%s differs from the baseline: %s\n%s"
                                  % (name, first_difference(want, got),
                                     r.stderr.decode(errors="replace")))
            return "literal"
        finally:
            shutil.rmtree(d)


def diags(stderr):
    out = []
    for line in stderr.decode(errors="replace").splitlines():
        m = DIAG.match(line)
        if m:
            out.append((int(m.group(1)), int(m.group(2)), m.group(3)))
    return out


def absent(conf, field):
    """A refused value must not reach nginx in any form."""
    marker = field.marker
    for name, directives in conf.items():
        for d in walk(directives):
            for w in d.words:
                text = w.decode("latin-1")
                if marker.lower() in text.lower() or marker in regex_literal_view(text):
                    raise Failure("refused, yet %s has %r" % (name, d.words))


def walk(directives):
    for d in directives:
        yield d
        if d.block is not None:
            yield from walk(d.block)


def first_difference(want, got):
    def flat(items, depth=0):
        for words, block in items:
            yield "  " * depth + " ".join(repr(t) for _, t in words)
            if block is not None:
                yield from flat(block, depth + 1)
    w, g = list(flat(want)), list(flat(got))
    missing = [x for x in w if x not in g][:3]
    extra = [x for x in g if x not in w][:3]
    return "\n  baseline only: %s\n  variant only: %s" % (missing, extra)


def try_one(runner, field, hostile):
    try:
        return runner.check(field, hostile), None
    except Failure as e:
        return None, str(e)


def main():
    args = sys.argv[1:]
    quick = args[:1] == ["--quick"]
    args = args[1:] if quick else args
    gwc = os.path.abspath(args[0])
    only = set(args[1:])  # field names, to run a few
    corpus = QUICK if quick else HOSTILE
    work = tempfile.mkdtemp(prefix="gwc-injection-")
    failed = 0
    try:
        runner = Runner(gwc, work)
        runner.start()
        fields = [f for f in manifests.FIELDS if not only or f.name in only]
        print("1..%d" % len(fields))
        pool = concurrent.futures.ThreadPoolExecutor(max(2, os.cpu_count() or 2))
        for n, field in enumerate(fields, 1):
            outcomes = {}
            problems = []
            results = pool.map(lambda h, f=field: try_one(runner, f, h), corpus)
            for hostile, (outcome, problem) in zip(corpus, results):
                if problem:
                    problems.append("%r: %s" % (hostile[:40], problem))
                else:
                    outcomes[outcome] = outcomes.get(outcome, 0) + 1
            summary = ", ".join("%d %s" % (v, k) for k, v in sorted(outcomes.items()))
            if problems:
                failed += 1
                print("not ok %d - %s (%s)" % (n, field.name, summary))
                for p in problems:
                    for line in p.splitlines():
                        print("# " + line)
            else:
                print("ok %d - %s (%s)" % (n, field.name, summary))
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
