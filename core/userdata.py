"""A user's own survey: read (core.userfile), map to the codebook (core.columnmap), validate.

Every problem found is reported in one short message that names the first problems and counts the rest.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import codebook, columnmap, userfile
from .errors import InputError

MIN_ROWS = 30
SHOWN_PROBLEMS = 2          # a message names the first problems and counts the rest
OPTIONAL = columnmap.OPTIONAL
OUTCOME_ITEMS = columnmap.OUTCOME_ITEMS
NUMERIC_OPTIONAL = ("medical_procedure", "age", "years_in_nl", "permit_holder", "unfreedom_objective",
                    "violence_objective", "gnp_per_capita_k")


def required_columns() -> list[str]:
    return columnmap.required()


@dataclass
class Survey:
    """A user's survey ready for the pipeline, with what was detected and decided on the way."""

    frame: pd.DataFrame
    read: userfile.FileRead
    mapping: dict[str, str | None]
    reversed_scales: tuple[str, ...] = ()
    notes: list[tuple[str, dict]] = field(default_factory=list)   # (code, params): translated in the app

    @property
    def digest(self) -> str:
        return digest(self.frame)


def load_survey(content: bytes, name: str = "file", mapping: dict[str, str | None] | None = None,
                reversed_scales: tuple[str, ...] = ()) -> Survey:
    """Read any supported file, map its columns (given, identical names, or suggested), validate."""
    read = userfile.read_file(content, name)
    if mapping is None:
        mapping = columnmap.identity_if_complete(read.frame) or columnmap.suggest(list(read.frame.columns),
                                                                                  read.variable_labels)
    mapped = columnmap.apply(read.frame, mapping, reversed_scales)
    frame, notes = validate_survey(mapped, name)
    return Survey(frame, read, mapping, tuple(reversed_scales), notes)


def read_survey(content: bytes, name: str = "file") -> pd.DataFrame:
    """The validated survey frame of a file that uses the codebook's column names (or close ones)."""
    return load_survey(content, name).frame


def template_csv() -> bytes:
    """The template: every required and optional column, one example row (the replica's first
    respondent, synthetic), semicolon-free plain CSV."""
    return template_frame().to_csv(index=False).encode()


def template_frame() -> pd.DataFrame:
    from . import replica

    row = replica.load().head(1).copy()
    for col in OPTIONAL:
        if col not in row.columns:
            row[col] = pd.NA
    row["respondent"] = "EXAMPLE-1"
    return row[["respondent", *required_columns(), *[c for c in OPTIONAL if c != "respondent"]]]


def codebook_guide() -> pd.DataFrame:
    """A short guide to the template's columns: wording (NL, EN), answer scale and labels, and whether the
    models need the column."""
    from . import codebook as cb

    rows = []
    for col in template_frame().columns:
        if cb.exists(col):
            var = cb.variable(col)
            labels = "; ".join(f"{k}={v}" for k, v in var.answer_labels.get("en", {}).items())
            rows.append({"column": col, "required": col in required_columns(), "wording_nl": var.label["nl"],
                         "wording_en": var.label["en"], "scale": f"{var.slider_min:g}-{var.slider_max:g}",
                         "answer_labels": labels})
        else:
            rows.append({"column": col, "required": col in required_columns(), "wording_nl": "", "wording_en":
                         GUIDE_NOTES.get(col, ""), "scale": "1-7" if col in OUTCOME_ITEMS else "",
                         "answer_labels": ""})
    return pd.DataFrame(rows)


GUIDE_NOTES = {
    "respondent": "an identifier (optional)",
    "intention_plan": "'Ik ben van plan om [binnen 12 maanden] terug te keren' (I plan to return within 12 months), 1-7",
    "intention_effort": "'Ik zal me inspannen om [binnen 12 maanden] terug te keren' (I will make an effort to return), 1-7",
    "attitude_good": "'Het is goed voor me om [binnen 12 maanden] terug te keren naar mijn land van herkomst' (returning is good for me), 1-7",
    "medical_procedure": "1 = a medical procedure is running (Table 4 model B)",
    "age": "years (used to impute health)", "years_in_nl": "years in the Netherlands (imputation)",
    "permit_holder": "1 = (former) holder of a temporary asylum permit (imputation)",
    "sex": "male/female (description only)", "region": "region of origin (description only)",
    "unfreedom_objective": "country measure, footnote 7 (Table 4 model C)",
    "violence_objective": "country measure, footnote 7 (Table 4 model C)",
    "gnp_per_capita_k": "GNP per capita of the origin country, thousands of dollars (model C)",
}


def template_sav() -> bytes:
    """The template as an SPSS file with variable and value labels (pyreadstat). Written to a temporary
    file (pyreadstat writes only to paths) that is removed at once; it holds no user data."""
    import os
    import tempfile

    import pyreadstat

    frame = template_frame().drop(columns=["sex", "region"]).copy()
    frame["respondent"] = frame["respondent"].astype(str)
    for c in frame.columns:
        if c != "respondent":
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    labels, values = {}, {}
    for c in frame.columns:
        if codebook.exists(c):
            var = codebook.variable(c)
            labels[c] = var.label["en"][:250]
            if var.answer_labels.get("en"):
                values[c] = {float(k): v for k, v in var.answer_labels["en"].items()}
    fd, path = tempfile.mkstemp(suffix=".sav")
    os.close(fd)
    try:
        pyreadstat.write_sav(frame, path, column_labels=labels, variable_value_labels=values)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.remove(path)


def validate_survey(frame: pd.DataFrame, name: str = "file") -> tuple[pd.DataFrame, list[tuple[str, dict]]]:
    """The survey with required columns numeric and in range, or one InputError naming the first problems.

    Numeric missing codes (99, -9, ...) outside a variable's scale count as missing and are reported as a
    note. Optional columns never stop a fit: unusable values there become missing, with a note.
    """
    problems: list[tuple[str, dict]] = []
    notes: list[tuple[str, dict]] = []
    missing = [c for c in required_columns() if c not in frame.columns]
    if missing:
        problems.append(("missing_columns", {"names": _names(missing, 6)}))
    if len(frame) < MIN_ROWS:
        problems.append(("too_few_rows", {"rows": len(frame), "minimum": MIN_ROWS}))
    required = [c for c in required_columns() if c in frame.columns]
    # Checked column by column; a float column that needs no change is passed on without a copy.
    block: dict[str, np.ndarray] = {}
    numeric_ok = []
    for j, col in enumerate(required):
        raw = frame[col]
        values = pd.to_numeric(raw, errors="coerce") if not pd.api.types.is_numeric_dtype(raw) else raw
        if values is not raw:
            bad_text = raw[raw.notna() & values.isna()]
            if len(bad_text):
                problems.append(("text_in_column", {"column": col, "value": userfile.short(bad_text.iloc[0]),
                                                    "row": int(bad_text.index[0]) + 2, "count": len(bad_text)}))
                continue
        v = _as_float(values)
        lo, hi = columnmap.scale(col)
        with np.errstate(invalid="ignore"):
            outside = (v < lo) | (v > hi)  # inf included: not an answer on any scale
        if outside.any():
            coded = np.zeros(len(v), dtype=bool)
            coded[outside] = np.isin(v[outside], userfile.MISSING_NUMBERS)
            if coded.any():
                notes.append(("missing_code", {"column": col, "count": int(coded.sum()),
                                               "codes": ", ".join(f"{c:g}" for c in np.unique(v[coded]))}))
                v = np.where(coded, np.nan, v)
                outside &= ~coded
        if outside.any():
            first = int(np.flatnonzero(outside)[0])
            problems.append(("outside_scale", {"column": col, "count": int(outside.sum()), "low": f"{lo:g}",
                                               "high": f"{hi:g}", "value": f"{v[first]:g}",
                                               "row": int(frame.index[first]) + 2}))
        block[col] = v
        numeric_ok.append(j)
    constant, empty = [], []
    for j in numeric_ok:
        v = block[required[j]]
        low, high = np.fmin.reduce(v), np.fmax.reduce(v)   # NaN-ignoring; NaN only if no answer at all
        if np.isnan(low):
            empty.append(required[j])
        elif low == high and required[j] not in OUTCOME_ITEMS:
            constant.append(required[j])
    if empty:
        problems.append(("empty_columns", {"names": _names(empty, 4)}))
    if constant:
        problems.append(("constant_columns", {"names": _names(constant, 4)}))
    columns = {c: frame[c] for c in frame.columns if c not in required}
    for col in NUMERIC_OPTIONAL:
        if col in columns:
            values = pd.to_numeric(columns[col], errors="coerce")
            values = values.where(np.isfinite(values))
            dropped = int((columns[col].notna() & values.isna()).sum())
            if dropped:
                notes.append(("optional_unusable", {"column": col, "count": dropped}))
            columns[col] = values.astype(float)
    if problems:
        raise _problems_error(name, problems)
    out = pd.DataFrame({**block, **columns}, index=frame.index, copy=False)
    return out, notes


def _as_float(values: pd.Series) -> np.ndarray:
    """A numeric column as float64 with NaN for missing, without a copy when it already is one."""
    if values.dtype == np.float64:
        return values.to_numpy()
    if values.dtype.kind in "iub":
        return values.to_numpy().astype(float)
    return values.to_numpy(dtype=float, na_value=np.nan)


def _names(names: list[str], shown: int) -> str:
    """The first names and a count of the rest: 'item01, item02 (+23)'."""
    return ", ".join(names[:shown]) + (f" (+{len(names) - shown})" if len(names) > shown else "")


def _problems_error(name: str, problems: list[tuple[str, dict]]) -> InputError:
    shown = problems[:SHOWN_PROBLEMS]
    more = len(problems) - len(shown)
    english = "; ".join(PROBLEM_TEXT[c].format(**p) for c, p in shown)
    if more:
        english += f"; and {more} more problem(s)"
    return InputError(f"'{userfile.short(name)}' cannot be used yet: {english}. The template shows the expected "
                      "columns and scales; leave a missing answer empty.",
                      code="survey_problems", name=userfile.short(name), problems=shown, more=more)


PROBLEM_TEXT = {
    "missing_columns": "missing column(s): {names}; map them or rename them",
    "too_few_rows": "only {rows} rows; the models need at least {minimum} respondents",
    "text_in_column": "column {column} has text where a number is expected ('{value}' in row {row}; {count} cell(s))",
    "outside_scale": "column {column} has {count} value(s) outside {low}-{high} (e.g. {value} in row {row})",
    "constant_columns": "the same answer for everyone in {names}: such a column cannot explain anything",
    "empty_columns": "no answers at all in {names}",
}


def digest(frame: pd.DataFrame) -> str:
    """A content key of a user's data set: column names, dtypes and every value (and row order)."""
    h = hashlib.sha256()
    h.update("\x1f".join(f"{c}:{frame[c].dtype}" for c in frame.columns).encode())
    h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return h.hexdigest()[:24]
