"""Table 4: validation models against self-presentation bias (section 4.1), refitted on the data.

Model A: perceived safety in three groups (low = 1 on both safety items, N = 78; the other 30 split
by safety score into middle and high, 15 each; high is the reference). Model B: as A, with 'cleaned'
health (respondents with a medical procedure, poor or moderate health and low intention get the mean
health of the others, 2.6 in the paper). Model C needs objective country measures (footnote 7): it is
refitted only when the data carry them; their values are never invented.
"""
from __future__ import annotations

import pandas as pd

from . import pipeline, published
from .errors import InputError
from .regression import LogitResult, fit_logit

COUNTRY_MEASURES = ("unfreedom_objective", "violence_objective", "gnp_per_capita_k")


def safety_groups(data: pd.DataFrame, safety_score: pd.Series) -> pd.Series:
    """'low' for 1 on both safety items; the rest split at the median rank of the safety score."""
    low = (data["item01"] == 1) & (data["item02"] == 1)
    rest = safety_score[~low].sort_values(kind="stable")
    half = len(rest) // 2
    groups = pd.Series("low", index=data.index, dtype=object)
    groups[rest.index[:half]] = "mid"
    groups[rest.index[half:]] = "high"
    return groups


def cleaned_health(frame: pd.DataFrame, data: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Health with the section-4.1 cleaning; returns (cleaned health, mask of cleaned respondents)."""
    if "medical_procedure" not in data.columns:
        raise InputError("Model B needs the column 'medical_procedure' (1 = a medical procedure is running).")
    mask = (data["medical_procedure"] == 1) & (frame["health"] <= 2) & (frame["intention"] == 0)
    cleaned = frame["health"].astype(float)
    cleaned[mask] = frame.loc[~mask, "health"].mean()
    return cleaned, mask


def table4_frame(data: pd.DataFrame, result: pipeline.PipelineResult | None = None) -> pd.DataFrame:
    """The model frame with the Table 4 terms added."""
    result = result or pipeline.run(data)
    frame = result.frame.copy()
    groups = safety_groups(data.loc[frame.index], frame["safety"])
    frame["safety_group"] = groups
    frame["safety_low"] = (groups == "low").astype(float)
    frame["safety_mid"] = (groups == "mid").astype(float)
    if "medical_procedure" in data.columns:
        frame["health_cleaned"], frame["health_was_cleaned"] = cleaned_health(frame, data.loc[frame.index])
    for col in COUNTRY_MEASURES:
        if col in data.columns:
            frame[col] = pd.to_numeric(data.loc[frame.index, col], errors="coerce")
    return frame


def model_terms(outcome: str, model: str) -> list[str]:
    """Predictors of a published Table 4 model (reference category excluded)."""
    terms = published.coefficients(outcome, model)["term"]
    return [t for t in terms if t not in ("const", "safety_high")]


def fit_table4(data: pd.DataFrame, result: pipeline.PipelineResult | None = None) -> dict[tuple[str, str], LogitResult]:
    """Models A and B (and C where the data carry country measures) for both outcomes."""
    frame = table4_frame(data, result)
    fits = {}
    for outcome in published.OUTCOMES:
        for model in ("A", "B", "C"):
            terms = model_terms(outcome, model)
            if any(t not in frame.columns for t in terms):
                continue
            fits[(outcome, model)] = fit_logit(frame[outcome], frame[terms], f"{outcome} {model}")
    return fits


def comparison(data: pd.DataFrame, result: pipeline.PipelineResult | None = None) -> pd.DataFrame:
    """Published Table 4 beside the refit: one row per outcome, model and term."""
    fits = fit_table4(data, result)
    rows = []
    for r in published.coefficients().query("model in ['A', 'B', 'C']").itertuples(index=False):
        fit = fits.get((r.outcome, r.model))
        refit_b = stars = None
        if fit is not None and r.term != "safety_high":
            c = fit.shown_coefficients().set_index("term")  # a failed fit's estimates are NaN (core.fitstatus)
            refit_b, stars = float(c.loc[r.term, "B"]), c.loc[r.term, "stars"]
        elif fit is not None:
            refit_b, stars = (0.0 if fit.usable else float("nan")), ""
        rows.append({"outcome": r.outcome, "model": r.model, "term": r.term, "B_published": r.B,
                     "stars_published": r.stars, "B_refit": refit_b, "stars_refit": stars,
                     "difference": None if refit_b is None else refit_b - r.B,
                     "refitted": fit is not None, "status": None if fit is None else fit.status,
                     "n": None if fit is None else fit.n, "events": None if fit is None else fit.events,
                     "epv": None if fit is None else fit.epv})
    return pd.DataFrame(rows)


def fit_summary(data: pd.DataFrame, result: pipeline.PipelineResult | None = None) -> pd.DataFrame:
    """One row per refitted Table 4 model: n, events, events per variable, status (core.fitstatus)."""
    fits = fit_table4(data, result)
    return pd.DataFrame([{"outcome": o, "model": m, "n": f.n, "events": f.events, "epv": f.epv, "status": f.status,
                          "warnings": "; ".join(f.warnings)} for (o, m), f in fits.items()])
