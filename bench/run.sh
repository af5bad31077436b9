#!/usr/bin/env bash
# Throughput benchmark of Stedenplatform beside nginx, on one machine, in one run.
#
# Builds the release binary, starts `steden serve --demo` (SQLite in a temporary data dir, or
# PostgreSQL with DB=postgres), logs in with curl (CSRF token from the login form, cookie jar),
# and for every page of the list saves its HTML, serves that same HTML as a static file from
# nginx, and runs wrk against both: the page and its nginx anchor, one after the other.
#   public pages, anonymous (as visitors open them): home /, /programmas, a werkspoor page,
#     search (/kennisbank?q=...), /begrippen
#   logged-in pages: the workspace /start, a plan's tree and its dashboard
# plus /healthz (the server's floor: routing, no database).
# All traffic stays on 127.0.0.1. Figures go to bench/results/ and belong in the note, not in CI.
#
# Settings (environment): DURATION (5s), CONNECTIONS (32), THREADS (2), DB (sqlite|postgres),
# PG_URL (postgres://postgres@127.0.0.1:5432, a server where a database may be created),
# PAGES (a space-separated list of paths to measure instead of the default list; a path
# measured logged in when it starts with '@', e.g. "@/start /programmas").
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
DURATION="${DURATION:-5s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
DB="${DB:-sqlite}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"

die() { echo "bench: $*" >&2; exit 1; }

# --- Tools -----------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
  echo "bench: installing ${missing[*]} (Debian packages)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts the packaged nginx on port 80; we want only our own instance.
  $SUDO nginx -s stop >/dev/null 2>&1 || true
fi
command -v wrk >/dev/null && command -v nginx >/dev/null || die "wrk and nginx are required"

# --- Build -----------------------------------------------------------------------------------
echo "bench: cargo build --release -p steden"
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -p steden --quiet
BIN="$ROOT/target/release/steden"

WORK="$(mktemp -d /tmp/steden-bench.XXXXXX)"
chmod 755 "$WORK"
STEDEN_PID=""; NGINX_STARTED=""; PG_DB=""
cleanup() {
  [ -n "$STEDEN_PID" ] && kill "$STEDEN_PID" 2>/dev/null && wait "$STEDEN_PID" 2>/dev/null
  [ -n "$NGINX_STARTED" ] && nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -s stop 2>/dev/null
  [ -n "$PG_DB" ] && psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=bench/demo_server.sh
. "$ROOT/bench/demo_server.sh"

# --- Stedenplatform on SQLite or PostgreSQL, logged in like a browser ------------------------
PG_DB=""
if [ "$DB" = postgres ]; then
  command -v psql >/dev/null || die "DB=postgres needs psql"
  PG_DB="steden_bench_$$"
  psql -q "$PG_URL/postgres" -c "CREATE DATABASE $PG_DB" >/dev/null
  DATABASE_URL="$PG_URL/$PG_DB" demo_start "$BIN" "$WORK" || die "steden serve did not start"
else
  DATABASE_URL="" demo_start "$BIN" "$WORK" || die "steden serve did not start"
fi
demo_login "$WORK" || die "the demo login failed"

mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"

# --- The pages --------------------------------------------------------------------------------
# fetch PATH LOGGED_IN OUT: the page's HTML into OUT; it must answer 200, and be the logged-in
# version (the logout form) exactly when LOGGED_IN is 1, so wrk never measures a redirect.
fetch() {
  local status cookie=()
  [ "$2" = 1 ] && cookie=(-H "Cookie: $COOKIE")
  status="$(curl -sS -o "$3" -w '%{http_code}' "${cookie[@]}" "$BASE$1")"
  [ "$status" = 200 ] || die "$1 answered $status"
  if [ "$2" = 1 ]; then
    grep -q '/afmelden' "$3" || die "$1 is not the logged-in version (no /afmelden in it)"
  else
    ! grep -q '/afmelden' "$3" || die "$1 is a logged-in page, expected the visitor's"
  fi
}
# first_href FILE PATTERN: the first href in FILE matching the extended regex PATTERN.
first_href() { grep -oE "href=\"$2\"" "$1" | head -n1 | cut -d'"' -f2 | sed 's/&amp;/\&/g'; }

if [ -n "${PAGES:-}" ]; then
  read -r -a LIST <<<"$PAGES"
else
  fetch /programmas 0 "$WORK/programmes.html"
  PROGRAMME="$(first_href "$WORK/programmes.html" '/programmas/[^"/]+')"
  [ -n "$PROGRAMME" ] || die "no programme on /programmas (is a jaarplan published?)"
  fetch "$PROGRAMME" 0 "$WORK/programme.html"
  WERKSPOOR="$(first_href "$WORK/programme.html" '/programmas/[^"/]+/[^"/]+')"
  [ -n "$WERKSPOOR" ] || die "no werkspoor on $PROGRAMME"
  fetch /plannen 1 "$WORK/plans.html"
  PLAN="$(first_href "$WORK/plans.html" '/plannen/[0-9a-f]{32}')"
  [ -n "$PLAN" ] || die "no plan on /plannen"
  LIST=(/ /programmas "$WERKSPOOR" "/kennisbank?q=klimaat" /begrippen @/start "@$PLAN" "@$PLAN/dashboard")
fi

# --- nginx serving the saved pages ------------------------------------------------------------
NGINX_PORT="$(free_port)"
cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type "text/html; charset=utf-8";
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/nginx/www;
  }
}
NGINX

declare -A PATHS LOGGED BYTES
i=0
for entry in "${LIST[@]}"; do
  i=$((i + 1))
  path="${entry#@}"
  logged=0; [ "$entry" != "$path" ] && logged=1
  fetch "$path" "$logged" "$WORK/nginx/www/page$i.html"
  PATHS[$i]="$path"; LOGGED[$i]="$logged"; BYTES[$i]="$(wc -c <"$WORK/nginx/www/page$i.html")"
done
chmod -R a+rX "$WORK/nginx"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log"
NGINX_STARTED=1
sleep 0.3
for n in $(seq 1 "$i"); do
  cmp -s <(curl -fsS "http://127.0.0.1:$NGINX_PORT/page$n.html") "$WORK/nginx/www/page$n.html" \
    || die "nginx does not serve the saved page $n"
done

# --- wrk ---------------------------------------------------------------------------------------
# run NAME URL [extra wrk args]: a short warm-up, then the measured run.
declare -A RPS P50 P99 ERR
run() {
  local name="$1" url="$2"; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d1s "$@" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$WORK/$name.wrk"
  RPS[$name]="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$WORK/$name.wrk")"
  P50[$name]="$(awk '$1=="50%" {print $2}' "$WORK/$name.wrk")"
  P99[$name]="$(awk '$1=="99%" {print $2}' "$WORK/$name.wrk")"
  ERR[$name]="$(awk '/Non-2xx or 3xx responses:/ {print "non-2xx:" $5} /Socket errors:/ {print "socket:" $4 $5 $6 $7 $8 $9}' "$WORK/$name.wrk" | paste -sd' ')"
  printf 'bench: %-40s %8s req/s  p50 %-9s p99 %s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}"
}
run healthz "$BASE/healthz"
for n in $(seq 1 "$i"); do
  if [ "${LOGGED[$n]}" = 1 ]; then
    run "page$n" "$BASE${PATHS[$n]}" -H "Cookie: $COOKIE"
  else
    run "page$n" "$BASE${PATHS[$n]}"
  fi
  run "nginx$n" "http://127.0.0.1:$NGINX_PORT/page$n.html"
done
# The session must still be valid: otherwise wrk measured a redirect, not the page.
for n in $(seq 1 "$i"); do fetch "${PATHS[$n]}" "${LOGGED[$n]}" "$WORK/after.html"; done

mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-$DB.txt"
{
  echo "Stedenplatform benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m)"
  echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency; steden release build on $DB, demo data"
  echo
  printf '| %-44s | %7s | %10s | %9s | %9s | %10s | %9s | %5s | %s\n' page bytes "req/s" p50 p99 "nginx r/s" "nginx p99" ratio errors
  printf '| %-44s | %7s | %10s | %9s | %9s | %10s | %9s | %5s | %s\n' "/healthz" - "${RPS[healthz]}" "${P50[healthz]}" "${P99[healthz]}" - - - "${ERR[healthz]:-}"
  for n in $(seq 1 "$i"); do
    label="${PATHS[$n]}"; [ "${LOGGED[$n]}" = 1 ] && label="$label (logged in)"
    ratio="$(awk -v a="${RPS[page$n]}" -v b="${RPS[nginx$n]}" 'BEGIN {printf "%.2f", a/b}')"
    printf '| %-44s | %7s | %10s | %9s | %9s | %10s | %9s | %5s | %s\n' "$label" "${BYTES[$n]}" "${RPS[page$n]}" "${P50[page$n]}" "${P99[page$n]}" "${RPS[nginx$n]}" "${P99[nginx$n]}" "$ratio" "${ERR[page$n]:-}"
  done
  echo
  echo "goal: ratio (page / nginx serving the same HTML) 0.33 or more, p99 under 10 ms"
} | tee "$OUT"
echo "bench: saved to ${OUT#"$ROOT"/}"
