#!/usr/bin/env bash
# PDF text extraction, side by side: poppler's pdftotext (what the server runs, as a child
# process: crates/kennisbank/src/extract/pdf.rs) against the hand-written lopdf extraction the
# server used before issue 10 (bench/pdf_compare/, the same code and limits, as a program).
#
# The corpus is made from real Kenniscentrum texts (default: ../shared/seeds/*.txt, the
# jaarplan): each is laid out as a report in several ways (one column, two columns, tables,
# headings, lists; DejaVu and Liberation fonts with ligatures; accents) and printed to PDF by
# Chromium (Skia) and LibreOffice Writer (bench/pdf_compare/corpus.py says which). The source
# words are the truth: word recall and precision, and bigram recall for the reading order
# (bench/pdf_compare/score.py). Time and peak memory (maximum resident set) come from
# /usr/bin/time, best of RUNS runs.
#
#   bench/pdf_compare.sh                       # the seeds
#   bench/pdf_compare.sh some/report.txt ...   # other plain texts
#   PDFS="a.pdf b.pdf" bench/pdf_compare.sh    # also time real PDFs without a source text
#
# Needs poppler-utils, chromium and libreoffice-writer (Debian; the last only for this
# measurement: apt-get install --no-install-recommends libreoffice-writer), python3 and cargo.
# Figures go to bench/results/ (not committed) and belong in docs/KENNISBANK.md; not a CI gate.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
RUNS="${RUNS:-3}"
die() { echo "pdf_compare: $*" >&2; exit 1; }

sources=("$@")
if ((${#sources[@]} == 0)); then
  sources=(../shared/seeds/*.txt)
fi
for tool in pdftotext chromium soffice python3 cargo /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing"
done

echo "pdf_compare: building the lopdf extraction (release)" >&2
cargo build --quiet --release --offline --manifest-path bench/pdf_compare/Cargo.toml
LOPDF="$ROOT/bench/pdf_compare/target/release/lopdf-text"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 bench/pdf_compare/corpus.py "$WORK" "${sources[@]}"
(
  cd "$WORK"
  for f in *.html; do
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
      --print-to-pdf="${f%.html}.pdf" "$f" >/dev/null 2>&1
  done
  soffice --headless --convert-to pdf:writer_pdf_Export --outdir . ./*.fodt >/dev/null 2>&1
)

# best elapsed seconds and the largest peak RSS (MB) of RUNS runs of "$@" > $out
measure() {
  local out="$1"; shift
  local best="" peak=0 t m
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$out" 2>/dev/null || true
    # a failing command gets a "Command exited with non-zero status" line first
    read -r t m < <(tail -1 "$WORK/time")
    if [[ -z "$best" ]] || awk "BEGIN{exit !($t < $best)}"; then best="$t"; fi
    if ((m > peak)); then peak="$m"; fi
  done
  echo "$best $((peak / 1024))"
}

mkdir -p bench/results
result="bench/results/pdf_compare-$(date -u +%Y%m%d-%H%M).md"
{
  echo "| PDF | pages | KB | extractor | word recall % | word precision % | bigram recall % | seconds | peak RSS MB |"
  echo "|---|---:|---:|---|---:|---:|---:|---:|---:|"
  for pdf in "$WORK"/*.pdf ${PDFS:-}; do
    name="$(basename "${pdf%.pdf}")"
    pages="$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/{print $2}')"
    kb="$(( $(stat -c %s "$pdf") / 1024 ))"
    truth="${pdf%.pdf}.txt"
    for extractor in pdftotext lopdf; do
      out="$WORK/$name.$extractor.out"
      if [[ "$extractor" == pdftotext ]]; then
        read -r secs mb < <(measure "$out" pdftotext -q -enc UTF-8 -eol unix "$pdf" -)
        # what the server keeps: soft hyphens (U+00AD) removed (src/extract/pdf.rs)
        sed -i 's/\xc2\xad//g' "$out"
      else
        read -r secs mb < <(measure "$out" "$LOPDF" "$pdf")
      fi
      if [[ -f "$truth" && "$pdf" == "$WORK"/* ]]; then
        read -r recall precision bigram < <(python3 bench/pdf_compare/score.py "$truth" "$out")
      else
        recall="–"; precision="–"; bigram="–"
      fi
      echo "| ${name#*-} | $pages | $kb | $extractor | $recall | $precision | $bigram | $secs | $mb |"
    done
  done
} | tee "$result"
echo "pdf_compare: saved in $result" >&2
