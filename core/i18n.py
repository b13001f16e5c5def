"""One translation table (``data/translations.csv``: key, en, nl) for every user-facing string."""
from __future__ import annotations

import functools

import pandas as pd

from .errors import DataIntegrityError
from .paths import DATA

LANGUAGES = ("en", "nl")


@functools.cache
def table() -> dict[str, dict[str, str]]:
    frame = pd.read_csv(DATA / "translations.csv", keep_default_na=False, dtype=str)
    if frame["key"].duplicated().any():
        dup = ", ".join(sorted(frame.loc[frame["key"].duplicated(), "key"]))
        raise DataIntegrityError(f"data/translations.csv defines these keys twice: {dup}.")
    return {row.key: {"en": row.en, "nl": row.nl} for row in frame.itertuples(index=False)}


def translate(key: str, lang: str, **values) -> str:
    """The string for ``key`` in ``lang`` with ``{placeholders}`` filled; a missing key is a bug (KeyError)."""
    entry = table()[key]
    text = entry[lang if lang in LANGUAGES else "en"] or entry["en"]
    return text.format(**values) if values else text
