"""One rule, used everywhere, for whether a logistic fit is a result (issue 8).

With about two events per predictor (Table 3: 22 and 20 events, 10 predictors), maximum likelihood can
fail: under (quasi-)complete separation the estimates run off to infinity and the printed B and SE are
artefacts of where the optimizer stopped. Such a fit is never shown as numbers. Every page, the CLI, the
specification curve and the bootstrap classify a fit with :func:`classify_many` and show B and SE only
when the status is ``converged``.

Statuses:
- ``converged``: the optimizer converged and no fitted probability is at 0 or 1;
- ``separated``: complete separation, every respondent predicted exactly (ML estimates do not exist);
- ``quasi_separated``: some respondents predicted exactly, or a coefficient beyond ±15 on the logit
  scale (an odds ratio above 3 million): the estimates are not finite in the limit;
- ``not_converged``: the optimizer stopped without converging, or the information matrix was singular.

Penalized (Firth) fits exist under separation, so for them only convergence counts.
"""
from __future__ import annotations

import numpy as np

STATUSES = ("converged", "quasi_separated", "separated", "not_converged")
SEPARATION_BOUND = 15.0   # |B| beyond this on the logit scale: separation, not an estimate
PROB_EPS = 1e-6           # a fitted probability this close to 0 or 1 counts as predicted exactly
SEPARATION = {"converged": "none", "not_converged": "none", "quasi_separated": "quasi", "separated": "complete"}


def classify_many(converged, beta, fitted, y, weights=None, se=None, penalized: bool = False,
                  present=None) -> np.ndarray:
    """Status of each of B fits: ``converged`` (B bools), ``beta`` (B x k), ``fitted`` probabilities and
    ``y`` (B x n, or n), optional frequency ``weights`` (B x n; 0 = not in that fit), ``se`` (B x k) and
    ``present`` (B x k bools; False for a term held out of that fit, whose SE is not checked)."""
    beta = np.atleast_2d(np.asarray(beta, dtype=float))
    fitted = np.atleast_2d(np.asarray(fitted, dtype=float))
    B, n = fitted.shape
    y = np.broadcast_to(np.asarray(y, dtype=float), (B, n))
    w = np.ones((B, n)) if weights is None else np.broadcast_to(np.asarray(weights, dtype=float), (B, n))
    used = w > 0
    ok = np.asarray(converged, dtype=bool).reshape(B) & np.isfinite(beta).all(axis=1) & np.isfinite(fitted).all(axis=1)
    if se is not None:
        se = np.atleast_2d(np.asarray(se, dtype=float))
        present = np.ones(se.shape, dtype=bool) if present is None else np.atleast_2d(np.asarray(present, dtype=bool))
        ok &= ~(present & ~np.isfinite(se)).any(axis=1)
    status = np.where(ok, "converged", "not_converged").astype(object)
    if penalized:
        return status
    with np.errstate(invalid="ignore"):
        exact = (np.abs(fitted - y) < PROB_EPS) & used
        extreme = ((fitted < PROB_EPS) | (fitted > 1 - PROB_EPS)) & used
    complete = exact.sum(axis=1) == used.sum(axis=1)
    quasi = extreme.any(axis=1) | (np.nan_to_num(np.abs(beta), nan=0.0, posinf=np.inf).max(axis=1) > SEPARATION_BOUND)
    status[quasi] = "quasi_separated"
    status[complete] = "separated"
    return status


def classify(converged: bool, beta, fitted, y, se=None, penalized: bool = False) -> str:
    """Status of one fit (see :func:`classify_many`)."""
    se2 = None if se is None else np.atleast_2d(se)
    return str(classify_many([converged], np.atleast_2d(beta), np.atleast_2d(fitted), np.atleast_2d(y),
                             se=se2, penalized=penalized)[0])


def usable(status: str) -> bool:
    """Whether B and SE of a fit with this status may be shown as numbers."""
    return status == "converged"
