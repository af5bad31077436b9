#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices, SEO) of the pages issue 12 is
# about, on `steden serve --demo` (SQLite), in Debian's headless Chromium. Logged-in pages get
# the demo user's session cookie. Prints a table; the JSON reports stay in bench/results/.
#
#   bench/lighthouse.sh                  # the debug binary (cargo build -p steden)
#   BIN=target/release/steden bench/lighthouse.sh
#
# Lighthouse comes from the npm registry at run time (npx), not from package.json: it is a
# measuring tool for the closing note, not a dependency of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BIN="${BIN:-$ROOT/target/debug/steden}"
LIGHTHOUSE="${LIGHTHOUSE:-lighthouse@13.5.0}"
CHROME_PATH="${CHROME_PATH:-$(command -v chromium || true)}"
[ -x "$BIN" ] || { echo "lighthouse: build the binary first (cargo build -p steden)" >&2; exit 1; }
[ -n "$CHROME_PATH" ] || { echo "lighthouse: needs chromium (apt-get install chromium)" >&2; exit 1; }
export CHROME_PATH
# shellcheck source=bench/demo_server.sh
. "$ROOT/bench/demo_server.sh"

WORK="$(mktemp -d /tmp/steden-lighthouse.XXXXXX)"
trap 'demo_stop; rm -rf "$WORK"' EXIT
demo_start "$BIN" "$WORK"
demo_login "$WORK"
OUT="$ROOT/bench/results/lighthouse"
mkdir -p "$OUT"

# Paths found from the demo data, as a visitor and the demo user would reach them.
public_plan="$(curl -fsS "$BASE/openbaar/plannen" | grep -oE 'href="/openbaar/plannen/[0-9a-f]{32}"' | head -n1 | cut -d'"' -f2)"
plan="$(curl -fsS -H "Cookie: $COOKIE" "$BASE/plannen" | grep -oE 'href="/plannen/[0-9a-f]{32}"' | head -n1 | cut -d'"' -f2)"
item="$(curl -fsS -H "Cookie: $COOKIE" "$BASE$plan" | grep -oE 'href="/plannen/[0-9a-f]{32}/items/[0-9a-f]{32}"' | head -n1 | cut -d'"' -f2)"
PAGES=(
  "home|/|"
  "programmes|/programmas|"
  "public-plan|$public_plan|"
  "workspace|/start|login"
  "tree|$plan|login"
  "dashboard|$plan/dashboard|login"
  "item|$item|login"
)

printf '%-22s %-6s %-6s %-6s %-6s %s\n' page perf a11y best seo "FCP/LCP (ms)"
for entry in "${PAGES[@]}"; do
  IFS='|' read -r name path login <<<"$entry"
  headers='{}'
  [ -n "$login" ] && headers="$(printf '{"Cookie":"%s"}' "$COOKIE")"
  for form in desktop mobile; do
    preset=(); [ "$form" = desktop ] && preset=(--preset=desktop)
    npx --yes "$LIGHTHOUSE" "$BASE$path" --quiet "${preset[@]}" \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-dev-shm-usage" \
      --extra-headers "$headers" --output=json --output-path="$OUT/$name-$form.json" >/dev/null 2>&1 \
      || { echo "lighthouse failed on $path ($form)" >&2; continue; }
    python3 - "$OUT/$name-$form.json" "$name ($form)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]; a = r["audits"]
score = lambda k: str(round(c[k]["score"] * 100)) if c.get(k, {}).get("score") is not None else "-"
ms = lambda k: str(round(a[k]["numericValue"])) if k in a and a[k].get("numericValue") is not None else "-"
print(f'{sys.argv[2]:<22} {score("performance"):<6} {score("accessibility"):<6} {score("best-practices"):<6} {score("seo"):<6} {ms("first-contentful-paint")}/{ms("largest-contentful-paint")}')
PY
  done
done
