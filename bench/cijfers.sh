#!/usr/bin/env bash
# Stad in cijfers at 10 million values (issue 15 point 14): bench/cijfers/, a program of its own
# (not a workspace member: the duckdb crate compiles DuckDB's C++ sources, which CI and clippy
# never need). For each backend: a fresh platform database migrated as the server does, the
# generated dataset (10 million values), the fact sheet, the comparison and the map through the
# platform's router in process, the store reads behind them, and the import of a million
# values through the import job; then (backend "duckdb") the same rows and queries in DuckDB.
# Prints Markdown; a copy goes to bench/results/ (not committed). Not a CI gate.
#
#   bench/cijfers.sh                          # sqlite, postgres, then duckdb
#   BACKENDS=sqlite bench/cijfers.sh          # one backend
#   REPS=200 BUDGET_S=45 bench/cijfers.sh     # repetitions per measurement, and the most
#                                             # seconds one may take (never fewer than 20 runs)
#   PG_URL=postgres://postgres@127.0.0.1:5432/postgres   # where a database may be created
#   SKIP_BUILD=1 / JOBS=1 (build with one job, niced: on a shared machine)
#
# The first build compiles DuckDB (bundled C++): many minutes. Its own target directory:
# CARGO_TARGET_DIR (default bench/cijfers/target).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BACKENDS="${BACKENDS:-sqlite postgres duckdb}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/bench/cijfers/target}"
BIN="$CARGO_TARGET_DIR/release/cijfers-bench"

if [ "${SKIP_BUILD:-}" != 1 ]; then
  if [ -n "${JOBS:-}" ]; then
    (cd bench/cijfers && CARGO_BUILD_JOBS="$JOBS" nice -n 15 cargo build --release)
  else
    (cd bench/cijfers && cargo build --release)
  fi
fi
[ -x "$BIN" ] || { echo "cijfers.sh: $BIN is missing (build first)" >&2; exit 1; }

mkdir -p bench/results
OUT="bench/results/cijfers-$(date -u +%Y%m%d-%H%M%S).md"
{
  echo "## Stad in cijfers benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(uptime | sed 's/.*load average/load average/')"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?'); REPS=${REPS:-200} BUDGET_S=${BUDGET_S:-45}"
} | tee "$OUT"
for backend in $BACKENDS; do
  "$BIN" "$backend" | tee -a "$OUT"
  echo "- load after the $backend run: $(uptime | sed 's/.*load average/load average/')" | tee -a "$OUT"
done
echo "cijfers.sh: written to $OUT" >&2
