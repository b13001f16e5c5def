"""Reproduction audit: the paper's worked examples (section 4) and its internal consistency.

Nothing here is tuned: each published number is set beside what the published coefficients and
means imply, with the band that the paper's own rounding allows.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from . import codebook, measurement, published, scenario

HALF_B = 0.005      # Table 3 prints B with two decimals
HALF_MEAN = 0.05    # Table 2 prints means with one decimal
HALF_PCT = 0.5      # section 4 prints whole percentages


def _interval_product(b: float, x: float, half_x: float) -> tuple[float, float]:
    corners = [bb * xx for bb, xx in itertools.product((b - HALF_B, b + HALF_B), (x - half_x, x + half_x))]
    return min(corners), max(corners)


def _rounding_band(outcome: str, variable: str | None, delta: float) -> tuple[float, float]:
    """Range of the predicted probability over all coefficient/mean values that round to the printed ones."""
    coefs = published.model_coefficients(outcome, "table3")
    low = coefs["const"] - HALF_B
    high = coefs["const"] + HALF_B
    for term in scenario.model_inputs(outcome, "table3"):
        var = codebook.variable(term)
        half_x = 0.0 if var.is_factor else HALF_MEAN  # factor means are 0 by construction
        x = scenario.average_value(term) + (delta if term == variable else 0.0)
        lo, hi = _interval_product(coefs[term], x, half_x)
        low, high = low + lo, high + hi
    return float(scenario.logistic(low)), float(scenario.logistic(high))


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _published_baseline(outcome: str) -> float:
    ex = published.table("worked_examples")
    rows = ex[(ex["outcome"] == outcome) & ex["variable"].isna()]
    return float(rows["published_pct"].iloc[0])


def worked_examples() -> pd.DataFrame:
    """Every section-4 example: published %, computed %, deviation, rounding band, implied change."""
    rows = []
    for ex in published.table("worked_examples").itertuples(index=False):
        variable = ex.variable if isinstance(ex.variable, str) else None
        delta = float(ex.delta)
        base = scenario.average_profile(ex.outcome)
        values = dict(base)
        if variable:
            values[variable] = base[variable] + delta
        eta = scenario.linear_predictor(ex.outcome, "table3", values)
        computed = 100 * float(scenario.logistic(eta))
        band_low, band_high = _rounding_band(ex.outcome, variable, delta)
        pub = float(ex.published_pct)
        within = (pub + HALF_PCT) >= 100 * band_low and (pub - HALF_PCT) <= 100 * band_high
        implied = implied_from_published = None
        if variable:
            b = published.model_coefficients(ex.outcome, "table3")[variable]
            eta0 = scenario.linear_predictor(ex.outcome, "table3", base)
            implied = (_logit(pub / 100) - eta0) / b
            # The same, starting from the paper's own baseline percentage for this outcome.
            base_pct = _published_baseline(ex.outcome)
            implied_from_published = (_logit(pub / 100) - _logit(base_pct / 100)) / b
        rows.append({
            "example_id": ex.example_id, "source_section": ex.source_section, "outcome": ex.outcome,
            "variable": variable or "", "delta": delta, "published_pct": pub, "computed_pct": computed,
            "deviation_pp": computed - pub, "band_low_pct": 100 * band_low, "band_high_pct": 100 * band_high,
            "within_rounding": bool(within), "implied_delta": implied,
            "implied_delta_from_published_baseline": implied_from_published, "quote_nl": ex.quote_nl,
        })
    return pd.DataFrame(rows)


def _bhatia_davis_ok(row) -> bool:
    """An SD is possible on a bounded scale only if SD² ≤ (mean − min)(max − mean)."""
    mean_lo, sd_lo = row["mean"] - HALF_MEAN, row["sd"] - HALF_MEAN
    return sd_lo ** 2 <= (mean_lo - row["min"] + 2 * HALF_MEAN) * (row["max"] - mean_lo) + 1e-9


def consistency_checks() -> pd.DataFrame:
    """Places where two published numbers must agree. One row per check; ``agrees`` False = a finding.

    Columns: check, source, subject, printed, implied, agrees, detail (a translation key suffix).
    """
    rows: list[dict] = []

    def add(check, source, subject, printed, implied, agrees, detail):
        rows.append({"check": check, "source": source, "subject": subject, "printed": printed,
                     "implied": implied, "agrees": bool(agrees), "detail": detail})

    # 1. Exp(B) against exp(B), Table 3.
    for r in published.load_checks().itertuples(index=False):
        truncated = not r.agrees and r.exp_B_printed == 0 and r.exp_B_high < 0.01
        detail = "exp_b_ok" if r.agrees else ("exp_b_truncated" if truncated else "exp_b_bad")
        add("exp_b", "Table 3", f"{r.outcome}: {r.term}", f"{r.exp_B_printed:.2f}",
            f"{r.exp_B_computed:.3f}", r.agrees, detail)

    # 2. Standardized B = B × SD(x) (Table 3 against Table 2).
    coefs = published.coefficients(model="table3")
    for r in coefs[coefs["term"] != "const"].itertuples(index=False):
        sd = float(published.descriptive(r.term, "Table 2")["sd"])
        lows = [b * s for b in (r.B - HALF_B, r.B + HALF_B) for s in (sd - HALF_MEAN, sd + HALF_MEAN)]
        lo, hi = min(lows), max(lows)
        ok = (r.B_std + HALF_B) >= lo and (r.B_std - HALF_B) <= hi
        add("b_std", "Table 3 / Table 2", f"{r.outcome}: {r.term}", f"{r.B_std:.2f}", f"{r.B * sd:.3f}",
            ok, "b_std_ok" if ok else "b_std_bad")

    # 3. Eigenvalue = sum of squared loadings (one-factor principal components).
    load = published.table("loadings")
    for factor, grp in load.groupby("factor", sort=False):
        ssl = float((grp["loading"] ** 2).sum())
        eig = float(grp["eigenvalue"].iloc[0])
        k = len(grp)
        ssl_lo = float(((grp["loading"] - HALF_B) ** 2).sum())
        ssl_hi = float(((grp["loading"] + HALF_B) ** 2).sum())
        ok = (eig + HALF_MEAN) >= ssl_lo and (eig - HALF_MEAN) <= ssl_hi
        add("eigenvalue", "Table 1a", factor, f"{eig:.1f}", f"{ssl:.2f} ({k} items)", ok,
            "eigen_ok" if ok else "eigen_bad")

    # 4. Bounded-scale feasibility of every printed mean/SD (Tables 1b and 2).
    desc = published.table("descriptives")
    for r in desc.iterrows():
        row = r[1]
        if row["variable"] in [v.name for v in codebook.predictors() if v.is_factor]:
            continue
        ok = _bhatia_davis_ok(row)
        add("bounded_sd", row["source_table"], row["variable"], f"{row['mean']} / {row['sd']}",
            f"max SD {math.sqrt(max(0.0, (row['mean'] - row['min']) * (row['max'] - row['mean']))):.2f}",
            ok, "bounded_ok" if ok else "bounded_bad")

    # 5. Dependent variables: N in Table 2 against the missing-value rules of section 3.6.
    n = published.text_statistic("n_respondents")
    for outcome in published.OUTCOMES:
        printed_n = int(published.descriptive(outcome, "Table 2")["N"])
        add("dv_n", "Table 2 / Section 3.6", outcome, str(printed_n), f"{int(n)}", printed_n == n,
            f"dv_n_{outcome}")

    # 6. Share open to return: Table 2 means against 'about 20 percent' (sections 3.6 and 5).
    share = published.text_statistic("share_open_to_return")
    for outcome in published.OUTCOMES:
        mean = float(published.descriptive(outcome, "Table 2")["mean"])
        add("share", "Table 2 / Section 3.6", outcome, f"{mean:.2f}", f"≈ {share:.2f}",
            abs(mean - share) <= 0.015, "share_ok")

    # 7. Safety factor range (Table 2) against its orientation and the 78 respondents at 1 on both items.
    smap = measurement.safety_map()
    lowest = smap.score(1, 1)
    highest = smap.score(smap.ranges[0][1], smap.ranges[1][1])
    safety = published.descriptive("safety", "Table 2")
    add("safety_range", "Table 2 / Tables 1a-1b / Section 4.1", "safety",
        f"{safety['min']} … {safety['max']}", f"{lowest:.1f} … {highest:.1f}", False, "safety_range")

    # 8. Item wording of the safety item: 'veilig' (Table 1a) vs 'onveilig' (section 4.1).
    add("safety_wording", "Table 1a / Section 4.1", "item02", "veilig / onveilig", "one wording", False,
        "safety_wording")

    # 9. Safety groups add up to N (section 4.1, Table 4).
    groups = sum(published.text_statistic(k) for k in ("n_safety_low", "n_safety_mid", "n_safety_high"))
    add("safety_groups", "Section 4.1 / Table 4", "safety groups", f"{int(groups)}", f"{int(n)}", groups == n,
        "groups_ok")

    # 10. Text of section 4.1 against Table 4.
    t4 = published.coefficients(model="A").set_index(["outcome", "term"])["B"]
    t4b = published.coefficients(model="B").set_index(["outcome", "term"])["B"]
    for subject, printed, implied in (
        ("safety_low (intention A)", -3.50, t4[("intention", "safety_low")]),
        ("safety_mid (intention A)", -2.85, t4[("intention", "safety_mid")]),
        ("health A → cleaned B (intention)", "0.75 → 0.72",
         f"{t4[('intention', 'health')]:.2f} → {t4b[('intention', 'health_cleaned')]:.2f}"),
    ):
        ok = str(printed) == str(implied) if isinstance(printed, str) else math.isclose(printed, implied)
        add("table4_text", "Section 4.1 / Table 4", subject, str(printed), str(implied), ok, "t4_text_ok")

    # 11. The safety-item mapping against section 4's '+1 SD' statement.
    step = smap.score(2, 2) - smap.score(1, 1)
    add("safety_step", "Section 4 / Tables 1a-1b", "(1,1) → (2,2)", "≈ 1 SD", f"{step:.2f} SD",
        abs(step - 1) <= 0.25, "safety_step")
    return pd.DataFrame(rows)


def findings() -> pd.DataFrame:
    """Only the checks that disagree."""
    checks = consistency_checks()
    return checks[~checks["agrees"]].reset_index(drop=True)


def audit_json() -> dict:
    """The audit as a JSON-serializable dict (for ``python -m core audit --json``)."""
    ex = worked_examples().replace({np.nan: None})
    checks = consistency_checks()
    return {
        "worked_examples": ex.to_dict(orient="records"),
        "consistency_checks": checks.to_dict(orient="records"),
        "summary": {
            "examples": int(len(ex)),
            "examples_within_rounding": int(ex["within_rounding"].sum()),
            "max_abs_deviation_pp": float(ex["deviation_pp"].abs().max()),
            "checks": int(len(checks)),
            "checks_disagreeing": int((~checks["agrees"]).sum()),
        },
    }
