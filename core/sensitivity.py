"""Sensitivity checks and the specification curve (issue: researcher's workbench).

A :class:`Specification` names every analytic choice the paper made: extraction method, missing-value
handling, cut-point of the dependent variables, predictor set, the quadratic DT&V term of footnote 6,
Firth's penalized likelihood, robust standard errors, and the model (Table 3 or Table 4 A/B).
:class:`Workbench` fits one specification exactly (statsmodels / firthmodels) or hundreds at once
(the vectorized fitter) on one data set, caching each measurement variant.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import fastlogit, fitstatus, measurement, pipeline, published, validation
from .errors import InputError
from .regression import check_sample, fit_logit, refuse_collinear, sm_design, stars, withhold_failed
from .scenario import logistic

MODELS = ("table3", "A", "B")
CURVE_MAX_N = 20_000  # 792 specifications x respondents x terms at once: bounded (README)
DTV_SQUARED = "dtv_conversations_squared"


@dataclass(frozen=True)
class Specification:
    """One way of running the analysis; the defaults are the paper's."""

    model: str = "table3"
    extraction: str = measurement.DEFAULT_EXTRACTION
    missing: str = "impute"
    cutpoint: float = 1.0
    drop: tuple[str, ...] = ()
    dtv_squared: bool = False
    firth: bool = False
    robust: bool = False

    def label(self) -> str:
        parts = [self.model, self.extraction, self.missing, f"cut {self.cutpoint:g}"]
        if self.drop:
            parts.append("drop " + "+".join(self.drop))
        if self.dtv_squared:
            parts.append("DT&V²")
        if self.firth:
            parts.append("Firth")
        if self.robust:
            parts.append("robust SE")
        return ", ".join(parts)


PAPER = Specification()


def terms_for(spec: Specification, outcome: str) -> list[str]:
    """The predictors a specification uses for one outcome (after drops, with DT&V² where asked)."""
    if spec.model not in MODELS:
        raise InputError(f"Unknown model '{spec.model}'. Choose table3, A or B.")
    base = pipeline.PREDICTORS if spec.model == "table3" else validation.model_terms(outcome, spec.model)
    unknown = [d for d in spec.drop if d not in pipeline.PREDICTORS + ["safety_low", "safety_mid", "health_cleaned"]]
    if unknown:
        raise InputError(f"Cannot drop {', '.join(unknown)}: not a predictor. Predictors: {', '.join(pipeline.PREDICTORS)}.")
    terms = [t for t in base if t not in spec.drop]
    if spec.dtv_squared and "dtv_conversations" in terms:
        terms.append(DTV_SQUARED)
    return terms


@dataclass
class Workbench:
    """One data set, with its measurement variants computed once."""

    data: pd.DataFrame
    _frames: dict = field(default_factory=dict)

    def frame(self, spec: Specification) -> pd.DataFrame:
        """Model frame for a specification; measurement is computed once per (extraction, missing)."""
        key = (spec.extraction, spec.missing, spec.cutpoint, spec.model)
        if key not in self._frames:
            base_key = (spec.extraction, spec.missing)
            if base_key not in self._frames:
                opts = pipeline.PipelineOptions(extraction=spec.extraction, missing=spec.missing)
                self._frames[base_key] = pipeline.model_frame(self.data, opts)
            meas, frame, _ = self._frames[base_key]
            frame = frame.copy()
            if spec.cutpoint != 1.0:  # only the dependent variables change with the cut-point
                dv = measurement.dependent_variables(self.data, spec.cutpoint).loc[frame.index]
                frame[list(dv.columns)] = dv
            if spec.model != "table3":
                opts = pipeline.PipelineOptions(extraction=spec.extraction, missing=spec.missing)
                frame = validation.table4_frame(self.data, pipeline.PipelineResult(opts, meas, frame, pd.DataFrame()))
            frame[DTV_SQUARED] = frame["dtv_conversations"] ** 2
            self._frames[key] = frame
        return self._frames[key]

    def measurement_for(self, spec: Specification):
        """The measurement (five factor analyses) behind a specification."""
        self.frame(spec)
        return self._frames[(spec.extraction, spec.missing)][0]

    def fit(self, spec: Specification) -> pd.DataFrame:
        """Both outcomes under one specification, exactly (statsmodels; firthmodels for Firth).

        One row per outcome and term with n, events, epv, status (core.fitstatus) and warnings. A failed
        ML fit's B, SE, z, p and Exp(B) are NaN: they are not estimates.
        """
        frame = self.frame(spec)
        rows = []
        for outcome in published.OUTCOMES:
            terms = terms_for(spec, outcome)
            sub = frame[[outcome, *terms]].dropna()
            check_sample(sub[outcome], len(terms), outcome)
            if spec.firth:
                rows.append(_firth_table(sub[outcome], sub[terms], outcome))
                continue
            res = fit_logit(sub[outcome], sub[terms], outcome, cov_type="HC0" if spec.robust else "nonrobust")
            rows.append(res.shown_coefficients().assign(outcome=outcome, n=res.n, events=res.events, epv=res.epv,
                                                        status=res.status, warnings=" | ".join(res.warnings)))
        out = pd.concat(rows, ignore_index=True)
        return out.assign(specification=spec.label())

    def fit_status(self, spec: Specification) -> pd.DataFrame:
        """One row per outcome: n, events, events per variable, status and warnings of a specification."""
        fit = self.fit(spec)
        return fit.groupby("outcome", sort=False)[["n", "events", "epv", "status", "warnings"]].first().reset_index()

    def compare(self, spec: Specification) -> pd.DataFrame:
        """A specification beside the published model and the paper's specification refitted.

        Where this specification's ML fit failed (core.fitstatus), ``B_firth``/``SE_firth`` carry the
        Firth-penalized fit of the same specification, which exists under separation.
        """
        fitted = self.fit(spec)
        mine = fitted.set_index(["outcome", "term"])
        default = self.fit(replace(PAPER, model=spec.model)).set_index(["outcome", "term"])
        pub = published.coefficients(model=spec.model).set_index(["outcome", "term"])
        index = mine.index.union(default.index, sort=False)
        table = pd.DataFrame(index=index)
        table["B_published"] = pub["B"].reindex(index)
        table["stars_published"] = pub["stars"].reindex(index)
        table["B_default"] = default["B"].reindex(index)
        table["stars_default"] = default["stars"].reindex(index)
        table["B_this"] = mine["B"].reindex(index)
        table["SE_this"] = mine["SE"].reindex(index)
        table["stars_this"] = mine["stars"].reindex(index)
        table["status_this"] = mine["status"].reindex(index)
        table["B_firth"] = np.nan
        table["SE_firth"] = np.nan
        table["stars_firth"] = ""
        failed = fitted.loc[~fitted["status"].map(fitstatus.usable), "outcome"].unique()
        if len(failed) and not spec.firth:
            firth = self.fit(replace(spec, firth=True, robust=False)).set_index(["outcome", "term"])
            for outcome in failed:
                rows = [ix for ix in index if ix[0] == outcome and ix in firth.index]
                table.loc[rows, "B_firth"] = firth.loc[rows, "B"]
                table.loc[rows, "SE_firth"] = firth.loc[rows, "SE"]
                table.loc[rows, "stars_firth"] = firth.loc[rows, "stars"]
        return table.reset_index()

    # -- specification curve ------------------------------------------------------------------------
    def specification_curve(self, extractions=measurement.EXTRACTION_METHODS, missing=("impute", "listwise"),
                            cutpoints=(1.0, 1.5, 2.0), drops=None, dtv_squared=(False, True),
                            firth=(False, True)) -> pd.DataFrame:
        """Every combination of the choices (Table 3 predictors), fitted at once per outcome and estimator.

        Rows: specification id, its choices, outcome, term, B, SE, p, and whether the fit converged.
        Dropped terms are held at zero (absent from the model), not refitted.
        """
        if len(self.data) > CURVE_MAX_N:
            raise InputError(f"The specification curve is limited to {CURVE_MAX_N:,} respondents (this file has "
                             f"{len(self.data):,}): 1,584 fits at once would not fit in memory. Use the single "
                             "specification panel above.", code="curve_too_large", n=f"{len(self.data):,}",
                             limit=f"{CURVE_MAX_N:,}")
        drops = [()] + [(p,) for p in pipeline.PREDICTORS] if drops is None else drops
        specs = [Specification("table3", e, m, c, d, q, f)
                 for e, m, c, d, q, f in itertools.product(extractions, missing, cutpoints, drops, dtv_squared, firth)]
        all_terms = ["const", *pipeline.PREDICTORS, DTV_SQUARED]
        k = len(all_terms)
        # One design per measurement variant (extraction, missing, cut-point), built once.
        keys = list(dict.fromkeys((s.extraction, s.missing, s.cutpoint) for s in specs))
        designs, outcomes, usable = {}, {}, {}
        for key in keys:
            fr = self.frame(Specification("table3", *key)).reindex(self.data.index)
            ok = fr[[*published.OUTCOMES, *pipeline.PREDICTORS]].notna().all(axis=1).to_numpy()
            X = np.column_stack([np.ones(len(fr)), np.nan_to_num(fr[all_terms[1:]].to_numpy(dtype=float))])
            designs[key], usable[key] = X, ok.astype(float)
            outcomes[key] = {o: np.nan_to_num(fr[o].to_numpy(dtype=float)) for o in published.OUTCOMES}
        key_of = np.array([keys.index((s.extraction, s.missing, s.cutpoint)) for s in specs])
        fixed = np.zeros((len(specs), k), dtype=bool)
        for b, s in enumerate(specs):
            for t in s.drop:
                fixed[b, all_terms.index(t)] = True
            if not s.dtv_squared or "dtv_conversations" in s.drop:
                fixed[b, k - 1] = True
        X_all = np.stack([designs[key] for key in keys])[key_of] * (~fixed)[:, None, :]
        W_all = np.stack([usable[key] for key in keys])[key_of]
        is_firth = np.array([s.firth for s in specs])
        frames = []
        for outcome in published.OUTCOMES:
            Y_all = np.stack([outcomes[key][outcome] for key in keys])[key_of]
            beta = np.zeros((len(specs), k))
            conv = np.zeros(len(specs), dtype=bool)
            for use_firth in (False, True):
                sel = np.flatnonzero(is_firth == use_firth)
                if sel.size == 0:
                    continue
                # Firth's modified score converges linearly (its Hessian omits the leverage term's derivative):
                # a looser step tolerance and more iterations, as firthmodels' gtol of 1e-6.
                beta[sel], conv[sel] = fastlogit.fit_many(X_all[sel], Y_all[sel], W_all[sel], firth=use_firth,
                                                          fixed_zero=fixed[sel], max_iter=120 if use_firth else 40,
                                                          tol=1e-7 if use_firth else 1e-10)
            se, pv = fastlogit.wald(X_all, beta, W_all, fixed_zero=fixed)
            fitted = logistic(np.matmul(X_all, beta[:, :, None])[..., 0])
            status = np.empty(len(specs), dtype=object)
            for use_firth in (False, True):  # one rule for every fit shown anywhere (core.fitstatus)
                sel = np.flatnonzero(is_firth == use_firth)
                if sel.size:
                    status[sel] = fitstatus.classify_many(conv[sel], beta[sel], fitted[sel], Y_all[sel], W_all[sel],
                                                          se[sel], penalized=use_firth, present=~fixed[sel])
            conv = status == "converged"
            events = (Y_all * W_all).sum(axis=1).astype(int)
            b_idx, t_idx = np.nonzero(~fixed)
            frames.append(pd.DataFrame({
                "specification": [specs[i].label() for i in b_idx],
                "extraction": [specs[i].extraction for i in b_idx], "missing": [specs[i].missing for i in b_idx],
                "cutpoint": [specs[i].cutpoint for i in b_idx],
                "dropped": ["+".join(specs[i].drop) or "none" for i in b_idx],
                "dtv_squared": [specs[i].dtv_squared for i in b_idx], "firth": is_firth[b_idx],
                "outcome": outcome, "term": [all_terms[j] for j in t_idx], "B": beta[b_idx, t_idx],
                "SE": se[b_idx, t_idx], "p": pv[b_idx, t_idx], "converged": conv[b_idx], "status": status[b_idx],
                "n": W_all.sum(axis=1).astype(int)[b_idx], "events": events[b_idx]}))
        return pd.concat(frames, ignore_index=True)


def robustness_summary(curve: pd.DataFrame) -> pd.DataFrame:
    """Per outcome and Table 3 term: share of converged specifications with the published sign, share
    significant at 0.05 with that sign, and the range of B; with the published B and stars."""
    pub = published.coefficients(model="table3").set_index(["outcome", "term"])
    rows = []
    ok = curve[curve["converged"]]
    for (outcome, term), grp in ok.groupby(["outcome", "term"]):
        if (outcome, term) not in pub.index:
            continue
        b_pub = float(pub.loc[(outcome, term), "B"])
        same = np.sign(grp["B"]) == np.sign(b_pub)
        rows.append({"outcome": outcome, "term": term, "B_published": b_pub,
                     "stars_published": pub.loc[(outcome, term), "stars"], "specifications": len(grp),
                     "same_sign": float(same.mean()), "significant_same_sign": float((same & (grp["p"] < 0.05)).mean()),
                     "B_min": float(grp["B"].min()), "B_median": float(grp["B"].median()),
                     "B_max": float(grp["B"].max())})
    return pd.DataFrame(rows)


def failed_share(curve: pd.DataFrame) -> pd.DataFrame:
    """Per outcome and estimator: specifications, and the share whose fit failed (core.fitstatus)."""
    per_spec = curve.groupby(["outcome", "firth", "specification"], sort=False)["status"].first().reset_index()
    out = per_spec.groupby(["outcome", "firth"], sort=False)["status"].agg(
        specifications="size", failed=lambda s: int((s != "converged").sum())).reset_index()
    out["share_failed"] = out["failed"] / out["specifications"]
    return out


def _firth_table(y: pd.Series, X: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Firth-penalized fit with the maintained firthmodels package (Wald SEs, LRT-free p-values)."""
    from firthmodels import FirthLogisticRegression
    from scipy.stats import norm

    refuse_collinear(sm_design(X), outcome)
    try:
        model = FirthLogisticRegression(max_iter=200, gtol=1e-6, xtol=1e-6).fit(X.to_numpy(dtype=float), y.to_numpy())
    except (np.linalg.LinAlgError, ValueError):
        raise InputError(f"The Firth fit of the {outcome} model failed with these respondents (a rank-deficient "
                         "design). Leave a predictor out or use imputation.", code="firth_failed",
                         outcome=outcome) from None
    b = np.r_[model.intercept_, model.coef_]
    se = np.asarray(model.bse_, dtype=float)
    se = np.r_[se[-1], se[:-1]]  # firthmodels lists the intercept's SE last
    z = b / se
    p = 2 * norm.sf(np.abs(z))
    design = np.column_stack([np.ones(len(y)), X.to_numpy(dtype=float)])
    status = fitstatus.classify(bool(model.converged_), b, logistic(design @ b), y.to_numpy(dtype=float),
                                se=se, penalized=True)
    table = pd.DataFrame({"term": ["const", *X.columns], "B": b, "SE": se, "z": z, "p": p,
                          "exp_B": np.exp(b), "stars": [stars(v) for v in p]})
    k = X.shape[1]
    return withhold_failed(table, status).assign(
        outcome=outcome, n=len(y), events=int(y.sum()), epv=min(int(y.sum()), len(y) - int(y.sum())) / k,
        status=status, warnings="" if status == "converged" else "the Firth estimation did not converge")
