"""Safety net for child processes the harness starts (nginx, echo CLIs).

A test that fails, raises in setUp, or is killed by meson's timeout must not
leave an nginx master holding ports for the next test. Every process the
harness starts is registered here with a function that stops exactly that
process; the registry is drained at interpreter exit and on SIGTERM/SIGHUP
(meson sends SIGTERM to the test's process group on timeout). Nothing is
ever killed by name: only registered PIDs and, for nginx, the workers that
are children of a registered master.
"""

import atexit
import os
import signal
import subprocess
import threading

_lock = threading.Lock()
_registry = {}  # pid -> zero-argument function that stops that process
_handled_signals = (signal.SIGTERM, signal.SIGHUP)
_handlers_installed = False


def register(pid, emergency_stop):
    """Remember a started process and how to stop it if the test dies."""
    with _lock:
        _registry[pid] = emergency_stop
    _install_signal_handlers()


def unregister(pid):
    """Forget a process that was stopped normally."""
    with _lock:
        _registry.pop(pid, None)


def registered_pids():
    """PIDs currently tracked (for tests of the harness itself)."""
    with _lock:
        return sorted(_registry)


def stop_all():
    """Stop every registered process; used at exit and from signal handlers."""
    with _lock:
        pending = list(_registry.items())
        _registry.clear()
    for _, stop in pending:
        try:
            stop()
        except Exception:  # keep going: the next process must still be stopped
            pass


def _on_fatal_signal(signum, _frame):
    stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_signal_handlers():
    """Hook SIGTERM/SIGHUP once, only from the main thread and only where no
    one else installed a handler (we must not override the test runner)."""
    global _handlers_installed
    if _handlers_installed or threading.current_thread() is not threading.main_thread():
        return
    _handlers_installed = True
    for sig in _handled_signals:
        if signal.getsignal(sig) == signal.SIG_DFL:
            signal.signal(sig, _on_fatal_signal)


def children_of(pid):
    """PIDs whose parent is `pid`, read from /proc (e.g. nginx workers)."""
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # Field 4 (ppid) follows the command name, which may contain spaces.
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def pid_alive(pid):
    """True if a process with this PID exists (zombies count as gone)."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    state = stat[stat.rfind(b")") + 2:].split()[0]
    return state not in (b"Z", b"X")


def terminate(proc, first_signal, timeout):
    """Send `first_signal` to a Popen and wait up to `timeout`; if it is still
    running, SIGKILL it together with its children (collected just before, as
    they become untraceable once reparented), then reap it."""
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(first_signal)
        proc.wait(timeout)
        return
    except subprocess.TimeoutExpired:
        pass
    children = children_of(proc.pid)
    proc.kill()
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        pass


atexit.register(stop_all)
