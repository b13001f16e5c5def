"""Vectorized logistic regression: Newton-Raphson for many fits at once (bootstrap, specification curves).

statsmodels stays the reference (tests compare to 1e-6). Fits share a design matrix and differ in
frequency weights (a bootstrap resample is a vector of counts), or come as a stack of designs.
"""
from __future__ import annotations

import numpy as np


def _expit(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


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
             tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """ML fits for a stack of designs X (B x n x k), outcomes y (B x n or n) and optional frequency
    weights (B x n). Only fits still moving are iterated; separated ones stop at ``max_iter``, flagged."""
    X = np.asarray(X, dtype=float)
    B, n, k = X.shape
    Y = np.broadcast_to(np.asarray(y, dtype=float), (B, n))
    W = np.ones((B, n)) if weights is None else np.broadcast_to(np.asarray(weights, dtype=float), (B, n))
    beta = np.zeros((B, k))
    converged = np.zeros(B, dtype=bool)
    active = np.arange(B)
    eye = 1e-12 * np.eye(k)
    for _ in range(max_iter):
        Xa, Wa = X[active], W[active]
        p = _expit(np.matmul(Xa, beta[active][:, :, None])[..., 0])
        grad = np.matmul(Xa.transpose(0, 2, 1), (Wa * (Y[active] - p))[:, :, None])[..., 0]
        info = np.matmul(Xa.transpose(0, 2, 1), Xa * (Wa * p * (1 - p))[:, :, None]) + eye
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


def bootstrap_weights(n: int, replicates: int, seed: int) -> np.ndarray:
    """Nonparametric bootstrap as frequency weights: counts of each respondent in each resample."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(n, np.full(n, 1.0 / n), size=replicates).astype(float)
