"""The bulletin and the slips as Markdown: the same blocks as the DOCX, for review, diffs and tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from taskctl.i18n import t

if TYPE_CHECKING:
    from taskctl.documents.bulletin import Bulletin


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\r\n", " ").replace("\n", " ")


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(c) for c in columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def bulletin_markdown(b: "Bulletin") -> bytes:
    lines = [f"# {b.name}", "", f"**{b.number_text}**", "", f"{b.office} {b.date_text}", "", "---", ""]
    for block in b.blocks:
        kind = block.kind
        if kind == "title":
            lines += [f"## {block.text}", ""]
        elif kind == "h1":
            lines += [f"### {block.text}", ""]
        elif kind == "h2":
            lines += [f"#### {block.text}", ""]
        elif kind in ("para", "attachments_note", "attachments_note2", "signature", "signature_date"):
            lines += [block.text, ""]
        elif kind == "pagebreak":
            lines += ["---", ""]
        elif kind == "attachment":
            lines += [f"**{block.label}**", "", f"## {block.text}", ""]
            lines += _table(block.columns, block.rows)
            if not block.rows:
                lines += ["", t("doc.none_rows")]
            lines.append("")
    return "\n".join(lines).encode("utf-8")


def slips_markdown(slips: Sequence[dict[str, Any]]) -> bytes:
    lines: list[str] = []
    for i, slip in enumerate(slips):
        if i:
            lines += ["---", ""]
        lines += [f"# {slip['office']}", "", f"## {slip['title']}", "", f"**{slip['number']}**", ""]
        lines += _table([t("notice.doc.item"), t("notice.doc.content")], slip["fields"])
        lines += ["", slip["closing"], "", slip["office"], "", slip["date"], ""]
    return "\n".join(lines).encode("utf-8")
