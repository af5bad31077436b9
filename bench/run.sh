#!/usr/bin/env bash
# Throughput benchmark of Stedenplatform beside nginx, on one machine, in one run.
#
# Builds the release binary, starts `steden serve --demo` on SQLite in a temporary data dir,
# logs in with curl (CSRF token from the login form, cookie jar), saves the HTML of a logged-in
# page, serves that same HTML as a static file from nginx, and runs wrk against:
#   1. /healthz                       (the server's floor: routing, no database)
#   2. the logged-in page              (session lookup in the database + template rendering)
#   3. nginx serving the same HTML     (the ceiling of this machine)
# All traffic stays on 127.0.0.1. Figures go to bench/results/ and belong in the note, not in CI.
#
# Settings (environment): PAGE (default /), DURATION (15s), CONNECTIONS (64), THREADS (2).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
PAGE="${PAGE:-/}"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"

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
cargo build --release -p steden --quiet
BIN="$ROOT/target/release/steden"

WORK="$(mktemp -d /tmp/steden-bench.XXXXXX)"
chmod 755 "$WORK"
STEDEN_PID=""; NGINX_STARTED=""
cleanup() {
  [ -n "$STEDEN_PID" ] && kill "$STEDEN_PID" 2>/dev/null && wait "$STEDEN_PID" 2>/dev/null
  [ -n "$NGINX_STARTED" ] && nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -s stop 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- Stedenplatform on SQLite ----------------------------------------------------------------
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
env -u DATABASE_URL "$BIN" serve --demo --port "$PORT" --base-url "$BASE" --data-dir "$WORK/data" >"$WORK/steden.log" 2>&1 &
STEDEN_PID=$!
for _ in $(seq 1 600); do
  curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
  kill -0 "$STEDEN_PID" 2>/dev/null || { cat "$WORK/steden.log"; die "steden serve exited"; }
  sleep 0.1
done
curl -fsS -o /dev/null "$BASE/healthz" || { cat "$WORK/steden.log"; die "/healthz did not answer"; }

# The demo login printed in the terminal: the first e-mail address, and the word after
# "wachtwoord"/"password".
EMAIL="$(grep -oE '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+' "$WORK/steden.log" | head -n1 || true)"
PASSWORD="$(grep -ioE '(wachtwoord|password)[[:space:]]*[:=][[:space:]]*[^[:space:]]+' "$WORK/steden.log" \
  | head -n1 | sed -E 's/^[^:=]*[:=][[:space:]]*//' | tr -d '"'"'"'`,;' || true)"
[ -n "$EMAIL" ] && [ -n "$PASSWORD" ] || { cat "$WORK/steden.log"; die "no demo login in the output"; }

# --- Log in like a browser: form page, CSRF token, cookie jar --------------------------------
JAR="$WORK/cookies.txt"
curl -fsS -c "$JAR" -b "$JAR" "$BASE/aanmelden" -o "$WORK/login.html"
input_name() { # the name of the first <input> of type $1 in the login form
  grep -oiE "<input[^>]*type=\"$1\"[^>]*>" "$WORK/login.html" | head -n1 | grep -oE 'name="[^"]*"' | cut -d'"' -f2
}
CSRF="$(grep -oE '<input[^>]*name="_csrf"[^>]*>' "$WORK/login.html" | head -n1 | grep -oE 'value="[^"]*"' | cut -d'"' -f2)"
EMAIL_FIELD="$(input_name email)"; EMAIL_FIELD="${EMAIL_FIELD:-email}"
PASSWORD_FIELD="$(input_name password)"; PASSWORD_FIELD="${PASSWORD_FIELD:-password}"
[ -n "$CSRF" ] || die "no _csrf field in the login form"
STATUS="$(curl -sS -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" \
  --data-urlencode "_csrf=$CSRF" --data-urlencode "$EMAIL_FIELD=$EMAIL" \
  --data-urlencode "$PASSWORD_FIELD=$PASSWORD" "$BASE/aanmelden")"
[ "$STATUS" = 303 ] || [ "$STATUS" = 302 ] || die "login answered $STATUS instead of a redirect"
# Cookie header from the jar (curl marks HttpOnly cookies with a #HttpOnly_ prefix).
COOKIE="$(awk -F'\t' 'NF>=7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$JAR")"
[ -n "$COOKIE" ] || die "no session cookie after login"

mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
check_logged_in() {
  local status
  status="$(curl -sS -o "$1" -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$PAGE")"
  [ "$status" = 200 ] || die "logged-in page $PAGE answered $status"
  grep -q '/afmelden' "$1" || die "$PAGE is not the logged-in version (no /afmelden in it)"
}
check_logged_in "$WORK/nginx/www/page.html"
chmod -R a+rX "$WORK/nginx"
PAGE_BYTES="$(wc -c <"$WORK/nginx/www/page.html")"

# --- nginx serving the same HTML -------------------------------------------------------------
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
    location = / { try_files /page.html =404; }
  }
}
NGINX
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log"
NGINX_STARTED=1
sleep 0.3
cmp -s <(curl -fsS "http://127.0.0.1:$NGINX_PORT/") "$WORK/nginx/www/page.html" \
  || die "nginx does not serve the saved page"

# --- wrk -------------------------------------------------------------------------------------
# run NAME URL [extra wrk args]: a short warm-up, then the measured run.
declare -A RPS P50 P99 ERR
run() {
  local name="$1" url="$2"; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$@" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" | tee "$WORK/$name.wrk"
  RPS[$name]="$(awk '/^Requests\/sec:/ {print $2}' "$WORK/$name.wrk")"
  P50[$name]="$(awk '$1=="50%" {print $2}' "$WORK/$name.wrk")"
  P99[$name]="$(awk '$1=="99%" {print $2}' "$WORK/$name.wrk")"
  ERR[$name]="$(awk '/Non-2xx or 3xx responses:/ {print $5} /Socket errors:/ {print "socket:" $4 $5 $6 $7 $8 $9}' "$WORK/$name.wrk" | paste -sd' ')"
}
echo; echo "== /healthz"; run healthz "$BASE/healthz"
echo; echo "== logged-in $PAGE"; run page "$BASE$PAGE" -H "Cookie: $COOKIE"
echo; echo "== nginx, same HTML"; run nginx "http://127.0.0.1:$NGINX_PORT/"
# The session must still be valid: otherwise wrk measured a redirect, not the page.
check_logged_in "$WORK/after.html"

RATIO="$(awk -v a="${RPS[page]}" -v b="${RPS[nginx]}" 'BEGIN {printf "%.2f", a/b}')"
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%dT%H%M%SZ).txt"
{
  echo "Stedenplatform benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m)"
  echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency; steden release build on SQLite; page $PAGE = $PAGE_BYTES bytes"
  echo
  printf '%-24s %12s %10s %10s  %s\n' target requests/s p50 p99 errors
  printf '%-24s %12s %10s %10s  %s\n' "/healthz" "${RPS[healthz]}" "${P50[healthz]}" "${P99[healthz]}" "${ERR[healthz]:-none}"
  printf '%-24s %12s %10s %10s  %s\n' "logged-in $PAGE" "${RPS[page]}" "${P50[page]}" "${P99[page]}" "${ERR[page]:-none}"
  printf '%-24s %12s %10s %10s  %s\n' "nginx static (same HTML)" "${RPS[nginx]}" "${P50[nginx]}" "${P99[nginx]}" "${ERR[nginx]:-none}"
  echo
  echo "logged-in page / nginx static = $RATIO (goal: 0.33 or more)"
} | tee "$OUT"
echo "bench: saved to ${OUT#"$ROOT"/}"
