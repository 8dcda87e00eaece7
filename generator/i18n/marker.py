"""The marker for strings written in Python: extracted into the catalogs, translated where printed."""


def N_(message: str) -> str:
    return message
