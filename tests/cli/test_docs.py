"""The man page and the bash completion as users get them from the build.

GWC_MAN and GWC_COMPLETION name the built files (docs/meson.build)."""
import os
import subprocess
import tempfile
import unittest

MAN = os.environ.get("GWC_MAN", "build/docs/gwc.1")
COMPLETION = os.environ.get("GWC_COMPLETION", "build/docs/gwc")


def complete(words, cwd=None):
    """What bash offers for the last word of words (a list, "" to start one)."""
    script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); '
              '_gwc; printf "%s\\n" "${COMPREPLY[@]}"')
    r = subprocess.run(["bash", "--norc", "-c", script, "bash", os.path.abspath(COMPLETION)]
                       + words, capture_output=True, text=True, cwd=cwd, timeout=30)
    if r.returncode != 0 or r.stderr:
        raise AssertionError("completion failed: " + r.stderr)
    return sorted(w for w in r.stdout.split("\n") if w)


class ManPage(unittest.TestCase):
    def test_renders_without_warnings(self):
        r = subprocess.run(["man", "--warnings", "-l", MAN], capture_output=True,
                           text=True, env=dict(os.environ, MANWIDTH="80"), timeout=60)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr, "")
        for section in ("NAME", "SYNOPSIS", "COMMANDS", "OPTIONS", "SETTINGS FILE",
                        "EXIT STATUS", "ENVIRONMENT", "EXAMPLES"):
            self.assertIn("\n" + section + "\n", r.stdout)
        # Lines fit the 80 columns asked for.
        self.assertLessEqual(max(len(line) for line in r.stdout.split("\n")), 80)

    def test_options_are_ascii_hyphens(self):
        r = subprocess.run(["man", "-l", MAN], capture_output=True, text=True,
                           env=dict(os.environ, MANWIDTH="80", LANG="C.UTF-8"), timeout=60)
        self.assertIn("--listen-address ADDR", r.stdout)
        self.assertNotIn("\u2212", r.stdout)


class Completion(unittest.TestCase):
    def test_commands(self):
        self.assertEqual(complete(["gwc", "c"]), ["check", "compile"])
        self.assertIn("import-ingress", complete(["gwc", ""]))
        self.assertEqual(complete(["gwc", "help", "st"]), ["status"])

    def test_options_of_the_command_only(self):
        self.assertEqual(complete(["gwc", "check", "--fo"]), ["--format"])
        self.assertNotIn("-o", complete(["gwc", "check", "-"]))
        self.assertIn("-o", complete(["gwc", "compile", "-"]))
        self.assertIn("--ingress-class", complete(["gwc", "import-ingress", "--"]))
        self.assertNotIn("--ingress-class", complete(["gwc", "compile", "--"]))

    def test_choices_per_command(self):
        self.assertEqual(complete(["gwc", "check", "--format", ""]),
                         ["gcc", "github", "json", "junit", "sarif", "text"])
        self.assertEqual(complete(["gwc", "status", "--format", ""]), ["json", "yaml"])
        self.assertEqual(complete(["gwc", "compile", "--fail-on", "w"]), ["warning"])

    def test_files_and_directories(self):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "outdir"))
            open(os.path.join(d, "routes.yaml"), "w").close()
            self.assertEqual(complete(["gwc", "compile", "-o", ""], cwd=d), ["outdir"])
            self.assertEqual(complete(["gwc", "check", ""], cwd=d), ["outdir", "routes.yaml"])
            self.assertEqual(complete(["gwc", "compile", "--listen-address", ""], cwd=d), [])


if __name__ == "__main__":
    unittest.main()
