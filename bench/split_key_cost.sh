#!/bin/sh
# What a salted split_clients key ("m0:${request_id}", one per mirror of a
# rule) costs nginx per request against the bare "${request_id}": counts the
# instructions nginx runs (valgrind's callgrind, so the numbers do not depend
# on machine load) to answer N and 6N requests through a location that reads
# ten split variables, and prints the difference per request and per split.
#
# usage: bench/split_key_cost.sh [N]   (default N=200)
set -eu
n=${1:-200}
dir=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

config() { # $1: key prefix of split i ("" or "m"), writes $dir/$2/nginx.conf
    mkdir -p "$dir/$2/logs"
    {
        echo "worker_processes 1; master_process off; daemon off;"
        echo "error_log logs/error.log; pid logs/nginx.pid; events {}"
        echo "http { access_log off;"
        for i in 0 1 2 3 4 5 6 7 8 9; do
            salt=""
            [ -n "$1" ] && salt="$1$i:"
            echo "split_clients \"$salt\${request_id}\" \$s$i { 25% a; 33% b; * c; }"
        done
        echo "server { listen 127.0.0.1:$port;"
        echo "  location / { return 200 \"\$s0\$s1\$s2\$s3\$s4\$s5\$s6\$s7\$s8\$s9\"; } } }"
    } > "$dir/$2/nginx.conf"
}

instructions() { # $1: variant, $2: requests on one keep-alive connection
    valgrind --tool=callgrind --callgrind-out-file="$dir/cg" \
        nginx -p "$dir/$1" -c nginx.conf 2>/dev/null &
    vp=$!
    pids="$vp"
    python3 - "$port" "$2" <<'PY'
import http.client, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
for _ in range(300):  # valgrind starts nginx slowly
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/")
        c.getresponse().read()
        break
    except OSError:
        time.sleep(0.1)
for _ in range(n):
    c.request("GET", "/")
    c.getresponse().read()
PY
    kill -QUIT "$vp"
    wait "$vp" 2>/dev/null || true
    pids=""
    sed -n 's/^summary: //p' "$dir/cg"
}

config "" plain
config m salted
for v in plain salted; do
    a=$(instructions $v "$n")
    b=$(instructions $v $((6 * n)))
    echo "$v $(( (b - a) / (5 * n) ))"
done | awk '{ per[$1] = $2; print $1 ": " $2 " instructions per request" }
    END { d = per["salted"] - per["plain"];
          print "salted - plain: " d " per request, " d / 10 " per split read" }'
