"""Vectorized logistic regression: Newton-Raphson for many fits at once (bootstrap, specification curves).

statsmodels stays the reference (tests compare to 1e-6). Fits share a design matrix and differ in
frequency weights (a bootstrap resample is a vector of counts), or come as a stack of designs.
"""
from __future__ import annotations

import numpy as np
from .scenario import logistic as _expit


def safe_inverse(stack: np.ndarray) -> np.ndarray:
    """Inverse of each matrix in a stack; a singular one (collinear design) becomes all-inf, so its standard
    errors are not finite and core.fitstatus marks the fit as not converged."""
    try:
        return np.linalg.inv(stack)
    except np.linalg.LinAlgError:
        out = np.empty_like(stack)
        for b in range(stack.shape[0]):
            try:
                out[b] = np.linalg.inv(stack[b])
            except np.linalg.LinAlgError:
                out[b] = np.inf
        return out


START_SAMPLE = 50_000   # rows used for start values: every k-th respondent of a larger file


def start_values(X: np.ndarray, y: np.ndarray, max_iter: int = 25, tol: float = 1e-5,
                 bound: float = 15.0) -> np.ndarray | None:
    """Start values for statsmodels' Newton iterations, so that it needs one iteration where it would need
    seven or eight: on a million respondents those passes are most of the fit's time. Newton-Raphson on an
    evenly spaced subsample of START_SAMPLE rows, then on all rows (one reused work buffer, two or three
    passes). statsmodels' estimates, standard errors and convergence test are unchanged. None when the
    iterations do not settle or an estimate passes ``bound`` (separation): statsmodels then starts from
    zero as usual.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    step = max(1, len(X) // START_SAMPLE)
    beta = np.zeros(X.shape[1])
    stages = [(np.ascontiguousarray(X[::step]), y[::step])] if step > 1 else []
    # Newton converges quadratically: after a step below 1e-5 the error is about its square, well inside
    # statsmodels' own tolerance (1e-8), so its first iteration is its last.
    for Xs, ys in stages + [(X, y)]:
        buffer = np.empty_like(Xs)
        for _ in range(max_iter):
            p = _expit(Xs @ beta)
            np.multiply(Xs, (p * (1 - p))[:, None], out=buffer)
            try:
                delta = np.linalg.solve(Xs.T @ buffer, Xs.T @ (ys - p))
            except np.linalg.LinAlgError:
                return None
            beta += delta
            if not np.all(np.isfinite(beta)) or np.abs(beta).max() > bound:
                return None
            if np.abs(delta).max() < tol:
                break
        else:
            return None
    return beta


def fit_weighted(X: np.ndarray, y: np.ndarray, weights: np.ndarray, max_iter: int = 50,
                 tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """ML logistic fits of y on X (n x k, constant included) for each row of ``weights`` (B x n).

    Returns (beta: B x k, converged: B bools). Step-halving keeps separated resamples from diverging;
    their ``converged`` flag is False.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    W = np.atleast_2d(np.asarray(weights, dtype=float))
    B, k = W.shape[0], X.shape[1]
    beta = np.zeros((B, k))
    wy = W * y
    converged = np.zeros(B, dtype=bool)
    active = np.ones(B, dtype=bool)
    for _ in range(max_iter):
        eta = beta[active] @ X.T                                  # b x n
        p = _expit(eta)
        grad = wy[active] @ X - (W[active] * p) @ X                # b x k
        h = W[active] * p * (1 - p)                               # b x n
        info = np.einsum("bn,ni,nj->bij", h, X, X) + 1e-12 * np.eye(k)
        step = np.linalg.solve(info, grad[..., None])[..., 0]
        big = np.abs(step).max(axis=1) > 5
        step[big] *= (5 / np.abs(step[big]).max(axis=1))[:, None]  # damp wild steps (separation)
        beta[active] += step
        done = np.abs(step).max(axis=1) < tol
        idx = np.flatnonzero(active)
        converged[idx[done]] = True
        active[idx[done]] = False
        if not active.any():
            break
    return beta, converged


def fit_many(X: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None, max_iter: int = 30,
             tol: float = 1e-10, firth: bool = False, fixed_zero: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """ML (or Firth-penalized) fits for a stack of designs X (B x n x k), outcomes y (B x n or n),
    optional frequency weights (B x n) and optional coefficients held at zero (B x k bools: a
    specification that drops a predictor). Only fits still moving are iterated; separated ones stop at
    ``max_iter`` and are flagged as not converged.

    Firth (1993): the score gains h_i (1/2 - p_i), h the leverages of the weighted hat matrix; this
    removes the first-order small-sample bias and gives finite estimates under separation.
    """
    X = np.asarray(X, dtype=float)
    B, n, k = X.shape
    Y = np.broadcast_to(np.asarray(y, dtype=float), (B, n))
    W = np.ones((B, n)) if weights is None else np.broadcast_to(np.asarray(weights, dtype=float), (B, n))
    ridge = np.zeros((B, k)) if fixed_zero is None else np.asarray(fixed_zero, dtype=float) * 1e10
    beta = np.zeros((B, k))
    converged = np.zeros(B, dtype=bool)
    active = np.arange(B)
    for _ in range(max_iter):
        Xa, Wa = X[active], W[active]
        p = _expit(np.matmul(Xa, beta[active][:, :, None])[..., 0])
        h_w = Wa * p * (1 - p)
        info = np.matmul(Xa.transpose(0, 2, 1), Xa * h_w[:, :, None])
        info = info + np.einsum("bk,kj->bkj", ridge[active], np.eye(k)) + 1e-12 * np.eye(k)
        resid = Wa * (Y[active] - p)
        if firth:
            inv = safe_inverse(info)
            lev = h_w * np.einsum("bni,bij,bnj->bn", Xa, inv, Xa)
            resid = resid + lev * (0.5 - p)
        grad = np.matmul(Xa.transpose(0, 2, 1), resid[:, :, None])[..., 0] - ridge[active] * beta[active]
        step = np.linalg.solve(info, grad[..., None])[..., 0]
        size = np.abs(step).max(axis=1)
        big = size > 5
        step[big] *= (5 / size[big])[:, None]  # damp wild steps (separation)
        beta[active] += step
        done = size < tol
        converged[active[done]] = True
        active = active[~done]
        if active.size == 0:
            break
    return beta, converged


def wald(X: np.ndarray, beta: np.ndarray, weights: np.ndarray | None = None,
         fixed_zero: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Standard errors and two-sided Wald p-values from the inverse information at ``beta`` (stacked)."""
    from scipy.stats import norm

    X = np.asarray(X, dtype=float)
    B, n, k = X.shape
    W = np.ones((B, n)) if weights is None else np.broadcast_to(np.asarray(weights, dtype=float), (B, n))
    p = _expit(np.matmul(X, beta[:, :, None])[..., 0])
    info = np.matmul(X.transpose(0, 2, 1), X * (W * p * (1 - p))[:, :, None])
    if fixed_zero is not None:
        info = info + np.einsum("bk,kj->bkj", np.asarray(fixed_zero, dtype=float), np.eye(k))
    se = np.sqrt(np.clip(np.einsum("bii->bi", safe_inverse(info)), 0, None))
    if fixed_zero is not None:
        se = np.where(fixed_zero, np.nan, se)
    with np.errstate(divide="ignore", invalid="ignore"):
        pval = 2 * norm.sf(np.abs(beta / se))
    return se, pval


def bootstrap_weights(n: int, replicates: int, seed: int) -> np.ndarray:
    """Nonparametric bootstrap as frequency weights: counts of each respondent in each resample."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(n, np.full(n, 1.0 / n), size=replicates).astype(float)
