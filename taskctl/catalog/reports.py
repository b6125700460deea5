"""Messages of the reports: overdue, due soon, stale, quarter and rank (taskctl.reports, taskctl.cli.reports)."""

ZH: dict[str, str] = {
    # help
    "help.overdue": "逾期任务（红灯）：逾期最久的在前；--group-by 按单位、领域或领导分组通报",
    "help.due_soon": "临期任务：N 天内到期的在办任务",
    "help.stale": "未按时报送：N 天以上没有报送进展的在办任务，按牵头单位列出联系人",
    "help.quarter": "季度进展：按领域、单位或领导统计任务状态、平均进度与序时进度、投资和延期",
    "help.rank": "牵头单位排名（通报排名），标出后三位",
    "help.group_by": "分组：unit（牵头单位）、area（聚焦领域）、leader（责任领导）",
    "help.days_soon": "到期窗口天数（含今天起第 N 天）",
    "help.days_stale": "超过多少天未报送算未按时报送",
    "help.quarter_arg": "季度，如 2023Q1、Q1、2023年一季度（默认本季度）",
    "help.quarter_opt": "季度（同上面的参数）",
    "help.by": "统计口径：area（聚焦领域）、unit（牵头单位）、leader（责任领导）",
    "help.report_as_of": "统计截止日期（默认今天；季度报告不晚于季度末），如 2023-03-31、3月底",
    # words
    "report.total": "合计",
    "report.group_unit": "牵头单位",
    "report.group_area": "聚焦领域",
    "report.group_leader": "责任领导",
    "report.by_unit": "牵头单位",
    "report.by_area": "聚焦领域",
    "report.by_leader": "责任领导",
    "report.title_by": "{title} · 按{by}",
    "report.groups_suffix": "，涉及{groups}",
    "report.groups_unit": " {n} 个牵头单位",
    "report.groups_area": " {n} 个聚焦领域",
    "report.groups_leader": " {n} 位责任领导",
    "report.unit_contact": "{unit} · 联系人 {contact}",
    "report.of_which_late": "（其中逾期完成 {n}）",
    # overdue
    "report.overdue_title": "逾期任务（截至 {as_of}）",
    "report.overdue_footer": "共 {n} 项逾期，最长逾期 {max} 天",
    "report.overdue_none": "没有逾期任务",
    # due soon
    "report.due_soon_title": "{days} 天内到期任务（截至 {as_of}，到期至 {until}）",
    "report.due_soon_footer": "共 {n} 项任务 {days} 天内到期",
    "report.due_soon_none": "{days} 天内没有到期的在办任务",
    # stale
    "report.stale_title": "未按时报送：{days} 天以上未报送进展（截至 {as_of}）",
    "report.stale_footer": "{units} 个牵头单位共 {n} 项任务 {days} 天以上未报送进展",
    "report.stale_none": "所有在办任务 {days} 天内都报送了进展",
    # quarter
    "report.quarter_title": "{quarter} 季度进展 · 按{by}（截至 {as_of}）",
    "report.quarter_footer": "共 {tasks} 项任务：{summary}",
    "report.quarter_none": "本季度没有纳入统计的任务",
    # rank
    "report.rank_title": "{quarter} 牵头单位排名（截至 {as_of}）",
    "report.rank_footer": "{n} 个牵头单位参加排名",
    "report.rank_flagged": "；后三位：{names}",
    "report.rank_none": "本季度没有可排名的牵头单位",
    # columns
    "col.days_overdue": "逾期天数",
    "col.days_left": "剩余天数",
    "col.days_since_report": "未报送天数",
    "col.percent_actual": "平均进度",
    "col.rank": "排名",
    "col.share_done": "完成率",
    "col.gap": "超/欠序时",
    "col.flagged": "后三位",
    "col.done": "已完成", "col.overdue": "逾期", "col.behind": "滞后", "col.on_track": "正常",
    "col.not_started": "未启动", "col.paused": "暂缓",
    # errors
    "report.bad_days": "天数应为 0 或正整数，收到“{value}”",
    "report.bad_group_by": "不能按“{value}”分组；可用：{choices}",
    "report.bad_by": "不能按“{value}”统计；可用：{choices}",
    "report.quarter_twice": "季度给了两次且不一致：“{first}”和“{second}”；只给一次",
}

EN: dict[str, str] = {
    # help
    "help.overdue": "overdue tasks (red): most overdue first; --group-by unit, area or leader for the meeting list",
    "help.due_soon": "open tasks due within N days",
    "help.stale": "active tasks with no progress reported for N days (未报送), by lead unit with its contact",
    "help.quarter": "quarterly progress per area, unit or leader: states, average actual vs expected percent, "
                    "investment, extensions",
    "help.rank": "lead units ranked for the quarter (通报排名), the last three flagged",
    "help.group_by": "one table per: unit (lead unit), area (focus area), leader",
    "help.days_soon": "the window in days (due on or before today + N)",
    "help.days_stale": "days without a progress report before a task counts as stale",
    "help.quarter_arg": "the quarter, e.g. 2023Q1, Q1, 2023年一季度 (default: this quarter)",
    "help.quarter_opt": "the quarter (as the argument)",
    "help.by": "group by: area (focus area), unit (lead unit), leader",
    "help.report_as_of": "report as of this date (default today; a quarter report stops at the quarter's end), "
                         "e.g. 2023-03-31, 3月底",
    # words
    "report.total": "Total",
    "report.group_unit": "Lead unit",
    "report.group_area": "Focus area",
    "report.group_leader": "Leader",
    "report.by_unit": "lead unit",
    "report.by_area": "focus area",
    "report.by_leader": "leader",
    "report.title_by": "{title} · by {by}",
    "report.groups_suffix": ", in {groups}",
    "report.groups_unit": "{n} lead unit(s)",
    "report.groups_area": "{n} focus area(s)",
    "report.groups_leader": "{n} leader(s)",
    "report.unit_contact": "{unit} · contact {contact}",
    "report.of_which_late": " ({n} late)",
    # overdue
    "report.overdue_title": "Overdue tasks as of {as_of}",
    "report.overdue_footer": "{n} overdue, the longest by {max} days",
    "report.overdue_none": "no overdue tasks",
    # due soon
    "report.due_soon_title": "Due within {days} days as of {as_of} (by {until})",
    "report.due_soon_footer": "{n} tasks due within {days} days",
    "report.due_soon_none": "no open task is due within {days} days",
    # stale
    "report.stale_title": "No progress reported for {days}+ days as of {as_of}",
    "report.stale_footer": "{n} tasks of {units} lead units with no report for {days}+ days",
    "report.stale_none": "every active task reported progress within {days} days",
    # quarter
    "report.quarter_title": "Quarter {quarter} · by {by} as of {as_of}",
    "report.quarter_footer": "{tasks} tasks: {summary}",
    "report.quarter_none": "no task falls in this quarter",
    # rank
    "report.rank_title": "Lead units ranked, {quarter}, as of {as_of}",
    "report.rank_footer": "{n} lead units ranked",
    "report.rank_flagged": "; last three: {names}",
    "report.rank_none": "no lead unit to rank this quarter",
    # columns
    "col.days_overdue": "Days over",
    "col.days_left": "Days left",
    "col.days_since_report": "Days silent",
    "col.percent_actual": "Progress",
    "col.rank": "Rank",
    "col.share_done": "Done %",
    "col.gap": "vs expected",
    "col.flagged": "Last three",
    "col.done": "Done", "col.overdue": "Overdue", "col.behind": "Behind", "col.on_track": "On track",
    "col.not_started": "Not started", "col.paused": "Paused",
    # errors
    "report.bad_days": "days must be 0 or a positive whole number, got \"{value}\"",
    "report.bad_group_by": "cannot group by \"{value}\"; use one of: {choices}",
    "report.bad_by": "cannot report by \"{value}\"; use one of: {choices}",
    "report.quarter_twice": "the quarter was given twice, as \"{first}\" and \"{second}\"; give it once",
}
