#!/bin/sh
# docs/bulletin-page1.png: the first page of a bulletin from the example ledger, as LibreOffice draws it.
# Needs: libreoffice-writer-nogui fonts-noto-cjk poppler-utils (Debian).  Run from the repository root.
#
# LibreOffice gives a full-width character that is wider than its grid cell two cells, so the GB/T 9704
# grid of 28 characters of 3号 per line (15.8 pt cells for 16 pt characters, which Word and WPS draw
# as 28 a line) comes out as 14 a line.  For the picture only, the copy converted here keeps the
# 22-line grid and drops the character grid (w:type="lines"): about 27 characters a line.
set -eu
out=$(mktemp -d)
export TASKCTL_DB="$out/demo.db" TASKCTL_TODAY=2023-03-31 TASKCTL_LANG=zh
.venv/bin/taskctl init --demo >/dev/null
.venv/bin/taskctl bulletin preview --week 2023-W13 -o "$out/通报.docx" >/dev/null
.venv/bin/python - "$out/通报.docx" "$out/bulletin.docx" <<'PY'
import sys, zipfile
src, dst = sys.argv[1:]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "word/document.xml":
            data = data.replace(b'w:type="linesAndChars"', b'w:type="lines"')
        zout.writestr(item, data)
PY
soffice --headless --convert-to pdf --outdir "$out" "$out/bulletin.docx" >/dev/null
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$out/bulletin.pdf" docs/bulletin-page1
rm -rf "$out"
echo "wrote docs/bulletin-page1.png"
