"""Replica, part 1: exact marginals (answer counts, rank-cutting, calibrated item blocks) and the
background characteristics of section 3.4. See core/replica.py for the whole procedure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from . import published

N = 108


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


