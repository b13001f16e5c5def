"""One translation table (``data/translations.csv``: key, en, nl) for every user-facing string."""
from __future__ import annotations

import functools
import re

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


@functools.cache
def phrases(lang: str) -> tuple[tuple["re.Pattern", str], ...]:
    """The translation table's 'phrase.*' rows as (whole-word pattern of the English, text in ``lang``),
    longest first, for text composed in core/ (the audit's and fidelity's descriptions). Built once."""
    rows = sorted((row for key, row in table().items() if key.startswith("phrase.")), key=lambda r: -len(r["en"]))
    return tuple((re.compile(rf"(?<![A-Za-z]){re.escape(r['en'])}(?![A-Za-z])"), r[lang] or r["en"]) for r in rows)


def number(value, spec: str, lang: str) -> str:
    """``format(value, spec)`` with the language's decimal mark: 0.25 in English is 0,25 in Dutch.
    Empty for a missing value. (No thousands separators are used anywhere, so only the mark changes.)"""
    if value is None or value != value:
        return ""
    text = format(value, spec)
    return text.replace(".", ",") if lang == "nl" else text


# Vega-Lite and Plotly settings that give charts the language's decimal mark.
VEGA_LOCALE = {"nl": {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}}}
PLOTLY_SEPARATORS = {"nl": ",.", "en": ".,"}
