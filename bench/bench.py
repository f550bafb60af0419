#!/usr/bin/env python3
"""Measures gwc on realistic repositories of N HTTPRoutes and prints one
table: input size, parse-only floor, check, compile (time and peak RSS),
nginx -t on gwc's output and on the hand-written equivalent (time and peak
RSS), output size, and the ratios the targets are stated in.

Times are the median of RUNS runs (wall clock), so one run slowed by other
work on a shared machine does not count; peak RSS is the largest maximum
resident set size /usr/bin/time reports over the runs.

usage: bench.py [--runs R] [--keep DIR] [--nginx-max M] [--cpu] N...
  --nginx-max M: run nginx -t only for N <= M (nginx 1.22 finds an
  upstream by a linear scan for every proxy_pass and upstream block, so
  loading grows with the square of the routes: 100k takes hours)
  --cpu: report user + system CPU time instead of wall time
  built binaries are taken from build/ (run from the repository root).
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_repo  # noqa: E402
import handwritten  # noqa: E402

GWC = os.path.abspath("build/gwc")
PARSE_ONLY = os.path.abspath("build/bench/parse_only")
NGINX = "/usr/sbin/nginx"
TIME = "/usr/bin/time"
CPU = False


def timed(cmd, runs, ok=(0,)):
    """(median time, peak RSS in MiB) over runs.  The time is wall clock,
    or with CPU set (see main) user + system CPU time: on a machine shared
    with other work, CPU time is what stays comparable between runs."""
    times, peak = [], 0.0
    for _ in range(runs):
        r = subprocess.run([TIME, "-f", "%e %U %S %M"] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode not in ok:
            sys.exit("%s failed (%d): %s" % (" ".join(cmd[:2]), r.returncode,
                                            r.stderr[-800:]))
        last = r.stderr.strip().splitlines()[-1].split()
        wall, cpu = float(last[0]), float(last[1]) + float(last[2])
        times.append(cpu if CPU else wall)
        peak = max(peak, int(last[3]) / 1024.0)
    return statistics.median(times), peak


def make_certs(d):
    os.makedirs(d, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", os.path.join(d, "tls.key"),
                    "-out", os.path.join(d, "tls.crt"), "-days", "3650",
                    "-subj", "/CN=example.com", "-addext",
                    "subjectAltName=DNS:*.%s,DNS:*.%s" % (gen_repo.DOMAIN,
                                                         gen_repo.INTERNAL)],
                   check=True, capture_output=True)
    with open(os.path.join(d, "tls.pem"), "w") as out:
        for f in ("tls.crt", "tls.key"):
            with open(os.path.join(d, f)) as src:
                out.write(src.read())
    return os.path.join(d, "tls.pem")


def tree_size(d):
    total = lines = 0
    for root, _, files in os.walk(d):
        for f in files:
            if f.endswith(".conf"):
                p = os.path.join(root, f)
                total += os.path.getsize(p)
                with open(p, "rb") as fh:
                    lines += sum(1 for _ in fh)
    return total, lines


def nginx_t(conf_dir, runs):
    return timed([NGINX, "-t", "-q", "-p", conf_dir + "/", "-e", "stderr",
                  "-c", os.path.join(conf_dir, "nginx.conf")], runs)


def measure(n, runs, work, skip_nginx):
    repo = os.path.join(work, "repo-%d" % n)
    certs = os.path.join(work, "certs")
    pem = os.path.join(certs, "tls.pem")
    if not os.path.exists(pem):
        pem = make_certs(certs)
    if not os.path.isdir(repo):
        with open(os.path.join(certs, "tls.crt")) as c, \
                open(os.path.join(certs, "tls.key")) as k:
            docs = gen_repo.write(n, repo, c.read(), k.read())
        with open(repo + ".docs", "w") as f:
            f.write(str(docs))
    files = sorted(os.path.join(repo, f) for f in os.listdir(repo))
    size = sum(os.path.getsize(f) for f in files)
    with open(repo + ".docs") as f:
        docs = int(f.read())
    row = {"n": n, "mb": size / 1e6, "docs": docs, "files": len(files)}
    row["parse"] = timed([PARSE_ONLY] + files, runs)
    row["check"] = timed([GWC, "check", "--fail-on=error", repo], runs)
    out = os.path.join(work, "out-%d" % n)
    row["compile"] = timed([GWC, "compile", "--fail-on=error",
                            "--listen-address", "127.0.0.1", "--port-map", "80=18080",
                            "--port-map", "443=18443", "-o", out, repo], runs)
    row["out_bytes"], row["out_lines"] = tree_size(out)
    hand = os.path.join(work, "hand-%d" % n)
    if not os.path.isdir(hand):
        handwritten.write(n, hand, pem)
    row["hand_bytes"], row["hand_lines"] = tree_size(hand)
    if not skip_nginx:
        row["nginx"] = nginx_t(out, runs)
        row["hand_nginx"] = nginx_t(hand, runs)
    return row


def fmt_rows(rows):
    head = ["N routes", "input", "docs", "parse only", "check", "compile",
            "compile RSS", "nginx -t gwc", "nginx -t hand", "output lines (gwc / hand)",
            "output MB (gwc / hand)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        p = r["parse"][0]
        cells = [
            "{:,}".format(r["n"]),
            "%.1f MB in %d files" % (r["mb"], r["files"]),
            "{:,}".format(r["docs"]),
            "%.2f s" % p,
            "%.2f s (%.2fx)" % (r["check"][0], r["check"][0] / p),
            "%.2f s (%.2fx)" % (r["compile"][0], r["compile"][0] / p),
            "%.0f MiB (%.2fx input)" % (r["compile"][1], r["compile"][1] * 1048576 / (r["mb"] * 1e6)),
        ]
        if "nginx" in r:
            cells += [
                "%.2f s, %.0f MiB" % r["nginx"],
                "%.2f s, %.0f MiB (gwc %.2fx, %.2fx)" % (
                    r["hand_nginx"][0], r["hand_nginx"][1],
                    r["nginx"][0] / r["hand_nginx"][0], r["nginx"][1] / r["hand_nginx"][1]),
            ]
        else:
            cells += ["-", "-"]
        cells += [
            "{:,} / {:,} ({:.2f}x)".format(r["out_lines"], r["hand_lines"],
                                           r["out_lines"] / r["hand_lines"]),
            "%.1f / %.1f" % (r["out_bytes"] / 1e6, r["hand_bytes"] / 1e6),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    runs, keep, nginx_max = 5, None, None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--runs":
            runs = int(args.pop(0))
        elif opt == "--keep":
            keep = args.pop(0)
        elif opt == "--nginx-max":
            nginx_max = int(args.pop(0))
        elif opt == "--cpu":
            global CPU
            CPU = True
        else:
            sys.exit(__doc__)
    if not args:
        sys.exit(__doc__)
    work = keep or tempfile.mkdtemp(prefix="gwc-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        rows = []
        for n in args:
            rows.append(measure(int(n), runs, work,
                                nginx_max is not None and int(n) > nginx_max))
            print(fmt_rows(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
        print(fmt_rows(rows))
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
