"""nginxconf's model of nginx's tokenizer, checked against nginx itself:
the words the model reads are the words nginx reads (each served back by
`return 200 <word>` and fetched over HTTP), and what the model refuses,
nginx -t refuses with a tokenizer error."""
import os
import random
import shutil
import subprocess
import tempfile
import unittest

import nginxconf
from gwtest import client
from gwtest.nginx import NGINX, NginxProcess, free_ports

ALPHABET = ['a', 'b', '"', "'", '\\', '{', '}', ';', '#', ' ', '\t', '(', ')', '\n', 'n', 't', 'r']
HEAD = "worker_processes 1;\npid logs/nginx.pid;\nerror_log logs/error.log;\nevents {}\n"
TOKENIZER_ERRORS = ("unexpected", "too long parameter")


def snippets(n, seed=20261206):
    rnd = random.Random(seed)
    fixed = ['"a\\"b"', "'a\\'b'", '"a\\\\"', '"\\t\\r\\n\\x"', 'a\\;b', '"a;b{c}#d"',
             "'\"'", '"\'"', 'a"b', "a'b", '"a"b', '"a")', 'a}', '"a\nb"', 'a#b', '"#"',
             '\\"a', '"\\\\\\""', "''", '""']
    out = list(fixed)
    while len(out) < n:
        out.append("".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(1, 8))))
    return out


def read(snippet):
    """("word", w) when the model reads `location = /t { return 200
    <snippet>; }` as exactly that with one word w; ("refused", None) when
    it fails inside the return directive, before nginx could act on any
    directive of the snippet; else (None, None)."""
    text = config("location = /t { return 200 %s; }\n" % snippet, 1).encode()
    try:
        for words, _, end in nginxconf.tokens(text):
            if words[:1] == [b"location"]:
                break
        words, _, end = next(nginxconf.tokens(text[text.index(b"{ return") + 1:]))
    except nginxconf.ConfError:
        return "refused", None
    if words[:2] != [b"return", b"200"] or len(words) != 3 or end != ";":
        return None, None
    try:
        location = nginxconf.parse(text)[-1].block[-1].block[-1]
    except nginxconf.ConfError:
        return None, None
    if [d.words for d in location.block] != [words]:
        return None, None
    return "word", words[2]


def config(body, port):
    return (HEAD + "http {\n    access_log off;\n    server {\n        listen 127.0.0.1:%d;\n"
            "%s    }\n}\n" % (port, body))


class TokenizerAgreesWithNginx(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="gwc-nginxconf-")
        os.makedirs(os.path.join(self.dir, "logs"))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def nginx_t(self, text):
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(text)
        r = subprocess.run([NGINX, "-t", "-p", self.dir + "/", "-c", conf],
                           capture_output=True, text=True, timeout=60)
        return r.returncode == 0, r.stderr

    def test_words_are_nginx_words(self):
        served, refused = [], []
        for s in snippets(600):
            kind, word = read(s)
            if kind == "refused":
                refused.append(s)
            elif kind == "word":
                served.append((s, word))
        self.assertGreater(len(served), 100)
        self.assertGreater(len(refused), 50)
        port, = free_ports(1)
        body = "".join("        location = /t%d { return 200 %s; }\n" % (i, s)
                       for i, (s, _) in enumerate(served))
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(config(body, port))
        # The model reads the whole file as nginx does.
        nginxconf.parse(config(body, port).encode())
        nginx = NginxProcess(self.dir, tcp_ports=[port])
        nginx.start()
        try:
            for i, (s, word) in enumerate(served):
                r = client.http_request(port, "x", "/t%d" % i)
                self.assertEqual((r.status, r.body), (200, word), repr(s))
        finally:
            nginx.stop()
        for s in refused[:60]:
            ok, err = self.nginx_t(config("location = /t { return 200 %s; }\n" % s, 1))
            self.assertFalse(ok, repr(s))
            self.assertTrue(any(e in err for e in TOKENIZER_ERRORS), "%r: %s" % (s, err))

    def test_word_length_limit_is_nginx_limit(self):
        """nginx reads 4096 bytes at a time; a word that does not fit where
        the buffer cuts the file is "too long parameter"."""
        for pad in (0, 1, 7, 100, 4000):
            for n in (4092, 4093, 4094, 4095, 4096):
                text = config(" " * pad + "location = /t { return 200 \"%s\"; }\n" % ("a" * n), 1)
                try:
                    nginxconf.parse(text.encode())
                    model = True
                except nginxconf.ConfError:
                    model = False
                ok, err = self.nginx_t(text)
                self.assertEqual(model, ok or "too long" not in err, (pad, n, err))

    def test_variables(self):
        self.assertEqual(nginxconf.script("a${b}c$d_1$2"),
                         [("text", "a"), ("var", "b"), ("text", "c"), ("var", "d_1"),
                          ("capture", 2)])
        for bad in ("$", "${", "${a", "a$ b", "${a-b}"):
            with self.assertRaises(nginxconf.ConfError, msg=bad):
                nginxconf.script(bad)


if __name__ == "__main__":
    unittest.main()
