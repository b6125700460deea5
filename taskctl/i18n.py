"""The message catalogue: Simplified Chinese and English for every user-facing string.

Catalogue entries live in ``taskctl/catalog/<domain>.py`` modules, each defining
``ZH`` and ``EN`` dicts with the same keys (a test checks this).  The language is
settled once, before the command modules are imported, because Typer fixes help
text when commands are defined: ``--lang`` on the command line, else
``TASKCTL_LANG``, else the locale (``zh_*`` -> zh), else English.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
from collections.abc import Iterator, Sequence

LANGUAGES = ("zh", "en")
_language: str | None = None
_catalogues: dict[str, dict[str, str]] | None = None


def _load() -> dict[str, dict[str, str]]:
    global _catalogues
    if _catalogues is None:
        import taskctl.catalog as pkg

        merged: dict[str, dict[str, str]] = {"zh": {}, "en": {}}
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"taskctl.catalog.{info.name}")
            merged["zh"].update(module.ZH)
            merged["en"].update(module.EN)
        _catalogues = merged
    return _catalogues


def catalogues() -> dict[str, dict[str, str]]:
    return _load()


def _normalise(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith("zh") or value in {"cn", "chinese", "中文"}:
        return "zh"
    if value.startswith("en") or value in {"英文", "英语", "english"}:
        return "en"
    return None


def detect_language(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> str:
    """``--lang`` in argv, else TASKCTL_LANG, else the locale, else English."""
    env = os.environ if environ is None else environ
    args = list(argv or [])
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = _normalise(args[i + 1])
            if found:
                return found
        elif arg.startswith("--lang="):
            found = _normalise(arg.split("=", 1)[1])
            if found:
                return found
    found = _normalise(env.get("TASKCTL_LANG"))
    if found:
        return found
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        loc = env.get(var)
        if loc:
            return "zh" if loc.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str) -> None:
    global _language
    found = _normalise(lang)
    _language = found or "en"


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Build something in ``lang`` whatever the interface language (``export weekly --headers zh``)."""
    global _language
    before = language()
    set_language(lang)
    try:
        yield
    finally:
        _language = before


def language() -> str:
    global _language
    if _language is None:
        _language = detect_language([])
    return _language


def t(key: str, /, **params: object) -> str:
    """The message ``key`` in the interface language, formatted with ``params``."""
    cats = _load()
    text = cats[language()].get(key)
    if text is None:
        text = cats["en"].get(key, key)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def both(key: str) -> tuple[str, str]:
    cats = _load()
    return cats["zh"].get(key, key), cats["en"].get(key, key)
