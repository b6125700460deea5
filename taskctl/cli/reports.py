"""(being written) — registers its commands on the main app."""


def register(app) -> None:
    return None
