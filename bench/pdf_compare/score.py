#!/usr/bin/env python3
"""Scores an extracted text against its source: score.py SOURCE.txt EXTRACTED.txt

Prints word recall, word precision and bigram recall, in percent. Words are maximal runs of
letters and digits, lower-cased, nothing else folded: a ligature left as U+FB01 ("ﬁ") or an
accent lost counts as a wrong word, as it would for a search. Counts are multisets (a word the
source has twice must be found twice). Bigram recall (pairs of consecutive words) measures
reading order: text from two columns or table cells read across the line breaks the pairs.
Headers, footers and page numbers that the layout adds (none in this corpus) would lower the
precision of both extractors alike.
"""
import re
import sys
from collections import Counter

WORD = re.compile(r"[^\W_]+")


def words(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [w.lower() for w in WORD.findall(f.read())]


def overlap(a, b):
    return sum((Counter(a) & Counter(b)).values())


def main():
    truth, got = words(sys.argv[1]), words(sys.argv[2])
    common = overlap(truth, got)
    recall = 100 * common / max(1, len(truth))
    precision = 100 * common / max(1, len(got))
    pairs = lambda ws: list(zip(ws, ws[1:]))
    bigram = 100 * overlap(pairs(truth), pairs(got)) / max(1, len(truth) - 1)
    print(f"{recall:.1f} {precision:.1f} {bigram:.1f}")


if __name__ == "__main__":
    main()
