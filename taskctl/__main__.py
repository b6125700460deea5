"""Entry point: settle the language, then build the CLI.

Typer fixes help text when commands are defined, so the language must be
known before ``taskctl.cli.app`` is imported.  Nothing here imports the ORM.
"""

from __future__ import annotations

import sys


def main() -> None:
    from taskctl.i18n import detect_language, set_language

    set_language(detect_language(sys.argv[1:]))
    from taskctl.cli.app import app

    app(prog_name="taskctl")


if __name__ == "__main__":
    main()
