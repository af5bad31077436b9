# Sourced by bench scripts: start `steden serve --demo` on SQLite (or on DATABASE_URL's
# PostgreSQL) in a temporary directory and log in as the demo user like a browser does.
#   demo_start BIN WORKDIR    → sets BASE, STEDEN_PID (stop it with demo_stop)
#   demo_login WORKDIR        → sets COOKIE (the session cookie header value)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

demo_start() {
  local bin="$1" work="$2" port
  port="$(free_port)"
  BASE="http://127.0.0.1:$port"
  if [ -n "${DATABASE_URL:-}" ]; then
    "$bin" serve --demo --port "$port" --base-url "$BASE" --data-dir "$work/data" \
      --database-url "$DATABASE_URL" >"$work/steden.log" 2>&1 &
  else
    env -u DATABASE_URL "$bin" serve --demo --port "$port" --base-url "$BASE" \
      --data-dir "$work/data" >"$work/steden.log" 2>&1 &
  fi
  STEDEN_PID=$!
  for _ in $(seq 1 1200); do
    curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && return 0
    kill -0 "$STEDEN_PID" 2>/dev/null || { cat "$work/steden.log"; echo "steden serve exited" >&2; return 1; }
    sleep 0.1
  done
  cat "$work/steden.log"; echo "/healthz did not answer" >&2; return 1
}

demo_stop() { [ -n "${STEDEN_PID:-}" ] && kill "$STEDEN_PID" 2>/dev/null && wait "$STEDEN_PID" 2>/dev/null; STEDEN_PID=""; }

demo_login() {
  local work="$1" jar="$1/cookies.txt" email password csrf status
  # The demo login printed in the terminal: the first e-mail address, and the word after
  # "wachtwoord"/"password".
  email="$(grep -oE '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+' "$work/steden.log" | head -n1 || true)"
  password="$(grep -ioE '(wachtwoord|password)[[:space:]]*[:=][[:space:]]*[^[:space:]]+' "$work/steden.log" \
    | head -n1 | sed -E 's/^[^:=]*[:=][[:space:]]*//' | tr -d '"'"'"'`,;' || true)"
  [ -n "$email" ] && [ -n "$password" ] || { echo "no demo login in the output" >&2; return 1; }
  curl -fsS -c "$jar" -b "$jar" "$BASE/aanmelden" -o "$work/login.html"
  csrf="$(grep -oE '<input[^>]*name="_csrf"[^>]*>' "$work/login.html" | head -n1 | grep -oE 'value="[^"]*"' | cut -d'"' -f2)"
  status="$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
    --data-urlencode "_csrf=$csrf" --data-urlencode "email=$email" \
    --data-urlencode "password=$password" "$BASE/aanmelden")"
  [ "$status" = 303 ] || [ "$status" = 302 ] || { echo "login answered $status" >&2; return 1; }
  # Cookie header from the jar (curl marks HttpOnly cookies with a #HttpOnly_ prefix).
  COOKIE="$(awk -F'\t' 'NF>=7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")"
  [ -n "$COOKIE" ] || { echo "no session cookie after login" >&2; return 1; }
}
