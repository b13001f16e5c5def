"""Logistic regression as in Table 3, with statsmodels: B, SE, z, p, Exp(B) with CI, standardized B,
the paper's stars, Nagelkerke (and McFadden, Tjur) R², events per variable, and warnings."""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationError, PerfectSeparationWarning

from . import fastlogit, fitstatus
from .errors import InputError

STAR_THRESHOLDS = ((0.01, "**"), (0.05, "*"), (0.10, "~"))  # Table 3 footnote: ~ P<0.10, * P<0.05, ** P<0.01


def stars(p: float) -> str:
    """The paper's significance marks."""
    for threshold, mark in STAR_THRESHOLDS:
        if p < threshold:
            return mark
    return ""


def nagelkerke(llf: float, llnull: float, n: int) -> float:
    """Nagelkerke's R²: Cox & Snell divided by its maximum."""
    cox_snell = 1 - math.exp(2 * (llnull - llf) / n)
    return cox_snell / (1 - math.exp(2 * llnull / n))


@dataclass(frozen=True)
class LogitResult:
    """One fitted logistic model, tidy."""

    outcome: str
    coefficients: pd.DataFrame   # term, B, SE, z, p, exp_B, exp_B_low, exp_B_high, B_std, stars
    n: int
    events: int
    nagelkerke_r2: float
    mcfadden_r2: float
    tjur_r2: float
    converged: bool
    warnings: tuple[str, ...] = field(default_factory=tuple)
    status: str = "converged"    # core.fitstatus: converged, quasi_separated, separated, not_converged

    @property
    def usable(self) -> bool:
        """B and SE may be shown as numbers (core.fitstatus.usable)."""
        return fitstatus.usable(self.status)

    @property
    def separation(self) -> str:
        """'none', 'quasi' or 'complete'."""
        return fitstatus.SEPARATION[self.status]

    @property
    def epv(self) -> float:
        """Events per variable: the smaller outcome class over the number of predictors."""
        k = len(self.coefficients) - 1
        return min(self.events, self.n - self.events) / k

    def fit_table(self) -> pd.DataFrame:
        return pd.DataFrame([{"outcome": self.outcome, "n": self.n, "events": self.events, "epv": self.epv,
                              "nagelkerke_r2": self.nagelkerke_r2, "mcfadden_r2": self.mcfadden_r2,
                              "tjur_r2": self.tjur_r2, "converged": self.converged, "status": self.status,
                              "separation": self.separation}])

    def shown_coefficients(self) -> pd.DataFrame:
        """The coefficient table as it may be shown or exported: estimates blanked (NaN) unless usable."""
        return withhold_failed(self.coefficients, self.status)


ESTIMATE_COLUMNS = ("B", "SE", "z", "p", "exp_B", "exp_B_low", "exp_B_high", "B_std")


def withhold_failed(coefficients: pd.DataFrame, status: str) -> pd.DataFrame:
    """Blank the estimates of a failed fit (core.fitstatus), keeping terms; stars become the status."""
    if fitstatus.usable(status):
        return coefficients
    out = coefficients.copy()
    for col in ESTIMATE_COLUMNS:
        if col in out.columns:
            out[col] = np.nan
    if "stars" in out.columns:
        out["stars"] = ""
    return out


def fit_logit(y: pd.Series, X: pd.DataFrame, outcome: str = "y", standardize_with: pd.Series | None = None,
              alpha: float = 0.05, cov_type: str = "nonrobust") -> LogitResult:
    """Fit y ~ X (a constant is added) by maximum likelihood.

    ``cov_type`` "HC0" gives robust (sandwich) standard errors. Standardized B is B × SD(x) (what Table 3 prints in brackets: e.g. DT&V 0.45 × 2.2 ≈ 0.98);
    ``standardize_with`` can supply the SDs (default: the SDs of X).
    """
    # numpy from here on: one copy of the design for a million respondents, not five.
    names = ["const", *(str(c) for c in X.columns)]
    xv = X.to_numpy(dtype=float, na_value=np.nan)
    y_all = pd.to_numeric(y, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    keep = ~np.isnan(y_all) & ~np.isnan(xv).any(axis=1)
    if not keep.any():
        raise InputError("No complete cases to fit the model on.")
    if not keep.all():
        xv, y_all = xv[keep], y_all[keep]
    yv = y_all
    if not ((yv == 0.0) | (yv == 1.0)).all():
        raise InputError(f"The outcome '{outcome}' must be coded 0/1.")
    events = int(yv.sum())
    check_sample(yv, xv.shape[1], outcome)
    design = np.empty((len(yv), len(names)))
    design[:, 0] = 1.0
    design[:, 1:] = xv
    refuse_collinear(pd.DataFrame(design, columns=names, copy=False), outcome)
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            start = fastlogit.start_values(design, yv)
            res = sm.Logit(yv, design, check_rank=False).fit(  # rank: refuse_collinear above
                disp=0, maxiter=200, method="newton", cov_type=cov_type, start_params=start)
        except PerfectSeparationError:
            return _failed(outcome, names, len(yv), events, "separated")
        except np.linalg.LinAlgError:
            return _failed(outcome, names, len(yv), events, "not_converged")
    for w in caught:
        if issubclass(w.category, PerfectSeparationWarning):
            notes.append("quasi-separation: some predicted probabilities are 0 or 1; estimates and SEs are unreliable")
        elif issubclass(w.category, ConvergenceWarning):
            notes.append("the estimation did not converge")
    converged = bool(res.mle_retvals.get("converged", True))
    if not converged and "the estimation did not converge" not in notes:
        notes.append("the estimation did not converge")
    params, bse = np.asarray(res.params), np.asarray(res.bse)
    ci = np.asarray(res.conf_int(alpha=alpha))
    sd = standardize_with if standardize_with is not None else pd.Series(xv.std(axis=0, ddof=1), index=names[1:])
    with np.errstate(over="ignore"):
        exp_b, exp_lo, exp_hi = np.exp(params), np.exp(ci[:, 0]), np.exp(ci[:, 1])
    coef = pd.DataFrame({
        "term": names, "B": params, "SE": bse, "z": np.asarray(res.tvalues),
        "p": np.asarray(res.pvalues), "exp_B": exp_b, "exp_B_low": exp_lo, "exp_B_high": exp_hi,
    })
    coef["B_std"] = [np.nan if t == "const" else b * float(sd.get(t, np.nan)) for t, b in zip(coef["term"], coef["B"])]
    coef["stars"] = coef["p"].map(stars)
    fitted = res.predict()
    tjur = float(fitted[yv == 1].mean() - fitted[yv == 0].mean())
    if np.any((fitted < 1e-6) | (fitted > 1 - 1e-6)) and not any("separation" in n for n in notes):
        notes.append("quasi-separation: some predicted probabilities are 0 or 1; estimates and SEs are unreliable")
    n = int(len(yv))
    # The null model's log-likelihood in closed form (statsmodels fits it numerically: slow on large files).
    share = events / n
    llnull = n * (share * math.log(share) + (1 - share) * math.log(1 - share))
    status = fitstatus.classify(converged, params, fitted, yv, se=bse)
    if status == "not_converged" and converged:
        notes.append("the information matrix is singular (collinear predictors?): standard errors do not exist")
    return LogitResult(outcome=outcome, coefficients=coef, n=n, events=events,
                       nagelkerke_r2=nagelkerke(res.llf, llnull, n), mcfadden_r2=float(1 - res.llf / llnull),
                       tjur_r2=tjur, converged=converged, warnings=tuple(dict.fromkeys(notes)), status=status)


def _failed(outcome: str, terms: list[str], n: int, events: int, status: str) -> LogitResult:
    """A fit that produced no estimates at all: terms kept, every estimate NaN."""
    coef = pd.DataFrame({"term": list(terms)})
    for col in ESTIMATE_COLUMNS:
        coef[col] = np.nan
    coef["stars"] = ""
    note = ("perfect separation: some predictor splits the outcome exactly, so maximum-likelihood estimates do "
            "not exist" if status == "separated" else "the estimation failed (singular information matrix)")
    nan = float("nan")
    return LogitResult(outcome=outcome, coefficients=coef, n=int(n), events=events, nagelkerke_r2=nan,
                       mcfadden_r2=nan, tjur_r2=nan, converged=False, warnings=(note,), status=status)


def check_sample(y, k: int, outcome: str) -> None:
    """What any logistic fit (ML or Firth) needs from the respondents it uses (``y``: a Series or an
    array): at least two per coefficient (k predictors + constant), and both outcome categories."""
    n = len(y)
    answered = np.asarray(y, dtype=float)
    answered = answered[~np.isnan(answered)]
    if n < 2 * (k + 1):
        raise InputError(f"Only {n} respondents have every value the {outcome} model needs, for {k + 1} "
                         "coefficients. Use imputation instead of listwise deletion, or fewer predictors.",
                         code="too_few_complete", outcome=outcome, n=n, k=k + 1)
    if answered.size == 0 or answered.min() == answered.max():
        raise InputError(f"The {outcome} outcome has only one category among the respondents used; a logistic "
                         "model cannot be fitted. Choose a lower cut-point or other data.", code="one_category",
                         outcome=outcome)


def sm_design(X: pd.DataFrame) -> pd.DataFrame:
    """The design matrix: a constant named 'const', then the predictors as floats."""
    return sm.add_constant(X.astype(float), has_constant="add")


COLLINEAR_TOL = 1e-9   # eigenvalue of the normalized cross-product matrix: below it, a predictor is a
#                        linear combination of the others (R² above 1 - 1e-9)


def _rank(gram: np.ndarray) -> int:
    """The design's rank from its k x k cross-products X'X, computed as statsmodels' matrix_rank 'ip' method
    does (all-zero columns dropped, columns scaled to unit length, eigenvalues above COLLINEAR_TOL): one
    BLAS pass over the rows, where an SVD or QR of a million-row design takes a quarter of a second."""
    diag = np.diag(gram)
    keep = diag > 0
    scale = np.sqrt(diag[keep])
    normalized = gram[np.ix_(keep, keep)] / np.outer(scale, scale)
    return int(np.linalg.matrix_rank(normalized, tol=COLLINEAR_TOL, hermitian=True))


def refuse_collinear(design: pd.DataFrame, outcome: str) -> None:
    """Perfectly collinear predictors (one is a copy or a sum of others) leave B undefined: say which."""
    values = design.to_numpy(dtype=float)
    gram = values.T @ values
    k = values.shape[1]
    rank = _rank(gram)
    if rank == k:
        return
    involved = [c for j, c in enumerate(design.columns)
                if c != "const" and _rank(np.delete(np.delete(gram, j, axis=0), j, axis=1)) == rank]
    if not involved:
        involved = [c for c in design.columns if c != "const" and design[c].nunique() < 2]
    names = ", ".join(involved[:4])
    raise InputError(f"In the {outcome} model the predictors {names} carry the same information (perfectly "
                     "collinear), so their effects cannot be separated. Leave one of them out.",
                     code="collinear", outcome=outcome, names=names)
