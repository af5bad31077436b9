#!/usr/bin/env python3
"""Makes the PDF corpus of bench/pdf_compare.sh from real Kenniscentrum texts.

Each source text (the jaarplan and others, plain text with hard line breaks and blank lines
between blocks) is cut into headings, bullet lists and paragraphs, then laid out as a report
in several ways that real reports use, each written as HTML or flat ODT (.fodt) beside its
source words (NAME.txt, the ground truth for scoring):

  chromium-serif     one column, DejaVu Serif, headings, bullet lists       (Chromium, Skia PDF)
  chromium-2col      two columns, justified, Liberation Sans, ligatures on  (Chromium)
  chromium-tables    one column, every fourth paragraph as a two-column table (Chromium)
  writer-report      LibreOffice Writer: headings, lists, tables, accents    (writer_pdf_Export)
  writer-2col        LibreOffice Writer: the body in a two-column section    (writer_pdf_Export)
  *-hyph             the two-column ones with soft hyphens in long words, so that lines end
                     in a hyphenated word as in reports set with automatic hyphenation
  chromium-long      the first source eight times over, one column (size and speed)

usage: corpus.py OUT_DIR SOURCE.txt...   (the PDFs are made by pdf_compare.sh)
"""
import html
import os
import re
import sys

BULLET = re.compile(r"^\s*[■•▪●◦\-–]\s*")


def blocks(text):
    """(kind, text) in reading order: kind is 'h1', 'h2', 'li' or 'p'."""
    out = []
    for raw in re.split(r"\n\s*\n", text):
        lines = [l for l in raw.split("\n") if l.strip()]
        if not lines:
            continue
        if re.match(r"^\s*DOELSTELLING", lines[0]):
            out.append(("h2", re.sub(r"\s+", " ", lines[0]).strip()))
            lines = lines[1:]
        para = []
        for line in lines:
            # a heading: a short line that the source indents by one space
            if line.startswith(" ") and not line.startswith("  ") and len(line.strip()) < 70 \
                    and not line.strip().endswith((".", ",", ";")):
                if para:
                    out.append(("p", " ".join(para)))
                    para = []
                out.append(("h1", line.strip()))
                continue
            if line.startswith("\t") or BULLET.match(line):
                if para:
                    out.append(("p", " ".join(para)))
                    para = []
                out.append(("li", BULLET.sub("", line.strip()).strip()))
            elif out and out[-1][0] == "li" and not para:
                out[-1] = ("li", out[-1][1] + " " + line.strip())
            else:
                para.append(line.strip())
        if para:
            out.append(("p", " ".join(para)))
    return [(k, re.sub(r"\s+", " ", t).strip()) for k, t in out if t.strip()]


LONG_WORD = re.compile(r"[^\W\d_]{10,}")


def hyphenate(text):
    """Soft hyphens (U+00AD) every five letters of long words: the layout may break there."""
    def soft(m):
        w = m.group(0)
        cuts = range(5, len(w) - 3, 5)
        return "".join(w[a:b] + "\u00ad" for a, b in zip([0, *cuts], cuts)) + w[cuts[-1] if cuts else 0:]
    return LONG_WORD.sub(soft, text)


def split_cells(text):
    """A paragraph as the two cells of a table row: its first sentence and the rest."""
    m = re.search(r"[.!?:] ", text)
    if not m or m.end() >= len(text):
        half = text.split(" ")
        mid = max(1, len(half) // 2)
        return " ".join(half[:mid]), " ".join(half[mid:])
    return text[: m.end()].strip(), text[m.end():].strip()


CSS = {
    "chromium-serif": "body{font-family:'DejaVu Serif';font-size:11pt;line-height:1.35}",
    "chromium-2col": "body{font-family:'Liberation Sans';font-size:10pt;text-align:justify;"
    "font-variant-ligatures:common-ligatures;column-count:2;column-gap:1cm}"
    "h1{column-span:all}",
    "chromium-tables": "body{font-family:'DejaVu Sans';font-size:10pt}"
    "table{border-collapse:collapse;width:100%}td{border:1px solid #888;padding:4pt;vertical-align:top;width:50%}",
    "chromium-long": "body{font-family:'DejaVu Serif';font-size:11pt}",
}
CSS["chromium-2col-hyph"] = CSS["chromium-2col"]


def to_html(name, title, items, tables):
    parts = [f"<!doctype html><html lang=nl><meta charset=utf-8><title>{html.escape(title)}</title>",
             f"<style>@page{{size:A4;margin:2cm}}{CSS[name]}</style><body>"]
    in_list = False
    paragraphs = 0
    for kind, text in items:
        if kind != "li" and in_list:
            parts.append("</ul>")
            in_list = False
        t = html.escape(text)
        if kind == "li":
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{t}</li>")
        elif kind in ("h1", "h2"):
            parts.append(f"<{kind}>{t}</{kind}>")
        else:
            paragraphs += 1
            if tables and paragraphs % 4 == 0:
                a, b = split_cells(text)
                parts.append(f"<table><tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr></table>")
            else:
                parts.append(f"<p>{t}</p>")
    if in_list:
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{title}</dc:title></office:meta>
<office:font-face-decls>
 <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
 <style:font-face style:name="DejaVu Sans" svg:font-family="'DejaVu Sans'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
</office:font-face-decls>
<office:styles>
 <style:style style:name="Standard" style:family="paragraph">
  <style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.2cm"/>
  <style:text-properties style:font-name="Liberation Serif" fo:font-size="11pt" fo:language="nl" fo:country="BE"/>
 </style:style>
 <style:style style:name="H1" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="0.5cm" fo:text-align="start"/>
  <style:text-properties style:font-name="DejaVu Sans" fo:font-size="16pt" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="H2" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="start"/>
  <style:text-properties style:font-name="DejaVu Sans" fo:font-size="12pt" fo:font-weight="bold"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:style style:name="Cols" style:family="section">
  <style:section-properties><style:columns fo:column-count="2" fo:column-gap="0.8cm"/></style:section-properties>
 </style:style>
 <style:style style:name="Cell" style:family="table-cell">
  <style:table-cell-properties fo:border="0.5pt solid #888888" fo:padding="0.1cm"/>
 </style:style>
</office:automatic-styles>
<office:body><office:text>
"""


def to_fodt(title, items, columns):
    out = [FODT_HEAD.replace("{title}", html.escape(title))]
    if columns:
        out.append('<text:section text:style-name="Cols" text:name="Kolommen">')
    in_list = False
    paragraphs = 0
    for kind, text in items:
        if kind != "li" and in_list:
            out.append("</text:list>")
            in_list = False
        t = html.escape(text, quote=False)
        if kind == "li":
            if not in_list:
                out.append("<text:list>")
                in_list = True
            out.append(f'<text:list-item><text:p text:style-name="Standard">{t}</text:p></text:list-item>')
        elif kind == "h1":
            out.append(f'<text:h text:style-name="H1" text:outline-level="1">{t}</text:h>')
        elif kind == "h2":
            out.append(f'<text:h text:style-name="H2" text:outline-level="2">{t}</text:h>')
        else:
            paragraphs += 1
            if not columns and paragraphs % 4 == 0:
                a, b = split_cells(text)
                out.append('<table:table table:name="T%d"><table:table-column table:number-columns-repeated="2"/>'
                           '<table:table-row>' % paragraphs +
                           ''.join(f'<table:table-cell table:style-name="Cell"><text:p>{html.escape(c, quote=False)}</text:p></table:table-cell>'
                                   for c in (a, b)) +
                           '</table:table-row></table:table>')
            else:
                out.append(f'<text:p text:style-name="Standard">{t}</text:p>')
    if in_list:
        out.append("</text:list>")
    if columns:
        out.append("</text:section>")
    out.append("</office:text></office:body></office:document>")
    return "\n".join(out)


def truth(items):
    return "\n".join(text for _, text in items) + "\n"


def main():
    out_dir, sources = sys.argv[1], sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    for n, source in enumerate(sources):
        with open(source, encoding="utf-8") as f:
            items = blocks(f.read())
        stem = os.path.splitext(os.path.basename(source))[0][:12]
        title = next((t for k, t in items if k == "h1"), stem)
        hyph = [(k, hyphenate(t) if k == "p" else t) for k, t in items]
        jobs = [("chromium-serif", "html", False, items), ("chromium-2col", "html", False, items),
                ("chromium-2col-hyph", "html", False, hyph),
                ("chromium-tables", "html", True, items), ("writer-report", "fodt", False, items),
                ("writer-2col", "fodt", True, items), ("writer-2col-hyph", "fodt", True, hyph)]
        for layout, kind, flag, laid in jobs:
            name = f"{stem}-{layout}"
            body = to_html(layout, title, laid, flag) if kind == "html" else to_fodt(title, laid, flag)
            with open(os.path.join(out_dir, f"{name}.{kind}"), "w", encoding="utf-8") as f:
                f.write(body)
            with open(os.path.join(out_dir, f"{name}.txt"), "w", encoding="utf-8") as f:
                f.write(truth(items))
        if n == 0:
            name = f"{stem}-chromium-long"
            with open(os.path.join(out_dir, f"{name}.html"), "w", encoding="utf-8") as f:
                f.write(to_html("chromium-long", title, items * 8, False))
            with open(os.path.join(out_dir, f"{name}.txt"), "w", encoding="utf-8") as f:
                f.write(truth(items * 8))


if __name__ == "__main__":
    main()
