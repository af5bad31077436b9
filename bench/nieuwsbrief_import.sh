#!/usr/bin/env bash
# Subscriber import rate (docs/NIEUWSBRIEF.md, "Abonnees importeren"): a generated CSV of LINES
# new addresses (import…@example.org, list algemeen) through the real import job
# (`steden nieuwsbrief bench-import`, hidden), on SQLite (a fresh data directory) and
# PostgreSQL (a fresh database); lines/s and the load average beside it.
#
# Settings (environment): LINES (10000), BACKENDS ("sqlite postgres"), CONFIRMED=1 (import as
# confirmed on a stated legal basis; default unconfirmed, each line queues a confirmation mail),
# PG_URL (postgres://postgres@127.0.0.1:5432), BIN (target/release/steden; build it first with
# `cargo build --release -p steden`).
set -euo pipefail

cd "$(dirname "$0")/.."
LINES="${LINES:-10000}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
BIN="${BIN:-target/release/steden}"
[ -x "$BIN" ] || { echo "bench: no $BIN (cargo build --release -p steden)" >&2; exit 1; }
CONFIRMED_ARG=(); [ -n "${CONFIRMED:-}" ] && CONFIRMED_ARG=(--confirmed)

WORK="$(mktemp -d /tmp/steden-nb-import.XXXXXX)"; PG_DB=""
cleanup() {
  [ -n "$PG_DB" ] && psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

for backend in $BACKENDS; do
  url_args=()
  if [ "$backend" = postgres ]; then
    PG_DB="steden_nb_import_$$"
    psql -q "$PG_URL/postgres" -c "CREATE DATABASE $PG_DB" >/dev/null
    url_args=(--database-url "$PG_URL/$PG_DB")
  fi
  echo "bench: $backend, $LINES lines${CONFIRMED:+ (confirmed)}, load $(cut -d' ' -f1-3 /proc/loadavg)"
  env -u DATABASE_URL -u STEDEN_DATA_DIR RUST_LOG="${RUST_LOG:-warn}" "$BIN" nieuwsbrief bench-import \
    --data-dir "$WORK/$backend" "${url_args[@]}" --lines "$LINES" "${CONFIRMED_ARG[@]}"
done
