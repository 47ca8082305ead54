# Shared by bench/run and bench/instances (sourced, not run): starting a throwaway server, wrk and its figures.
# Expects SERVER, SITE, DURATION, CONNECTIONS, pin_server and pin_load to be set.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_server PORT DIR [VAR=value …]: a demo server (HALL_DEMO=1) on PORT with its data dir DIR, in the background;
# DATABASE_URL from the environment (a SQLite file in DIR when unset); waits until it is ready; echoes its pid.
# Every simulated citizen submits from 127.0.0.1, so the per-address submission limit (300 an hour by default) is
# raised for the bench; the per-account limit stays as shipped (no bench citizen submits more than 10).
start_server() {
  local port=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  env HALL_ADDR="127.0.0.1:$port" HALL_DATA_DIR="$dir" DATABASE_URL="${DATABASE_URL:-sqlite://$dir/hall.db?mode=rwc}" \
    HALL_DEMO=1 HALL_SUBMIT_LIMITS=10,1000000 HALL_SITE_ROOT="$SITE" RUST_LOG=error "$@" "${pin_server[@]}" "$SERVER" >"$dir/out" 2>"$dir/err" &
  local pid=$!
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$dir/err" >&2; return 1; }
  echo "$pid"
}

# wrk_get URL [wrk args…] / wrk_post URL BODY COOKIE [CONNECTIONS]: one wrk run (brotli accepted, as a browser),
# pinned apart from the server; prints wrk's report.
wrk_get() {
  local url=$1
  shift
  "${pin_load[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H 'accept: text/html' -H 'accept-encoding: br' "$@" "$url" 2>/dev/null
}
wrk_post() {
  BENCH_BODY=$2 BENCH_COOKIE=$3 "${pin_load[@]}" wrk -t1 -c"${4:-$CONNECTIONS}" -d"${DURATION}s" --latency \
    -H 'accept-encoding: br' -s bench/post.lua "$1" 2>/dev/null
}

# Figures from a wrk report on stdin.
rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }'; }
pct() { awk -v p="$1" '$1 == p { print $2 }'; }
# Requests that failed: answers other than 2xx/3xx, and socket errors (connect, read, write, timeout).
failures() { awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "–" }'; }
# A wrk latency ("1.23ms", "850.00us", "1.02s") in milliseconds.
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
