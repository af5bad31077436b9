#!/usr/bin/env bash
# Sending benchmark of the newsletter (issue 14 point 11, design §4.3), beside the SMTP sink's
# own ceiling measured in the same run.
#
# 1. Starts Postfix's `smtp-sink` on a free loopback port and measures its ceiling with
#    `smtp-source` (SINK_SESSIONS parallel sessions, connections reused with -d, messages of the
#    campaign's size), once before and once after the sends.
# 2. For every backend (SQLite in a fresh data directory, PostgreSQL in a fresh database) and
#    every size (10,000 and 100,000 subscribers): `steden nieuwsbrief bench-seed` writes the
#    generated confirmed subscribers (lezer…@example.org) and a realistic campaign (five
#    sections, a dozen links, frozen by the real scheduling path, queued to send now); then
#    `steden nieuwsbrief bench-send` runs the real sending job to its end into the same sink,
#    under `/usr/bin/time -v`: messages/s (from the worker's start to `verzonden`, listing the
#    recipients included), peak RSS of the sending process, and the sink's own count.
# All traffic stays on 127.0.0.1. Figures go to bench/results/ (not committed) and belong in
# docs/NIEUWSBRIEF.md, not in CI: they depend on the machine and on what else runs (the load
# average is printed beside each run).
#
# Settings (environment): SIZES ("10000 100000"), BACKENDS ("sqlite postgres"),
# CONCURRENCY (the job's `nieuwsbrief.concurrency`; default the setting's default, 8),
# SINK_SESSIONS (8), SINK_MESSAGES (100000), PG_URL (postgres://postgres@127.0.0.1:5432, a
# server where a database may be created), SKIP_BUILD=1 (use target/release/steden as it is).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
SIZES="${SIZES:-10000 100000}"
BACKENDS="${BACKENDS:-sqlite postgres}"
SINK_SESSIONS="${SINK_SESSIONS:-8}"
SINK_MESSAGES="${SINK_MESSAGES:-100000}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
CONCURRENCY="${CONCURRENCY:-}"

die() { echo "bench: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

SINK=/usr/sbin/smtp-sink; SOURCE=/usr/sbin/smtp-source
[ -x "$SINK" ] && [ -x "$SOURCE" ] || die "smtp-sink and smtp-source are needed: apt-get install postfix"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed: apt-get install time"

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "bench: cargo build --release -p steden"
  cargo build --release -p steden --quiet
fi
BIN="$ROOT/target/release/steden"
[ -x "$BIN" ] || die "no $BIN"

WORK="$(mktemp -d /tmp/steden-nb-bench.XXXXXX)"
chmod 755 "$WORK"
SINK_PID=""; PG_DBS=()
cleanup() {
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null
  for db in "${PG_DBS[@]}"; do
    psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# steden without any of the operator's settings leaking in.
steden() {
  env -u DATABASE_URL -u SMTP_URL -u STEDEN_DATA_DIR -u STEDEN_BASE_URL -u STEDEN_MAIL_FROM \
    RUST_LOG="${RUST_LOG:-warn}" "$@"
}

# --- The sink ---------------------------------------------------------------------------------
PORT="$(free_port)"
SINK_USER=(); [ "$(id -u)" -eq 0 ] && SINK_USER=(-u nobody)
"$SINK" -c "${SINK_USER[@]}" "127.0.0.1:$PORT" 1024 > "$WORK/sink.log" 2>&1 &
SINK_PID=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
# The sink's running counter: "sess=… quit=… mesg=N", rewritten in place with \r.
sink_count() { tr '\r' '\n' < "$WORK/sink.log" | grep -o 'mesg=[0-9]*' | tail -n1 | cut -d= -f2 || true; }

# The size of one message of the campaign (headers and both parts, as the sink receives it).
steden "$BIN" nieuwsbrief bench-seed --data-dir "$WORK/size" --subscribers 1 > "$WORK/size.out"
BYTES="$(grep -o 'message_bytes=[0-9]*' "$WORK/size.out" | cut -d= -f2)"
LINKS="$(grep -o 'links=[0-9]*' "$WORK/size.out" | cut -d= -f2)"
echo "bench: one message of the campaign is $BYTES bytes ($LINKS links)"

ceiling() {
  local start end before after
  before="$(sink_count)"; before="${before:-0}"
  start="$(now)"
  "$SOURCE" -d -s "$SINK_SESSIONS" -m "$SINK_MESSAGES" -l "$BYTES" \
    -f nieuwsbrief@example.org -t lezer@example.org "127.0.0.1:$PORT"
  end="$(now)"
  sleep 0.2
  after="$(sink_count)"
  python3 -c "print(f'{($after - $before) / ($end - $start):.0f}')"
}

mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/nieuwsbrief-$(date -u +%Y-%m-%dT%H%M%SZ).txt"
{
  echo "# Nieuwsbrief sending benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(git rev-parse --short HEAD)"
  echo "message: $BYTES bytes, $LINKS links; concurrency ${CONCURRENCY:-default (8)}; sink sessions $SINK_SESSIONS"
} | tee "$OUT"

echo "bench: the sink's ceiling (smtp-source -d -s $SINK_SESSIONS -m $SINK_MESSAGES -l $BYTES), load $(load)"
CEILING_BEFORE="$(ceiling)"
echo "sink ceiling before: $CEILING_BEFORE messages/s (load $(load))" | tee -a "$OUT"

printf '| backend | subscribers | messages/s | seconds | peak RSS | CPU per message | sink received | load (1/5/15 min) |\n|---|---:|---:|---:|---:|---:|---:|---|\n' | tee -a "$OUT" > "$WORK/table"
for backend in $BACKENDS; do
  for size in $SIZES; do
    dir="$WORK/$backend-$size"; mkdir -p "$dir"
    url_args=()
    if [ "$backend" = postgres ]; then
      db="steden_nb_bench_$$_$size"; PG_DBS+=("$db")
      psql -q "$PG_URL/postgres" -c "CREATE DATABASE $db" >/dev/null
      url_args=(--database-url "$PG_URL/$db")
    fi
    echo "bench: $backend, seeding $size subscribers"
    steden "$BIN" nieuwsbrief bench-seed --data-dir "$dir" "${url_args[@]}" --subscribers "$size" > "$dir/seed.out"
    cat "$dir/seed.out"
    campaign="$(grep -o 'campaign=[^ ]*' "$dir/seed.out" | cut -d= -f2)"
    conc_args=(); [ -n "$CONCURRENCY" ] && conc_args=(--concurrency "$CONCURRENCY")
    before="$(sink_count)"; before="${before:-0}"
    echo "bench: $backend, sending to $size (load $(load))"
    steden /usr/bin/time -v -o "$dir/time.txt" "$BIN" nieuwsbrief bench-send --data-dir "$dir" \
      "${url_args[@]}" --smtp-url "smtp://127.0.0.1:$PORT" --campaign "$campaign" "${conc_args[@]}" \
      > "$dir/send.out"
    cat "$dir/send.out"
    sleep 0.2
    after="$(sink_count)"
    rss_kb="$(grep 'Maximum resident set size' "$dir/time.txt" | grep -o '[0-9]*$')"
    rate="$(grep -o 'per_second=[0-9]*' "$dir/send.out" | cut -d= -f2)"
    secs="$(grep -o 'seconds=[0-9.]*' "$dir/send.out" | cut -d= -f2)"
    sent="$(grep -o ' sent=[0-9]*' "$dir/send.out" | cut -d= -f2)"
    # The sender's own CPU (user + system) per message: unlike the rate, it hardly depends on
    # what else the machine is doing.
    cpu_us="$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%d", s * 1e6}' "$dir/time.txt")"
    [ "$sent" = "$size" ] || echo "bench: WARNING: $sent of $size sent" >&2
    printf '| %s | %s | %s | %s | %s MB | %s µs | %s | %s |\n' "$backend" "$size" "$rate" "$secs" \
      "$((rss_kb / 1024))" "$((cpu_us / size))" "$((after - before))" "$(load)" | tee -a "$OUT" >> "$WORK/table"
  done
done

CEILING_AFTER="$(ceiling)"
echo "sink ceiling after: $CEILING_AFTER messages/s (load $(load))" | tee -a "$OUT"
echo
cat "$WORK/table"
echo "sink ceiling (smtp-source -d -s $SINK_SESSIONS -l $BYTES): $CEILING_BEFORE before, $CEILING_AFTER after"
echo "bench: saved in $OUT"
