"""A synthetic replica of the study's 108 interviews, calibrated to the published tables.

NOT the original data (which are not public): a data set built so that the paper's pipeline, run on it,
reproduces the published marginals (Tables 1b and 2), loadings (Table 1a), correlations stated in the text
(section 3.5 and 4) and both Table 3 models. Deterministic for a seed; ``python -m core replica``.

Steps (each documented where it happens):
1. exact item marginals: integer counts per answer with the printed N, min, max, mean and SD (at one
   decimal), found by a small integer program, then assigned by rank-cutting a latent one-factor model;
   the latent loadings are calibrated until principal-component loadings match Table 1a;
2. 78 respondents at 1 on both safety items (section 4.1);
3. predictor blocks (all items of a construct move together, so no marginal changes) are permuted between
   respondents to set the correlations of section 3.5 and, with the published coefficients, the spread of
   the linear predictor that fixes Nagelkerke R², standard errors and hence stars;
4. outcome labels chosen by an integer program so the score equations X'(y - p) = 0 hold as closely as
   binary labels allow at the published coefficients; then exact refits polish them by label swaps;
5. the 7-point intention and attitude items are built around those labels (means 1.7 and 1.4, r = 0.73).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from . import codebook, measurement, published
from .paths import DATA

N = 108
REPLICA_DIR = DATA / "replica"
REPLICA_CSV = REPLICA_DIR / "replica.csv"
REPLICA_META = REPLICA_DIR / "replica.json"
DEFAULT_SEED = 20110601
SYNTHETIC_LABEL = "synthetic — calibrated to the published tables, not the original interviews"

PREDICTORS = ["safety", "socioeconomic", "permit_expectation", "illegal_attractiveness", "dtv_conversations",
              "ties_origin", "ties_nl", "travel_documents", "return_money", "health"]
# Correlations stated in the text (section 3.5; section 4 for ties_nl).
STATED_CORRELATIONS = {("socioeconomic", "return_money"): "r_socioeconomic_return_money",
                       ("ties_nl", "health"): "r_ties_nl_health",
                       ("ties_nl", "illegal_attractiveness"): "r_ties_nl_illegal_attractiveness"}
Z_BANDS = {"**": (2.576, np.inf), "*": (1.960, 2.576), "~": (1.645, 1.960), "": (0.0, 1.645)}


# ---------------------------------------------------------------------------------------------------
# 1. Exact marginals
# ---------------------------------------------------------------------------------------------------
def answer_counts(n: int, lo: int, hi: int, mean: float, sd: float, min_lowest: int = 0) -> np.ndarray:
    """Counts per answer lo..hi whose mean and SD round to the printed values (one decimal).

    Integer program: counts sum to n, first and second moments inside the rounding band, every answer used
    at least once where possible (the printed min and max at least once), smoothest profile (least total
    variation between neighbouring answers).
    """
    ks = np.arange(lo, hi + 1)
    k = len(ks)
    half = 0.0499
    targets = range(int(np.ceil(n * (mean - half))), int(np.floor(n * (mean + half))) + 1)
    for every_answer in (True, False):
        for s1 in sorted(targets, key=lambda v: abs(v - n * mean)):
            lo2 = (n - 1) * (sd - half) ** 2 + s1 ** 2 / n
            hi2 = (n - 1) * (sd + half) ** 2 + s1 ** 2 / n
            nv = 2 * k - 1
            rows, lb, ub = [], [], []
            rows.append(np.r_[np.ones(k), np.zeros(k - 1)]); lb.append(n); ub.append(n)
            rows.append(np.r_[ks, np.zeros(k - 1)]); lb.append(s1); ub.append(s1)
            rows.append(np.r_[ks ** 2, np.zeros(k - 1)]); lb.append(lo2); ub.append(hi2)
            for i in range(k - 1):
                for sign in (1, -1):
                    r = np.zeros(nv)
                    r[i + 1], r[i], r[k + i] = sign, -sign, -1
                    rows.append(r); lb.append(-np.inf); ub.append(0)
            lower = np.zeros(nv)
            lower[:k] = 1 if every_answer else 0
            lower[0], lower[k - 1] = max(1, min_lowest), 1
            res = milp(np.r_[np.zeros(k), np.ones(k - 1)], integrality=np.r_[np.ones(k), np.zeros(k - 1)],
                       constraints=LinearConstraint(np.array(rows), lb, ub),
                       bounds=Bounds(lower, np.full(nv, np.inf)))
            if res.success:
                return np.round(res.x[:k]).astype(int)
    raise ValueError(f"No answer counts fit N={n}, range {lo}-{hi}, mean {mean}, SD {sd}.")


def rank_cut(latent: np.ndarray, counts: np.ndarray, lo: int) -> np.ndarray:
    """Assign answers lo, lo+1, ... to the lowest latent values by the given counts (exact marginal)."""
    values = np.empty(len(latent))
    values[np.argsort(latent, kind="stable")] = np.repeat(np.arange(lo, lo + len(counts)), counts)
    return values


def _descriptive(variable: str) -> pd.Series:
    return published.descriptive(variable)


def _pca_loadings(block: np.ndarray) -> np.ndarray:
    corr = np.corrcoef(block, rowvar=False)
    vals, vecs = np.linalg.eigh(corr)
    v = vecs[:, -1] * np.sqrt(vals[-1])
    return v if v.sum() >= 0 else -v


@dataclass
class _Block:
    name: str
    columns: list[str]
    values: np.ndarray  # (N, len(columns)) with NaN for missing


def _missing_mask(rng, n_valid: int, protect: np.ndarray | None = None) -> np.ndarray:
    mask = np.zeros(N, dtype=bool)
    candidates = np.arange(N) if protect is None else np.flatnonzero(~protect)
    mask[rng.choice(candidates, N - n_valid, replace=False)] = True
    return mask


def _item_block(rng, factor: str, items: list[str], f: np.ndarray, iterations: int = 600) -> _Block:
    """Items of one construct with exact marginals and PCA loadings calibrated to Table 1a."""
    load = published.table("loadings").set_index("item")["loading"]
    target = load.loc[items].to_numpy()
    specs = [_descriptive(i) for i in items]
    counts = [answer_counts(int(s["N"]), int(s["min"]), int(s["max"]), float(s["mean"]), float(s["sd"])) for s in specs]
    missing = np.zeros((N, len(items)), dtype=bool)
    for j, s in enumerate(specs):
        # Nobody misses every item of a construct (the paper imputes factor scores from the answered items).
        protect = missing.any(axis=1) if len(items) > 1 else None
        missing[:, j] = _missing_mask(rng, int(s["N"]), protect)
    best, best_err = None, np.inf
    for it in range(iterations):
        if it % 40 == 0:  # restart with fresh noise when a calibration stalls above 0.008
            if best_err < 0.008:
                break
            lam = np.clip(target, 0.05, 0.97)
            noise = rng.normal(size=(N, len(items)))
        values = np.full((N, len(items)), np.nan)
        for j, s in enumerate(specs):
            latent = lam[j] * f + np.sqrt(1 - lam[j] ** 2) * noise[:, j]
            ok = ~missing[:, j]
            values[ok, j] = rank_cut(latent[ok], counts[j], int(s["min"]))
        complete = values[~np.isnan(values).any(axis=1)]
        got = _pca_loadings(complete)
        err = np.max(np.abs(got - target))
        if err < best_err:
            best, best_err = values.copy(), err
        if err < 0.002:
            break
        step = 0.8 * 0.96 ** (it % 40)  # damped: rank-cutting makes the map from latent to PCA loadings jumpy
        lam = np.clip(lam + step * (target - got) * (1 - lam ** 2 + 0.2), 0.02, 0.995)
    return _Block(factor, items, best)


def _safety_block(rng, f: np.ndarray) -> _Block:
    """Safety items: exactly 78 respondents answer 1 on both (section 4.1); the other 30 carry the variation.

    With 78 of 108 at (1, 1) the two items correlate strongly through that mass alone, so the answer counts
    (more answers of 1 on one item among the other 30) and how the 30 combine their answers are searched
    jointly for the principal-component loading of Table 1a (0.86, i.e. r = 0.48).
    """
    n_low = int(published.text_statistic("n_safety_low"))
    s1, s2 = _descriptive("item01"), _descriptive("item02")
    target = float(published.table("loadings").set_index("item").loc["item01", "loading"])
    order = np.argsort(f, kind="stable")
    low, rest = order[:n_low], order[n_low:]
    miss1 = rng.choice(rest, N - int(s1["N"]), replace=False)
    miss2 = rng.choice(np.setdiff1d(rest, miss1), N - int(s2["N"]), replace=False)
    r1, r2 = np.setdiff1d(rest, miss1), np.setdiff1d(rest, miss2)
    noise = rng.normal(size=(N, 2))
    options1, options2 = {}, {}
    for extra in range(0, 16, 3):
        for options, s, hi in ((options1, s1, 5), (options2, s2, 7)):
            try:
                c = answer_counts(int(s["N"]), 1, hi, float(s["mean"]), float(s["sd"]), min_lowest=n_low + extra)
            except ValueError:
                continue
            options[tuple(c)] = c
    best, best_err = None, np.inf
    for c1 in options1.values():
        for c2 in options2.values():
            rem1, rem2 = c1.copy(), c2.copy()
            rem1[0] -= n_low
            rem2[0] -= n_low
            for mix in np.linspace(-0.95, 0.95, 39):
                v = np.full((N, 2), np.nan)
                v[low] = 1.0
                v[r1, 0] = rank_cut(mix * f[r1] + np.sqrt(1 - mix ** 2) * noise[r1, 0], rem1, 1)
                v[r2, 1] = rank_cut(f[r2] + 0.3 * noise[r2, 1], rem2, 1)
                if ((v[:, 0] == 1) & (v[:, 1] == 1)).sum() != n_low:
                    continue
                complete = v[~np.isnan(v).any(axis=1)]
                err = abs(_pca_loadings(complete)[0] - target)
                if err < best_err:
                    best, best_err = v, err
    if best is None:
        raise ValueError("Could not place the safety answers with exactly 78 respondents at 1 on both items.")
    return _Block("safety", ["item01", "item02"], best)


def _single_item(rng, name: str, latent: np.ndarray) -> _Block:
    s = _descriptive(name)
    counts = answer_counts(int(s["N"]), int(s["min"]), int(s["max"]), float(s["mean"]), float(s["sd"]))
    missing = _missing_mask(rng, int(s["N"]))
    values = np.full(N, np.nan)
    values[~missing] = rank_cut(latent[~missing], counts, int(s["min"]))
    return _Block(name, [name], values[:, None])


# ---------------------------------------------------------------------------------------------------
# Background characteristics (section 3.4)
# ---------------------------------------------------------------------------------------------------
REGIONS = {"Afghanistan": 16, "Iraq": 9, "Iran": 9, "China": 9, "Burundi": 8, "Other Africa": 40,
           "Former Soviet Union": 13, "Ecuador": 2, "Not reported": 2}


def _scaled(rng, latent: np.ndarray, mean: float, lo: float, hi: float) -> np.ndarray:
    """Integer values with exactly the given min and max and a mean that rounds to ``mean``."""
    z = (latent - latent.min()) / (latent.max() - latent.min())
    for power in np.linspace(0.3, 3.0, 200):
        v = np.round(lo + (hi - lo) * z ** power)
        if round(v.mean()) == round(mean) and abs(v.mean() - mean) < 0.5:
            return v
    raise ValueError("Could not scale the background variable.")


def _background(rng, ties_nl: np.ndarray, health_latent: np.ndarray) -> pd.DataFrame:
    n_men = int(published.text_statistic("n_men"))
    sex = np.array(["male"] * n_men + ["female"] * (N - n_men))
    rng.shuffle(sex)
    age = _scaled(rng, rng.gamma(4.0, 1.0, N) - 0.3 * health_latent, published.text_statistic("age_mean"),
                  published.text_statistic("age_min"), published.text_statistic("age_max"))
    years = rng.normal(published.text_statistic("years_in_nl_mean"), published.text_statistic("years_in_nl_sd"), N)
    years = np.clip(np.round(years + 0.8 * ties_nl, 1), 0.5, None)
    holders = int(published.text_statistic("n_permit_holders"))
    permit_holder = np.zeros(N, dtype=int)
    permit_holder[np.argsort(-years + rng.normal(0, 2, N))[:holders]] = 1
    region = np.repeat(list(REGIONS), list(REGIONS.values()))
    rng.shuffle(region)
    return pd.DataFrame({"sex": sex, "age": age.astype(int), "years_in_nl": years,
                         "permit_holder": permit_holder, "region": region})


# ---------------------------------------------------------------------------------------------------
# 3. Block permutation search on the predictor matrix
# ---------------------------------------------------------------------------------------------------
def _expit(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@dataclass
class _Targets:
    beta: dict[str, np.ndarray]
    bands: dict[str, list[tuple[float, float]]]
    events: dict[str, int]
    r2: dict[str, float]
    stated: list[tuple[int, int, float]]
    r_min: float
    r_max: float


def _targets() -> _Targets:
    beta, bands = {}, {}
    for o in published.OUTCOMES:
        c = published.coefficients(o, "table3").set_index("term").loc[["const"] + PREDICTORS]
        beta[o] = c["B"].to_numpy(dtype=float)
        bands[o] = [Z_BANDS[s] for s in c["stars"]]
    fit = published.table("fit").set_index(["outcome", "model"])["value"]
    stated = [(PREDICTORS.index(a), PREDICTORS.index(b), published.text_statistic(k))
              for (a, b), k in STATED_CORRELATIONS.items()]
    return _Targets(beta, bands, {"intention": 22, "attitude": 20},
                    {o: float(fit[(o, "table3")]) for o in published.OUTCOMES}, stated,
                    published.text_statistic("r_other_predictors_min"), published.text_statistic("r_other_predictors_max"))


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


def _search(rng, base: np.ndarray, t: _Targets, iterations: int) -> list[np.ndarray]:
    """Permute rows within predictor columns (whole blocks) to minimize the objective (annealing)."""
    k = base.shape[1]
    perms = [np.arange(N) for _ in range(k)]
    X = np.column_stack([np.ones(N), base])
    current = _objective(X, t)
    temperature = max(current, 1.0) * 0.05
    for it in range(iterations):
        j = rng.integers(k)
        a, b = rng.choice(N, 2, replace=False)
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
    """Exact-refit objective of the joint polish: coefficient gaps first, then stars, R² and correlations."""
    total, new = 0.0, {}
    for o in published.OUTCOMES:
        try:
            fit = _newton(X, ys[o], fits[o], 8)
        except np.linalg.LinAlgError:
            return np.inf, fits
        if not np.all(np.isfinite(fit)) or np.max(np.abs(fit - t.beta[o])) > 2:
            return np.inf, fits  # diverging: (quasi-)separation
        new[o] = fit
        gap = np.abs(fit - t.beta[o])
        total += 1e4 * max(0.0, gap.max() - 0.03) ** 2 + np.sum(gap ** 2)
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


def _joint_polish(rng, raw: np.ndarray, impute: _Imputer, ys: dict, t: _Targets, iterations: int):
    """Label swaps and within-block row swaps, kept when the exact refits move closer to Table 3.

    ``raw`` is the predictor matrix before single-item imputation (NaN where an answer is missing);
    a block swap moves a respondent's whole answer block, missing answers included.
    """
    raw = raw.copy()
    X = impute(raw)
    ys = {o: y.astype(float).copy() for o, y in ys.items()}
    perms = [np.arange(N) for _ in PREDICTORS]
    fits = {o: t.beta[o].copy() for o in published.OUTCOMES}
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
            a, b = rng.choice(N, 2, replace=False)
            raw[[a, b], j + 1] = raw[[b, a], j + 1]
            X_new = impute(raw)
            cand, new = _fit_penalty(X_new, ys, fits, t)
            if cand < current:
                current, fits, X = cand, new, X_new
                perms[j][[a, b]] = perms[j][[b, a]]
            else:
                raw[[a, b], j + 1] = raw[[b, a], j + 1]
    return {o: y.astype(int) for o, y in ys.items()}, perms


# ---------------------------------------------------------------------------------------------------
# 5. The 7-point outcome items around the labels
# ---------------------------------------------------------------------------------------------------
def _intention_items(rng, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """plan and effort (1-7): both 1 where y = 0; scale mean 1.7 overall and item r = 0.73 (section 3.6)."""
    target_mean = published.text_statistic("intention_scale_mean")
    target_r = published.text_statistic("r_intention_items")
    ev = np.flatnonzero(y == 1)
    best, best_err = None, np.inf
    for _ in range(400):
        level = rng.uniform(3.0, 6.0)
        spread = rng.uniform(0.5, 3.0)
        base = rng.normal(level, 1.6, len(ev))
        plan = np.clip(np.round(base + rng.normal(0, spread, len(ev))), 1, 7)
        effort = np.clip(np.round(base + rng.normal(0, spread, len(ev))), 1, 7)
        stuck = (plan == 1) & (effort == 1)
        plan[stuck] = 2
        a, b = np.ones(N), np.ones(N)
        a[ev], b[ev] = plan, effort
        scale = (a + b) / 2
        if round(scale.mean(), 1) != target_mean:
            continue
        err = abs(np.corrcoef(a, b)[0, 1] - target_r)
        if err < best_err:
            best, best_err = (a, b), err
    if best is None:
        raise ValueError("Could not build intention items with mean 1.7.")
    return best


def _attitude_item(rng, y: np.ndarray) -> np.ndarray:
    target_mean = published.text_statistic("attitude_scale_mean")
    ev = np.flatnonzero(y == 1)
    for _ in range(2000):
        vals = np.clip(np.round(rng.normal(rng.uniform(2.5, 4.5), 1.5, len(ev))), 2, 7)
        a = np.ones(N)
        a[ev] = vals
        if round(a.mean(), 1) == target_mean:
            return a
    raise ValueError("Could not build the attitude item with mean 1.4.")


# ---------------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------------
def _latent_factors(rng) -> np.ndarray:
    """Latent predictor scores (N x 10), mildly correlated; the search sets the final correlations."""
    r = np.eye(len(PREDICTORS))
    for (a, b), key in STATED_CORRELATIONS.items():
        i, j = PREDICTORS.index(a), PREDICTORS.index(b)
        r[i, j] = r[j, i] = published.text_statistic(key)
    return rng.multivariate_normal(np.zeros(len(PREDICTORS)), r, size=N, method="eigh")


def generate(seed: int = DEFAULT_SEED, iterations: int = 30000, polish_iterations: int = 6000) -> pd.DataFrame:
    """Build the replica (deterministic for a seed). Every row is synthetic."""
    rng = np.random.default_rng(seed)
    latent = _latent_factors(rng)
    col = {name: latent[:, i] for i, name in enumerate(PREDICTORS)}
    items = measurement.construct_items()
    blocks: dict[str, _Block] = {"safety": _safety_block(rng, col["safety"])}
    for factor in ("socioeconomic", "illegal_attractiveness", "ties_origin", "ties_nl"):
        blocks[factor] = _item_block(rng, factor, items[factor], col[factor])
    for name in measurement.SINGLE_ITEM_PREDICTORS:
        blocks[name] = _single_item(rng, name, col[name])

    # Predictor columns as the pipeline will see them (factor scores are permutation-invariant per block).
    def block_frame(b: _Block) -> pd.DataFrame:
        return pd.DataFrame(b.values, columns=b.columns)

    base = np.empty((N, len(PREDICTORS)))
    for j, name in enumerate(PREDICTORS):
        b = blocks[name]
        if name in measurement.FACTORS:
            base[:, j] = measurement.factor_analysis(block_frame(b), name).scores.to_numpy()
        else:
            v = b.values[:, 0]
            base[:, j] = np.where(np.isnan(v), np.nanmean(v), v)
    t = _targets()
    perms = _search(rng, base, t, iterations)
    for j, name in enumerate(PREDICTORS):
        blocks[name].values = blocks[name].values[perms[j]]
    permuted = base.copy()
    for j in range(len(PREDICTORS)):
        permuted[:, j] = base[perms[j], j]

    frame = pd.concat([block_frame(blocks[name]) for name in PREDICTORS], axis=1)
    item_cols = [f"item{i:02d}" for i in range(1, 26)]
    frame = frame[item_cols + list(measurement.SINGLE_ITEM_PREDICTORS)]
    frame = pd.concat([frame, _background(rng, permuted[:, PREDICTORS.index("ties_nl")],
                                          permuted[:, PREDICTORS.index("health")])], axis=1)

    # Outcomes on the final predictor matrix (the pipeline's own imputation included).
    from .pipeline import model_frame  # local: pipeline imports measurement, not the replica

    def exact_x(frame: pd.DataFrame) -> np.ndarray:
        tmp = frame.assign(intention_plan=1.0, intention_effort=1.0, attitude_good=1.0)
        _, mf, _ = model_frame(tmp)
        return np.column_stack([np.ones(N), mf[PREDICTORS].to_numpy(dtype=float)])

    X = exact_x(frame)
    labels = {o: _labels(X, t.beta[o], t.events[o]) for o in published.OUTCOMES}
    raw = X.copy()
    for j, name in enumerate(PREDICTORS):
        if name in measurement.SINGLE_ITEM_PREDICTORS:
            raw[:, j + 1] = frame[name].to_numpy(dtype=float)  # NaN where missing: imputed inside the polish
    labels, perms = _joint_polish(rng, raw, _Imputer(frame), labels, t, polish_iterations)
    # Apply the polish's block moves to the answers, rebuild, and finish the labels on the exact matrix.
    for j, name in enumerate(PREDICTORS):
        cols = blocks[name].columns
        frame[cols] = frame[cols].to_numpy()[perms[j]]
    X = exact_x(frame)
    labels = {o: _polish(X, labels[o], t.beta[o]) for o in published.OUTCOMES}
    plan, effort = _intention_items(rng, labels["intention"])
    attitude = _attitude_item(rng, labels["attitude"])
    # Section 3.6 missing values: one respondent with one intention item, one with none (classified 0
    # from the interviewer's information); four missing attitude answers (Table 2: N = 104), replaced by
    # the intention score, which agrees with their attitude label.
    zeros = np.flatnonzero(labels["intention"] == 0)
    none_row = rng.choice(np.flatnonzero((labels["intention"] == 0) & (labels["attitude"] == 0)))
    one_row = rng.choice(np.setdiff1d(zeros, [none_row]))
    plan[none_row] = effort[none_row] = np.nan
    effort[one_row] = np.nan
    intention_scale = np.nanmean(np.column_stack([plan, effort]), axis=1)
    agree = np.flatnonzero(((intention_scale > 1).astype(int) == labels["attitude"]) & (np.arange(N) != none_row))
    attitude[rng.choice(agree, N - 104, replace=False)] = np.nan
    frame["intention_plan"], frame["intention_effort"], frame["attitude_good"] = plan, effort, attitude

    # Medical procedure (section 4.1, N = 15), more often among respondents in poor or moderate health.
    health = frame["health"].fillna(frame["health"].mean()).to_numpy()
    weights = np.where(health <= 2, 3.0, 1.0)
    medical = np.zeros(N, dtype=int)
    medical[rng.choice(N, int(published.text_statistic("n_medical_procedure")), replace=False,
                       p=weights / weights.sum())] = 1
    frame["medical_procedure"] = medical
    frame.insert(0, "respondent", [f"R{i + 1:03d}" for i in range(N)])
    return frame


def save(frame: pd.DataFrame, seed: int, seconds: float, path=REPLICA_CSV) -> None:
    """Write the replica CSV and, beside it, its seed and provenance."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, float_format="%.10g")
    meta = {"seed": seed, "rows": len(frame), "label": SYNTHETIC_LABEL, "generation_seconds": round(seconds, 1),
            "generator": "core/replica.py"}
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def build(seed: int = DEFAULT_SEED, path=REPLICA_CSV) -> pd.DataFrame:
    start = time.perf_counter()
    frame = generate(seed)
    save(frame, seed, time.perf_counter() - start, path)
    return frame


def load(path=REPLICA_CSV) -> pd.DataFrame:
    """The shipped replica (synthetic!)."""
    return pd.read_csv(path)


def shipped_seed() -> int:
    return int(json.loads(REPLICA_META.read_text(encoding="utf-8"))["seed"])
