"""gwc graph: SVG through Graphviz's dot when it is on PATH, a clear error
when it is not, and the same bytes for the same manifests in any order.
(The DOT, Mermaid and JSON texts themselves are goldens in testdata/graph.)
"""
import os
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
GWC = os.environ["GWC"]
ROUTING = os.path.normpath(os.path.join(HERE, "..", "..", "testdata", "graph", "routing.yaml"))


def graph(*args, env=None):
    return subprocess.run([os.path.abspath(GWC), "graph", *args], capture_output=True,
                          env=env, timeout=60)


class Graph(unittest.TestCase):
    @unittest.skipUnless(shutil.which("dot"), "needs Graphviz's dot")
    def test_svg_is_graphviz_drawing_of_the_dot_text(self):
        r = graph("--format", "svg", ROUTING)
        self.assertEqual(r.returncode, 0, r.stderr)
        svg = ET.fromstring(r.stdout)
        self.assertTrue(svg.tag.endswith("svg"), svg.tag)
        text = r.stdout.decode()
        self.assertIn("HTTPRoute shop/store", text)
        self.assertIn("RefNotPermitted (500)", text)
        # Rejected edges are drawn red and dashed.
        self.assertIn('stroke="red" stroke-dasharray', text)

    def test_svg_without_dot_on_path_says_what_to_install(self):
        with tempfile.TemporaryDirectory() as empty:
            r = graph("--format", "svg", ROUTING, env=dict(os.environ, PATH=empty))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, b"")
        self.assertIn(b"--format svg needs Graphviz's dot on PATH (Debian: apt-get install "
                      b"graphviz)", r.stderr)

    def test_same_bytes_for_documents_in_any_order(self):
        with open(ROUTING) as f:
            docs = f.read().split("\n---\n")
        with tempfile.TemporaryDirectory() as tmp:
            for i, doc in enumerate(reversed(docs)):
                with open(os.path.join(tmp, "%02d.yaml" % i), "w") as f:
                    f.write(doc + "\n")
            for fmt in ("dot", "mermaid"):
                a = graph("--format", fmt, ROUTING)
                b = graph("--format", fmt, tmp)
                self.assertEqual(a.returncode, 0)
                self.assertEqual(a.stdout, b.stdout, fmt)


if __name__ == "__main__":
    unittest.main()
