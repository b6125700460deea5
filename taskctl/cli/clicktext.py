"""Click's own words in the interface language, and help that fits 80 columns in Chinese.

Typer's Click prints its usage line, headings, option extras and usage errors in English, and
its vendored copy no longer goes through gettext, so a gettext catalogue would not reach them.
Instead this module, in one place:

- sets a help formatter (``Context.formatter_class``, Click's documented hook) that translates
  the usage prefix, headings, metavars and the ``[default: …]`` extras, and wraps by display
  width, so that Chinese text wraps within 80 columns (Click measures characters, not cells);
- gives every command an explicit short help (Click shortens a help line at a space; Chinese has
  none, so without it ``taskctl --help`` showed "..."), and every argument a metavar in the
  interface language (``{title}`` → ``{任务名称}``);
- shows usage errors (No such option, Missing argument, Invalid value …) translated, matched on
  Click's English text: an unknown message is shown as Click wrote it.

Everything goes through the catalogue (``taskctl/catalog/ui.py``); in English the words are
Click's own. Only typer is imported here, so ``taskctl --help`` stays quick.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Any

from taskctl.i18n import catalogues, t

# ---------------------------------------------------------------- display width and wrapping

_CLOSING = set("，。；：、！？）》」』”’…％")  # never starts a line
_OPENING = set("（《「『“‘")  # never ends a line


def cell_width(text: str) -> int:
    """Terminal cells: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _tokens(text: str) -> list[str]:
    """Words to wrap between: an ASCII run, or one wide character; spaces are tokens of their own;
    closing punctuation sticks to what precedes it and opening punctuation to what follows."""
    out: list[str] = []
    word = ""
    glue = False  # the previous token was opening punctuation
    for ch in text:
        if ch == " ":
            if word:
                out.append(word)
                word = ""
            out.append(" ")
            glue = False
            continue
        wide = unicodedata.east_asian_width(ch) in "WF"
        if not wide:  # ASCII runs (Q1=25,Q2=50, --group-by, 2023-03-31) never break inside
            if glue and out and not word:
                word = out.pop()
            word += ch
            glue = False
            continue
        if word:
            out.append(word)
            word = ""
        if ch in _CLOSING and out and out[-1] != " ":
            out[-1] += ch
        elif glue and out:
            out[-1] += ch
        else:
            out.append(ch)
        glue = ch in _OPENING
    if word:
        if glue and out:
            out[-1] += word
        else:
            out.append(word)
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells (a single longer word stays whole)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in _tokens(paragraph.strip()):
            if token == " " and not line:
                continue
            if line and cell_width(line) + cell_width(token) > width:
                lines.append(line.rstrip())
                line = "" if token == " " else token
            else:
                line += token
        lines.append(line.rstrip())
    return lines


# ---------------------------------------------------------------- words

def word(english: str) -> str:
    """Click's English phrase in the interface language (the catalogue key is ``click:<phrase>``)."""
    return t("click:" + english) if ("click:" + english) in catalogues()["en"] else english


_EXTRA = [
    (re.compile(r"^default: (?P<value>.*)$", re.S), "click.default"),
    (re.compile(r"^env var: (?P<value>.*)$", re.S), "click.env_var"),
    (re.compile(r"^required$"), "click.required"),
]
_METAVAR = re.compile(r"<(list\[)?(str|int|float|text|integer|path|file|filename|datetime)(?: range)?\]?>", re.I)
_RANGE = re.compile(r"^[-\d.]*(?:<=?)?x(?:[<>]=?[-\d.]+)?$")


def metavar_words(text: str) -> str:
    """``<str>`` → ``<文本>``, ``<list[int]>`` → ``<整数>...``; choices (values a user types) stay."""
    def one(m: re.Match) -> str:
        name = t("metavar." + m.group(2).lower())
        return f"<{name}>..." if m.group(1) else f"<{name}>"

    text = _METAVAR.sub(one, text)
    return text.replace("[OPTIONS]", word("[OPTIONS]")).replace("COMMAND [ARGS]...", word("COMMAND [ARGS]..."))


def help_words(text: str) -> str:
    """An option's help: Click's own help lines translated, the trailing ``[default: …]`` too."""
    text = word(text) if not text.startswith("[") else text
    m = re.search(r"\[([^\[\]]*)\]$", text)
    if not m:
        return text
    parts = []
    for part in m.group(1).split("; "):
        for pattern, key in _EXTRA:
            found = pattern.match(part)
            if found:
                part = t(key, **found.groupdict())
                break
        else:
            if _RANGE.match(part):  # a number range: "x>=0", "0<=x<=100"
                part = part.replace("x", t("click.range_value"))
        parts.append(part)
    return text[:m.start()] + "[" + t("click.extra_sep").join(parts) + "]"


# ---------------------------------------------------------------- the help formatter

def formatter_class(base: type) -> type:
    class Formatter(base):  # type: ignore[misc, valid-type]
        """Click's HelpFormatter, translated, wrapping by display width."""

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            prefix = t("click.usage") if prefix is None else prefix
            head = f"{'':>{self.current_indent}}{prefix}{prog} "
            lines = wrap(metavar_words(args), max(self.width - cell_width(head), 20))
            pad = " " * cell_width(head)
            self.write(head + ("\n" + pad).join(lines) + "\n")

        def write_heading(self, heading: str) -> None:
            self.write(f"{'':>{self.current_indent}}{t('click.heading', heading=word(heading))}\n")

        def write_text(self, text: str) -> None:
            indent = " " * self.current_indent
            paragraphs = re.split(r"\n\s*\n", text.strip("\n"))
            out = []
            for para in paragraphs:
                out.append("\n".join(indent + line for line in wrap(" ".join(para.split()),
                                                                        self.width - self.current_indent)))
            self.write("\n\n".join(out) + "\n")

        def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
            rows = [(metavar_words(first), help_words(second) if second else second) for first, second in rows]
            if not rows:
                return
            first_col = min(max(cell_width(r[0]) for r in rows), col_max) + col_spacing
            indent = " " * self.current_indent
            for first, second in rows:
                self.write(indent + first)
                if not second:
                    self.write("\n")
                    continue
                if cell_width(first) <= first_col - col_spacing:
                    self.write(" " * (first_col - cell_width(first)))
                else:
                    self.write("\n" + " " * (first_col + self.current_indent))
                lines = wrap(second, max(self.width - first_col - self.current_indent, 10))
                self.write(lines[0] + "\n")
                for line in lines[1:]:
                    self.write(" " * (first_col + self.current_indent) + line + "\n")

    return Formatter


def _click_modules() -> list[Any]:
    """The Click the installed Typer uses (its vendored copy, or click itself)."""
    mods = []
    core = sys.modules.get("typer.core")
    inner = getattr(core, "_click", None)
    if inner is not None:
        mods.append(inner)
    try:
        import click

        if click not in mods:
            mods.append(click)
    except ImportError:
        pass
    return mods


def install() -> None:
    """Translated help for every Click context (idempotent)."""
    for mod in _click_modules():
        ctx_class = mod.Context
        if not getattr(ctx_class.formatter_class, "_taskctl", False):
            cls = formatter_class(ctx_class.formatter_class)
            cls._taskctl = True
            ctx_class.formatter_class = cls


# ---------------------------------------------------------------- the command tree

def _short_help(help_text: str) -> str:
    """The first line of a command's help, up to its first full stop (Chinese or English)."""
    first = help_text.strip().splitlines()[0].strip() if help_text and help_text.strip() else ""
    m = re.search(r"(。|\. )", first)
    return first[:m.start() + (1 if m.group(1) == "。" else 0)].rstrip("。") if m else first


def prepare(command: Any) -> None:
    """Every command gets a short help and every argument a metavar in the interface language.
    Walks the whole tree, so commands added later are covered without declaring anything."""
    known = catalogues()["en"]
    for param in getattr(command, "params", []):
        kind = getattr(param, "param_type_name", "")
        if kind == "argument" and not param.metavar:
            key = "metavar.arg." + (param.name or "")
            param.metavar = t(key) if key in known else t("metavar.value")
        elif kind == "option" and not getattr(param, "is_flag", False) and "|" not in (param.metavar or ""):
            key = "metavar.opt." + (param.name or "")  # a catalogue entry wins over a declared EXT_ID
            if key in known:
                param.metavar = f"<{t(key)}>"
    if getattr(command, "short_help", None) is None and getattr(command, "help", None):
        command.short_help = _short_help(command.help)
    for sub in getattr(command, "commands", {}).values():
        prepare(sub)


# ---------------------------------------------------------------- usage errors

_ERRORS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^No such option: (?P<name>\S+)(?: \(Possible options: (?P<options>.*)\))?$", re.S),
     "click.no_such_option"),
    (re.compile(r"^No such option: (?P<name>\S+)(?: Did you mean (?P<options>.*)\?)?$", re.S), "click.no_such_option"),
    (re.compile(r"^Missing (?P<kind>argument|option|parameter) (?P<hint>.+?)\.(?: (?P<extra>.*))?$", re.S),
     "click.missing"),
    (re.compile(r"^Invalid value for (?P<hint>.+?): (?P<detail>.*)$", re.S), "click.invalid_for"),
    (re.compile(r"^Invalid value: (?P<detail>.*)$", re.S), "click.invalid"),
    (re.compile(r"^Option '(?P<name>[^']+)' requires an argument\.$"), "click.needs_value"),
    (re.compile(r"^Option '(?P<name>[^']+)' requires (?P<n>\d+) arguments\.$"), "click.needs_values"),
    (re.compile(r"^Option '(?P<name>[^']+)' does not take a value\.$"), "click.no_value"),
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$", re.S), "click.extra_args"),
    (re.compile(r"^No such command '(?P<name>.*)'\.$", re.S), "click.no_such_command"),
    (re.compile(r"^Missing command\.$"), "click.missing_command"),
]

_DETAILS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^Value error, (?P<detail>.*)$", re.S), ""),
    (re.compile(r"^Input should be a valid number.*$", re.S), "click.want_number"),
    (re.compile(r"^Input should be a valid integer.*$", re.S), "click.want_integer"),
    (re.compile(r"^'(?P<value>.*)' is not a valid (?:integer|int)\.?$", re.S), "click.want_integer"),
    (re.compile(r"^'(?P<value>.*)' is not a valid (?:float|number)( range)?\.?$", re.S), "click.want_number"),
    (re.compile(r"^Input should be greater than or equal to (?P<n>\S+)$"), "click.at_least"),
    (re.compile(r"^Input should be less than or equal to (?P<n>\S+)$"), "click.at_most"),
    (re.compile(r"^Input should be greater than (?P<n>\S+)$"), "click.above"),
    (re.compile(r"^Input should be less than (?P<n>\S+)$"), "click.below"),
    # Click's ranges: "1800 is not in the range 1990<=x<=2100." (pydantic's wording is above)
    (re.compile(r"^(?P<value>.*?) is not in the range (?P<lo>[^<>=\s]+)<=x<=(?P<hi>[^<>=\s]+?)\.?$", re.S),
     "click.between"),
    (re.compile(r"^(?P<value>.*?) is not in the range x>=(?P<n>[^<>=\s]+?)\.?$", re.S), "click.value_at_least"),
    (re.compile(r"^(?P<value>.*?) is not in the range x<=(?P<n>[^<>=\s]+?)\.?$", re.S), "click.value_at_most"),
    (re.compile(r"^(?P<value>.*?) is not in the range (?P<range>.*?)\.?$", re.S), "click.out_of_range"),
    (re.compile(r"^'?(?P<value>.*?)'? is not one of (?P<choices>.*?)\.?$", re.S), "click.not_one_of"),
    (re.compile(r"^'?(?P<value>.*?)'? is not a valid boolean\.?$", re.S), "click.want_bool"),
]


def _detail(text: str) -> str:
    for pattern, key in _DETAILS:
        m = pattern.match(text)
        if m:
            if not key:
                return _detail(m.group("detail"))
            return t(key, **{k: (v or "") for k, v in m.groupdict().items()})
    return text


def _hint_words(hint: str) -> str:
    """``'--by' / '-b'`` as the interface language writes option names."""
    names = re.findall(r"'([^']*)'", hint)
    if not names:
        return hint
    return t("click.or").join(t("click.hint_item", name=n) for n in names)


def error_text(message: str) -> str:
    """One Click usage error in the interface language (as Click wrote it when not recognised)."""
    for pattern, key in _ERRORS:
        m = pattern.match(message)
        if not m:
            continue
        found = {k: (v or "") for k, v in m.groupdict().items()}
        if key == "click.no_such_option" and found.get("options"):
            return t("click.no_such_option", name=found["name"]) + t("click.did_you_mean", options=found["options"])
        if key == "click.missing":
            found["kind"] = t(f"click.kind_{found['kind']}")
            found["hint"] = _hint_words(found["hint"])
            text = t(key, kind=found["kind"], hint=found["hint"])
            return text + (" " + _detail(found["extra"]) if found.get("extra") else "")
        if "hint" in found:
            found["hint"] = _hint_words(found["hint"])
        if "detail" in found:
            found["detail"] = _detail(found["detail"])
        return t(key, **found)
    return message


def show_error(exc: Any) -> None:
    """What Click's ``UsageError.show`` prints — usage, a hint, the error — in the interface language."""
    import typer

    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":
        typer.echo(exc.format_message(), err=True)
        return
    if ctx is not None and hasattr(exc, "ctx"):
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = t("click.try_help", command=f"{ctx.command_path} {ctx.help_option_names[0]}") + "\n"
        typer.echo(f"{ctx.get_usage()}\n{hint}", err=True)
    if type(exc).__name__ == "FileError":
        message = exc.format_message()
    else:
        message = error_text(exc.format_message())
    typer.echo(t("click.error") + message, err=True)
