"""Dates as people write them: every accepted form, the errors, and properties."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskctl import i18n
from taskctl.catalog import dates as catalog
from taskctl.dates import (
    DATE,
    IMMEDIATE,
    KINDS,
    ONGOING,
    PERIOD,
    RELATIVE,
    ParsedDate,
    format_date,
    parse_date,
    parse_quarter,
    parse_week,
    quarter_bounds,
    quarter_of,
)
from taskctl.errors import DateParseError, InvalidValue, TaskctlError

YEAR = 2023
TODAY = date(2023, 2, 15)  # a Wednesday in Q1


def parse(text, **kwargs) -> ParsedDate:
    kwargs.setdefault("year", YEAR)
    kwargs.setdefault("today", TODAY)
    return parse_date(text, **kwargs)


@pytest.fixture
def language():
    before = i18n.language()
    yield i18n.set_language
    i18n.set_language(before)


# text, expected date (role "end"), kind
FORMS = [
    # ISO and its variants
    ("2023-03-31", date(2023, 3, 31), DATE),
    ("2023/3/31", date(2023, 3, 31), DATE),
    ("2023.3.31", date(2023, 3, 31), DATE),
    ("20230331", date(2023, 3, 31), DATE),
    ("2023-3-5", date(2023, 3, 5), DATE),
    ("2024-02-29", date(2024, 2, 29), DATE),
    ("2023-03-31 00:00:00", date(2023, 3, 31), DATE),  # a spreadsheet's text cell
    ("2023-03-31T10:30", date(2023, 3, 31), DATE),
    ("3/31", date(2023, 3, 31), DATE),  # no year: the ledger's
    ("3.31", date(2023, 3, 31), DATE),
    # counted from the start (none given: today, 2023-02-15); working days: tests/test_workdays.py
    ("15日内", date(2023, 3, 2), "counted"),
    # Chinese days
    ("3月31日", date(2023, 3, 31), DATE),
    ("3月31号", date(2023, 3, 31), DATE),
    ("3月31", date(2023, 3, 31), DATE),
    ("6月30日前", date(2023, 6, 30), DATE),
    ("6月30日前完成", date(2023, 6, 30), DATE),
    ("2023年3月31日", date(2023, 3, 31), DATE),
    ("2024年3月31日", date(2024, 3, 31), DATE),
    ("十月一日", date(2023, 10, 1), DATE),
    ("十二月三十一日", date(2023, 12, 31), DATE),
    ("二〇二三年十二月三十一日", date(2023, 12, 31), DATE),
    ("二零二四年二月廿九日", date(2024, 2, 29), DATE),
    # months
    ("3月", date(2023, 3, 31), PERIOD),
    ("3月份", date(2023, 3, 31), PERIOD),
    ("3月底", date(2023, 3, 31), PERIOD),
    ("3月末", date(2023, 3, 31), PERIOD),
    ("3月内", date(2023, 3, 31), PERIOD),
    ("3月前", date(2023, 3, 31), PERIOD),
    ("3月底前", date(2023, 3, 31), PERIOD),
    ("3月底之前", date(2023, 3, 31), PERIOD),
    ("3月底以前", date(2023, 3, 31), PERIOD),
    ("2月底", date(2023, 2, 28), PERIOD),
    ("三月底", date(2023, 3, 31), PERIOD),
    ("十一月底", date(2023, 11, 30), PERIOD),
    ("十二月", date(2023, 12, 31), PERIOD),
    ("2023年5月", date(2023, 5, 31), PERIOD),
    ("2023年5月底前", date(2023, 5, 31), PERIOD),
    ("2024年2月底", date(2024, 2, 29), PERIOD),
    ("今年3月底", date(2023, 3, 31), PERIOD),
    ("2023-05", date(2023, 5, 31), PERIOD),
    ("2023/5", date(2023, 5, 31), PERIOD),
    # ten-day periods
    ("3月上旬", date(2023, 3, 10), PERIOD),
    ("3月中旬", date(2023, 3, 20), PERIOD),
    ("3月下旬", date(2023, 3, 31), PERIOD),
    ("2月下旬", date(2023, 2, 28), PERIOD),
    ("三月中旬前", date(2023, 3, 20), PERIOD),
    # quarters
    ("一季度", date(2023, 3, 31), PERIOD),
    ("二季度", date(2023, 6, 30), PERIOD),
    ("三季度", date(2023, 9, 30), PERIOD),
    ("四季度", date(2023, 12, 31), PERIOD),
    ("第一季度", date(2023, 3, 31), PERIOD),
    ("一季度末", date(2023, 3, 31), PERIOD),
    ("一季度底", date(2023, 3, 31), PERIOD),
    ("二季度末前", date(2023, 6, 30), PERIOD),
    ("Q1", date(2023, 3, 31), PERIOD),
    ("q1", date(2023, 3, 31), PERIOD),
    ("Q4", date(2023, 12, 31), PERIOD),
    ("2023Q1", date(2023, 3, 31), PERIOD),
    ("2023-Q1", date(2023, 3, 31), PERIOD),
    ("2024q2", date(2024, 6, 30), PERIOD),
    ("2023年一季度", date(2023, 3, 31), PERIOD),
    ("2024年第三季度", date(2024, 9, 30), PERIOD),
    # halves
    ("上半年", date(2023, 6, 30), PERIOD),
    ("下半年", date(2023, 12, 31), PERIOD),
    ("2023年上半年", date(2023, 6, 30), PERIOD),
    ("2024年下半年", date(2024, 12, 31), PERIOD),
    ("上半年前", date(2023, 6, 30), PERIOD),
    # the year
    ("年底", date(2023, 12, 31), PERIOD),
    ("年底前", date(2023, 12, 31), PERIOD),
    ("年内", date(2023, 12, 31), PERIOD),
    ("年末", date(2023, 12, 31), PERIOD),
    ("全年", date(2023, 12, 31), PERIOD),
    ("今年", date(2023, 12, 31), PERIOD),
    ("今年底", date(2023, 12, 31), PERIOD),
    ("今年年底", date(2023, 12, 31), PERIOD),
    ("本年度", date(2023, 12, 31), PERIOD),
    ("2024年底", date(2024, 12, 31), PERIOD),
    ("2024年年底前", date(2024, 12, 31), PERIOD),
    ("2024年", date(2024, 12, 31), PERIOD),
    # shortcuts, counted from today
    ("today", TODAY, RELATIVE),
    ("tomorrow", date(2023, 2, 16), RELATIVE),
    ("yesterday", date(2023, 2, 14), RELATIVE),
    ("今天", TODAY, RELATIVE),
    ("明天", date(2023, 2, 16), RELATIVE),
    ("eom", date(2023, 2, 28), RELATIVE),
    ("eoq", date(2023, 3, 31), RELATIVE),
    ("eoy", date(2023, 12, 31), RELATIVE),
    ("som", date(2023, 2, 1), RELATIVE),
    ("soq", date(2023, 1, 1), RELATIVE),
    ("soy", date(2023, 1, 1), RELATIVE),
    ("EOM", date(2023, 2, 28), RELATIVE),
    ("本月底", date(2023, 2, 28), RELATIVE),
    ("+3d", date(2023, 2, 18), RELATIVE),
    ("+2w", date(2023, 3, 1), RELATIVE),
    ("+1m", date(2023, 3, 15), RELATIVE),
    ("+1y", date(2024, 2, 15), RELATIVE),
    ("-3d", date(2023, 2, 12), RELATIVE),
    ("+0d", TODAY, RELATIVE),
    # no due date
    ("长期坚持", None, ONGOING),
    ("持续推进", None, ONGOING),
    ("长期", None, ONGOING),
    ("ongoing", None, ONGOING),
    ("Ongoing", None, ONGOING),
    ("常态化", None, ONGOING),
    ("长期推进", None, ONGOING),
    # full-width characters and spaces anywhere
    ("３月底", date(2023, 3, 31), PERIOD),
    ("Ｑ１", date(2023, 3, 31), PERIOD),
    ("２０２３－０３－３１", date(2023, 3, 31), DATE),
    ("2023 年 3 月 31 日", date(2023, 3, 31), DATE),
    ("  3 月底 前 ", date(2023, 3, 31), PERIOD),
    ("\u3000一季度\u3000", date(2023, 3, 31), PERIOD),
    ("+ 3 d", date(2023, 2, 18), RELATIVE),
]


@pytest.mark.parametrize(("text", "expected", "kind"), FORMS, ids=[f[0] for f in FORMS])
def test_every_form(text, expected, kind):
    parsed = parse(text)
    assert (parsed.date, parsed.kind) == (expected, kind)
    assert parsed.text == text.strip()


def test_kinds_are_the_documented_ones():
    assert {kind for _, _, kind in FORMS} | {IMMEDIATE} == set(KINDS)


# text, first day (role "start"), last day (role "end")
PERIODS = [
    ("一季度", date(2023, 1, 1), date(2023, 3, 31)),
    ("二季度", date(2023, 4, 1), date(2023, 6, 30)),
    ("Q4", date(2023, 10, 1), date(2023, 12, 31)),
    ("2024Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ("上半年", date(2023, 1, 1), date(2023, 6, 30)),
    ("下半年", date(2023, 7, 1), date(2023, 12, 31)),
    ("3月", date(2023, 3, 1), date(2023, 3, 31)),
    ("3月前", date(2023, 3, 1), date(2023, 3, 31)),
    ("3月上旬", date(2023, 3, 1), date(2023, 3, 10)),
    ("3月中旬", date(2023, 3, 11), date(2023, 3, 20)),
    ("3月下旬", date(2023, 3, 21), date(2023, 3, 31)),
    ("2023年5月", date(2023, 5, 1), date(2023, 5, 31)),
    ("2023-05", date(2023, 5, 1), date(2023, 5, 31)),
    ("年内", date(2023, 1, 1), date(2023, 12, 31)),
    ("全年", date(2023, 1, 1), date(2023, 12, 31)),
    ("今年", date(2023, 1, 1), date(2023, 12, 31)),
]


@pytest.mark.parametrize(("text", "first", "last"), PERIODS, ids=[p[0] for p in PERIODS])
def test_a_period_is_its_last_day_except_for_a_start(text, first, last):
    assert parse(text).date == last
    assert parse(text, role="end").date == last
    start = parse(text, role="start")
    assert (start.date, start.kind) == (first, PERIOD)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3月底", date(2023, 3, 31)),
        ("3月末", date(2023, 3, 31)),
        ("一季度末", date(2023, 3, 31)),
        ("上半年底", date(2023, 6, 30)),
        ("年底", date(2023, 12, 31)),
        ("年末", date(2023, 12, 31)),
    ],
)
def test_an_end_named_by_di_or_mo_stays_the_end_for_a_start(text, expected):
    assert parse(text, role="start").date == expected


@pytest.mark.parametrize("text", ["3月31日", "2023-03-31", "today", "+3d", "eom", "长期坚持"])
def test_role_does_not_change_days_shortcuts_or_ongoing(text):
    assert parse(text, role="start") == parse(text, role="end")


def test_role_must_be_start_or_end():
    with pytest.raises(ValueError):
        parse("3月", role="due")


def test_text_without_a_year_falls_in_the_ledger_year_and_shortcuts_follow_today():
    assert parse("3月底", year=2024).date == date(2024, 3, 31)
    assert parse("一季度", year=2024, role="start").date == date(2024, 1, 1)
    assert parse("年底前", year=2024).date == date(2024, 12, 31)
    assert parse("2月底", year=2024).date == date(2024, 2, 29)
    assert parse("eom", year=2024).date == date(2023, 2, 28)
    assert parse("eoy", year=2024).date == date(2023, 12, 31)
    assert parse("+1m", year=2024).date == date(2023, 3, 15)


def test_shortcuts_at_month_and_quarter_ends():
    assert parse("+1m", today=date(2023, 1, 31)).date == date(2023, 2, 28)
    assert parse("eom", today=date(2024, 2, 10)).date == date(2024, 2, 29)
    assert parse("eoq", today=date(2023, 11, 5)).date == date(2023, 12, 31)
    assert parse("soq", today=date(2023, 11, 5)).date == date(2023, 10, 1)
    assert parse("tomorrow", today=date(2023, 12, 31)).date == date(2024, 1, 1)


def test_immediate_is_due_on_the_start_date_or_today():
    with_start = parse("立行立改", start=date(2023, 1, 5))
    assert with_start == ParsedDate(date(2023, 1, 5), IMMEDIATE, "立行立改")
    without = parse("立行立改")
    assert (without.date, without.kind) == (TODAY, IMMEDIATE)


def test_spreadsheet_cells():
    assert parse(date(2023, 3, 31)) == ParsedDate(date(2023, 3, 31), DATE, "2023-03-31")
    cell = datetime.datetime(2023, 3, 31, 14, 30)
    assert parse(cell) == ParsedDate(date(2023, 3, 31), DATE, "2023-03-31")
    # a cell is a day, whatever the role
    assert parse(date(2023, 3, 31), role="start").date == date(2023, 3, 31)


IMPOSSIBLE = [
    "2月30日", "2月29日", "13月", "0月", "13月底", "4月31日", "3月32日", "3月0日", "2023-02-29",
    "2023-13-01", "2023/4/31", "20230230", "0000-01-01", "2023年2月30日", "二月三十日",
    "十三月", "Q5", "q0", "2023Q5", "五季度", "+9999999d", "-9999999y", "+999999m", "13/1",
]


@pytest.mark.parametrize("text", IMPOSSIBLE)
def test_impossible_dates_are_errors_not_roll_overs(text):
    with pytest.raises(DateParseError) as caught:
        parse(text)
    assert caught.value.key == "date.impossible"
    assert caught.value.params["value"] == text


UNREADABLE = [
    "", "   ", "\n\t", "xyz", "next week", "前", "年", "3月初", "月", "3/31/2023", "31.3.2023",
    "2023-3/31", "季度", "十十月", "3月31日日", "3d", "+3", "+3x", "长期坚持前完成x",
    "2月下旬0日", "明年", "03月3100日",
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_text(text):
    with pytest.raises(DateParseError) as caught:
        parse(text)
    assert caught.value.key == "date.unreadable"


def test_errors_belong_to_the_hierarchy():
    with pytest.raises(InvalidValue):
        parse("xyz")
    with pytest.raises(TaskctlError):
        parse("2月30日")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("text", "key"), [("下个月吧", "date.unreadable"), ("2月30日", "date.impossible")])
def test_messages_quote_the_input_on_one_line_in_both_languages(language, lang, text, key):
    language(lang)
    with pytest.raises(DateParseError) as caught:
        parse(text)
    assert caught.value.key == key
    message = caught.value.message()
    assert text in message
    assert "\n" not in message
    assert message == i18n.catalogues()[lang][key].format(**caught.value.params)


def test_unreadable_message_lists_accepted_forms(language):
    language("en")
    message = pytest.raises(DateParseError, parse, "someday").value.message()
    assert message.startswith('cannot read the date "someday"')
    for form in ("2023-03-31", "3月底", "一季度", "Q1", "上半年", "年底前", "eom", "+3d", "长期坚持"):
        assert form in message
    language("zh")
    message = pytest.raises(DateParseError, parse, "改天").value.message()
    assert "“改天”" in message and "3月底" in message


def test_quoted_input_is_kept_on_one_line_and_short():
    error = pytest.raises(DateParseError, parse, "3月\n底\x00吧").value
    assert error.params["value"] == "3月 底 吧"
    long = pytest.raises(DateParseError, parse, "很" * 500).value
    assert len(long.params["value"]) <= 60


def test_catalogue_has_the_same_keys_in_both_languages():
    assert set(catalog.ZH) == set(catalog.EN)
    assert {"date.unreadable", "date.impossible", "date.bad_quarter", "date.bad_week"} <= set(catalog.EN)
    for text in list(catalog.ZH.values()) + list(catalog.EN.values()):
        assert "\n" not in text and "{value}" in text


# --------------------------------------------------------------------------- quarters and weeks


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2023, 1, 1), (2023, 1)),
        (date(2023, 3, 31), (2023, 1)),
        (date(2023, 4, 1), (2023, 2)),
        (date(2023, 9, 30), (2023, 3)),
        (date(2023, 12, 31), (2023, 4)),
    ],
)
def test_quarter_of(d, expected):
    assert quarter_of(d) == expected


@pytest.mark.parametrize(
    ("year", "q", "first", "last"),
    [
        (2023, 1, date(2023, 1, 1), date(2023, 3, 31)),
        (2023, 2, date(2023, 4, 1), date(2023, 6, 30)),
        (2023, 3, date(2023, 7, 1), date(2023, 9, 30)),
        (2023, 4, date(2023, 10, 1), date(2023, 12, 31)),
        (2024, 1, date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_quarter_bounds(year, q, first, last):
    assert quarter_bounds(year, q) == (first, last)


@pytest.mark.parametrize(("year", "q"), [(2023, 0), (2023, 5), (0, 1)])
def test_quarter_bounds_rejects_what_does_not_exist(year, q):
    with pytest.raises(DateParseError) as caught:
        quarter_bounds(year, q)
    assert caught.value.key == "date.bad_quarter"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023Q1", (2023, 1)),
        ("2023-Q1", (2023, 1)),
        ("2023q1", (2023, 1)),
        ("2024Q3", (2024, 3)),
        ("Q1", (2023, 1)),
        ("q4", (2023, 4)),
        ("Ｑ２", (2023, 2)),
        ("2023年一季度", (2023, 1)),
        ("2024年第四季度", (2024, 4)),
        ("一季度", (2023, 1)),
        ("二季度", (2023, 2)),
        (None, (2023, 1)),
        ("", (2023, 1)),
        ("  ", (2023, 1)),
    ],
)
def test_parse_quarter(text, expected):
    assert parse_quarter(text, today=TODAY) == expected


def test_parse_quarter_without_a_year_uses_todays_year():
    assert parse_quarter("Q2", today=date(2025, 8, 1)) == (2025, 2)
    assert parse_quarter(None, today=date(2025, 8, 1)) == (2025, 3)


@pytest.mark.parametrize("text", ["Q5", "Q0", "2023", "2023Q", "五季度", "3月", "0000Q1", "2023W05", "xyz"])
def test_parse_quarter_rejects(text):
    with pytest.raises(DateParseError) as caught:
        parse_quarter(text, today=TODAY)
    assert caught.value.key == "date.bad_quarter"
    assert text in caught.value.message()


@pytest.mark.parametrize(
    ("text", "monday", "sunday"),
    [
        ("2023-W05", date(2023, 1, 30), date(2023, 2, 5)),
        ("2023W05", date(2023, 1, 30), date(2023, 2, 5)),
        ("2023-W5", date(2023, 1, 30), date(2023, 2, 5)),
        ("2023-w05", date(2023, 1, 30), date(2023, 2, 5)),
        ("2023年第5周", date(2023, 1, 30), date(2023, 2, 5)),
        ("2023-W01", date(2023, 1, 2), date(2023, 1, 8)),
        ("2023-W52", date(2023, 12, 25), date(2023, 12, 31)),
        ("2020-W53", date(2020, 12, 28), date(2021, 1, 3)),  # a week across the year end
        ("2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
        ("2021-W01", date(2021, 1, 4), date(2021, 1, 10)),
        (None, date(2023, 2, 13), date(2023, 2, 19)),
        ("", date(2023, 2, 13), date(2023, 2, 19)),
    ],
)
def test_parse_week(text, monday, sunday):
    assert parse_week(text, today=TODAY) == (monday, sunday)
    assert monday.isoweekday() == 1 and sunday.isoweekday() == 7


def test_week_of_today_at_a_year_end():
    assert parse_week(None, today=date(2021, 1, 1)) == (date(2020, 12, 28), date(2021, 1, 3))
    assert parse_week(None, today=date(2023, 2, 19)) == (date(2023, 2, 13), date(2023, 2, 19))


@pytest.mark.parametrize(
    "text", ["2023-W53", "2023-W00", "2023-W54", "0000-W01", "2023-05", "W", "2023", "xyz"]
)
def test_parse_week_rejects(text):
    with pytest.raises(DateParseError) as caught:
        parse_week(text, today=TODAY)
    assert caught.value.key == "date.bad_week"
    assert text in caught.value.message()


def test_format_date():
    assert format_date(date(2023, 3, 1)) == "2023-03-01"
    assert format_date(datetime.datetime(2023, 3, 1, 9, 0)) == "2023-03-01"
    assert format_date(None) == ""


# --------------------------------------------------------------------------- properties

_DATE_ALPHABET = st.sampled_from(
    list("0123456789年月日号底末前内季度第上中下旬半份之以完成今本全〇零一二三四五六七八九十廿卅两")
    + list("qQwWdmyeostT-/.+: \u3000")
    + ["长期坚持", "立行立改", "today", "eom", "2023", "12", "31"]
)


@given(st.text())
def test_any_text_fails_only_with_a_date_error(text):
    try:
        parsed = parse(text)
    except DateParseError as error:
        assert error.key in ("date.unreadable", "date.impossible")
        assert "\n" not in error.message()
    else:
        assert parsed.kind in KINDS
        assert parsed.text == text.strip()


@given(st.lists(_DATE_ALPHABET, max_size=10).map("".join), st.sampled_from(["start", "end"]))
def test_date_like_text_fails_only_with_a_date_error(text, role):
    try:
        parsed = parse(text, role=role)
    except DateParseError as error:
        assert error.key in ("date.unreadable", "date.impossible")
    else:
        assert parsed.kind in KINDS
        assert (parsed.date is None) == (parsed.kind == ONGOING)


@given(st.text())
def test_quarters_and_weeks_fail_only_with_their_errors(text):
    for read, key in ((parse_quarter, "date.bad_quarter"), (parse_week, "date.bad_week")):
        try:
            read(text, today=TODAY)
        except DateParseError as error:
            assert error.key == key


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_every_date_round_trips(d):
    for text in (
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}-{d.month}-{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        d.strftime("%Y%m%d"),
    ):
        assert parse(text) == ParsedDate(d, DATE, text), text
    assert parse(d) == ParsedDate(d, DATE, format_date(d))


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_month_periods_bracket_their_days(d):
    first = parse(f"{d.year}年{d.month}月", role="start").date
    last = parse(f"{d.year}年{d.month}月", role="end").date
    assert first <= d <= last
    assert first.day == 1 and (last + datetime.timedelta(days=1)).day == 1
    q_first, q_last = quarter_bounds(*quarter_of(d))
    assert q_first <= d <= q_last
    assert parse(f"{d.year}Q{quarter_of(d)[1]}").date == q_last
