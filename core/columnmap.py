"""Matching a user's columns to the codebook's variables (issue 7).

A researcher's file has its own names (``Q12``, ``v_angst``) and, from SPSS, variable labels. The
mapping suggests a column for every variable from names and labels, is confirmed or changed in the app,
and is saved and re-read as a small JSON file; the CLI takes the same file (``--mapping``). Reversed
answer scales (7 = strongly disagree where the codebook has 7 = strongly agree) can be declared per
variable.
"""
from __future__ import annotations

import difflib
import json
import re

import pandas as pd

from . import codebook, measurement
from .errors import InputError
from .userfile import short

OUTCOME_ITEMS = ("intention_plan", "intention_effort", "attitude_good")
OPTIONAL = ("respondent", "medical_procedure", "age", "years_in_nl", "permit_holder", "sex", "region",
            "unfreedom_objective", "violence_objective", "gnp_per_capita_k")
# Words researchers use for the outcome items and background columns (NL and EN), for suggestions.
ALIASES = {
    "intention_plan": ("intention plan", "plan terugkeer", "van plan terug te keren", "return plan"),
    "intention_effort": ("intention effort", "moeite terugkeer", "effort to return"),
    "attitude_good": ("attitude", "terugkeer goed", "return good", "houding terugkeer"),
    "respondent": ("id", "respnr", "respondent id", "case", "nr"),
    "medical_procedure": ("medische procedure", "medical"),
    "age": ("leeftijd",), "years_in_nl": ("jaren in nederland", "verblijfsduur", "years nl"),
    "permit_holder": ("vergunning", "permit"), "sex": ("geslacht", "gender"), "region": ("regio", "herkomst"),
}
MAPPING_VERSION = 1


def required() -> list[str]:
    return [v.name for v in codebook.items()] + list(measurement.SINGLE_ITEM_PREDICTORS) + list(OUTCOME_ITEMS)


def targets() -> list[str]:
    """Every variable a column can be mapped to: required first, then optional."""
    return required() + list(OPTIONAL)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(text).lower())


def _wordings(name: str) -> list[str]:
    out = [name, *ALIASES.get(name, ())]
    if codebook.exists(name):
        var = codebook.variable(name)
        out += [var.label["nl"], var.label["en"], var.short["nl"], var.short["en"]]
    return out


def suggest(columns: list[str], labels: dict[str, str] | None = None) -> dict[str, str | None]:
    """For each codebook variable, the user's column that fits it best (or None).

    Exact names first (case, spaces and punctuation ignored; ``item1`` = ``item01``), then the closest
    match of name or SPSS variable label to the codebook's wording (NL or EN), each column used once.
    """
    labels = labels or {}
    by_norm = {}
    for c in columns:
        by_norm.setdefault(_norm(c), c)
        m = re.fullmatch(r"item0*(\d+)", _norm(c))
        if m:
            by_norm.setdefault(f"item{int(m.group(1)):02d}", c)
    out: dict[str, str | None] = {}
    used: set[str] = set()
    for name in targets():
        hit = by_norm.get(_norm(name))
        if hit is not None and hit not in used:
            out[name] = hit
            used.add(hit)
    for name in targets():
        if name in out:
            continue
        best, best_score = None, 0.0
        for c in columns:
            if c in used:
                continue
            texts = [str(c)] + ([labels[c]] if c in labels else [])
            score = max(difflib.SequenceMatcher(None, _norm(t), _norm(w)).ratio()
                        for t in texts for w in _wordings(name) if _norm(w) and _norm(t))
            if score > best_score:
                best, best_score = c, score
        if best is not None and best_score >= 0.75:
            out[name] = best
            used.add(best)
        else:
            out[name] = None
    return out


def apply(frame: pd.DataFrame, mapping: dict[str, str | None], reversed_scales: tuple[str, ...] = ()) -> pd.DataFrame:
    """The user's frame with codebook column names (unmapped columns dropped), reversed scales turned.

    Two variables mapped to one column, or a column name that occurs twice with different contents, is
    refused: the results would silently depend on which copy was used.
    """
    chosen = {v: c for v, c in mapping.items() if c}
    unknown = [v for v in chosen if v not in targets()]
    if unknown:
        raise InputError(f"The mapping names unknown variables: {', '.join(short(u) for u in unknown[:5])}.",
                         code="map_unknown_variable", names=", ".join(short(u) for u in unknown[:5]))
    absent = [c for c in chosen.values() if c not in frame.columns]
    if absent:
        raise InputError(f"The mapping names columns that are not in the file: {', '.join(short(a) for a in absent[:5])}.",
                         code="map_absent_column", names=", ".join(short(a) for a in absent[:5]))
    counts = pd.Series(list(chosen.values())).value_counts()
    twice = counts[counts > 1]
    if len(twice):
        col = twice.index[0]
        vars_ = [v for v, c in chosen.items() if c == col]
        raise InputError(f"Column '{short(col)}' is mapped to {len(vars_)} variables ({', '.join(vars_[:3])}). "
                         "Map each variable to its own column.", code="map_duplicate", column=short(col),
                         variables=", ".join(vars_[:3]))
    _refuse_conflicting_copies(frame, list(chosen.values()))
    out = pd.DataFrame({v: frame[c].to_numpy() for v, c in chosen.items()}, index=frame.index, copy=False)
    for v in reversed_scales:
        if v not in out.columns:
            continue
        lo, hi = scale(v)
        out[v] = (lo + hi) - pd.to_numeric(out[v], errors="coerce")
    return out


def _refuse_conflicting_copies(frame: pd.DataFrame, used: list[str]) -> None:
    """pandas names a repeated header 'x', 'x.1': two copies of one question that disagree are refused."""
    for col in frame.columns:
        m = re.fullmatch(r"(.+)\.(\d+)", str(col))
        if not m or m.group(1) not in frame.columns or m.group(1) not in used:
            continue
        a = pd.to_numeric(frame[m.group(1)], errors="coerce")
        b = pd.to_numeric(frame[col], errors="coerce")
        if not a.equals(b):
            raise InputError(f"The file has two different columns named '{short(m.group(1))}'. Keep one and "
                             "upload again.", code="map_conflicting_copies", column=short(m.group(1)))


def scale(name: str) -> tuple[float, float]:
    """The answer scale of a variable (outcome items 1-7, the rest from the codebook)."""
    if name in OUTCOME_ITEMS:
        return 1.0, 7.0
    var = codebook.variable(name)
    return var.slider_min, var.slider_max


def identity_if_complete(frame: pd.DataFrame) -> dict[str, str | None] | None:
    """The trivial mapping when the file already uses the codebook's names for every required column."""
    if all(c in frame.columns for c in required()):
        return {v: (v if v in frame.columns else None) for v in targets()}
    return None


def to_json(mapping: dict[str, str | None], reversed_scales: tuple[str, ...] = ()) -> bytes:
    return json.dumps({"version": MAPPING_VERSION, "columns": {k: v for k, v in mapping.items() if v},
                       "reversed": sorted(reversed_scales)}, indent=2, ensure_ascii=False).encode()


def from_json(content: bytes) -> tuple[dict[str, str | None], tuple[str, ...]]:
    """Read a mapping file written by :func:`to_json` (or by hand)."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
        columns = data["columns"]
        if not isinstance(columns, dict):
            raise TypeError
    except Exception:  # noqa: BLE001
        raise InputError("The mapping file is not a mapping saved by this app (JSON with 'columns').",
                         code="map_bad_file") from None
    rev = tuple(str(v) for v in data.get("reversed", []))
    return {str(k): (str(v) if v else None) for k, v in columns.items()}, rev
