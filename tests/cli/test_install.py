"""meson install puts gwc, its man page and its bash completion in place.

MESON names meson, BUILD_ROOT the build directory to install from."""
import os
import subprocess
import tempfile
import unittest

MESON = os.environ.get("MESON", "meson")
BUILD = os.environ.get("BUILD_ROOT", "build")


class Install(unittest.TestCase):
    def test_files_in_place(self):
        with tempfile.TemporaryDirectory() as dest:
            r = subprocess.run([MESON, "install", "-C", BUILD, "--no-rebuild", "--destdir",
                                dest], capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            prefix = subprocess.run([MESON, "introspect", "--buildoptions", BUILD],
                                    capture_output=True, text=True).stdout
            import json
            opts = {o["name"]: o["value"] for o in json.loads(prefix)}
            root = dest + opts["prefix"]
            gwc = os.path.join(root, opts["bindir"], "gwc")
            man = os.path.join(root, opts["mandir"], "man1", "gwc.1")
            completion = os.path.join(root, opts["datadir"], "bash-completion",
                                      "completions", "gwc")
            out = subprocess.run([gwc, "--version"], capture_output=True, text=True)
            self.assertRegex(out.stdout, r"^gwc \d+\.\d+\.\d+\n$")
            page = subprocess.run(["man", "-l", man], capture_output=True, text=True,
                                  env=dict(os.environ, MANWIDTH="80"))
            self.assertIn("gwc - compile Kubernetes Gateway API manifests", page.stdout)
            with open(completion) as f:
                self.assertIn("complete -o filenames -F _gwc gwc", f.read())
            # Nothing else: no test programs, no build tools.
            installed = sorted(os.path.relpath(os.path.join(d, n), root)
                               for d, _, names in os.walk(root) for n in names)
            self.assertEqual(installed, sorted(os.path.relpath(p, root)
                                               for p in (gwc, man, completion)))


if __name__ == "__main__":
    unittest.main()
