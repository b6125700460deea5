import sys, openpyxl
def dump(path):
    wb = openpyxl.load_workbook(path)
    out = [f"props title={wb.properties.title!r}", f"sheets={wb.sheetnames}"]
    for ws in wb.worksheets:
        out.append(f"== {ws.title} freeze={ws.freeze_panes} dims={ws.dimensions} charts={len(ws._charts)}")
        for k, d in sorted(ws.column_dimensions.items()):
            out.append(f"col {k} width={d.width}")
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                f = c.font; fl = c.fill; a = c.alignment
                out.append(f"{c.coordinate} {c.data_type} {c.value!r} nf={c.number_format!r} b={f.b} col={f.color.rgb if f.color else None} "
                           f"fill={fl.fill_type}/{fl.fgColor.rgb if fl.fgColor else None} al={a.vertical}/{a.wrap_text}")
    return "\n".join(out)
if __name__ == "__main__":
    print(dump(sys.argv[1]))
