#!/usr/bin/env bash
# Screenshots of the workspace, the plan tree, an item, the dashboard, the public plan and the
# website's programmes, at 1280 and 375 px, on the demo data (SQLite), in headless Chromium.
#
#   docs/screenshots/make.sh            # this checkout → docs/screenshots/after/
#   docs/screenshots/make.sh before     # REV (default 0502ab1, the last commit before issue 12)
#                                       #   → docs/screenshots/before/
#
# Both runs use this checkout's screenshot tool (crates/steden/tests/screenshots.rs); "before"
# only swaps the server binary, built from REV in a temporary worktree that shares target/.
# Needs chromium and chromium-driver (Debian packages), like the browser tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
WHICH="${1:-after}"
REV="${REV:-0502ab1}"
OUT="$ROOT/docs/screenshots/$WHICH"
mkdir -p "$OUT"

BIN=""
if [ "$WHICH" = before ]; then
  TREE="$(mktemp -d /tmp/steden-before.XXXXXX)"
  trap 'git -C "$ROOT" worktree remove --force "$TREE" >/dev/null 2>&1 || true' EXIT
  git -C "$ROOT" worktree add -q --detach "$TREE" "$REV"
  echo "screenshots: building $REV"
  (cd "$TREE" && CARGO_TARGET_DIR="$ROOT/target" cargo build -q -p steden --bin steden)
  BIN="$TREE/steden-before"
  cp "$ROOT/target/debug/steden" "$BIN"
fi

echo "screenshots: building the screenshot tool"
cargo test -q -p steden --test steden --no-run
env BROWSER_TESTS=1 SCREENSHOT_DIR="$OUT" ${BIN:+STEDEN_BIN="$BIN"} \
  cargo test -q -p steden --test steden screenshots -- --ignored --nocapture
echo "screenshots: written to $OUT"
