"""Messages of durability: refused databases, upgrades, safe exports and backups, undo."""

ZH: dict[str, str] = {
    "db.unusable": "台账无法使用：{db}",
    "db.foreign": "{db} 不是 taskctl 台账（其中有别的数据）；未做任何改动。请用 --db 指定台账文件或数据库",
    "init.foreign": "{db} 中已有不属于 taskctl 的数据，拒绝在其中建台账，未做任何改动；请换一个新文件或空数据库",
    "db.cannot_create": "无法在 {db} 建台账：{reason}",
    "db.bad_url": "数据库地址无法使用 {url}：{reason}",
    "db.outdated": "台账结构版本为 {revision}，本程序需要 {head}；请先运行 taskctl db upgrade 升级（PostgreSQL 台账不会自动升级）",
    "db.readonly": "台账是只读的（文件或所在目录不可写），只能查询不能修改：{detail}",
}

EN: dict[str, str] = {
    "db.unusable": "the ledger cannot be used: {db}",
    "db.foreign": "{db} is not a taskctl ledger (it holds other data); nothing changed. Point --db at a ledger",
    "init.foreign": "{db} already holds data that is not taskctl's; refusing to create a ledger in it, nothing "
                    "changed. Use a new file or an empty database",
    "db.cannot_create": "cannot create a ledger at {db}: {reason}",
    "db.bad_url": "cannot use the database address {url}: {reason}",
    "db.outdated": "the ledger's schema is {revision}, this taskctl needs {head}; run taskctl db upgrade first "
                   "(PostgreSQL ledgers are not upgraded automatically)",
    "db.readonly": "the ledger is read-only (the file or its directory cannot be written): it can be read, "
                   "not changed: {detail}",
}

ZH.update({
    "input.control_char": "参数“{value}”含控制字符 {char}，无法保存；请删去后重试",
    "input.surrogate": "参数“{value}”不是有效文本（含无法解码的字节 {char}）；请检查终端的字符编码（应为 UTF-8）",
    "input.out_of_range": "数字或日期超出范围：{detail}",
    "input.not_text": "文本无法按 UTF-8 处理：{detail}",
    "input.os_error": "无法读写 {file}：{reason}",
    "error.internal": "taskctl 内部错误（{kind}：{detail}）；台账未改动。请报告此问题（设置 TASKCTL_DEBUG=1 可看详情）",
})
EN.update({
    "input.control_char": 'the argument "{value}" holds the control character {char}, which cannot be stored; '
                          "remove it and try again",
    "input.surrogate": 'the argument "{value}" is not valid text (undecodable bytes, {char}); '
                       "check that the terminal uses UTF-8",
    "input.out_of_range": "a number or date is out of range: {detail}",
    "input.not_text": "text that cannot be handled as UTF-8: {detail}",
    "input.os_error": "cannot read or write {file}: {reason}",
    "error.internal": "internal error in taskctl ({kind}: {detail}); the ledger was not changed. Please report it "
                      "(TASKCTL_DEBUG=1 shows details)",
})

ZH.update({
    "import.not_a_file": "{file} 不是文件（是目录或特殊文件）；请给出 CSV 或 XLSX 文件",
    "import.unreadable": "无法读取 {file}（文件损坏或格式不对）：{reason}",
})
EN.update({
    "import.not_a_file": "{file} is not a file (a directory or a special file); give a CSV or XLSX file",
    "import.unreadable": "cannot read {file} (damaged or not what its name says): {reason}",
})

ZH.update({
    "backup.pg_dump": "PostgreSQL 台账不由 taskctl 备份，请用 PostgreSQL 自带的 pg_dump："
                      "pg_dump --format=custom --file={file} '{url}'（恢复用 pg_restore；密码请放在 ~/.pgpass）",
    "backup.part_exists": "{part} 已存在（另一次备份正在进行，或上次备份被中断）；确认无备份在进行后删除它再试",
    "backup.cannot_write": "无法写入备份 {file}：{reason}",
})
EN.update({
    "backup.pg_dump": "taskctl does not back up a PostgreSQL ledger; use PostgreSQL's own pg_dump: "
                      "pg_dump --format=custom --file={file} '{url}' (restore with pg_restore; keep the password "
                      "in ~/.pgpass)",
    "backup.part_exists": "{part} exists (another backup is running, or one was interrupted); make sure none is "
                          "running, remove it and try again",
    "backup.cannot_write": "cannot write the backup {file}: {reason}",
})

ZH.update({
    "db.concurrent_change": "另一终端同时修改了相同的数据，本次未做任何改动；请重新运行该命令",
})
EN.update({
    "db.concurrent_change": "another terminal changed the same rows at the same moment; nothing was written — "
                            "run the command again",
})

ZH.update({
    "help.undo": "撤销你最近的一次修改（一条命令为一次修改；导入、示例数据各算一次）",
    "help.undo_yes": "不再确认，直接撤销",
    "help.undo_list": "列出你可以撤销的修改（最近的在前）",
    "undo.list_title": "{user} 可撤销的修改",
    "undo.col_rows": "涉及行数",
    "undo.nothing": "{user} 没有可撤销的修改",
    "undo.needs_yes": "撤销 #{id}（{action}）需要确认：在终端运行，或加 --yes",
    "undo.confirm": "撤销 #{id} {action}「{summary}」（{at}，涉及 {rows} 行）？",
    "undo.done": "已撤销 #{id} {action}「{summary}」：恢复 {rows} 行",
    "undo.conflict": "不能撤销 #{id}（{action}）：{user} 之后修改了相同的数据（#{other_id} {other}「{summary}」，{at}）；"
                     "请先与其核对，或手工修改",
})
EN.update({
    "help.undo": "revert your last change (one command is one change: an import or the example data is one)",
    "help.undo_yes": "revert without asking",
    "help.undo_list": "list the changes you can revert (newest first)",
    "undo.list_title": "Changes {user} can undo",
    "undo.col_rows": "Rows",
    "undo.nothing": "{user} has no change to undo",
    "undo.needs_yes": "undoing #{id} ({action}) needs confirmation: run it at a terminal, or add --yes",
    "undo.confirm": "Undo #{id} {action} \"{summary}\" ({at}, {rows} rows)?",
    "undo.done": "undid #{id} {action} \"{summary}\": {rows} rows restored",
    "undo.conflict": "cannot undo #{id} ({action}): {user} changed the same rows since (#{other_id} {other} "
                     "\"{summary}\", {at}); check with them, or change it by hand",
})

ZH.update({"field.undone": "撤销的修改"})
EN.update({"field.undone": "change undone"})

ZH.update({"input.date_range": "日期“{value}”超出台账可用范围（{low}–{high} 年）"})
EN.update({"input.date_range": 'the date "{value}" is outside the years a ledger can use ({low}–{high})'})
