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


def complete_target(items: list[str], factor: str | None) -> tuple[int, int, int]:
    """(target, lowest possible, highest possible) number of respondents who answered every item of a block.

    Table 2's N for a factor is read as complete answers to its items (issue 8). The item N of Table 1b
    bound it: at least N - (sum of item gaps), at most the smallest item N. Where the printed N lies outside
    these bounds (ties with the country of origin: 106 printed, at most 103 possible) the nearest bound is
    the target, and the fidelity report and the audit say so.
    """
    gaps = [N - int(_descriptive(i)["N"]) for i in items]
    lowest, highest = N - sum(gaps), N - max(gaps)
    printed = int(published.descriptive(factor, "Table 2")["N"]) if factor else highest
    return min(max(printed, lowest), highest), lowest, highest


def missing_plan(rng, propensity: np.ndarray, items: list[str], complete: int,
                 eligible: np.ndarray | None = None) -> np.ndarray:
    """Which answers are missing (N x items): exactly the Table 1b item N, exactly ``complete`` respondents
    with every item answered, gaps placed on respondents with a high ``propensity`` to skip questions (the
    same propensity for every block, so gaps cluster on some respondents, as they do in interviews).

    Nobody misses every item of a multi-item block unless the counts force it (safety: N = 106 complete
    with item N 107 and 106 means that one respondent answered neither safety item).
    """
    gaps = [N - int(_descriptive(i)["N"]) for i in items]
    k = len(items)
    rows_with_gap = N - complete
    pool = np.arange(N) if eligible is None else np.flatnonzero(eligible)
    mask = np.zeros((N, k), dtype=bool)
    if rows_with_gap == 0:
        return mask
    for allow_all in (False, True):
        cap = k if (allow_all or k == 1) else k - 1
        for _ in range(200):
            w = np.exp(1.5 * propensity[pool])
            rows = rng.choice(pool, rows_with_gap, replace=False, p=w / w.sum())
            mask[:] = False
            ok = True
            for j in np.argsort(gaps, kind="stable")[::-1]:
                load = mask[rows].sum(axis=1)
                free = rows[load < cap]
                if len(free) < gaps[j]:
                    ok = False
                    break
                uncovered = free[mask[free].sum(axis=1) == 0]
                covered = np.setdiff1d(free, uncovered)
                first = uncovered[:gaps[j]] if len(uncovered) >= gaps[j] else uncovered
                rest = gaps[j] - len(first)
                extra = rng.choice(covered, rest, replace=False) if rest else np.array([], dtype=int)
                mask[np.r_[first, extra].astype(int), j] = True
            if ok and (mask[rows].sum(axis=1) >= 1).all():
                return mask
    raise ValueError(f"No missing-answer pattern fits items {items} with {complete} complete respondents.")


def _pc_scores(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(principal-component loadings, standardized scores), as the pipeline's default extraction computes
    them: regression scores of a one-component solution (Z @ loadings / eigenvalue) for complete rows,
    and for partly answered rows the least-squares prediction from the items answered (section 3.5)."""
    miss = np.isnan(values)
    full = ~miss.any(axis=1)
    complete = values[full]
    z = (complete - complete.mean(axis=0)) / complete.std(axis=0, ddof=1)
    corr = np.corrcoef(complete, rowvar=False)
    vals, vecs = np.linalg.eigh(corr)
    v = vecs[:, -1] * np.sqrt(vals[-1])
    v = v if v.sum() >= 0 else -v
    raw = z @ v
    scores = np.full(len(values), np.nan)
    scores[full] = raw
    for pattern in np.unique(miss[~full & ~miss.all(axis=1)], axis=0):
        rows = np.flatnonzero((miss == pattern).all(axis=1))
        present = ~pattern
        x = np.column_stack([np.ones(len(complete)), complete[:, present]])
        beta, *_ = np.linalg.lstsq(x, raw, rcond=None)
        scores[rows] = beta[0] + values[np.ix_(rows, np.flatnonzero(present))] @ beta[1:]
    ok = ~np.isnan(scores)
    s = scores[ok]
    return v, (s - s.mean()) / s.std(ddof=1)


def _range_polish(rng, values: np.ndarray, target_load: np.ndarray, lo: float, hi: float,
                  iterations: int = 6000, load_tol: float = 0.0095) -> np.ndarray:
    """Swap answers within an item (marginals unchanged) so the factor score's minimum and maximum come
    close to Table 2's, keeping every principal-component loading within ``load_tol`` of Table 1a.

    The objective adds the loading error above 0.005, so swaps that make room in the loadings are kept
    too. An end that no data with these marginals and loadings can reach (the minimum of a score is at
    least that of a respondent with the lowest answer to every item) is reported by the fidelity page.
    """
    values = values.copy()
    complete_rows = np.flatnonzero(~np.isnan(values).any(axis=1))
    scored_rows = np.flatnonzero(~np.isnan(values).all(axis=1))  # the rows _pc_scores returns, in order

    def cost(v):
        load, s = _pc_scores(v)
        err = float(np.max(np.abs(load - target_load)))
        gap = max(abs(s.min() - lo), abs(s.max() - hi))
        # Every score beyond an end counts (several respondents can share the top), and each end must be
        # reached, not only not exceeded.
        band = 0.03
        spill = (np.sum(np.maximum(0.0, s - (hi + band)) ** 2) + np.sum(np.maximum(0.0, (lo - band) - s) ** 2)
                 + max(0.0, (hi - band) - s.max()) ** 2 + max(0.0, s.min() - (lo + band)) ** 2)
        return spill + 0.1 * max(0.0, err - 0.005), err, s, gap

    obj, err, s, gap = cost(values)
    for _ in range(iterations):
        if gap < 0.03 and err < 0.006:
            break
        end = scored_rows[s.argmax() if abs(s.max() - hi) >= abs(s.min() - lo) else s.argmin()]
        a = end if rng.random() < 0.6 else rng.choice(complete_rows)
        b = rng.choice(complete_rows)
        j = rng.integers(values.shape[1])
        if values[a, j] == values[b, j] or np.isnan(values[a, j]):
            continue
        values[[a, b], j] = values[[b, a], j]
        o2, e2, s2, g2 = cost(values)
        if o2 < obj and e2 <= load_tol:
            obj, err, s, gap = o2, e2, s2, g2
        else:
            values[[a, b], j] = values[[b, a], j]
    return values


def _item_block(rng, factor: str, items: list[str], f: np.ndarray, propensity: np.ndarray,
                iterations: int = 600) -> _Block:
    """Items of one construct with exact marginals, the missing answers of Tables 1b and 2, PCA loadings
    calibrated to Table 1a and factor-score minimum and maximum as in Table 2."""
    load = published.table("loadings").set_index("item")["loading"]
    target = load.loc[items].to_numpy()
    specs = [_descriptive(i) for i in items]
    counts = [answer_counts(int(s["N"]), int(s["min"]), int(s["max"]), float(s["mean"]), float(s["sd"])) for s in specs]
    missing = missing_plan(rng, propensity, items, complete_target(items, factor)[0])
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
    row = published.descriptive(factor, "Table 2")
    best = _range_polish(rng, best, target, float(row["min"]), float(row["max"]))
    return _Block(factor, items, best)


def _safety_block(rng, f: np.ndarray, propensity: np.ndarray) -> _Block:
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
    eligible = np.zeros(N, dtype=bool)
    eligible[rest] = True  # the 78 at (1, 1) answered both items
    plan = missing_plan(rng, propensity, ["item01", "item02"], complete_target(["item01", "item02"], "safety")[0],
                        eligible)
    r1, r2 = np.setdiff1d(rest, np.flatnonzero(plan[:, 0])), np.setdiff1d(rest, np.flatnonzero(plan[:, 1]))
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


def _single_item(rng, name: str, latent: np.ndarray, propensity: np.ndarray) -> _Block:
    s = _descriptive(name)
    counts = answer_counts(int(s["N"]), int(s["min"]), int(s["max"]), float(s["mean"]), float(s["sd"]))
    missing = missing_plan(rng, propensity, [name], int(s["N"]))[:, 0]
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


