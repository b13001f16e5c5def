"""Measurement: from survey answers to the standardized factor scores and outcomes the models use.

Two parts: (1) the documented mapping of the two safety items to the safety factor score (section 4),
built only from published numbers (Table 1a loadings, Table 1b item means and SDs); (2) the pipeline on
respondent-level data: five one-factor analyses (Table 1a), regression imputation (section 3.5) and the
dichotomized dependent variables (section 3.6).
"""
from __future__ import annotations

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


def safety_map() -> FactorScoreMap:
    """The safety map from Table 1a/1b (two items, loadings 0.86 and 0.86)."""
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


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha on complete cases: k/(k-1) * (1 - sum of item variances / variance of the sum)."""
    complete = items.dropna()
    k = complete.shape[1]
    if k < 2 or len(complete) < 3:
        return float("nan")
    item_var = complete.var(ddof=1).sum()
    total_var = complete.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var))


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

    def __init__(self, values: np.ndarray):
        self.mean_ = values.mean(axis=0)
        self.std_ = values.std(axis=0, ddof=0)
        corr = np.corrcoef(values, rowvar=False)
        vals, vecs = np.linalg.eigh(corr)
        self.loadings_ = (vecs[:, -1] * np.sqrt(vals[-1]))[:, None]
        self._weights = np.linalg.solve(corr, self.loadings_)

    def transform(self, values: np.ndarray) -> np.ndarray:
        return ((values - self.mean_) / self.std_) @ self._weights


def _fit_one_factor(items: pd.DataFrame, method: str):
    if method == "principal":
        return _PrincipalComponent(items.to_numpy(dtype=float))
    from factor_analyzer import FactorAnalyzer  # imported here: heavy, and only needed for refits

    fa = FactorAnalyzer(n_factors=1, rotation=None, method=method)
    fa.fit(items.to_numpy(dtype=float))
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
    block = data[items].apply(pd.to_numeric, errors="coerce")
    complete = block.dropna()
    if len(complete) < len(items) + 2:
        raise InputError(f"Too few respondents answered every {factor} item ({len(complete)}) for a factor "
                         "analysis.", code="factor_too_few", factor=factor, n=len(complete))
    flat = [c for c in items if complete[c].nunique() < 2]
    if flat:
        raise InputError(f"Among the respondents who answered every {factor} item, {', '.join(flat[:3])} has the "
                         "same answer for everyone, so the factor analysis cannot use it.",
                         code="factor_constant", factor=factor, items=", ".join(flat[:3]))
    try:
        fa = _fit_one_factor(complete, method)
        if not np.all(np.isfinite(fa.loadings_)):
            raise np.linalg.LinAlgError
    except (np.linalg.LinAlgError, ValueError):
        raise InputError(f"The factor analysis of the {factor} items did not converge with these data "
                         f"({len(complete)} complete respondents). Try principal components or more respondents.",
                         code="factor_failed", factor=factor, n=len(complete)) from None
    loadings = pd.Series(fa.loadings_[:, 0], index=items)
    sign = 1.0 if loadings.sum() >= 0 else -1.0
    loadings = sign * loadings
    raw = pd.Series(sign * fa.transform(complete.to_numpy(dtype=float))[:, 0], index=complete.index)
    scores = pd.Series(np.nan, index=data.index, dtype=float)
    scores.loc[complete.index] = raw
    n_imputed = 0
    if impute:
        # One regression per pattern of answered items (not per respondent: large files have many).
        values = block.to_numpy(dtype=float)
        answered = ~np.isnan(values)
        partial = answered.any(axis=1) & ~answered.all(axis=1)
        comp = complete.to_numpy(dtype=float)
        target = raw.to_numpy()
        for pattern in np.unique(answered[partial], axis=0):
            rows = np.flatnonzero(partial & (answered == pattern).all(axis=1))
            x = np.column_stack([np.ones(len(comp)), comp[:, pattern]])
            beta, *_ = np.linalg.lstsq(x.T @ x, x.T @ target, rcond=None)  # normal equations: fast for large n
            scores.iloc[rows] = beta[0] + values[np.ix_(rows, np.flatnonzero(pattern))] @ beta[1:]
            n_imputed += len(rows)
    valid = scores.dropna()
    scores = (scores - valid.mean()) / valid.std(ddof=1)
    corr = np.corrcoef(complete.to_numpy(dtype=float), rowvar=False)
    return FactorResult(
        factor=factor, method=method, loadings=loadings, eigenvalue=float(np.linalg.eigvalsh(corr)[-1]),
        sum_squared_loadings=float((loadings ** 2).sum()), alpha=cronbach_alpha(block), scores=scores,
        n_complete=len(complete), n_imputed=n_imputed,
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


def measure(data: pd.DataFrame, method: str = DEFAULT_EXTRACTION, impute: bool = True) -> MeasurementResult:
    """The five separate one-factor analyses of Table 1a.

    With ``impute``, a respondent who answered none of a construct's items (so no indicator to estimate
    the score from) gets the least-squares prediction from the other four factor scores, clipped to the
    observed range: the regression imputation of section 3.5 with the related characteristics at hand.
    """
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
    design = np.asarray(design, dtype=float).reshape(len(target), -1)
    design = np.where(np.isfinite(design), design, np.nan)
    known = ~np.isnan(target)
    out = target.copy()
    if known.all() or not known.any():
        return out
    # Usable related characteristics only: a column that is empty or constant (an optional column the
    # user left blank) predicts nothing and would make the least-squares problem singular.
    usable = [j for j in range(design.shape[1])
              if np.isfinite(design[known, j]).sum() >= 3 and np.nanstd(design[known, j]) > 0]
    design = design[:, usable]
    if design.shape[1]:
        design = np.where(np.isnan(design), np.nanmean(design[known], axis=0), design)
    x = np.column_stack([np.ones(known.sum()), design[known]])
    beta, *_ = np.linalg.lstsq(x.T @ x, x.T @ target[known], rcond=None)  # normal equations: fast for large n
    out[~known] = np.clip(beta[0] + design[~known] @ beta[1:], lo, hi)
    return out


def impute_single_items(frame: pd.DataFrame, predictors: dict[str, tuple[str, ...]] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill missing single-item predictors by linear regression on related characteristics (section 3.5).

    Returns the filled frame and a log (variable, row, imputed value). Imputed values stay on the
    continuous regression scale, as regression imputation gives them, clipped to the item's range.
    """
    predictors = predictors or SINGLE_ITEM_IMPUTATION
    out = frame.copy()
    log = []
    for target, xs in predictors.items():
        if target not in out.columns or not out[target].isna().any():
            continue
        xs = [x for x in xs if x in out.columns]
        var = codebook.variable(target)
        missing = out[target].isna().to_numpy()
        design = out[xs].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        filled = regression_impute(out[target].to_numpy(dtype=float), design, var.slider_min, var.slider_max)
        out[target] = filled
        log += [{"variable": target, "row": idx, "imputed": float(v)}
                for idx, v in zip(out.index[missing], filled[missing])]
    return out, pd.DataFrame(log, columns=["variable", "row", "imputed"])


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
    items = data[["intention_plan", "intention_effort"]].apply(pd.to_numeric, errors="coerce")
    intention_scale = items.mean(axis=1, skipna=True)
    both_missing = items.isna().all(axis=1)
    attitude_scale = pd.to_numeric(data["attitude_good"], errors="coerce")
    attitude_from_intention = attitude_scale.isna() & intention_scale.notna()
    attitude_scale = attitude_scale.fillna(intention_scale)
    intention = (intention_scale > cut).astype(float)
    intention[both_missing] = 0.0
    attitude = (attitude_scale > cut).astype(float)
    attitude[attitude_scale.isna()] = np.nan
    return pd.DataFrame({"intention_scale": intention_scale, "attitude_scale": attitude_scale,
                         "intention": intention, "attitude": attitude,
                         "intention_both_items_missing": both_missing,
                         "attitude_from_intention": attitude_from_intention}, index=data.index)
