"""Machine-readable reports against their schemas, and where they go.

Every golden case of testdata/ is checked by gwc with --format sarif and
--format junit; each SARIF log must validate against the SARIF 2.1.0 JSON
schema (sarif-schema-2.1.0.json, the OASIS errata01 schema from
oasis-tcs/sarif-spec, sarif-2.1/schema/), each JUnit report against
junit.xsd (with xmllint).  GWC names the binary, TESTDATA the golden cases;
GWC_CORPUS_STEP=N checks every Nth case only (the sanitizer build, where
gwc is several times slower: the plain build checks them all).
"""
import copy
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
GWC = os.path.abspath(os.environ.get("GWC", "build/gwc"))
TESTDATA = os.environ.get("TESTDATA", os.path.join(HERE, "..", "..", "testdata"))

with open(os.path.join(HERE, "sarif-schema-2.1.0.json")) as f:
    SARIF = jsonschema.Draft4Validator(json.load(f))


def gwc(args, cwd=None, stdin=b""):
    return subprocess.run([GWC] + args, cwd=cwd, input=stdin, capture_output=True,
                          timeout=60, env=dict(os.environ, NO_COLOR="1"))


def junit_problems(data):
    """xmllint's complaints about a JUnit report, or "" when it is valid."""
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        f.write(data)
        f.flush()
        r = subprocess.run(["xmllint", "--noout", "--schema",
                            os.path.join(HERE, "junit.xsd"), f.name],
                           capture_output=True, text=True, timeout=60)
    return "" if r.returncode == 0 else r.stderr


def sarif_problems(log):
    return "; ".join(e.message for e in SARIF.iter_errors(log))


STEP = int(os.environ.get("GWC_CORPUS_STEP", "1"))


def golden_inputs():
    """(case directory, input files) of every STEPth check case of the
    goldens."""
    cases = []
    for stage in ("load", "decode", "validate", "import"):
        root = os.path.join(TESTDATA, stage)
        for case in sorted(os.listdir(root)):
            d = os.path.join(root, case)
            names = sorted(n for n in os.listdir(d)
                           if n.endswith((".yaml", ".yml", ".json")) and n != "gwc.yaml")
            if names:
                cases.append((d, names))
    return cases[::STEP]


class Sarif(unittest.TestCase):
    def test_every_golden_case_validates(self):
        n = 0
        for d, names in golden_inputs():
            r = gwc(["check", "--format", "sarif", "--config", os.devnull] + names, cwd=d)
            log = json.loads(r.stdout)
            self.assertEqual(sarif_problems(log), "", d)
            n += len(log["runs"][0]["results"])
        self.assertGreater(n, 500 // STEP)

    def test_the_schema_is_enforced(self):
        r = gwc(["check", "--format", "sarif", "input.yaml"],
                cwd=os.path.join(TESTDATA, "validate", "every-problem-reported"))
        log = json.loads(r.stdout)
        broken = copy.deepcopy(log)
        broken["runs"][0]["results"][0]["level"] = "fatal"
        self.assertNotEqual(sarif_problems(broken), "")
        broken = copy.deepcopy(log)
        del broken["runs"][0]["tool"]["driver"]["name"]
        self.assertNotEqual(sarif_problems(broken), "")

    def test_uris_relative_to_the_root(self):
        with tempfile.TemporaryDirectory() as tmp:
            repo = os.path.join(tmp, "my repo")
            os.makedirs(os.path.join(repo, "routes"))
            src = os.path.join(TESTDATA, "load", "format-sarif-related", "repo", "routes")
            for name in os.listdir(src):
                shutil.copy(os.path.join(src, name), os.path.join(repo, "routes", name))
            # From the repository's top: the default root is "."
            log = json.loads(gwc(["check", "--format", "sarif", "routes"], cwd=repo).stdout)
            run = log["runs"][0]
            root = "file://" + os.path.realpath(repo).replace(" ", "%20") + "/"
            self.assertEqual(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], root)
            result = run["results"][0]
            where = result["locations"][0]["physicalLocation"]["artifactLocation"]
            self.assertEqual(where, {"uri": "routes/two%20copy.yaml", "uriBaseId": "%SRCROOT%"})
            # "first defined here" is a related location.
            related = result["relatedLocations"][0]
            self.assertEqual(related["physicalLocation"]["artifactLocation"]["uri"],
                             "routes/one.yaml")
            self.assertEqual(related["message"]["text"], "first definition is here")
            # From elsewhere, with --root.
            log = json.loads(gwc(["check", "--format", "sarif", "--root", repo,
                                  os.path.join(repo, "routes")], cwd=tmp).stdout)
            where = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
            self.assertEqual(where["artifactLocation"]["uri"], "routes/two%20copy.yaml")
            # A file outside the root keeps an absolute URI.
            log = json.loads(gwc(["check", "--format", "sarif", "--root", "routes", "."],
                                 cwd=repo).stdout)
            where = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
            self.assertEqual(where["artifactLocation"]["uri"], "two%20copy.yaml")
            related = log["runs"][0]["results"][0]["relatedLocations"][0]
            self.assertEqual(related["physicalLocation"]["artifactLocation"]["uri"],
                             "one.yaml")

    def test_rules_link_to_the_catalogue(self):
        log = json.loads(gwc(["check", "--format", "sarif", "input.yaml"],
                             cwd=os.path.join(TESTDATA, "validate",
                                              "every-problem-reported")).stdout)
        rules = log["runs"][0]["tool"]["driver"]["rules"]
        self.assertTrue(rules)
        for i, rule in enumerate(rules):
            self.assertRegex(rule["helpUri"], r"^https?://[^#]+#" + rule["id"].lower() + "$")
        for result in log["runs"][0]["results"]:
            self.assertEqual(rules[result["ruleIndex"]]["id"], result["ruleId"])


class Junit(unittest.TestCase):
    def test_every_golden_case_validates(self):
        cases = 0
        for d, names in golden_inputs():
            r = gwc(["check", "--format", "junit", "--config", os.devnull] + names, cwd=d)
            self.assertEqual(junit_problems(r.stdout), "", d)
            cases += r.stdout.count(b"<testcase ")
        self.assertGreater(cases, 300 // STEP)

    def test_the_schema_is_enforced(self):
        self.assertNotEqual(junit_problems(
            b'<testsuites><testsuite name="a" tests="1" failures="0" errors="0">'
            b'<testcase classname="x"/></testsuite></testsuites>'), "")
        self.assertNotEqual(junit_problems(
            b'<testsuites><testsuite name="a" tests="one" failures="0" errors="0"/>'
            b'</testsuites>'), "")

    def test_hostile_names_stay_well_formed(self):
        with tempfile.TemporaryDirectory() as tmp:
            name = os.path.join(tmp, 'a&b<"c">\x1b.yaml')
            with open(name, "w") as f:
                f.write("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n"
                        "spec:\n  ports:\n  - port: 0\n")
            r = gwc(["check", "--format", "junit", tmp])
            self.assertEqual(junit_problems(r.stdout), "")
            self.assertIn(b'name="' + tmp.encode() + b'/a&amp;b&lt;&quot;c&quot;&gt;\\x1b.yaml"',
                          r.stdout)

    def test_unreadable_input_is_an_error(self):
        r = gwc(["check", "--format", "junit", "no-such-file.yaml"])
        self.assertEqual(r.returncode, 2)
        self.assertEqual(junit_problems(r.stdout), "")
        self.assertIn(b'<testsuite name="gwc" tests="1" failures="0" errors="1">', r.stdout)


class Streams(unittest.TestCase):
    """Text to standard error; a machine format to standard output unless
    the command's own output is there; --report FILE to FILE."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.case = os.path.join(TESTDATA, "validate", "every-problem-reported", "input.yaml")
        self.ingress = os.path.join(TESTDATA, "import", "app-root", "input.yaml")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_check_and_compile(self):
        for cmd in (["check"], ["compile", "-o", os.path.join(self.tmp, "out")]):
            r = gwc(cmd + ["--format", "json", self.case])
            self.assertEqual(json.loads(r.stdout)["errors"], 15, cmd)
            self.assertEqual(r.stderr, b"", cmd)
            r = gwc(cmd + ["--format", "text", self.case])
            self.assertEqual(r.stdout, b"", cmd)
            self.assertIn(b"[GW0306]", r.stderr, cmd)

    def test_import_without_and_with_output_file(self):
        r = gwc(["import-ingress", "--format", "json", self.ingress])
        self.assertIn(b"kind: HTTPRoute", r.stdout)
        self.assertIn("diagnostics", json.loads(r.stderr))
        out = os.path.join(self.tmp, "out.yaml")
        r = gwc(["import-ingress", "--format", "json", "-o", out, self.ingress])
        self.assertIn("diagnostics", json.loads(r.stdout))
        self.assertEqual(r.stderr, b"")

    def test_report_file(self):
        report = os.path.join(self.tmp, "gwc.xml")
        r = gwc(["check", "--format", "junit", "--report", report, self.case])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, b"")
        self.assertIn(b"gwc: 15 errors, 0 warnings", r.stderr)
        with open(report, "rb") as f:
            self.assertEqual(junit_problems(f.read()), "")
        report = os.path.join(self.tmp, "import.sarif")
        r = gwc(["import-ingress", "--format", "sarif", "--report", report, self.ingress])
        self.assertIn(b"kind: HTTPRoute", r.stdout)
        with open(report) as f:
            self.assertEqual(sarif_problems(json.load(f)), "")

    def test_report_file_that_cannot_be_written(self):
        report = os.path.join(self.tmp, "missing", "gwc.sarif")
        r = gwc(["check", "--format", "sarif", "--report", report, self.case])
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"cannot write the report", r.stderr)

    def test_help_states_the_rule(self):
        for cmd in ("check", "compile", "import-ingress"):
            text = b" ".join(gwc(["help", cmd]).stdout.split())
            self.assertIn(b"--report FILE", text)
            self.assertIn(b"on standard output, or on standard error when the command's "
                          b"own output is there", text)


if __name__ == "__main__":
    unittest.main()
