"""The catalogue of diagnostics: docs/diagnostics.md is current, every
example in it triggers its code, and gwc explain prints each entry.

GWC names the binary, CATALOGUE the docs/diagnostics.md the build wrote,
SOURCE_ROOT the checkout."""
import os
import re
import subprocess
import tempfile
import unittest

GWC = os.path.abspath(os.environ.get("GWC", "build/gwc"))
CATALOGUE = os.environ.get("CATALOGUE", "build/docs/diagnostics.md")
ROOT = os.environ.get("SOURCE_ROOT", ".")

SECTION = re.compile(r"^## (GW\d{4})\n(.*?)(?=^## GW|\Z)", re.S | re.M)
EXAMPLE = re.compile(r"^Example(?:, `gwc (?P<cmd>[^`]+)`)?:\n\n```(?P<lang>yaml|sh)\n"
                     r"(?P<text>.*?)^```$", re.S | re.M)


def sections(text):
    return {code: body for code, body in SECTION.findall(text)}


def run_example(cmd, lang, text):
    env = dict(os.environ, NO_COLOR="1",
               PATH=os.path.dirname(GWC) + os.pathsep + os.environ["PATH"])
    with tempfile.TemporaryDirectory() as d:
        if lang == "yaml":
            with open(os.path.join(d, "example.yaml"), "w") as f:
                f.write(text)
            script = "gwc " + cmd
        else:
            script = text
        r = subprocess.run(["sh", "-e", "-c", script], cwd=d, capture_output=True,
                           env=env, timeout=300)
    return r.returncode, (r.stdout + r.stderr).decode(errors="replace")


class Catalogue(unittest.TestCase):
    def setUp(self):
        with open(CATALOGUE) as f:
            self.built = f.read()

    def test_committed_copy_is_current(self):
        with open(os.path.join(ROOT, "docs", "diagnostics.md")) as f:
            committed = f.read()
        self.assertEqual(committed, self.built,
                         "docs/diagnostics.md is not current: copy it from the build "
                         "(build/docs/diagnostics.md)")

    def test_every_code_has_an_entry(self):
        with open(os.path.join(ROOT, "compiler", "base", "diag_codes.def")) as f:
            codes = ["GW%04d" % int(n) for n in
                     re.findall(r"^DIAG\(\w+,\s*(\d+)", f.read(), re.M)]
        found = sections(self.built)
        self.assertEqual(sorted(found), sorted(codes))
        for code, body in found.items():
            self.assertRegex(body, r"Can be silenced: (yes|no)", code)
            self.assertRegex(body, r"\nFix: \S", code)

    def test_every_example_triggers_its_code(self):
        for code, body in sections(self.built).items():
            m = EXAMPLE.search(body)
            self.assertIsNotNone(m, code + " has no example")
            status, out = run_example(m.group("cmd"), m.group("lang"), m.group("text"))
            self.assertIn("[%s]" % code, out, "%s's example does not trigger it:\n%s"
                          % (code, out))


class Explain(unittest.TestCase):
    def test_entries_by_code_and_by_name(self):
        r = subprocess.run([GWC, "explain", "GW0605", "helm-template"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        text = " ".join(r.stdout.split())
        self.assertIn("GW0605 ref-assumed", text)
        self.assertIn("Can be silenced: yes, with --disable GW0605", text)
        self.assertIn("GW0115 helm-template", text)
        self.assertIn("helm template CHART | gwc check -", text)

    def test_codes_that_cannot_be_silenced_say_so(self):
        r = subprocess.run([GWC, "explain", "GW0201"], capture_output=True, text=True)
        self.assertIn("Can be silenced: no", r.stdout)

    def test_unknown_code(self):
        r = subprocess.run([GWC, "explain", "GW9999"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("gwc explain: 'GW9999' is no diagnostic code", r.stderr)


if __name__ == "__main__":
    unittest.main()
