"""Messages of `import minutes`: meeting text → focus areas, leaders and drafted tasks (taskctl.minutes)."""

ZH: dict[str, str] = {
    # help
    "help.import_minutes": "从会议纪要（讲话稿、新闻稿，UTF-8 或 GBK 文本）拟定聚焦领域、领导和任务："
                           "先清理拼音标注、修复字节损坏、繁体转简体，再按“要聚焦……抓项目”等句式分解任务",
    "help.minutes_file": "会议纪要文本文件",
    "help.minutes_date": "会议日期（默认取文中第一个“1月28日”，年份取台账年度）",
    "help.show_clean": "只打印清理后的文本（不拟定、不记录）",
    "help.new_areas": "同时新建对不上现有领域的“聚焦”领域（否则这些任务只列出、不记录）",
    "help.minutes_dry_run": "只列出拟定的领域、领导和任务，不改动台账",
    # errors
    "minutes.no_file": "文件不存在：{file}",
    "minutes.empty": "{file} 是空文件，没有会议内容",
    "minutes.binary": "{file} 不是文本文件（像是二进制文件）；请给出 UTF-8 或 GBK 编码的会议纪要文本",
    "minutes.undecodable": "{file} 既不是 UTF-8 也不是 GBK 文本（第 {offset} 字节无法识别）；请另存为 UTF-8 文本",
    "minutes.no_date": "{file} 中没有找到会议日期（如“1月28日”）；请用 --date 指定，如 --date 2023-01-28",
    "minutes.no_clause": "{file} 中没有找到聚焦领域句（如“要聚焦扩大投资抓项目，……”“要狠抓……”“要抓好……”），"
                         "无法拟定任务",
    "minutes.needs_date": "--date 应为具体日期，不是“{value}”",
    # notes
    "minutes.repaired": "已修复：第 {line} 行 “{damaged}” → “{repaired}”（{context}）",
    "minutes.unrepaired": "无法修复：第 {line} 行 “{damaged}”（{context}）；请对照原文手工更正",
    "minutes.unrepaired_options": "无法修复：第 {line} 行 “{damaged}”（{context}），可能是 {options} 之一；"
                                  "请对照原文手工更正",
    "minutes.leaders": "领导（{n} 位）：{names}",
    "minutes.leader_known": "{name}（{title}，台账中已有）",
    "minutes.leader_new": "{name}（{title}）",
    "minutes.summary_dry": "试运行，未改动台账 — 将新增 {areas} 个领域、{leaders} 位领导、{tasks} 项任务；"
                           "已在台账中 {exists} 项",
    "minutes.summary": "已记录：新增 {areas} 个领域、{leaders} 位领导、{tasks} 项任务（开始日期 {date}，"
                       "尚无牵头单位：taskctl task list --unassigned）；已在台账中 {exists} 项，未重复添加",
    "minutes.needs_new_areas": "{n} 项任务属于拟新增的领域（{names}），未记录；"
                               "加 --new-areas 一并新建，或先用 taskctl area add 添加该领域",
    "minutes.needs_new_areas_dry": "{n} 项任务属于拟新增的领域（{names}），记录时不会写入；"
                                   "加 --new-areas 一并新建，或先用 taskctl area add 添加该领域",
    "minutes.history": "会议纪要 {source}：新增任务 {tasks}、领域 {areas}、领导 {leaders}",
    # the draft
    "minutes.title": "会议纪要任务分解：{source}",
    "minutes.footer": "{areas} 个聚焦领域（其中拟新增 {new} 个） · {tasks} 项任务 · {leaders} 位领导",
    "minutes.col_task": "拟定任务",
    "minutes.col_sentence": "原文",
    "minutes.col_new_area": "新领域",
    "minutes.col_result": "结果",
    "minutes.result_draft": "拟新增",
    "minutes.result_added": "已新增",
    "minutes.result_exists": "已有",
    "minutes.result_new_area": "待建领域",
}

EN: dict[str, str] = {
    # help
    "help.import_minutes": "Draft focus areas, leaders and tasks from meeting minutes (UTF-8 or GBK text): strip "
                           "pinyin annotations, repair byte damage, convert Traditional to Simplified, then split "
                           "each \"要聚焦…抓项目\" clause into tasks",
    "help.minutes_file": "the minutes, a text file",
    "help.minutes_date": "the meeting's date (default: the first \"1月28日\" in the text, in the ledger's year)",
    "help.show_clean": "only print the cleaned text (nothing drafted or recorded)",
    "help.new_areas": "also create the focus areas no existing area matches (otherwise their tasks are listed, "
                      "not recorded)",
    "help.minutes_dry_run": "only list the drafted areas, leaders and tasks; the ledger is not changed",
    # errors
    "minutes.no_file": "no such file: {file}",
    "minutes.empty": "{file} is empty: there are no minutes in it",
    "minutes.binary": "{file} is not a text file (it looks binary); give the minutes as UTF-8 or GBK text",
    "minutes.undecodable": "{file} is neither UTF-8 nor GBK text (byte {offset} cannot be read); save it as UTF-8 "
                           "text",
    "minutes.no_date": "no meeting date (like 1月28日) found in {file}; give it with --date, e.g. --date 2023-01-28",
    "minutes.no_clause": "no focus-area clause (like 要聚焦扩大投资抓项目，…, 要狠抓…, 要抓好…) found in {file}: "
                         "nothing to draft",
    "minutes.needs_date": "--date must be a day, not \"{value}\"",
    # notes
    "minutes.repaired": "repaired: line {line} \"{damaged}\" → \"{repaired}\" ({context})",
    "minutes.unrepaired": "cannot repair: line {line} \"{damaged}\" ({context}); correct it by hand from the "
                          "original",
    "minutes.unrepaired_options": "cannot repair: line {line} \"{damaged}\" ({context}), it may be any of {options}; "
                                  "correct it by hand from the original",
    "minutes.leaders": "leaders ({n}): {names}",
    "minutes.leader_known": "{name} ({title}, already in the ledger)",
    "minutes.leader_new": "{name} ({title})",
    "minutes.summary_dry": "dry run, ledger not changed — would add {areas} areas, {leaders} leaders, {tasks} tasks; "
                           "{exists} already in the ledger",
    "minutes.summary": "recorded: {areas} areas, {leaders} leaders, {tasks} tasks added (starting {date}, no lead "
                       "unit yet: taskctl task list --unassigned); {exists} already in the ledger, not added again",
    "minutes.needs_new_areas": "{n} tasks belong to proposed new areas ({names}) and were not recorded; add "
                               "--new-areas to create them, or add the area first with taskctl area add",
    "minutes.needs_new_areas_dry": "{n} tasks belong to proposed new areas ({names}) and would not be recorded; "
                                   "add --new-areas to create them, or add the area first with taskctl area add",
    "minutes.history": "minutes {source}: {tasks} tasks, {areas} areas, {leaders} leaders added",
    # the draft
    "minutes.title": "Tasks drafted from the minutes: {source}",
    "minutes.footer": "{areas} focus areas ({new} proposed new) · {tasks} tasks · {leaders} leaders",
    "minutes.col_task": "Drafted task",
    "minutes.col_sentence": "In the minutes",
    "minutes.col_new_area": "New area",
    "minutes.col_result": "Result",
    "minutes.result_draft": "to add",
    "minutes.result_added": "added",
    "minutes.result_exists": "exists",
    "minutes.result_new_area": "needs its area",
}
