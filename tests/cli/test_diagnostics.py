"""Diagnostics cannot be forged: whatever text the manifests, their file
names or the command line carry, every diagnostic is one line in the text
and GitHub formats, the JSON and SARIF documents are valid, and nothing
reaches a terminal or a CI log that could move the cursor, reorder text or
read as a command.

The inputs are the project's own golden cases with hostile text appended to
every string value and a hostile key added to every mapping, so the check
covers every message gwc can produce for them, not a list of known ones.
"""
import glob
import json
import os
import pty
import re
import select
import subprocess
import tempfile
import unittest

import yaml

GWC = os.environ["GWC"]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

# A line break that starts a forged diagnostic, CR, terminal escapes, a bidi
# override, a line separator, NEL, CI log commands, a backslash.
HOSTILE = ("\ninput.yaml:1:1: error: forged [GW0001]\r\x1b[2K\x1b]0;t\x07"
           "\u202e\u2066\u2028\x85\u200b ##[error]x ##vso[task.complete]\\")
HOSTILE_KEY = "k\n::error::forged\x1b[1m\u202e"

# What a diagnostic line may not hold: C0 controls (the line break ends it),
# DEL, C1 controls, bidi and zero-width controls, line separators.
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f"
                       "\u2028-\u202e\u2060-\u206f\ufeff]")
TEXT_LINE = re.compile(r"^(gwc|\S.*?)(:\d+:\d+)?: (error|warning|note): .*$")
SUMMARY = re.compile(r"^gwc: \d+ errors?, \d+ warnings?"
                     r"(, \d+ silenced \(--disable: \d+, gwc\.dev/ignore: \d+\))?"
                     r"(, \d+ not shown \(--quiet\))?$")
IMPORT_SUMMARY = re.compile(r"^(gwc: import summary: \d+ source objects?: .*"
                            r"|  (approximated|partial|left-out) .+ \(.*:\d+\)(: .*)?"
                            r"|gwc: next steps:|  \d+\. .*)$")
GITHUB_LINE = re.compile(r"^::(error|warning|notice) [^:]*::.*$")


def run(args, cwd=None, env=None):
    e = dict(os.environ, NO_COLOR="1", LC_ALL="C")
    e.update(env or {})
    return subprocess.run([GWC] + args, cwd=cwd, capture_output=True, env=e, timeout=60)


def mutate(node, in_metadata=False, keep_names=False):
    """Hostile text appended to every string value (but apiVersion and kind,
    and with keep_names, metadata) and a hostile key in every mapping."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in ("apiVersion", "kind") and isinstance(v, str):
                out[k] = v
            else:
                out[k] = mutate(v, in_metadata or k == "metadata", keep_names)
        out[HOSTILE_KEY] = "v"
        return out
    if isinstance(node, list):
        return [mutate(v, in_metadata, keep_names) for v in node]
    if isinstance(node, str) and not (keep_names and in_metadata):
        return node + HOSTILE
    return node


def hostile_inputs():
    """(name, [text of each variant]) for every golden input that PyYAML
    reads.  Variant one makes every name invalid (the API server's checks
    speak), variant two keeps metadata (validation goes on to the
    controller's checks); their objects never meet."""
    cases = []
    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "*", "*", "*.yaml"))):
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text)):
                continue  # gwc refuses aliases; PyYAML would expand a bomb
            docs = [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # the loader's own hostile cases
        if docs:
            cases.append((os.path.relpath(path, ROOT),
                          [yaml.safe_dump_all([mutate(d, keep_names=keep) for d in docs],
                                              allow_unicode=False)
                           for keep in (False, True)]))
    return cases


class Counts:
    """What the JSON format says was reported."""

    def __init__(self, doc):
        self.diagnostics = len(doc["diagnostics"])
        self.notes = sum(1 for d in doc["diagnostics"] if "note" in d)
        self.summary = 1 if doc["errors"] or doc["warnings"] else 0


class OutputChecks(unittest.TestCase):
    def assert_clean(self, data, what):
        text = data.decode("utf-8")  # strict: valid UTF-8 or an error
        bad = [line for line in text.split("\n") if FORBIDDEN.search(line)]
        self.assertEqual(bad, [], what + ": raw control or invisible characters")
        return text

    def check_all_formats(self, args, what, cwd=None, diag_stream="stdout", sarif=True):
        """Runs args in the four formats (SARIF only when asked: it is the
        JSON diagnostics in another shape); returns the JSON counts."""
        machine = lambda r: getattr(r, diag_stream)
        rj = run(args[:1] + ["--format=json"] + args[1:], cwd)
        counts = Counts(json.loads(self.assert_clean(machine(rj), what + " json")))

        rt = run(args, cwd)
        lines = self.assert_clean(rt.stderr, what + " text").splitlines()
        # import-ingress ends with its summary (docs/import-summary.md),
        # after the diagnostics: clean too, and of its own shape.
        tail = [i for i, l in enumerate(lines) if l.startswith("gwc: import summary: ")]
        if tail:
            for line in lines[tail[0]:]:
                self.assertRegex(line, IMPORT_SUMMARY, what)
            lines = lines[:tail[0]]
        self.assertEqual(len(lines), counts.diagnostics + counts.notes + counts.summary,
                         what + ": text lines are not one per diagnostic:\n" + "\n".join(lines))
        for line in lines[:len(lines) - counts.summary]:
            self.assertRegex(line, TEXT_LINE, what)
            self.assertFalse(line.lstrip().startswith("::"), what + ": " + line)
        if counts.summary:
            self.assertRegex(lines[-1], SUMMARY, what)

        rg = run(args[:1] + ["--format=github"] + args[1:], cwd)
        glines = self.assert_clean(machine(rg), what + " github").splitlines()
        self.assertEqual(len(glines), counts.diagnostics, what + ": github lines")
        for line in glines:
            self.assertRegex(line, GITHUB_LINE, what)

        outputs = [rt.stderr, machine(rg), machine(rj)]
        if sarif:
            rs = run(args[:1] + ["--format=sarif"] + args[1:], cwd)
            doc = json.loads(self.assert_clean(machine(rs), what + " sarif"))
            self.assertEqual(len(doc["runs"][0]["results"]), counts.diagnostics, what)
            outputs.append(machine(rs))
        for out in outputs:
            self.assertNotIn(b"##[", out, what)
            self.assertNotIn(b"##vso[", out, what)
        return counts


class HostileManifests(OutputChecks):
    def test_every_diagnostic_is_one_line(self):
        step = int(os.environ.get("GWC_CORPUS_STEP", "1"))
        cases = hostile_inputs()
        self.assertGreater(len(cases), 300)
        cases = cases[::step]
        reported = 0
        with tempfile.TemporaryDirectory() as tmp:
            for n, (name, variants) in enumerate(cases):
                for i, text in enumerate(variants):
                    with open(os.path.join(tmp, "in%d.yaml" % i), "w") as f:
                        f.write(text)
                with self.subTest(case=name):
                    if "/import/" in name:
                        args, stream = ["import-ingress", "--provider", "ingress-nginx",
                                        "in0.yaml", "in1.yaml"], "stderr"
                    else:
                        args, stream = ["check", "in0.yaml", "in1.yaml"], "stdout"
                    reported += self.check_all_formats(args, name, tmp, stream,
                                                       sarif=n % 4 == 0).diagnostics
        # The mutations reach deep into validation: thousands of messages.
        self.assertGreater(reported, 3000 // step)


class HostileFileNames(OutputChecks):
    NAMES = [b"a\nb.yaml", b"c\rd.yaml", b"e\x1b[31mf.yaml", b"g\xe2\x80\xaeh.yaml",
             b"::error::forged.yaml", b"  ::warning::x.yaml", b"##[error]y.yaml",
             b"bad\xffbyte.yaml", b"back\\slash,comma%25:colon.yaml"]
    SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: web%d}\nspec:\n  ports: [{port: "80"}]\n'

    def test_file_names_in_every_format(self):
        with tempfile.TemporaryDirectory() as tmp:
            d = os.path.join(tmp.encode(), b"in")
            os.mkdir(d)
            for i, n in enumerate(self.NAMES):
                with open(os.path.join(d, n), "w") as f:
                    f.write(self.SERVICE % i)
            counts = self.check_all_formats(["check", "in"], "file names", cwd=tmp)
            self.assertEqual(counts.diagnostics, len(self.NAMES))
            text = run(["check", "in"], cwd=tmp).stderr.decode()
            for shown in ("in/a\\nb.yaml:5:", "in/e\\x1b[31mf.yaml:5:", "in/g\\u202eh.yaml:5:",
                          "in/::error::forged.yaml:5:", "in/#\\x23[error]y.yaml:5:",
                          "in/bad\\xffbyte.yaml:5:"):
                self.assertIn("\n" + shown, "\n" + text)
            # A name given alone starts the line: never with "::".
            r = run(["check", "::error::forged.yaml"], cwd=d)
            self.assertTrue(r.stderr.startswith(b"./::error::forged.yaml:5:"), r.stderr)
            sarif = json.loads(run(["check", "--format=sarif", "in"], cwd=tmp).stdout)
            uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                          for r in sarif["runs"][0]["results"])
            self.assertIn("in/bad%FFbyte.yaml", uris)
            self.assertIn("in/a%0Ab.yaml", uris)
            github = run(["check", "--format=github", "in"], cwd=tmp).stdout.decode()
            self.assertIn("file=in/back\\\\slash%2Ccomma%2525%3Acolon.yaml,", github)


class TerminalQuotes(unittest.TestCase):
    """On a terminal the source line is quoted: it is user bytes too."""

    def on_terminal(self, args, cwd, pass_fds=()):
        master, slave = pty.openpty()
        try:
            p = subprocess.Popen([GWC] + args, cwd=cwd, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=slave, pass_fds=pass_fds,
                                 env=dict(os.environ, NO_COLOR="1"))
            os.close(slave)
            out = b""
            while True:
                ready, _, _ = select.select([master], [], [], 30)
                if not ready:
                    p.kill()
                    self.fail("gwc wrote nothing to the terminal for 30 s")
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the other side closed
                    break
                if not chunk:
                    break
                out += chunk
            p.wait(timeout=30)
            return out.replace(b"\r\n", b"\n")
        finally:
            os.close(master)

    def test_source_line_is_escaped(self):
        cases = [
            # refused by the loader, and quoted with the refusal
            (b"a: 1\nb: x\x1b[2J\x1b[H\n", b"    2 | b: x\\x1b[2J\\x1b[H\n      |     ^\n"),
            (b"a: 1\nb: x\x00y\n", b"    2 | b: x\\0y\n      |     ^\n"),
            (b"a: 1\nb: x\x85y\n", b"    2 | b: x\\x85y\n      |     ^\n"),
            # valid YAML holding a bidi override, refused by validation
            ("apiVersion: v1\nkind: Service\nmetadata: {name: \"w\u202eb\"}\n"
             "spec: {ports: [{port: 80}]}\n".encode(),
             b"    3 | metadata: {name: \"w\\u202eb\"}\n      |                  ^\n"),
        ]
        with tempfile.TemporaryDirectory() as tmp:
            for data, want in cases:
                with self.subTest(data=data):
                    with open(os.path.join(tmp, "in.yaml"), "wb") as f:
                        f.write(data)
                    out = self.on_terminal(["check", "in.yaml"], tmp)
                    self.assertIn(want, out)
                    self.assertIsNone(FORBIDDEN.search(out.decode("utf-8")), out)

    def test_quotes_from_files_read_again_and_from_a_pipe(self):
        """A file's text goes once the file is decoded and is read again to
        quote a line; a pipe, which cannot be read twice, keeps its text."""
        bad = b"apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  ports:\n  - port: 70000\n"
        want = b"    6 |   - port: 70000\n      |           ^\n"
        with tempfile.TemporaryDirectory() as tmp:
            for name in ("a.yaml", "b.yaml"):
                with open(os.path.join(tmp, name), "wb") as f:
                    f.write(bad.replace(b"name: x", b"name: " + name[0].encode()))
            out = self.on_terminal(["check", "."], tmp)
            self.assertEqual(out.count(want), 2, out)
            r, w = os.pipe()
            try:
                os.write(w, bad)
                os.close(w)
                out = self.on_terminal(["check", "/dev/fd/%d" % r], tmp, pass_fds=(r,))
            finally:
                os.close(r)
            self.assertIn(b"/dev/fd/%d:6:11: error" % r, out)
            self.assertIn(want, out)


class CommandLine(unittest.TestCase):
    def test_arguments_are_shown_escaped(self):
        for args, shown in ((["check", "--x\n::error::y"], b"'--x\\n::error::y'"),
                            (["help", "a\x1b[2Jb"], b"'a\\x1b[2Jb'"),
                            (["check", "--format", "j\u202es"], b"'j\\u202es'")):
            r = run(args)
            self.assertEqual(r.returncode, 2)
            self.assertIn(shown, r.stderr)
            self.assertEqual(r.stderr.count(b"\n"), 2, r.stderr)


if __name__ == "__main__":
    unittest.main()
