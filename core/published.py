"""The paper's published numbers, read from the tidy files in ``data/published/``.

Every row carries the table (and row) it came from. Loading validates the files; disagreements
*between* published numbers are reported by :func:`load_checks`, never silently fixed.
"""
from __future__ import annotations

import functools
import math

import pandas as pd

from .errors import DataIntegrityError
from .paths import PUBLISHED

OUTCOMES = ("intention", "attitude")
MODELS = ("table3", "A", "B", "C")
TABLE3_TERMS = (
    "safety", "socioeconomic", "permit_expectation", "illegal_attractiveness", "dtv_conversations",
    "ties_origin", "ties_nl", "travel_documents", "return_money", "health", "const",
)
STARS = ("", "~", "*", "**")

_REQUIRED_COLUMNS = {
    "coefficients": ["source_table", "outcome", "model", "term", "B", "B_std", "exp_B", "stars"],
    "fit": ["source_table", "outcome", "model", "statistic", "value"],
    "loadings": ["source_table", "factor", "item", "loading", "eigenvalue"],
    "descriptives": ["source_table", "variable", "N", "min", "max", "mean", "sd"],
    "worked_examples": ["example_id", "source_section", "outcome", "variable", "delta", "published_pct"],
    "text_statistics": ["source_section", "statistic", "value"],
    "footnote7_loadings": ["source_table", "factor", "measure", "loading", "eigenvalue"],
    "significance_claims": ["source_section", "outcome", "model", "term", "claim", "quote_nl"],
}


@functools.cache
def table(name: str) -> pd.DataFrame:
    """One published table as a tidy DataFrame (cached; callers get a copy)."""
    if name not in _REQUIRED_COLUMNS:
        raise DataIntegrityError(f"There is no published table called '{name}'.")
    path = PUBLISHED / f"{name}.csv"
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"stars": str})
    except FileNotFoundError as exc:
        raise DataIntegrityError(f"The data file {path.name} is missing from data/published/.") from exc
    missing = [c for c in _REQUIRED_COLUMNS[name] if c not in frame.columns]
    if missing:
        raise DataIntegrityError(f"{path.name} lacks the column(s) {', '.join(missing)}.")
    if "stars" in frame.columns:
        frame["stars"] = frame["stars"].fillna("")
        bad = sorted(set(frame["stars"]) - set(STARS))
        if bad:
            raise DataIntegrityError(f"{path.name} has unknown significance marks {bad}; use '', '~', '*' or '**'.")
    return frame


def coefficients(outcome: str | None = None, model: str | None = None) -> pd.DataFrame:
    """Published B (and for Table 3 standardized B, Exp(B), stars), filtered by outcome/model."""
    frame = table("coefficients").copy()
    if outcome is not None:
        frame = frame[frame["outcome"] == outcome]
    if model is not None:
        frame = frame[frame["model"] == model]
    return frame.reset_index(drop=True)


def model_coefficients(outcome: str, model: str = "table3") -> pd.Series:
    """B per term (including ``const``) of one published model, as a Series indexed by term."""
    if outcome not in OUTCOMES:
        raise DataIntegrityError(f"Unknown outcome '{outcome}'; choose one of {', '.join(OUTCOMES)}.")
    if model not in MODELS:
        raise DataIntegrityError(f"Unknown model '{model}'; choose one of {', '.join(MODELS)}.")
    rows = coefficients(outcome, model)
    if rows.empty:
        raise DataIntegrityError(f"No published coefficients for {outcome}, model {model}.")
    if rows["term"].duplicated().any():
        raise DataIntegrityError(f"Duplicate terms in the published {outcome} model {model}.")
    return rows.set_index("term")["B"].astype(float)


def descriptive(variable: str, source_table: str | None = None) -> pd.Series:
    """Row of Table 1b/2 descriptives for one variable."""
    frame = table("descriptives")
    rows = frame[frame["variable"] == variable]
    if source_table is not None:
        rows = rows[rows["source_table"] == source_table]
    if len(rows) != 1:
        raise DataIntegrityError(f"Expected one published descriptive row for '{variable}', found {len(rows)}.")
    return rows.iloc[0]


def text_statistic(name: str) -> float:
    """A number stated in the running text (section or footnote given in the file)."""
    frame = table("text_statistics")
    rows = frame[frame["statistic"] == name]
    if len(rows) != 1:
        raise DataIntegrityError(f"Expected one text statistic '{name}', found {len(rows)}.")
    return float(rows.iloc[0]["value"])


def _decimals(value: float) -> int:
    text = f"{value:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def load_checks() -> pd.DataFrame:
    """Checks run when the data load: every Table 3 term present (else raise), Exp(B) ≈ exp(B).

    Returns one row per Table 3 coefficient with the printed Exp(B), the range exp(B ± half a unit in
    the last printed digit) allows, and whether the two agree within rounding.
    """
    rows = []
    for outcome in OUTCOMES:
        coefs = coefficients(outcome, "table3").set_index("term")
        missing = [t for t in TABLE3_TERMS if t not in coefs.index]
        if missing:
            raise DataIntegrityError(
                f"Table 3 ({outcome}) lacks the term(s) {', '.join(missing)} in data/published/coefficients.csv."
            )
        for term in TABLE3_TERMS:
            b = float(coefs.loc[term, "B"])
            printed = float(coefs.loc[term, "exp_B"])
            half_b = 0.5 * 10 ** -_decimals(b) if _decimals(b) else 0.005
            half_e = 0.005  # Exp(B) is printed with two decimals
            low, high = math.exp(b - half_b), math.exp(b + half_b)
            agrees = (printed + half_e) >= low and (printed - half_e) <= high
            rows.append({
                "source_table": "Table 3", "outcome": outcome, "term": term, "B": b,
                "exp_B_printed": printed, "exp_B_computed": math.exp(b),
                "exp_B_low": low, "exp_B_high": high, "agrees": agrees,
            })
    return pd.DataFrame(rows)
