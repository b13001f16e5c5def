"""The study's pipeline on respondent-level data: measure, impute, dichotomize, fit (sections 3.5-4).

Runs on the synthetic replica or on a user's own survey file with the codebook's columns.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import measurement, published
from .errors import InputError
from .regression import LogitResult, fit_logit

MISSING_CHOICES = ("impute", "listwise")
PREDICTORS = [t for t in published.TABLE3_TERMS if t != "const"]


@dataclass(frozen=True)
class PipelineOptions:
    """The choices a researcher can vary (defaults = the paper's)."""

    extraction: str = measurement.DEFAULT_EXTRACTION
    missing: str = "impute"
    cutpoint: float | None = None
    predictors: tuple[str, ...] = tuple(PREDICTORS)


@dataclass(frozen=True)
class PipelineResult:
    """Measurement, the model frame and both fitted Table 3 models."""

    options: PipelineOptions
    measurement: measurement.MeasurementResult
    frame: pd.DataFrame                     # predictors + dependent variables, one row per respondent
    imputation_log: pd.DataFrame
    models: dict[str, LogitResult] = field(default_factory=dict)

    def coefficients(self) -> pd.DataFrame:
        """Both models' coefficients in one tidy table (outcome, term, B, SE, z, p, ...)."""
        return pd.concat([m.coefficients.assign(outcome=o) for o, m in self.models.items()], ignore_index=True)

    def fit_statistics(self) -> pd.DataFrame:
        return pd.concat([m.fit_table() for m in self.models.values()], ignore_index=True)


def model_frame(data: pd.DataFrame, options: PipelineOptions = PipelineOptions()):
    """Measurement + imputation + dependent variables, before any model is fitted."""
    if options.missing not in MISSING_CHOICES:
        raise InputError(f"Unknown missing-value handling '{options.missing}'. Choose impute or listwise.")
    impute = options.missing == "impute"
    meas = measurement.measure(data, options.extraction, impute=impute)
    for col in measurement.SINGLE_ITEM_PREDICTORS:
        if col not in data.columns:
            raise InputError(f"The data lack the column '{col}' (Table 2).")
    # Only the columns the models and the imputation use (a user's file may have hundreds more).
    related = {c for xs in measurement.SINGLE_ITEM_IMPUTATION.values() for c in xs}
    used = [c for c in data.columns if (c in measurement.SINGLE_ITEM_PREDICTORS or c in related)
            and c not in measurement.FACTORS]
    frame = pd.concat([pd.DataFrame(measurement.numeric_block(data, used), columns=used, index=data.index),
                       meas.scores], axis=1)
    log = pd.DataFrame(columns=["variable", "row", "imputed"])
    if impute:
        frame, log = measurement.impute_single_items(frame)
    dv = measurement.dependent_variables(data, options.cutpoint)
    frame = pd.concat([frame[list(options.predictors)], dv], axis=1)
    if not impute:
        frame = frame.dropna(subset=list(options.predictors))
    return meas, frame, log


def run(data: pd.DataFrame, options: PipelineOptions = PipelineOptions()) -> PipelineResult:
    """The whole pipeline: both Table 3 models fitted on the data."""
    meas, frame, log = model_frame(data, options)
    preds = list(options.predictors)
    sds = frame[preds].std(ddof=1)
    models = {outcome: fit_logit(frame[outcome], frame[preds], outcome, standardize_with=sds)
              for outcome in published.OUTCOMES}
    return PipelineResult(options, meas, frame, log, models)


def scale_distribution(frame: pd.DataFrame, outcome: str, cutpoint: float = 1.0) -> pd.DataFrame:
    """Figure 1: frequency of each value of the 1-7 scale, and whether it lies above the cut-point."""
    if outcome not in published.OUTCOMES:
        raise InputError(f"Unknown outcome '{outcome}'. Choose intention or attitude.")
    values = frame[f"{outcome}_scale"].dropna()
    counts = values.value_counts().sort_index()
    out = pd.DataFrame({"value": counts.index.astype(float), "count": counts.to_numpy()})
    out["share"] = out["count"] / out["count"].sum()
    out["above_cut"] = out["value"] > cutpoint
    return out
