"""Measurement: from survey answers to the standardized factor scores and outcomes the models use.

Two parts: (1) the documented mapping of the two safety items to the safety factor score (section 4),
built only from published numbers (Table 1a loadings, Table 1b item means and SDs); (2) the pipeline on
respondent-level data: five one-factor analyses (Table 1a), regression imputation (section 3.5) and the
dichotomized dependent variables (section 3.6).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from . import codebook, published
from .errors import InputError

SAFETY_ITEMS = ("item01", "item02")  # fear on return (1-5), safe in origin country (1-7)


@dataclass(frozen=True)
class FactorScoreMap:
    """Linear map from item answers to a standardized one-factor score.

    score = sum_j w_j * (x_j - mean_j) / sd_j / SD, with w_j the Table 1a loadings, mean_j and sd_j
    from Table 1b, and SD the standard deviation of the weighted sum implied by the one-factor
    principal-component solution (inter-item r = sum of squared loadings - 1 for two items).
    """

    factor: str
    items: tuple[str, ...]
    weights: tuple[float, ...]
    means: tuple[float, ...]
    sds: tuple[float, ...]
    ranges: tuple[tuple[int, int], ...]
    implied_r: float
    composite_sd: float

    def score(self, *answers: float) -> float:
        if len(answers) != len(self.items):
            raise InputError(f"The {self.factor} score needs {len(self.items)} answers, got {len(answers)}.")
        total = 0.0
        for item, x, w, m, s, (lo, hi) in zip(self.items, answers, self.weights, self.means, self.sds, self.ranges):
            if not (isinstance(x, (int, float)) and math.isfinite(x)) or not lo <= x <= hi:
                raise InputError(f"The answer to {item} must be a number from {lo} to {hi}; got {x!r}.")
            total += w * (x - m) / s
        return total / self.composite_sd


@functools.cache
def safety_map() -> FactorScoreMap:
    """The safety map from Table 1a/1b (two items, loadings 0.86 and 0.86); fixed by the published
    numbers, so built once (the explorer reads it on every rerun)."""
    load = published.table("loadings").set_index("item")
    weights = tuple(float(load.loc[i, "loading"]) for i in SAFETY_ITEMS)
    rows = [published.descriptive(i, "Table 1b") for i in SAFETY_ITEMS]
    # Principal components on two items: eigenvalue = 1 + r = sum of squared loadings.
    implied_r = sum(w * w for w in weights) - 1.0
    var = sum(w * w for w in weights) + 2 * weights[0] * weights[1] * implied_r
    return FactorScoreMap(
        factor="safety", items=SAFETY_ITEMS, weights=weights,
        means=tuple(float(r["mean"]) for r in rows), sds=tuple(float(r["sd"]) for r in rows),
        ranges=tuple((int(r["min"]), int(r["max"])) for r in rows),
        implied_r=implied_r, composite_sd=math.sqrt(var),
    )


def safety_from_items(fear: float, safe: float) -> float:
    """Safety factor score (SD units, higher = safer) from item01 (fear, 1-5) and item02 (safe, 1-7)."""
    return safety_map().score(fear, safe)


# ---------------------------------------------------------------------------------------------------
# The measurement pipeline on respondent-level data (section 3.5, Table 1a).
# ---------------------------------------------------------------------------------------------------
EXTRACTION_METHODS = ("principal", "minres", "ml")
DEFAULT_EXTRACTION = "principal"
FACTORS = ("safety", "socioeconomic", "illegal_attractiveness", "ties_origin", "ties_nl")
SINGLE_ITEM_PREDICTORS = ("permit_expectation", "dtv_conversations", "travel_documents", "return_money", "health")

# Section 3.5: single items are imputed "from measured respondent characteristics that were theoretically
# likely to be related" — health, for example, from age and social ties. The paper names only that example;
# the other sets are our choice, listed here so they can be changed in one place.
SINGLE_ITEM_IMPUTATION = {
    "health": ("age", "ties_nl", "ties_origin"),
    "permit_expectation": ("years_in_nl", "permit_holder", "dtv_conversations"),
    "travel_documents": ("ties_origin", "socioeconomic", "years_in_nl"),
    "return_money": ("socioeconomic", "ties_origin", "age"),
    "dtv_conversations": ("years_in_nl", "permit_holder"),
}


def construct_items() -> dict[str, list[str]]:
    """Items per factor, in Table 1a order."""
    load = published.table("loadings")
    return {f: list(load.loc[load["factor"] == f, "item"]) for f in FACTORS}


def cronbach_alpha(items) -> float:
    """Cronbach's alpha on complete cases: k/(k-1) * (1 - sum of item variances / variance of the sum)."""
    values = np.asarray(items, dtype=float)
    complete = values[~np.isnan(values).any(axis=1)]
    k = complete.shape[1]
    if k < 2 or len(complete) < 3:
        return float("nan")
    return alpha_from_covariance(item_moments(complete)[1])


def alpha_from_covariance(cov: np.ndarray) -> float:
    """Cronbach's alpha from the item covariance matrix: the variance of the sum is the sum of all entries."""
    k = cov.shape[0]
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def numeric_block(data: pd.DataFrame, columns) -> np.ndarray:
    """Columns as one float array (n x k), text and missing as NaN; no pandas copies of the whole frame."""
    out = np.empty((len(data), len(columns)))
    for j, col in enumerate(columns):
        values = data[col]
        if values.dtype.kind in "iuf":                 # numbers: cast straight into the block
            out[:, j] = values.to_numpy()
        else:
            out[:, j] = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return out


@dataclass(frozen=True)
class FactorResult:
    """One one-factor analysis (Table 1a row block) with standardized, oriented scores."""

    factor: str
    method: str
    loadings: pd.Series          # per item, oriented so that their sum is positive
    eigenvalue: float            # first eigenvalue of the item correlation matrix
    sum_squared_loadings: float
    alpha: float
    scores: pd.Series            # mean 0, SD 1 over respondents with a score; NaN where all items missing
    n_complete: int
    n_imputed: int


class _PrincipalComponent:
    """One principal component in closed form: loadings = first eigenvector of the item correlation matrix
    × sqrt(eigenvalue); regression scores = z @ R⁻¹ loadings. Identical to factor_analyzer's 'principal'
    method (tests/test_factor_analyzer_compat.py checks to 1e-10) and fast on a million respondents,
    where factor_analyzer's randomized SVD dominates the time. minres and ML still use factor_analyzer."""

    def __init__(self, values: np.ndarray, moments: tuple[np.ndarray, np.ndarray] | None = None):
        values = np.asarray(values, dtype=float)
        self.mean_, self.cov_ = moments if moments is not None else item_moments(values)
        sd = np.sqrt(np.diag(self.cov_))
        self.std_ = sd * np.sqrt((len(values) - 1) / len(values))   # ddof 0, as factor_analyzer's scaler
        corr = self.corr_ = self.cov_ / np.outer(sd, sd)
        vals, vecs = np.linalg.eigh(corr)
        self.loadings_ = (vecs[:, -1] * np.sqrt(vals[-1]))[:, None]
        self._weights = np.linalg.solve(corr, self.loadings_)

    def transform(self, values: np.ndarray) -> np.ndarray:
        """z @ w, computed as x @ (w / sd) - (mean / sd) @ w: no standardized copy of a large file."""
        w = self._weights[:, 0] / self.std_
        return (np.asarray(values, dtype=float) @ w - self.mean_ @ w)[:, None]


def item_moments(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Means and sample covariance (ddof 1) of complete item answers."""
    n, sums, cross = cross_products(values)
    return moments_from_cross_products(n, sums, cross)


def cross_products(values: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """(n, column sums, X'X) of complete item answers: one BLAS cross-product and no centred copy of a
    large file. Means, covariance and the normal equations of every missing-answer pattern follow from it."""
    return len(values), values.sum(axis=0), values.T @ values


def moments_from_cross_products(n: int, sums: np.ndarray, cross: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Means and sample covariance from raw cross-products: (X'X - n m m') / (n - 1). On answer scales the
    cancellation is harmless: about 1e-14 relative at a million respondents (tests compare with numpy's
    centred covariance)."""
    mean = sums / n
    return mean, (cross - n * np.outer(mean, mean)) / (n - 1)


def _fit_one_factor(items: np.ndarray, method: str, moments=None):
    if method == "principal":
        return _PrincipalComponent(items, moments)
    from factor_analyzer import FactorAnalyzer  # imported here: heavy, and only needed for refits

    fa = FactorAnalyzer(n_factors=1, rotation=None, method=method)
    fa.fit(items)
    return fa


def factor_analysis(data: pd.DataFrame, factor: str, method: str = DEFAULT_EXTRACTION,
                    impute: bool = True) -> FactorResult:
    """One-factor analysis of one construct (section 3.5; Table 1a).

    Loadings and eigenvalue come from the respondents who answered every item of the construct.
    Scores are the regression-method factor scores, standardized and oriented (higher = more of the
    construct as labelled). With ``impute``, respondents who answered some but not all items get a score
    predicted by linear regression on the items they did answer (section 3.5: "Missing values on factors
    could be estimated well from the indicators on which the respondent did have a score").
    """
    if method not in EXTRACTION_METHODS:
        raise InputError(f"Unknown extraction method '{method}'. Choose one of: {', '.join(EXTRACTION_METHODS)}.")
    items = construct_items()[factor]
    missing_cols = [c for c in items if c not in data.columns]
    if missing_cols:
        raise InputError(f"The data lack the item column(s) {', '.join(missing_cols)} needed for '{factor}'.")
    values = numeric_block(data, items)
    answered = ~np.isnan(values)
    is_complete = answered.all(axis=1)
    comp = values[is_complete]
    if len(comp) < len(items) + 2:
        raise InputError(f"Too few respondents answered every {factor} item ({len(comp)}) for a factor "
                         "analysis.", code="factor_too_few", factor=factor, n=len(comp))
    n_comp, sums, cross = cross_products(comp)
    moments = moments_from_cross_products(n_comp, sums, cross)
    mean, cov = moments
    flat = [c for c, m, v in zip(items, mean, np.diag(cov)) if v <= 1e-12 * max(1.0, m * m)]  # one answer only
    if flat:
        raise InputError(f"Among the respondents who answered every {factor} item, {', '.join(flat[:3])} has the "
                         "same answer for everyone, so the factor analysis cannot use it.",
                         code="factor_constant", factor=factor, items=", ".join(flat[:3]))
    try:
        fa = _fit_one_factor(comp, method, moments)
        if not np.all(np.isfinite(fa.loadings_)):
            raise np.linalg.LinAlgError
    except (np.linalg.LinAlgError, ValueError):
        raise InputError(f"The factor analysis of the {factor} items did not converge with these data "
                         f"({len(comp)} complete respondents). Try principal components or more respondents.",
                         code="factor_failed", factor=factor, n=len(comp)) from None
    loadings = pd.Series(fa.loadings_[:, 0], index=items)
    sign = 1.0 if loadings.sum() >= 0 else -1.0
    loadings = sign * loadings
    target = sign * fa.transform(comp)[:, 0]
    scores = np.full(len(values), np.nan)
    scores[is_complete] = target
    n_imputed = 0
    if impute:
        # One regression per pattern of answered items (not per respondent: large files have many).
        partial = answered.any(axis=1) & ~is_complete
        code = answered[partial] @ (1 << np.arange(len(items)))
        rows_partial = np.flatnonzero(partial)
        if len(rows_partial):
            # Every pattern's normal equations are a sub-block of the cross-products of [1, items] and
            # [1, items]'score over the complete respondents. The score is linear in the items (score =
            # items @ a + b, for every extraction method), so these follow from the items' own cross-products:
            # no further pass over the data.
            probe = np.vstack([np.zeros(len(items)), np.eye(len(items))])
            at_probe = sign * fa.transform(probe)[:, 0]
            b, a = at_probe[0], at_probe[1:] - at_probe[0]
            gram = np.empty((len(items) + 1, len(items) + 1))
            gram[0, 0], gram[0, 1:], gram[1:, 0], gram[1:, 1:] = n_comp, sums, sums, cross
            with_score = np.concatenate([[sums @ a + n_comp * b], cross @ a + sums * b])
        for pattern_code in np.unique(code):
            pattern = (pattern_code >> np.arange(len(items))) & 1 == 1
            rows = rows_partial[code == pattern_code]
            idx = np.concatenate([[0], 1 + np.flatnonzero(pattern)])
            beta, *_ = np.linalg.lstsq(gram[np.ix_(idx, idx)], with_score[idx], rcond=None)
            scores[rows] = beta[0] + values[np.ix_(rows, np.flatnonzero(pattern))] @ beta[1:]
            n_imputed += len(rows)
    valid = scores[~np.isnan(scores)]
    scores = (scores - valid.mean()) / valid.std(ddof=1)
    corr = cov / np.outer(np.sqrt(np.diag(cov)), np.sqrt(np.diag(cov)))
    return FactorResult(
        factor=factor, method=method, loadings=loadings, eigenvalue=float(np.linalg.eigvalsh(corr)[-1]),
        sum_squared_loadings=float((loadings ** 2).sum()), alpha=alpha_from_covariance(cov),
        scores=pd.Series(scores, index=data.index), n_complete=len(comp), n_imputed=n_imputed,
    )


@dataclass(frozen=True)
class MeasurementResult:
    """All five factor analyses: tidy loadings, per-factor summary, and the score columns."""

    method: str
    factors: dict[str, FactorResult]

    @property
    def scores(self) -> pd.DataFrame:
        return pd.DataFrame({f: r.scores for f, r in self.factors.items()})

    @property
    def loadings(self) -> pd.DataFrame:
        rows = [{"factor": f, "item": item, "loading": float(v), "eigenvalue": r.eigenvalue}
                for f, r in self.factors.items() for item, v in r.loadings.items()]
        return pd.DataFrame(rows)

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame([{"factor": f, "eigenvalue": r.eigenvalue, "sum_squared_loadings": r.sum_squared_loadings,
                              "alpha": r.alpha, "n_complete": r.n_complete, "n_imputed": r.n_imputed}
                             for f, r in self.factors.items()])


PARALLEL_ROWS = 50_000   # from this many respondents the five factor analyses run two at a time


def measure(data: pd.DataFrame, method: str = DEFAULT_EXTRACTION, impute: bool = True) -> MeasurementResult:
    """The five separate one-factor analyses of Table 1a.

    With ``impute``, a respondent who answered none of a construct's items (so no indicator to estimate
    the score from) gets the least-squares prediction from the other four factor scores, clipped to the
    observed range: the regression imputation of section 3.5 with the related characteristics at hand.
    """
    if len(data) >= PARALLEL_ROWS:
        # numpy releases the GIL in its array work: on a large file the five analyses share the cores.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            done = {f: pool.submit(factor_analysis, data, f, method, impute) for f in FACTORS}
        factors = {f: job.result() for f, job in done.items()}
    else:
        factors = {f: factor_analysis(data, f, method, impute) for f in FACTORS}
    if impute:
        scores = pd.DataFrame({f: r.scores for f, r in factors.items()})
        for f, r in factors.items():
            if not r.scores.isna().any():
                continue
            others = scores.drop(columns=[f]).to_numpy(dtype=float)
            col = r.scores.to_numpy(dtype=float)
            filled = regression_impute(col, others, np.nanmin(col), np.nanmax(col))
            factors[f] = replace(r, scores=pd.Series(filled, index=r.scores.index),
                                 n_imputed=r.n_imputed + int(np.isnan(col).sum()))
    return MeasurementResult(method, factors)


def regression_impute(target: np.ndarray, design: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Fill NaN in ``target`` with the least-squares prediction from ``design`` (NaN there: column mean),
    clipped to [lo, hi]. The one imputation rule for single items (section 3.5)."""
    n = len(target)
    design = np.asarray(design, dtype=float).reshape(n, -1)
    known = ~np.isnan(target)
    out = target.copy()
    if known.all() or not known.any():
        return out
    # Usable related characteristics only: a column that is empty or constant (an optional column the
    # user left blank) predicts nothing and would make the least-squares problem singular. A missing or
    # non-finite value in a usable column counts as its mean among the respondents with a known target.
    usable, means = [], []
    for j in range(design.shape[1]):
        col = design[:, j]
        observed = col[np.isfinite(col) & known]
        if len(observed) < 3 or observed.std() == 0:
            continue
        usable.append(j)
        means.append(observed.mean())
    x = design[:, usable]                                   # the one copy of the design
    for j, mean in enumerate(means):
        np.copyto(x[:, j], mean, where=~np.isfinite(x[:, j]))
    # Normal equations of [1, x] over the respondents with a known target: the cross-products of all rows
    # minus those of the (few) rows to fill, so the known rows are never copied out.
    unknown_x = x[~known]
    y = np.where(known, target, 0.0)
    k = len(usable)
    gram = np.empty((k + 1, k + 1))
    gram[0, 0] = known.sum()
    gram[0, 1:] = gram[1:, 0] = x.sum(axis=0) - unknown_x.sum(axis=0)
    gram[1:, 1:] = x.T @ x - unknown_x.T @ unknown_x
    xty = np.concatenate([[y.sum()], y @ x])
    beta, *_ = np.linalg.lstsq(gram, xty, rcond=None)
    out[~known] = np.clip(beta[0] + unknown_x @ beta[1:], lo, hi)
    return out


def impute_single_items(frame: pd.DataFrame, predictors: dict[str, tuple[str, ...]] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill missing single-item predictors by linear regression on related characteristics (section 3.5).

    Returns the filled frame and a log (variable, row, imputed value). Imputed values stay on the
    continuous regression scale, as regression imputation gives them, clipped to the item's range.
    """
    predictors = predictors or SINGLE_ITEM_IMPUTATION
    out = frame.copy(deep=False)   # columns are replaced, never written into: no copy of the whole frame
    log = []
    for target, xs in predictors.items():
        if target not in out.columns or not out[target].isna().any():
            continue
        xs = [x for x in xs if x in out.columns]
        var = codebook.variable(target)
        missing = out[target].isna().to_numpy()
        design = numeric_block(out, xs)
        filled = regression_impute(numeric_block(out, [target])[:, 0], design, var.slider_min, var.slider_max)
        out[target] = filled
        log.append(pd.DataFrame({"variable": target, "row": out.index[missing], "imputed": filled[missing]}))
    if not log:
        return out, pd.DataFrame(columns=["variable", "row", "imputed"])
    return out, pd.concat(log, ignore_index=True)


def dependent_variables(data: pd.DataFrame, cutpoint: float | None = None) -> pd.DataFrame:
    """Return intention and attitude as in section 3.6.

    intention_scale = mean of ``intention_plan`` and ``intention_effort`` (one item if the other is
    missing; both missing: category 0, as the paper did for its one such case); attitude_scale =
    ``attitude_good``, with the intention scale where it is missing. Dichotomized: 1 when the scale is
    above ``cutpoint`` (default: the scale minimum, 1 — "rules out return categorically" is 0).
    """
    for col in ("intention_plan", "intention_effort", "attitude_good"):
        if col not in data.columns:
            raise InputError(f"The data lack the column '{col}' (section 3.6).")
    cut = 1.0 if cutpoint is None else float(cutpoint)
    if not 1 <= cut < 7:
        raise InputError(f"The cut-point must lie from 1 up to (not including) 7; got {cutpoint}.")
    plan, effort, good = numeric_block(data, ["intention_plan", "intention_effort", "attitude_good"]).T
    both_missing = np.isnan(plan) & np.isnan(effort)
    with np.errstate(invalid="ignore"):
        intention_scale = np.where(np.isnan(plan), effort, np.where(np.isnan(effort), plan, (plan + effort) / 2))
        attitude_from_intention = np.isnan(good) & ~np.isnan(intention_scale)
        attitude_scale = np.where(np.isnan(good), intention_scale, good)
        intention = np.where(both_missing, 0.0, (intention_scale > cut).astype(float))
        attitude = np.where(np.isnan(attitude_scale), np.nan, (attitude_scale > cut).astype(float))
    return pd.DataFrame({"intention_scale": intention_scale, "attitude_scale": attitude_scale,
                         "intention": intention, "attitude": attitude,
                         "intention_both_items_missing": both_missing,
                         "attitude_from_intention": attitude_from_intention}, index=data.index)
