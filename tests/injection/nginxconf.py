"""A model of how nginx 1.22 reads its configuration, for tests that must
know what nginx will make of a file without trusting the code that wrote it.

Three layers, each following nginx's own source:

  tokens()   src/core/ngx_conf_file.c, ngx_conf_read_token(): words split on
             whitespace, ';', '{' and '}'; "..." and '...' quoting where a
             backslash skips the next character and \\" \\' \\\\ \\t \\r \\n
             are unescaped; '#' comments; "${" keeping an unquoted word
             whole; ')' allowed right after a closing quote; and the 4096-byte
             read buffer, simulated exactly, so a word that cannot fit is
             "too long parameter" here as it is in nginx.
  parse()    ngx_conf_parse(): directives, blocks, and the errors a file
             can have on its own ("unexpected }", end of file in a block).
  script()   src/http/ngx_http_script.c, ngx_http_script_compile(): what a
             value with variables ($name, ${name}, $1..$9) is made of.

Errors raise ConfError with nginx's wording.
"""

BUFFER = 4096  # NGX_CONF_BUFFER
SPACE = b" \t\r\n"


class ConfError(Exception):
    pass


class Directive:
    """One directive: its words (name first, unescaped bytes) and, for a
    block directive, the directives inside it (else None)."""

    __slots__ = ("words", "block", "line")

    def __init__(self, words, block, line):
        self.words = words
        self.block = block
        self.line = line

    def __repr__(self):
        return "Directive(%r, %s)" % (self.words, "{...}" if self.block is not None else ";")


def _unescape(raw):
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == 0x5C and i + 1 < len(raw):
            n = raw[i + 1]
            if n in b"\"'\\":
                out.append(n)
                i += 2
                continue
            if n in b"trn":
                out += {ord("t"): b"\t", ord("r"): b"\r", ord("n"): b"\n"}[n]
                i += 2
                continue
        out.append(c)
        i += 1
    return bytes(out)


def tokens(data):
    """Yields ("words", [word, ...], line, end) for each call of
    ngx_conf_read_token(), end being ";", "{", "}" or None at end of file."""
    size = len(data)
    pos = 0
    buf_end = min(size, BUFFER)  # the first read fills the buffer
    line = 1
    while True:
        words = []
        found = need_space = sharp_comment = variable = False
        quoted = s_quoted = d_quoted = False
        last_space = True
        start = pos
        start_line = line
        while True:
            if pos >= buf_end:
                if pos >= size:
                    if words or not last_space:
                        raise ConfError("unexpected end of file, expecting \";\" or \"}\"")
                    yield words, start_line, None
                    return
                if pos - start == BUFFER:
                    if d_quoted or s_quoted:
                        raise ConfError("too long parameter, probably missing terminating "
                                        "\"%s\" character" % ('"' if d_quoted else "'"))
                    raise ConfError("too long parameter \"%s...\" started"
                                    % data[start:start + 10].decode("latin-1"))
                buf_end = min(size, start + BUFFER)
            ch = data[pos]
            pos += 1
            if ch == 0x0A:
                line += 1
                sharp_comment = False
            if sharp_comment:
                continue
            if quoted:
                quoted = False
                continue
            if need_space:
                if ch in SPACE:
                    last_space, need_space = True, False
                    continue
                if ch == 0x3B:
                    yield words, start_line, ";"
                    break
                if ch == 0x7B:
                    yield words, start_line, "{"
                    break
                if ch == 0x29:
                    last_space, need_space = True, False
                else:
                    raise ConfError("unexpected \"%c\"" % ch)
            if last_space:
                start = pos - 1
                start_line = line
                if ch in SPACE:
                    continue
                if ch in b";{":
                    if not words:
                        raise ConfError("unexpected \"%c\"" % ch)
                    yield words, start_line, chr(ch)
                    break
                if ch == 0x7D:
                    if words:
                        raise ConfError("unexpected \"}\"")
                    yield words, start_line, "}"
                    break
                if ch == 0x23:
                    sharp_comment = True
                    continue
                last_space = False
                if ch == 0x5C:
                    quoted = True
                elif ch == 0x22:
                    start += 1
                    d_quoted = True
                elif ch == 0x27:
                    start += 1
                    s_quoted = True
                elif ch == 0x24:
                    variable = True
                continue
            if ch == 0x7B and variable:
                continue
            variable = False
            if ch == 0x5C:
                quoted = True
                continue
            if ch == 0x24:
                variable = True
                continue
            if d_quoted:
                if ch == 0x22:
                    d_quoted, need_space, found = False, True, True
            elif s_quoted:
                if ch == 0x27:
                    s_quoted, need_space, found = False, True, True
            elif ch in SPACE or ch in b";{":
                last_space = found = True
            if found:
                words.append(_unescape(data[start:pos - 1]))
                if ch == 0x3B:
                    yield words, start_line, ";"
                    break
                if ch == 0x7B:
                    yield words, start_line, "{"
                    break
                found = False


def parse(data):
    """The directives of one file, as ngx_conf_parse() reads it."""
    stack = [[]]
    for words, line, end in tokens(data):
        if end is None:
            if len(stack) > 1:
                raise ConfError("unexpected end of file, expecting \"}\"")
            return stack[0]
        if end == "}":
            if len(stack) == 1:
                raise ConfError("unexpected \"}\"")
            stack.pop()
            continue
        d = Directive(words, [] if end == "{" else None, line)
        stack[-1].append(d)
        if end == "{":
            stack.append(d.block)
    raise AssertionError("unreachable")


def _is_name_char(c):
    return c.isalnum() and c.isascii() or c == "_"


def script(value):
    """The parts of a value nginx compiles with variables: a list of
    ("text", str) and ("var", name) / ("capture", n), in order."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    parts = []
    lit = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "$":
            lit.append(c)
            i += 1
            continue
        if lit:
            parts.append(("text", "".join(lit)))
            lit = []
        i += 1
        if i == len(text):
            raise ConfError("invalid variable name in \"%s\"" % text)
        if "1" <= text[i] <= "9":
            parts.append(("capture", int(text[i])))
            i += 1
            continue
        bracket = text[i] == "{"
        if bracket:
            i += 1
            if i == len(text):
                raise ConfError("invalid variable name in \"%s\"" % text)
        name_start = i
        while i < len(text):
            if bracket and text[i] == "}":
                break
            if not _is_name_char(text[i]):
                break
            i += 1
        name = text[name_start:i]
        if bracket:
            if i == len(text) or text[i] != "}":
                raise ConfError("the closing bracket in \"%s\" variable is missing" % name)
            i += 1
        if not name:
            raise ConfError("invalid variable name in \"%s\"" % text)
        parts.append(("var", name))
    if lit:
        parts.append(("text", "".join(lit)))
    return parts
