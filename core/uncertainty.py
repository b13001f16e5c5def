"""Uncertainty on the data: bootstrap of both Table 3 models with the measurement re-estimated in every
resample (vectorized), and delta-method intervals for refit predictions (statsmodels get_prediction)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from . import fastlogit, fitstatus, measurement, pipeline, published
from .errors import InputError
from .scenario import logistic


@dataclass(frozen=True)
class BootstrapResult:
    """Coefficients per resample (tidy) and percentile intervals."""

    draws: pd.DataFrame      # replicate, outcome, term, B
    intervals: pd.DataFrame  # outcome, term, B, low, high, share_converged
    replicates: int
    seed: int


def _block_scores(items: np.ndarray, W: np.ndarray) -> np.ndarray:
    """First-principal-component scores of one item block for every resample (B x n), standardized.

    Loadings come from the weighted correlation of complete cases in each resample, as in the pipeline.
    Respondents with some items missing are scored on the items they answered (missing z = 0): a
    simplification of the pipeline's regression imputation, documented in the note.
    """
    complete = ~np.isnan(items).any(axis=1)
    Z = np.where(np.isnan(items), 0.0, items)
    Wc = W * complete                                              # B x n
    tot = Wc.sum(axis=1, keepdims=True)
    mean = (Wc @ Z) / tot                                          # B x k
    centered = Z[None, :, :] - mean[:, None, :]                    # B x n x k
    cov = np.einsum("bn,bni,bnj->bij", Wc, centered, centered) / tot[:, :, None]
    sd = np.sqrt(np.einsum("bii->bi", cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = cov / (sd[:, :, None] * sd[:, None, :])
    # A resample in which an item does not vary among complete cases has no correlation matrix: its
    # scores are NaN, so its fit fails and it is left out like a separated resample.
    degenerate = ~np.isfinite(corr).all(axis=(1, 2))
    corr[degenerate] = np.eye(corr.shape[1])
    _, vecs = np.linalg.eigh(corr)
    v = vecs[:, :, -1]
    v *= np.sign(v.sum(axis=1, keepdims=True))
    with np.errstate(divide="ignore", invalid="ignore"):    # degenerate resamples: NaN, left out below
        zed = centered / sd[:, None, :]
    zed = np.where(np.isnan(items)[None, :, :], 0.0, zed)
    scores = np.einsum("bnk,bk->bn", zed, v)
    scores[degenerate] = np.nan
    wsum = W.sum(axis=1, keepdims=True)
    m = (W * scores).sum(axis=1, keepdims=True) / wsum
    s = np.sqrt((W * (scores - m) ** 2).sum(axis=1, keepdims=True) / (wsum - 1))
    return (scores - m) / s


BOOTSTRAP_MAX_N = 20_000  # replicates x respondents x terms must fit in memory; above: Wald intervals


def bootstrap(data: pd.DataFrame, replicates: int = 1000, seed: int = 1,
              result: pipeline.PipelineResult | None = None) -> BootstrapResult:
    """Nonparametric bootstrap of both Table 3 models, re-estimating the five factor analyses per resample.

    Bounded: above BOOTSTRAP_MAX_N respondents the asymptotic (Wald) intervals of the fit are the ones to
    read (with that many respondents they agree with the bootstrap), and this raises a coded message."""
    result = result or pipeline.run(data)
    frame = result.frame
    n = len(frame)
    if n > BOOTSTRAP_MAX_N:
        raise InputError(f"The bootstrap is limited to {BOOTSTRAP_MAX_N:,} respondents (this file has {n:,}); "
                         "with so many respondents the model's own 95% intervals are the ones to read.",
                         code="bootstrap_too_large", n=f"{n:,}", limit=f"{BOOTSTRAP_MAX_N:,}")
    W = fastlogit.bootstrap_weights(n, replicates, seed)
    blocks = measurement.construct_items()
    X = np.empty((replicates, n, len(pipeline.PREDICTORS) + 1))
    X[:, :, 0] = 1.0
    for j, name in enumerate(pipeline.PREDICTORS):
        if name in blocks:
            X[:, :, j + 1] = _block_scores(data.loc[frame.index, blocks[name]].to_numpy(dtype=float), W)
        else:
            X[:, :, j + 1] = frame[name].to_numpy(dtype=float)[None, :]
    degenerate = ~np.isfinite(X).all(axis=(1, 2))  # a resample without a usable factor analysis
    X[degenerate] = 0.0
    rows, summary = [], []
    terms = ["const"] + pipeline.PREDICTORS
    for outcome in published.OUTCOMES:
        y = frame[outcome].to_numpy(dtype=float)
        beta, conv = fastlogit.fit_many(X, y, W)
        fitted = logistic(np.matmul(X, beta[:, :, None])[..., 0])
        ok = (fitstatus.classify_many(conv, beta, fitted, y, W) == "converged") & ~degenerate  # failed: left out
        draws = pd.DataFrame(beta, columns=terms).assign(replicate=np.arange(replicates), converged=ok)
        long = draws.melt(id_vars=["replicate", "converged"], var_name="term", value_name="B").assign(outcome=outcome)
        rows.append(long)
        point = result.models[outcome].shown_coefficients().set_index("term")["B"]
        good = draws[ok]
        for term in terms:
            summary.append({"outcome": outcome, "term": term, "B": float(point[term]),
                            "low": float(good[term].quantile(0.025)), "high": float(good[term].quantile(0.975)),
                            "share_converged": float(ok.mean())})
    return BootstrapResult(pd.concat(rows, ignore_index=True), pd.DataFrame(summary), replicates, seed)


def prediction_interval(data: pd.DataFrame, outcome: str, profile: dict[str, float],
                        result: pipeline.PipelineResult | None = None, alpha: float = 0.05) -> dict:
    """Refit prediction for a profile with a delta-method interval (statsmodels get_prediction)."""
    result = result or pipeline.run(data)
    frame = result.frame[[outcome, *pipeline.PREDICTORS]].dropna()
    X = sm.add_constant(frame[pipeline.PREDICTORS].astype(float), has_constant="add")
    if not result.models[outcome].usable:
        return {"outcome": outcome, "probability": float("nan"), "low": float("nan"), "high": float("nan"),
                "status": result.models[outcome].status}
    fit = sm.Logit(frame[outcome].astype(float), X).fit(disp=0)
    row = pd.DataFrame([{"const": 1.0, **{k: float(profile[k]) for k in pipeline.PREDICTORS}}])[X.columns]
    pred = fit.get_prediction(row).summary_frame(alpha=alpha)
    return {"outcome": outcome, "probability": float(pred["predicted"].iloc[0]),
            "low": float(pred["ci_lower"].iloc[0]), "high": float(pred["ci_upper"].iloc[0]), "status": "converged"}
