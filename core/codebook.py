"""The codebook (``data/codebook.csv``): names, NL/EN wording, scales and answer labels.

The UI is generated from it. Table 2 means and SDs are joined in from ``data/published/descriptives.csv``
so each published number lives in one file only.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import pandas as pd

from . import published
from .i18n import number
from .errors import DataIntegrityError, InputError
from .paths import DATA

LANGUAGES = ("en", "nl")


def _parse_labels(text) -> dict[int, str]:
    if not isinstance(text, str) or not text.strip():
        return {}
    labels = {}
    for part in text.split("|"):
        key, _, label = part.partition("=")
        labels[int(key)] = label.strip()
    return labels


@dataclass(frozen=True)
class Variable:
    """One codebook entry."""

    name: str
    role: str
    factor: str | None
    label: dict[str, str]
    short: dict[str, str]
    slider_min: float
    slider_max: float
    step: float
    answer_labels: dict[str, dict[int, str]] = field(default_factory=dict)
    labels_note: str = ""
    mean: float | None = None
    sd: float | None = None

    @property
    def is_factor(self) -> bool:
        return self.role == "predictor" and self.factor is not None

    def describe(self, value: float, lang: str) -> str:
        """A value in words: '3 — good', '2.5 — between moderate (2) and good (3)', '+1.0 SD'."""
        labels = self.answer_labels.get(lang, {})
        if self.is_factor:
            return f"{number(value, '+.1f', lang)} SD"
        if not labels:
            return number(value, "g", lang)
        rounded = round(value)
        if math.isclose(value, rounded, abs_tol=1e-9) and rounded in labels:
            return f"{rounded} — {labels[rounded]}"
        below, above = math.floor(value), math.ceil(value)
        if below in labels and above in labels:
            between = {"en": "between", "nl": "tussen"}[lang]
            conj = {"en": "and", "nl": "en"}[lang]
            return f"{number(value, '.1f', lang)} — {between} {labels[below]} ({below}) {conj} {labels[above]} ({above})"
        return number(value, ".1f", lang)


@functools.cache
def _frame() -> pd.DataFrame:
    path = DATA / "codebook.csv"
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except FileNotFoundError as exc:
        raise DataIntegrityError("The codebook data/codebook.csv is missing.") from exc
    if frame["name"].duplicated().any():
        raise DataIntegrityError("The codebook names a variable twice.")
    return frame


def table() -> pd.DataFrame:
    """The codebook as a DataFrame, with Table 2 (predictors) / Table 1b (items) mean and SD joined in."""
    frame = _frame().copy()
    desc = published.table("descriptives")[["variable", "source_table", "mean", "sd"]]
    desc = desc.rename(columns={"variable": "name", "source_table": "descriptives_source"})
    return frame.merge(desc, on="name", how="left")


@functools.cache
def _variables() -> dict[str, Variable]:
    out = {}
    for row in table().itertuples(index=False):
        out[row.name] = Variable(
            name=row.name,
            role=row.role,
            factor=row.factor if isinstance(row.factor, str) else None,
            label={"nl": row.label_nl, "en": row.label_en},
            short={"nl": row.short_nl, "en": row.short_en},
            slider_min=float(row.slider_min),
            slider_max=float(row.slider_max),
            step=float(row.step),
            answer_labels={"nl": _parse_labels(row.answer_labels_nl), "en": _parse_labels(row.answer_labels_en)},
            labels_note=row.labels_note if isinstance(row.labels_note, str) else "",
            mean=None if pd.isna(row.mean) else float(row.mean),
            sd=None if pd.isna(row.sd) else float(row.sd),
        )
    return out


def variable(name: str) -> Variable:
    """Look up one variable; an unknown name is a user error listing the valid ones."""
    variables = _variables()
    if name not in variables:
        known = ", ".join(v.name for v in variables.values() if v.role in ("predictor", "table4_term"))
        raise InputError(f"Unknown variable '{name}'. Known scenario variables: {known}.")
    return variables[name]


def exists(name: str) -> bool:
    """Whether the codebook knows a variable of this name."""
    return name in _variables()


def by_role(role: str) -> list[Variable]:
    """Variables of one role, in codebook order (predictors: Table 3 order)."""
    return [v for v in _variables().values() if v.role == role]


def predictors() -> list[Variable]:
    """The ten Table 3 predictors."""
    return by_role("predictor")


def items() -> list[Variable]:
    """The 25 Table 1a items."""
    return by_role("item")
