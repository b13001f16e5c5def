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

import dataclasses
import json
import time

import numpy as np
import pandas as pd

from . import measurement, published
from .paths import DATA
from .replica_fit import (PREDICTORS, STATED_CORRELATIONS, _Imputer, _joint_polish, _labels,  # noqa: F401
                          _polish, _search, _targets, choose_medical_procedure, table3_met)
from .replica_marginals import (N, _background, _Block, _item_block, _safety_block,  # noqa: F401
                                _single_item, answer_counts, rank_cut)

REPLICA_DIR = DATA / "replica"
REPLICA_CSV = REPLICA_DIR / "replica.csv"
REPLICA_META = REPLICA_DIR / "replica.json"
DEFAULT_SEED = 20110601
SYNTHETIC_LABEL = "synthetic — calibrated to the published tables, not the original interviews"


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
def _pattern_classes(values: np.ndarray) -> np.ndarray:
    """Per respondent, an id of the block's missing-answer pattern (equal ids may be swapped)."""
    _, ids = np.unique(np.isnan(values), axis=0, return_inverse=True)
    return ids.ravel()


def _latent_factors(rng) -> np.ndarray:
    """Latent predictor scores (N x 10), mildly correlated; the search sets the final correlations."""
    r = np.eye(len(PREDICTORS))
    for (a, b), key in STATED_CORRELATIONS.items():
        i, j = PREDICTORS.index(a), PREDICTORS.index(b)
        r[i, j] = r[j, i] = published.text_statistic(key)
    return rng.multivariate_normal(np.zeros(len(PREDICTORS)), r, size=N, method="eigh")


def generate(seed: int = DEFAULT_SEED, iterations: int = 30000, polish_iterations: int = 12000) -> pd.DataFrame:
    """Build the replica (deterministic for a seed). Every row is synthetic."""
    rng = np.random.default_rng(seed)
    latent = _latent_factors(rng)
    col = {name: latent[:, i] for i, name in enumerate(PREDICTORS)}
    items = measurement.construct_items()
    # One propensity to skip questions per respondent: gaps cluster on the same people across blocks.
    propensity = rng.normal(size=N)
    blocks: dict[str, _Block] = {"safety": _safety_block(rng, col["safety"], propensity)}
    for factor in ("socioeconomic", "illegal_attractiveness", "ties_origin", "ties_nl"):
        blocks[factor] = _item_block(rng, factor, items[factor], col[factor], propensity)
    for name in measurement.SINGLE_ITEM_PREDICTORS:
        blocks[name] = _single_item(rng, name, col[name], propensity)
    # Block moves only swap respondents with the same missing answers in that block, so the missing
    # pattern (Tables 1b and 2, clustered) stays where it was placed.
    classes = [_pattern_classes(blocks[name].values) for name in PREDICTORS]

    # Predictor columns as the pipeline will see them (factor scores are permutation-invariant per block).
    def block_frame(b: _Block) -> pd.DataFrame:
        return pd.DataFrame(b.values, columns=b.columns)

    base = np.empty((N, len(PREDICTORS)))
    for j, name in enumerate(PREDICTORS):
        b = blocks[name]
        if name in measurement.FACTORS:
            score = measurement.factor_analysis(block_frame(b), name).scores.to_numpy()
            base[:, j] = np.where(np.isnan(score), 0.0, score)  # a whole block missing: the mean, for now
        else:
            v = b.values[:, 0]
            base[:, j] = np.where(np.isnan(v), np.nanmean(v), v)
    t = _targets()
    perms = _search(rng, base, t, iterations, classes)
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
    # The joint polish aims at Table 3 first and Table 4 model A second. Should the hard Table 3 targets
    # (B within 0.05, identical stars, Nagelkerke within 0.01) are not met afterwards, two more passes aim
    # at both, then up to five at Table 3 alone (on another CPU the search takes another path: the
    # targets must hold there too).
    table3_only = dataclasses.replace(t, t4_beta=None)
    passes = [(t, polish_iterations)] + [(t, 4000)] * 2 + [(table3_only, 4000)] * 5
    for attempt, (targets, steps) in enumerate(passes):
        if attempt and table3_met(X, labels, t):
            break
        raw = X.copy()
        for j, name in enumerate(PREDICTORS):
            if name in measurement.SINGLE_ITEM_PREDICTORS:
                raw[:, j + 1] = frame[name].to_numpy(dtype=float)  # NaN where missing: imputed inside the polish
        labels, perms = _joint_polish(rng, raw, _Imputer(frame), labels, targets, steps, classes)
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

    # Medical procedure (section 4.1, N = 15), more often among respondents in poor or moderate health,
    # placed so that Table 4 model B (health 'cleaned' for some of them) comes close to the paper.
    medical = choose_medical_procedure(rng, X, labels, t, int(published.text_statistic("n_medical_procedure")))
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
