#!/usr/bin/env bash
# 300 concurrent logins with unknown addresses against `steden serve --demo` (SQLite, temporary data dir);
# XFF=1 gives each login its own client address (X-Forwarded-For, trusted), so the per-client
# limit does not answer first. Prints the answers by status and the VmRSS before and VmHWM after.
# Usage: bench/login_memory.sh [path/to/steden]   (issue 10 points 1 and 2)
set -euo pipefail
BIN=${1:-$(dirname "$0")/../target/debug/steden}; PORT=18431; BASE=http://127.0.0.1:$PORT
W=$(mktemp -d); STEDEN_TRUST_FORWARDED_FOR=${XFF:-} env -u DATABASE_URL "$BIN" serve --demo --port $PORT --base-url $BASE --data-dir $W/data > $W/log 2>&1 &
PID=$!; trap 'kill $PID 2>/dev/null' EXIT
for i in $(seq 60); do curl -fs $BASE/healthz >/dev/null 2>&1 && break; sleep 1; done
curl -fsS -c $W/jar -b $W/jar $BASE/aanmelden -o $W/login.html
CSRF=$(grep -oE '<input[^>]*name="_csrf"[^>]*>' $W/login.html | head -n1 | grep -oE 'value="[^"]*"' | cut -d'"' -f2)
echo "before: $(grep VmRSS /proc/$PID/status)"
export W CSRF BASE
seq 300 | xargs -P 300 -I{} sh -c 'n={}; curl -s -o /dev/null -w "%{http_code}\n" -b $W/jar -c /dev/null -H "X-Forwarded-For: 10.0.$((n / 250)).$((n % 250))" --data-urlencode "_csrf=$CSRF" --data-urlencode "email=onbekend$n@voorbeeld.be" --data-urlencode "password=fout-wachtwoord-$n" $BASE/aanmelden' | sort | uniq -c
grep -E "VmHWM|VmRSS" /proc/$PID/status
