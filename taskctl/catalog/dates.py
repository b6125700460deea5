"""Messages of the date parser (taskctl.dates).

Each is one line (the CLI prints it on stderr) that quotes the input; ``{forms}``
is ``taskctl.dates.ACCEPTED_FORMS``, examples that read the same in both languages.
"""

ZH: dict[str, str] = {
    "date.unreadable": "无法识别日期“{value}”，可用写法如：{forms}",
    "date.impossible": "日期不存在：“{value}”（月份为 1–12，季度为 1–4，2 月只有 28 或 29 天）",
    "date.bad_quarter": "无法识别季度“{value}”，可用写法：2023Q1、2023-Q1、Q1、2023年一季度、一季度",
    "date.bad_week": "无法识别周次“{value}”，请用存在的 ISO 周，如 2023-W05、2023W05、2023年第5周",
}

EN: dict[str, str] = {
    "date.unreadable": (
        'cannot read the date "{value}"; use e.g. {forms} (长期坚持 = ongoing, 立行立改 = at once)'
    ),
    "date.impossible": (
        'no such date: "{value}" (months run 1–12, quarters 1–4; February has 28 or 29 days)'
    ),
    "date.bad_quarter": 'cannot read the quarter "{value}"; use 2023Q1, 2023-Q1, Q1, 2023年一季度 or 一季度',
    "date.bad_week": (
        'cannot read the week "{value}"; use an ISO week that exists, e.g. 2023-W05, 2023W05, 2023年第5周'
    ),
}
