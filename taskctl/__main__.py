"""Entry point: settle the language, then build the CLI.

Typer fixes help text when commands are defined, so the language must be
known before ``taskctl.cli.app`` is imported.  Nothing here imports the ORM.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    from taskctl.i18n import detect_language, set_language

    set_language(detect_language(sys.argv[1:]))
    from taskctl.cli.app import app_for

    app_for(_words())(prog_name="taskctl")


def _words() -> list[str]:
    """The words after ``taskctl``: the command line, or the line being completed on TAB."""
    if os.environ.get("_TASKCTL_COMPLETE"):
        words = os.environ.get("COMP_WORDS", "").split()[1:]
        cword = int(os.environ.get("COMP_CWORD", "0") or 0)
        return words if cword > 1 else []  # completing the command's own name: the whole tree
    return sys.argv[1:]


if __name__ == "__main__":
    main()
