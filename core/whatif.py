"""Population what-if (marginal) beside the average-respondent view (conditional).

"If every respondent's health were one point higher": the mean predicted probability over the data
before and after the shift, with refit coefficients and a bootstrap interval. This is a population-
average (marginal) effect; the scenario explorer shows a conditional effect for one profile.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import codebook, pipeline, published, uncertainty
from .errors import InputError
from .scenario import logistic as _expit


def population_shift(result: pipeline.PipelineResult, boot: uncertainty.BootstrapResult, variable: str,
                     delta: float, clip: bool = True) -> pd.DataFrame:
    """Mean predicted probability before/after adding ``delta`` to ``variable`` for everyone.

    With ``clip`` the shifted values stay inside the variable's scale (nobody gets health 6 of 5).
    Interval: 2.5 and 97.5 percentiles over converged bootstrap draws of the coefficients.
    """
    if variable not in pipeline.PREDICTORS:
        raise InputError(f"Unknown predictor '{variable}'. Choose one of: {', '.join(pipeline.PREDICTORS)}.")
    frame = result.frame
    X = np.column_stack([np.ones(len(frame)), frame[pipeline.PREDICTORS].to_numpy(dtype=float)])
    j = pipeline.PREDICTORS.index(variable) + 1
    shifted = X.copy()
    shifted[:, j] += delta
    if clip:
        var = codebook.variable(variable)
        shifted[:, j] = np.clip(shifted[:, j], var.slider_min, var.slider_max)
    rows = []
    terms = ["const", *pipeline.PREDICTORS]
    for outcome in published.OUTCOMES:
        beta = result.models[outcome].coefficients.set_index("term").loc[terms, "B"].to_numpy()
        before, after = _expit(X @ beta).mean(), _expit(shifted @ beta).mean()
        draws = boot.draws[(boot.draws["outcome"] == outcome) & boot.draws["converged"]]
        wide = draws.pivot(index="replicate", columns="term", values="B")[terms].to_numpy()
        diffs = _expit(shifted @ wide.T).mean(axis=0) - _expit(X @ wide.T).mean(axis=0)
        rows.append({"outcome": outcome, "variable": variable, "delta": delta, "mean_before": before,
                     "mean_after": after, "difference": after - before,
                     "low": float(np.quantile(diffs, 0.025)), "high": float(np.quantile(diffs, 0.975)),
                     "draws": int(len(wide))})
    return pd.DataFrame(rows)


def scenario_band(boot: uncertainty.BootstrapResult, outcome: str, profile: dict[str, float]) -> tuple[float, float]:
    """Illustrative band for one profile: 2.5-97.5 percentiles of the prediction over bootstrap draws
    fitted on the synthetic replica (NOT an interval for the published estimate)."""
    terms = ["const", *pipeline.PREDICTORS]
    draws = boot.draws[(boot.draws["outcome"] == outcome) & boot.draws["converged"]]
    wide = draws.pivot(index="replicate", columns="term", values="B")[terms].to_numpy()
    x = np.r_[1.0, [float(profile[t]) for t in pipeline.PREDICTORS]]
    p = _expit(wide @ x)
    return float(np.quantile(p, 0.025)), float(np.quantile(p, 0.975))
