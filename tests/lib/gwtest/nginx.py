"""Run the real nginx on a directory produced by `gwc compile -o DIR`.

DIR/nginx.conf is expected to keep pid, log and temp paths relative to the
prefix, so `nginx -p DIR/ -c DIR/nginx.conf -e stderr` touches nothing
outside DIR and needs no privileges. NginxProcess checks the config with
`nginx -t`, starts the master in the foreground in our process group (meson
kills that group on timeout), waits until the listeners exist, and stops
exactly the PID it started. Everything listens on 127.0.0.1 only.
"""

import grp
import os
import pwd
import random
import re
import signal
import socket
import subprocess
import time

from . import procs

NGINX = "/usr/sbin/nginx"
LOCALHOST = "127.0.0.1"
_POLL_INTERVAL = 0.02
_handed_out = set()  # ports returned by free_port() in this process
_random = random.SystemRandom()


class NginxError(RuntimeError):
    """nginx rejected the config, exited early or did not come up in time."""


# --------------------------------------------------------------------------
# Ports


def _ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999


def _candidate_ports():
    """Ports below the kernel's ephemeral range (but above 10000).

    Ports chosen by binding port 0 come from the ephemeral range, the same
    range the OS uses for the echo backends' port-0 listeners and for client
    source ports; a port picked that way and released until nginx binds it
    can be taken by one of those in between. Picking outside that range
    avoids the race; random order keeps parallel test processes apart.
    """
    low, _ = _ephemeral_range()
    if low - 10000 >= 1000:
        return range(10000, low)
    return range(1024, low) if low > 2024 else range(0)


def _bindable(port, kinds, host):
    """True if `port` can be bound right now for every socket kind."""
    for kind in kinds:
        sock = socket.socket(socket.AF_INET, kind)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        finally:
            sock.close()
    return True


def _kinds(kind):
    return {"tcp": [socket.SOCK_STREAM], "udp": [socket.SOCK_DGRAM],
            "both": [socket.SOCK_STREAM, socket.SOCK_DGRAM]}[kind]


def free_port(kind="tcp", host=LOCALHOST):
    """A port nothing listens on, for nginx to listen on.

    kind: "tcp", "udp" or "both" (free for TCP and UDP, e.g. for DNS).
    Never returns the same port twice in one process. Falls back to binding
    port 0 if no port outside the ephemeral range is available.
    """
    kinds = _kinds(kind)
    candidates = _candidate_ports()
    for _ in range(200 if len(candidates) else 0):
        port = _random.choice(candidates)
        if port not in _handed_out and _bindable(port, kinds, host):
            _handed_out.add(port)
            return port
    for _ in range(200):
        sock = socket.socket(socket.AF_INET, kinds[0])
        sock.bind((host, 0))
        port = sock.getsockname()[1]
        sock.close()
        if port not in _handed_out and _bindable(port, kinds, host):
            _handed_out.add(port)
            return port
    raise OSError("no free %s port found" % kind)


def free_ports(n, kind="tcp", host=LOCALHOST):
    """`n` distinct free ports (see free_port)."""
    return [free_port(kind, host) for _ in range(n)]


def free_udp_port(host=LOCALHOST):
    return free_port("udp", host)


def _proc_net_ports(kind):
    """Local ports in LISTEN state (tcp) or bound (udp), from /proc/net."""
    tables = {"tcp": ("tcp", "tcp6"), "udp": ("udp", "udp6")}[kind]
    wanted_state = "0A" if kind == "tcp" else "07"
    ports = set()
    for table in tables:
        try:
            with open("/proc/net/" + table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == wanted_state:
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except (OSError, StopIteration, IndexError, ValueError):
            continue
    return ports


def port_is_open(port, kind="tcp", host=LOCALHOST):
    """True if something listens on the TCP port / has bound the UDP port.

    Read from /proc/net, so probing has no side effects: a test connection
    would make a stream proxy open an upstream connection and show up in
    the backend's counts. Without /proc, falls back to connect (TCP) or a
    bind attempt (UDP).
    """
    if os.path.exists("/proc/net/tcp"):
        return port in _proc_net_ports(kind)
    if kind == "udp":
        return not _bindable(port, [socket.SOCK_DGRAM], host)
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


# --------------------------------------------------------------------------
# Config inspection


def _strip_comments(conf_text):
    return re.sub(r"#[^\n]*", "", conf_text)


def _has_directive(conf_text, name):
    return re.search(r"(?m)(^|[;{}])\s*%s\s" % re.escape(name), _strip_comments(conf_text))


def auto_global_directives(conf_text):
    """Directives to pass with -g so nginx runs as a supervisable child:

    - "daemon off;" (stay in the foreground so our PID is the master) and
      "master_process on;" (real worker processes, as in production),
      each only if the config does not set it (nginx rejects duplicates);
    - when running as root, "user <us>;" unless the config has a user
      directive: otherwise workers run as nobody and cannot write the temp
      directories inside a private prefix.
    """
    directives = []
    if not _has_directive(conf_text, "daemon"):
        directives.append("daemon off;")
    if not _has_directive(conf_text, "master_process"):
        directives.append("master_process on;")
    if os.geteuid() == 0 and not _has_directive(conf_text, "user"):
        directives.append("user %s %s;" % (pwd.getpwuid(os.geteuid()).pw_name,
                                           grp.getgrgid(os.getegid()).gr_name))
    return " ".join(directives)


# --------------------------------------------------------------------------
# Process


class NginxProcess:
    """nginx running on `prefix` (a gwc output directory).

    tcp_ports/udp_ports: listeners to wait for after start (the ports the
    config listens on). global_directives: the -g argument; None = derive it
    with auto_global_directives(), "" = pass no -g.
    """

    def __init__(self, prefix, *, conf=None, tcp_ports=(), udp_ports=(),
                 global_directives=None, nginx=NGINX, start_timeout=10.0, stop_timeout=5.0):
        self.prefix = os.path.abspath(prefix)
        self.conf = os.path.abspath(conf or os.path.join(self.prefix, "nginx.conf"))
        self.tcp_ports, self.udp_ports = list(tcp_ports), list(udp_ports)
        self.nginx = nginx
        self.start_timeout, self.stop_timeout = start_timeout, stop_timeout
        self._global_directives = global_directives
        self.stderr_path = os.path.join(self.prefix, "logs", "nginx.stderr")
        self.returncode = None
        self._proc = None
        self._stderr = None

    @property
    def pid(self):
        return self._proc.pid if self._proc else None

    def global_directives(self):
        if self._global_directives is not None:
            return self._global_directives
        with open(self.conf) as f:
            return auto_global_directives(f.read())

    def command(self, *extra):
        """The nginx command line (extra arguments go before -g)."""
        command = [self.nginx, "-p", self.prefix + "/", "-c", self.conf, "-e", "stderr", *extra]
        directives = self.global_directives()
        return command + (["-g", directives] if directives else [])

    def _prepare_prefix(self):
        for sub in ("logs", "tmp"):
            os.makedirs(os.path.join(self.prefix, sub), exist_ok=True)
        with open(self.conf) as f:
            if re.search(r"(?m)(^|[;{}])\s*daemon\s+on\s*;", _strip_comments(f.read())):
                raise NginxError("%s sets 'daemon on'; nginx must stay in the foreground "
                                 "so that its PID can be supervised" % self.conf)

    def test_config(self):
        """`nginx -t`; returns its output, raises NginxError with it on failure."""
        self._prepare_prefix()
        result = subprocess.run(self.command("-t"), stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=self.start_timeout)
        output = result.stdout + result.stderr
        if result.returncode != 0:
            raise NginxError("nginx -t failed for %s:\n%s" % (self.conf, output))
        return output

    def start(self):
        """Check the config, start nginx and wait until its listeners exist."""
        if self._proc is not None:
            raise NginxError("nginx already started (pid %d)" % self._proc.pid)
        self.test_config()
        self._stderr = open(self.stderr_path, "ab")
        # Same process group as the test: meson's timeout kill reaches nginx too.
        self._proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                      stdout=self._stderr, stderr=self._stderr)
        procs.register(self._proc.pid, self._emergency_stop)
        try:
            self._wait_until_listening()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_listening(self):
        deadline = time.monotonic() + self.start_timeout
        pending = [(p, "tcp") for p in self.tcp_ports] + [(p, "udp") for p in self.udp_ports]
        while True:
            if self._proc.poll() is not None:
                raise NginxError("nginx exited with status %d:\n%s"
                                 % (self._proc.returncode, self.stderr_text()))
            pending = [(p, k) for p, k in pending if not port_is_open(p, k)]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise NginxError("nginx did not open %s within %.1fs:\n%s"
                                 % (", ".join("%s/%d" % (k, p) for p, k in pending),
                                    self.start_timeout, self.stderr_text()))
            time.sleep(_POLL_INTERVAL)

    def worker_pids(self):
        """PIDs of the master's current children (workers, cache helpers)."""
        return procs.children_of(self._proc.pid) if self.running() else []

    def running(self):
        return self._proc is not None and self._proc.poll() is None

    def reload(self):
        """SIGHUP: re-read the config (after rewriting files in the prefix)."""
        self._proc.send_signal(signal.SIGHUP)

    def stop(self):
        """Graceful stop (SIGQUIT); SIGKILL to master and workers after
        stop_timeout. Returns nginx's exit status."""
        if self._proc is None:
            return self.returncode
        procs.terminate(self._proc, signal.SIGQUIT, self.stop_timeout)
        procs.unregister(self._proc.pid)
        self.returncode = self._proc.returncode
        self._proc = None
        self._stderr.close()
        return self.returncode

    def _emergency_stop(self):
        """Safety-net stop: SIGTERM (fast shutdown) with a short grace period."""
        if self._proc is not None:
            procs.terminate(self._proc, signal.SIGTERM, 1.0)

    def stderr_text(self):
        """What nginx wrote to stderr (startup errors, alerts)."""
        try:
            with open(self.stderr_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
