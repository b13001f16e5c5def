"""Diagnostics of a fitted Table 3 model: ROC and AUC, classification table, calibration, VIF, events
per variable, separation check and influential cases."""
from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.metrics import roc_auc_score, roc_curve
from statsmodels.stats.outliers_influence import variance_inflation_factor

from . import pipeline
from .errors import InputError


def _design(result: pipeline.PipelineResult, outcome: str):
    frame = result.frame[[outcome, *result.options.predictors]].dropna()
    X = sm.add_constant(frame[list(result.options.predictors)].astype(float))
    return frame[outcome].astype(float), X


def fitted(result: pipeline.PipelineResult, outcome: str) -> pd.DataFrame:
    """Observed outcome and fitted probability per respondent."""
    y, X = _design(result, outcome)
    beta = result.models[outcome].coefficients.set_index("term").loc[X.columns, "B"].to_numpy()
    p = 1 / (1 + np.exp(-(X.to_numpy() @ beta)))
    return pd.DataFrame({"observed": y.to_numpy(), "fitted": p}, index=y.index)


def roc(result: pipeline.PipelineResult, outcome: str) -> tuple[pd.DataFrame, float]:
    f = fitted(result, outcome)
    fpr, tpr, thr = roc_curve(f["observed"], f["fitted"])
    return pd.DataFrame({"false_positive_rate": fpr, "true_positive_rate": tpr, "threshold": thr}), \
        float(roc_auc_score(f["observed"], f["fitted"]))


def classification_table(result: pipeline.PipelineResult, outcome: str, cutoff: float = 0.5) -> dict:
    """Predicted 1 when the fitted probability is at least ``cutoff``."""
    f = fitted(result, outcome)
    pred = (f["fitted"] >= cutoff).astype(int)
    obs = f["observed"].astype(int)
    tp, fp = int(((pred == 1) & (obs == 1)).sum()), int(((pred == 1) & (obs == 0)).sum())
    tn, fn = int(((pred == 0) & (obs == 0)).sum()), int(((pred == 0) & (obs == 1)).sum())
    return {"cutoff": cutoff, "true_positive": tp, "false_positive": fp, "true_negative": tn, "false_negative": fn,
            "accuracy": (tp + tn) / len(obs), "sensitivity": tp / (tp + fn) if tp + fn else float("nan"),
            "specificity": tn / (tn + fp) if tn + fp else float("nan")}


def calibration(result: pipeline.PipelineResult, outcome: str, groups: int = 5) -> pd.DataFrame:
    """Mean fitted vs observed share in groups of respondents ordered by fitted probability."""
    f = fitted(result, outcome).sort_values("fitted")
    f["group"] = np.repeat(np.arange(groups), int(np.ceil(len(f) / groups)))[: len(f)]
    return f.groupby("group").agg(n=("observed", "size"), mean_fitted=("fitted", "mean"),
                                  observed_share=("observed", "mean")).reset_index()


def vif(result: pipeline.PipelineResult, outcome: str = "intention") -> pd.DataFrame:
    _, X = _design(result, outcome)
    values = X.to_numpy()
    return pd.DataFrame({"term": X.columns[1:],
                         "vif": [variance_inflation_factor(values, i) for i in range(1, values.shape[1])]})


def separation(result: pipeline.PipelineResult, outcome: str) -> dict:
    """Linear-programming check for (quasi-)complete separation (firthmodels.detect_separation)."""
    from firthmodels import detect_separation

    y, X = _design(result, outcome)
    res = detect_separation(X.iloc[:, 1:].to_numpy(), y.to_numpy())
    return {"separation": bool(getattr(res, "separation", False)),
            "detail": str(getattr(res, "message", "")) or repr(res)}


INFLUENCE_MAX_N = 200_000  # Cook's distance needs the full influence computation: bounded (README)


def influence(result: pipeline.PipelineResult, outcome: str, top: int = 5) -> pd.DataFrame:
    """The respondents with the largest Cook's distance (GLM binomial influence)."""
    y, X = _design(result, outcome)
    if len(y) > INFLUENCE_MAX_N:
        raise InputError(f"Influence diagnostics are limited to {INFLUENCE_MAX_N:,} respondents (this file has "
                         f"{len(y):,}); with so many, no single respondent moves the estimates.",
                         code="influence_too_large", n=f"{len(y):,}", limit=f"{INFLUENCE_MAX_N:,}")
    glm = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    cooks = glm.get_influence().cooks_distance[0]
    out = pd.DataFrame({"row": y.index, "cooks_distance": cooks, "observed": y.to_numpy(),
                        "fitted": glm.fittedvalues.to_numpy()})
    return out.sort_values("cooks_distance", ascending=False).head(top).reset_index(drop=True)
