"""Messages of the date parser (taskctl.dates)."""

ZH: dict[str, str] = {}
EN: dict[str, str] = {}
