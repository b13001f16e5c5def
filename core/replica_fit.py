"""Replica, part 2: block permutations on the predictor matrix, outcome labels by integer programming and
the joint polish with exact refits. See core/replica.py for the whole procedure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from . import codebook, measurement, published
from .replica_marginals import N
from .scenario import logistic as _expit

PREDICTORS = ["safety", "socioeconomic", "permit_expectation", "illegal_attractiveness", "dtv_conversations",
              "ties_origin", "ties_nl", "travel_documents", "return_money", "health"]
# Correlations stated in the text (section 3.5; section 4 for ties_nl).
STATED_CORRELATIONS = {("socioeconomic", "return_money"): "r_socioeconomic_return_money",
                       ("ties_nl", "health"): "r_ties_nl_health",
                       ("ties_nl", "illegal_attractiveness"): "r_ties_nl_illegal_attractiveness"}
Z_BANDS = {"**": (2.576, np.inf), "*": (1.960, 2.576), "~": (1.645, 1.960), "": (0.0, 1.645)}


# ---------------------------------------------------------------------------------------------------
# 3. Block permutation search on the predictor matrix
# ---------------------------------------------------------------------------------------------------
@dataclass
class _Targets:
    beta: dict[str, np.ndarray]
    bands: dict[str, list[tuple[float, float]]]
    events: dict[str, int]
    r2: dict[str, float]
    stated: list[tuple[int, int, float]]
    r_min: float
    r_max: float
    t4_columns: dict[str, list[int]] = None   # Table 4 model A: predictor columns besides the safety groups
    t4_beta: dict[str, np.ndarray] = None     # const, safety_low, safety_mid, then those columns
    t4_bands: dict[str, list[tuple[float, float]]] = None
    t4b_beta: dict[str, np.ndarray] = None    # model B, same order (cleaned health in place of health)


def _targets() -> _Targets:
    beta, bands = {}, {}
    for o in published.OUTCOMES:
        c = published.coefficients(o, "table3").set_index("term").loc[["const"] + PREDICTORS]
        beta[o] = c["B"].to_numpy(dtype=float)
        bands[o] = [Z_BANDS[s] for s in c["stars"]]
    fit = published.table("fit").set_index(["outcome", "model"])["value"]
    stated = [(PREDICTORS.index(a), PREDICTORS.index(b), published.text_statistic(k))
              for (a, b), k in STATED_CORRELATIONS.items()]
    t4_columns, t4_beta, t4_bands, t4b_beta = {}, {}, {}, {}
    for o in published.OUTCOMES:
        c = published.coefficients(o, "A").set_index("term")
        others = [x for x in c.index if x not in ("const", "safety_low", "safety_mid", "safety_high")]
        t4_columns[o] = [PREDICTORS.index(x) + 1 for x in others]
        order = ["const", "safety_low", "safety_mid", *others]
        t4_beta[o] = c.loc[order, "B"].to_numpy(dtype=float)
        t4_bands[o] = [Z_BANDS[x if isinstance(x, str) else ""] for x in c.loc[order, "stars"].fillna("")]
        cb = published.coefficients(o, "B").set_index("term")
        t4b_beta[o] = cb.loc[[("health_cleaned" if x == "health" else x) for x in order], "B"].to_numpy(dtype=float)
    return _Targets(beta, bands, {"intention": 22, "attitude": 20},
                    {o: float(fit[(o, "table3")]) for o in published.OUTCOMES}, stated,
                    published.text_statistic("r_other_predictors_min"), published.text_statistic("r_other_predictors_max"),
                    t4_columns, t4_beta, t4_bands, t4b_beta)


def table4_design(X: np.ndarray, columns: list[int]) -> np.ndarray:
    """Model A's design from the Table 3 design: constant, safety low (the respondents at the lowest
    safety score, i.e. 1 on both items) and middle (the lower half of the rest, as
    core.validation.safety_groups), then the model's other predictors."""
    safety = X[:, 1]
    low = safety <= safety.min() + 1e-9
    rest = np.flatnonzero(~low)
    mid = np.zeros(len(safety), dtype=bool)
    mid[rest[np.argsort(safety[rest], kind="stable")[: len(rest) // 2]]] = True
    return np.column_stack([np.ones(len(safety)), low, mid, X[:, columns]])


def _llnull(e: int) -> float:
    q = e / N
    return e * np.log(q) + (N - e) * np.log(1 - q)


def _objective(X: np.ndarray, t: _Targets, margin: float = 0.25) -> float:
    total = 0.0
    for o in published.OUTCOMES:
        eta = X @ t.beta[o]
        p = _expit(eta)
        total += 4.0 * (p.sum() - t.events[o]) ** 2
        ll = float(np.sum(p * eta - np.logaddexp(0, eta)))
        cox = 1 - np.exp(2 * (_llnull(t.events[o]) - ll) / N)
        r2 = cox / (1 - np.exp(2 * _llnull(t.events[o]) / N))
        total += ((r2 - t.r2[o]) / 0.004) ** 2
        w = p * (1 - p)
        info = X.T @ (X * w[:, None])
        try:
            se = np.sqrt(np.diag(np.linalg.inv(info)))
        except np.linalg.LinAlgError:
            return np.inf
        z = np.abs(t.beta[o]) / se
        for zj, (lo, hi) in zip(z, t.bands[o]):
            lo_m = lo + margin if lo > 0 else 0.0
            hi_m = hi - margin
            total += 25.0 * (max(0.0, lo_m - zj) ** 2 + max(0.0, zj - hi_m) ** 2)
    corr = np.corrcoef(X[:, 1:], rowvar=False)
    stated = set()
    for a, b, r in t.stated:
        total += ((corr[a, b] - r) / 0.01) ** 2
        stated |= {(a, b), (b, a)}
    iu = np.triu_indices(len(PREDICTORS), 1)
    for a, b in zip(*iu):
        if (a, b) in stated:
            continue
        r = corr[a, b]
        total += 400.0 * (max(0.0, t.r_min + 0.02 - r) ** 2 + max(0.0, r - (t.r_max - 0.02)) ** 2)
    return float(total)


def _partner(rng, classes: list[np.ndarray], j: int) -> tuple[int, int] | None:
    """Two respondents whose block j may be swapped: same missing-answer pattern in that block."""
    a = int(rng.integers(N))
    same = np.flatnonzero(classes[j] == classes[j][a])
    if len(same) < 2:
        return None
    b = int(rng.choice(same))
    return None if a == b else (a, b)


def _search(rng, base: np.ndarray, t: _Targets, iterations: int, classes: list[np.ndarray]) -> list[np.ndarray]:
    """Permute rows within predictor columns (whole blocks, same missing pattern) to minimize the objective
    (annealing)."""
    k = base.shape[1]
    perms = [np.arange(N) for _ in range(k)]
    X = np.column_stack([np.ones(N), base])
    current = _objective(X, t)
    temperature = max(current, 1.0) * 0.05
    for it in range(iterations):
        j = rng.integers(k)
        pair = _partner(rng, classes, j)
        if pair is None:
            continue
        a, b = pair
        X[[a, b], j + 1] = X[[b, a], j + 1]
        cand = _objective(X, t)
        if cand <= current or rng.random() < np.exp((current - cand) / max(temperature, 1e-9)):
            current = cand
            perms[j][[a, b]] = perms[j][[b, a]]
        else:
            X[[a, b], j + 1] = X[[b, a], j + 1]
        temperature *= 0.9993
    return perms


# ---------------------------------------------------------------------------------------------------
# 4. Outcome labels: integer program on the score equations, then polish with exact refits
# ---------------------------------------------------------------------------------------------------
def _labels_milp(X: np.ndarray, center: np.ndarray, target: np.ndarray, events: int,
                 node_limit: int = 3000) -> np.ndarray:
    """Binary y with sum = events whose refitted coefficients land closest to ``target``.

    Around coefficients ``center`` that solve the score equations for some labelling, the refit is, to
    first order, center + I^-1 X'(y - p): linear in y. The integer program minimizes the largest absolute
    gap to the target over all coefficients.
    """
    p = _expit(X @ center)
    info = X.T @ (X * (p * (1 - p))[:, None])
    a = np.linalg.solve(info, X.T)          # k x N
    offset = target - center + a @ p        # want a @ y close to offset
    k = X.shape[1]
    rows, lb, ub = [], [], []
    for j in range(k):
        rows.append(np.r_[a[j], -1.0]); lb.append(-np.inf); ub.append(offset[j])
        rows.append(np.r_[a[j], 1.0]); lb.append(offset[j]); ub.append(np.inf)
    rows.append(np.r_[np.ones(N), 0.0]); lb.append(events); ub.append(events)
    res = milp(np.r_[np.zeros(N), 1.0], integrality=np.r_[np.ones(N), 0.0],
               constraints=LinearConstraint(np.array(rows), lb, ub),
               bounds=Bounds(np.zeros(N + 1), np.r_[np.ones(N), np.inf]),
               # A node limit, not a time limit: the result must not depend on the machine's speed.
               options={"node_limit": node_limit})
    if res.x is None:
        raise ValueError("The label integer program found no solution.")
    return np.round(res.x[:N]).astype(int)


def _labels(X: np.ndarray, beta_pub: np.ndarray, events: int, rounds: int = 4) -> np.ndarray:
    """Labels whose exact refit matches the published coefficients: re-linearize around each refit."""
    y = _labels_milp(X, beta_pub, beta_pub, events)
    best_y, best_dev = y, np.inf
    for _ in range(rounds):
        fit = _newton(X, y.astype(float), beta_pub)
        dev = float(np.max(np.abs(fit - beta_pub)))
        if dev < best_dev:
            best_y, best_dev = y, dev
        if dev < 0.015:
            break
        y = _labels_milp(X, fit, beta_pub, events)
    return _polish(X, best_y, beta_pub)


def _newton(X: np.ndarray, y: np.ndarray, beta0: np.ndarray, steps: int = 25) -> np.ndarray:
    beta = beta0.copy()
    for _ in range(steps):
        p = _expit(X @ beta)
        grad = X.T @ (y - p)
        info = X.T @ (X * (p * (1 - p))[:, None])
        step = np.linalg.solve(info, grad)
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    return beta


def _polish(X: np.ndarray, y: np.ndarray, beta_pub: np.ndarray, rounds: int = 40) -> np.ndarray:
    """Swap one event with one non-event while that lowers max |B - B_published| (exact refits)."""
    y = y.copy()
    fit = _newton(X, y, beta_pub)
    best = np.max(np.abs(fit - beta_pub))
    for _ in range(rounds):
        improved = False
        ones, zeros = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
        # Rank candidate swaps by their first-order effect on the score residual.
        p = _expit(X @ fit)
        info_inv = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
        best_pair, best_dev = None, best
        for i in ones:
            deltas = (X[zeros] - X[i]) @ info_inv.T  # approx change in beta for each swap i -> zero k
            approx = np.max(np.abs(fit + deltas - beta_pub), axis=1)
            for kk in np.argsort(approx)[:3]:
                cand = y.copy(); cand[i], cand[zeros[kk]] = 0, 1
                dev = np.max(np.abs(_newton(X, cand, fit, 8) - beta_pub))
                if dev < best_dev - 1e-6:
                    best_pair, best_dev = (i, zeros[kk]), dev
        if best_pair is not None:
            y[best_pair[0]], y[best_pair[1]] = 0, 1
            fit = _newton(X, y, fit)
            best = best_dev
            improved = True
        if not improved or best < 0.01:
            break
    return y


def _fit_penalty(X: np.ndarray, ys: dict, fits: dict, t: _Targets, margin: float = 0.12):
    """Exact-refit objective of the joint polish: Table 3 coefficient gaps first, then stars, R², the
    correlations, and Table 4 model A (gaps beyond 0.08 and its stars, with lower weight)."""
    total, new = 0.0, {}
    for o in (published.OUTCOMES if t.t4_beta is not None else ()):  # t4_beta None: Table 3 only
        XA = table4_design(X, t.t4_columns[o])
        try:
            fit = _newton(XA, ys[o], fits.get((o, "A"), t.t4_beta[o]), 8)
        except np.linalg.LinAlgError:
            return np.inf, fits
        if not np.all(np.isfinite(fit)) or np.max(np.abs(fit - t.t4_beta[o])) > 6:
            return np.inf, fits
        new[(o, "A")] = fit
        gap = np.abs(fit - t.t4_beta[o])
        total += 1e3 * max(0.0, gap.max() - 0.08) ** 2 + 0.5 * np.sum(gap ** 2)
        p = _expit(XA @ fit)
        try:
            se = np.sqrt(np.diag(np.linalg.inv(XA.T @ (XA * (p * (1 - p))[:, None]))))
        except np.linalg.LinAlgError:
            return np.inf, fits
        for zj, (lo, hi) in zip(np.abs(fit) / se, t.t4_bands[o]):
            lo_m = lo + margin if lo > 0 else 0.0
            total += 300 * (max(0.0, lo_m - zj) ** 2 + max(0.0, zj - (hi - margin)) ** 2)
    for o in published.OUTCOMES:
        try:
            fit = _newton(X, ys[o], fits[o], 8)
        except np.linalg.LinAlgError:
            return np.inf, fits
        if not np.all(np.isfinite(fit)) or np.max(np.abs(fit - t.beta[o])) > 2:
            return np.inf, fits  # diverging: (quasi-)separation
        new[o] = fit
        gap = np.abs(fit - t.beta[o])
        total += 1e5 * max(0.0, gap.max() - 0.03) ** 2 + np.sum(gap ** 2)
        eta = X @ fit
        p = _expit(eta)
        ll = float(np.sum(ys[o] * eta - np.logaddexp(0, eta)))
        cox = 1 - np.exp(2 * (_llnull(t.events[o]) - ll) / N)
        r2 = cox / (1 - np.exp(2 * _llnull(t.events[o]) / N))
        total += 100 * max(0.0, abs(r2 - t.r2[o]) - 0.006) ** 2 / 0.01 ** 2
        try:
            se = np.sqrt(np.diag(np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))))
        except np.linalg.LinAlgError:
            return np.inf, fits
        z = np.abs(fit) / se
        for zj, (lo, hi) in zip(z, t.bands[o]):
            lo_m = lo + margin if lo > 0 else 0.0
            total += 1e3 * (max(0.0, lo_m - zj) ** 2 + max(0.0, zj - (hi - margin)) ** 2)
    corr = np.corrcoef(X[:, 1:], rowvar=False)
    stated = set()
    for a, b, r in t.stated:
        total += 10 * max(0.0, abs(corr[a, b] - r) - 0.004) ** 2 / 0.01 ** 2
        stated |= {(a, b), (b, a)}
    for a, b in zip(*np.triu_indices(len(PREDICTORS), 1)):
        if (a, b) not in stated:
            total += 1e4 * (max(0.0, t.r_min + 0.01 - corr[a, b]) ** 2 + max(0.0, corr[a, b] - (t.r_max - 0.01)) ** 2)
    return total, new


class _Imputer:
    """The pipeline's single-item imputation (measurement.regression_impute) on the predictor matrix, so a
    polish move sees exactly the X the pipeline will produce."""

    def __init__(self, background: pd.DataFrame):
        self.background = background
        self.jobs = []
        for target, xs in measurement.SINGLE_ITEM_IMPUTATION.items():
            var = codebook.variable(target)
            self.jobs.append((PREDICTORS.index(target),
                              [("p", PREDICTORS.index(x)) if x in PREDICTORS else ("b", x) for x in xs],
                              var.slider_min, var.slider_max))

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        x = raw.copy()
        for j, sources, lo, hi in self.jobs:
            col = raw[:, j + 1]
            if not np.isnan(col).any():
                continue
            design = np.column_stack([raw[:, k + 1] if kind == "p" else self.background[k].to_numpy(dtype=float)
                                      for kind, k in sources])
            x[:, j + 1] = measurement.regression_impute(col, design, lo, hi)
        return x


def _joint_polish(rng, raw: np.ndarray, impute: _Imputer, ys: dict, t: _Targets, iterations: int,
                  classes: list[np.ndarray]):
    """Label swaps and within-block row swaps, kept when the exact refits move closer to Table 3.

    ``raw`` is the predictor matrix before single-item imputation (NaN where an answer is missing);
    a block swap moves a respondent's whole answer block, missing answers included.
    """
    raw = raw.copy()
    X = impute(raw)
    ys = {o: y.astype(float).copy() for o, y in ys.items()}
    perms = [np.arange(N) for _ in PREDICTORS]
    fits = {o: t.beta[o].copy() for o in published.OUTCOMES}
    if t.t4_beta is not None:
        fits.update({(o, "A"): t.t4_beta[o].copy() for o in published.OUTCOMES})
    current, fits = _fit_penalty(X, ys, fits, t)
    for _ in range(iterations):
        if rng.random() < 0.5:
            o = published.OUTCOMES[rng.integers(2)]
            i = rng.choice(np.flatnonzero(ys[o] == 1))
            k = rng.choice(np.flatnonzero(ys[o] == 0))
            ys[o][[i, k]] = ys[o][[k, i]]
            cand, new = _fit_penalty(X, ys, fits, t)
            if cand < current:
                current, fits = cand, new
            else:
                ys[o][[i, k]] = ys[o][[k, i]]
        else:
            j = rng.integers(len(PREDICTORS))
            pair = _partner(rng, classes, j)
            if pair is None:
                continue
            a, b = pair
            raw[[a, b], j + 1] = raw[[b, a], j + 1]
            X_new = impute(raw)
            cand, new = _fit_penalty(X_new, ys, fits, t)
            if cand < current:
                current, fits, X = cand, new, X_new
                perms[j][[a, b]] = perms[j][[b, a]]
            else:
                raw[[a, b], j + 1] = raw[[b, a], j + 1]
    return {o: y.astype(int) for o, y in ys.items()}, perms




def choose_medical_procedure(rng, X: np.ndarray, ys: dict, t: _Targets, n_medical: int, draws: int = 300) -> np.ndarray:
    """Who has a running medical procedure (section 4.1: 15 respondents, more often in poor or moderate
    health). Of ``draws`` weighted draws, the one whose model B refits (health 'cleaned' as
    core.validation.cleaned_health does) come closest to Table 4 model B."""
    health_col = PREDICTORS.index("health") + 1
    health = X[:, health_col]
    weights = np.where(health <= 2, 3.0, 1.0)
    best, best_gap = None, np.inf
    for _ in range(draws):
        medical = np.zeros(N, dtype=int)
        medical[rng.choice(N, n_medical, replace=False, p=weights / weights.sum())] = 1
        mask = (medical == 1) & (health <= 2) & (ys["intention"] == 0)
        XB = X.copy()
        XB[mask, health_col] = health[~mask].mean()
        gap = 0.0
        for o in published.OUTCOMES:
            try:
                fit = _newton(table4_design(XB, t.t4_columns[o]), ys[o].astype(float), t.t4b_beta[o])
            except np.linalg.LinAlgError:
                gap = np.inf
                break
            gap = max(gap, float(np.max(np.abs(fit - t.t4b_beta[o]))))
        if gap < best_gap:
            best, best_gap = medical, gap
    return best


def table3_met(X: np.ndarray, ys: dict, t: _Targets, tolerance: float = 0.045) -> bool:
    """Do exact refits meet the hard Table 3 targets: every B within ``tolerance``, every star identical?"""
    for o in published.OUTCOMES:
        y = ys[o].astype(float)
        fit = _newton(X, y, t.beta[o])
        if not np.all(np.isfinite(fit)) or np.max(np.abs(fit - t.beta[o])) > tolerance:
            return False
        eta = X @ fit
        p = _expit(eta)
        se = np.sqrt(np.diag(np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))))
        for zj, (lo, hi) in zip(np.abs(fit) / se, t.bands[o]):
            if not lo <= zj < hi:
                return False
        ll = float(np.sum(y * eta - np.logaddexp(0, eta)))
        events = int(y.sum())
        cox = 1 - np.exp(2 * (_llnull(events) - ll) / N)
        if abs(cox / (1 - np.exp(2 * _llnull(events) / N)) - t.r2[o]) > 0.009:
            return False
    return True
