"""A user's own survey file: read it, check it against the codebook, explain every problem.

The file needs one row per respondent and the codebook's column names (a template is provided). Every
problem found is reported in one message that says what is wrong and how to fix it.
"""
from __future__ import annotations

import hashlib
import io

import pandas as pd

from . import codebook, measurement
from .errors import InputError

OUTCOME_ITEMS = ("intention_plan", "intention_effort", "attitude_good")
OPTIONAL = ("medical_procedure", "age", "years_in_nl", "permit_holder", "sex", "region")
MIN_ROWS = 30


def required_columns() -> list[str]:
    return [v.name for v in codebook.items()] + list(measurement.SINGLE_ITEM_PREDICTORS) + list(OUTCOME_ITEMS)


def template_csv() -> bytes:
    """An empty CSV with the expected header (required columns, then optional ones)."""
    return (",".join(["respondent", *required_columns(), *OPTIONAL]) + "\n").encode()


def read_survey(content: bytes, name: str = "file") -> pd.DataFrame:
    """Parse CSV bytes; a file that is not CSV is a user error."""
    try:
        frame = pd.read_csv(io.BytesIO(content))
    except Exception as exc:  # noqa: BLE001 - every parse failure is the same user problem
        raise InputError(f"'{name}' could not be read as a CSV file with a header row ({exc}). "
                         "Save it from your spreadsheet as CSV (comma-separated) and try again.") from None
    return validate_survey(frame, name)


def validate_survey(frame: pd.DataFrame, name: str = "file") -> pd.DataFrame:
    """The survey with required columns numeric and in range, or an InputError listing every problem."""
    problems = []
    missing = [c for c in required_columns() if c not in frame.columns]
    if missing:
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        problems.append(f"missing column(s): {shown}")
    if len(frame) < MIN_ROWS:
        problems.append(f"only {len(frame)} rows; the models need at least {MIN_ROWS} respondents")
    out = frame.copy()
    for col in [c for c in required_columns() if c in frame.columns]:
        raw = frame[col]
        values = pd.to_numeric(raw, errors="coerce")
        bad_text = raw[raw.notna() & values.isna()]
        if len(bad_text):
            problems.append(f"column {col} has text where a number is expected (e.g. '{bad_text.iloc[0]}' in row "
                            f"{bad_text.index[0] + 2})")
            continue
        lo, hi = _range(col)
        outside = values[(values < lo) | (values > hi)]
        if len(outside):
            problems.append(f"column {col} has {len(outside)} value(s) outside {lo:g}-{hi:g} "
                            f"(e.g. {outside.iloc[0]:g} in row {outside.index[0] + 2})")
        out[col] = values
    if problems:
        raise InputError(f"'{name}' cannot be used yet: " + "; ".join(problems) + ". Column names and answer "
                         "scales are those of the codebook; download the template to start from the right header. "
                         "Leave a cell empty for a missing answer.")
    return out


def _range(col: str) -> tuple[float, float]:
    if col in OUTCOME_ITEMS:
        return 1.0, 7.0
    var = codebook.variable(col)
    return var.slider_min, var.slider_max


def digest(frame: pd.DataFrame) -> str:
    """A short content hash, the cache key of a user's data."""
    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()).hexdigest()[:16]
