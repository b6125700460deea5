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
