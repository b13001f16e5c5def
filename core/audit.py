"""Reproduction audit: the paper's worked examples (section 4) and its internal consistency.

Nothing here is tuned: each published number is set beside what the published coefficients and
means imply, with the band that the paper's own rounding allows.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from . import codebook, measurement, published, rounding, scenario

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


RELATIONS = ("exp_b", "b_std", "factor_n", "eigenvalue", "worked_example", "significance_words",
             "table4_selection", "counts", "ranges", "bounded_sd", "binary_sd", "share", "scale_floor",
             "table4_text", "correlation_p", "safety_step", "safety_wording")
CLAIM_STARS = {"none": {""}, "marginal": {"~"}, "significant": {"*", "**"}, "any": {"~", "*", "**"}}


def _worked_example_fn(outcome: str, variable: str | None, delta: float):
    """(function of the printed inputs, inputs): the logistic of Table 3 at the Table 2 means."""
    coefs = published.model_coefficients(outcome, "table3")
    terms = list(scenario.model_inputs(outcome, "table3"))
    inputs = [rounding.Printed(coefs["const"], HALF_B)] + [rounding.Printed(coefs[x], HALF_B) for x in terms]
    means = []
    for x in terms:
        var = codebook.variable(x)
        shift = delta if x == variable else 0.0
        means.append((x, rounding.Printed(scenario.average_value(x), 0.0 if var.is_factor else HALF_MEAN), shift))
    inputs += [m[1] for m in means]
    k = len(terms)

    def fn(*v):
        eta = v[0]
        for j in range(k):
            eta = eta + v[1 + j] * (v[1 + k + j] + means[j][2])
        return 100 * scenario.logistic(eta)

    return fn, inputs


def example_verdicts() -> pd.DataFrame:
    """Three-way verdict of every worked example (section 4), from the rounding of its 16-22 inputs."""
    rows = []
    for ex in published.table("worked_examples").itertuples(index=False):
        variable = ex.variable if isinstance(ex.variable, str) else None
        fn, inputs = _worked_example_fn(ex.outcome, variable, float(ex.delta))
        j = rounding.judge(fn, inputs, rounding.Printed(float(ex.published_pct), HALF_PCT))
        rows.append({"example_id": ex.example_id, "inputs": len(inputs), **j.as_dict()})
    return pd.DataFrame(rows)


def consistency_checks() -> pd.DataFrame:
    """Every class of relation between printed numbers (issue 8), one row per check.

    Columns: relation, check, source, subject, printed, implied, verdict (expected / worst_case /
    inconsistent, see core.rounding), the numbers behind it (implied_value, central_low/high,
    worst_low/high, target_low/high), agrees (= verdict is 'expected') and detail (a translation key).
    """
    rows: list[dict] = []

    def add(relation, check, source, subject, printed, implied, judgement, detail=None):
        j = judgement.as_dict()
        rows.append({"relation": relation, "check": check, "source": source, "subject": subject,
                     "printed": str(printed), "implied": str(implied), "verdict": j.pop("verdict"),
                     "implied_value": j.pop("implied"), **j, "detail": detail or check})

    P = rounding.Printed
    coefs = published.coefficients()

    # 1. B against Exp(B), Table 3.
    for r in coefs[coefs["model"] == "table3"].itertuples(index=False):
        j = rounding.judge(np.exp, [P(r.B, HALF_B)], P(r.exp_B, HALF_B))
        truncated = j.verdict == "inconsistent" and r.exp_B == 0 and j.worst_high < 0.01
        add("exp_b", "exp_b", "Table 3", f"{r.outcome}: {r.term}", f"B {r.B:.2f}, Exp(B) {r.exp_B:.2f}",
            f"{math.exp(r.B):.3f}", j, "exp_b_truncated" if truncated else None)

    # 2. Standardized B = B × SD(x), and the SD this implies (Table 3 against Table 2).
    t3 = coefs[(coefs["model"] == "table3") & (coefs["term"] != "const")]
    for r in t3.itertuples(index=False):
        row = published.descriptive(r.term, "Table 2")
        sd_half = 0.0 if codebook.variable(r.term).is_factor else HALF_MEAN  # factor SDs are 1 by construction
        j = rounding.judge(lambda b, sd: b * sd, [P(r.B, HALF_B), P(float(row["sd"]), sd_half)], P(r.B_std, HALF_B))
        implied_sd = r.B_std / r.B if r.B else float("nan")
        add("b_std", "b_std", "Table 3 / Table 2", f"{r.outcome}: {r.term}",
            f"B {r.B:.2f}, standardized {r.B_std:.2f}, SD {row['sd']}",
            f"B × SD = {r.B * row['sd']:.3f}; implied SD {implied_sd:.2f}", j)

    # 3. Each factor's N (Table 2) against its items' N (Table 1b): complete answers lie between
    #    N - (sum of the items' gaps) and the smallest item N.
    for factor, items in measurement.construct_items().items():
        gaps = [N_RESPONDENTS - int(published.descriptive(i, "Table 1b")["N"]) for i in items]
        lo, hi = N_RESPONDENTS - sum(gaps), N_RESPONDENTS - max(gaps)
        printed = int(published.descriptive(factor, "Table 2")["N"])
        add("factor_n", "factor_n", "Table 2 / Table 1b", factor, str(printed), f"{lo} … {hi}",
            rounding.within(lo, hi, printed))

    # 4. Eigenvalue = sum of squared loadings (one-factor principal components).
    load = published.table("loadings")
    for factor, grp in load.groupby("factor", sort=False):
        vals = grp["loading"].to_numpy(dtype=float)
        j = rounding.judge(lambda *x: sum(v * v for v in x), [P(v, HALF_B) for v in vals],
                           P(float(grp["eigenvalue"].iloc[0]), HALF_MEAN))
        add("eigenvalue", "eigenvalue", "Table 1a", factor, f"{grp['eigenvalue'].iloc[0]:.1f}",
            f"{(vals ** 2).sum():.2f} ({len(vals)} items)", j, "eigen_ok" if j.verdict == "expected" else "eigen_bad")

    # 5. Worked examples against Table 3 and Table 2.
    ex = published.table("worked_examples").set_index("example_id")
    for r in example_verdicts().itertuples(index=False):
        j = rounding.Judgement(r.verdict, r.implied, r.central_low, r.central_high, r.worst_low, r.worst_high,
                               r.target_low, r.target_high)
        add("worked_example", "worked_example", ex.loc[r.example_id, "source_section"], r.example_id,
            f"{ex.loc[r.example_id, 'published_pct']:.0f}%", f"{r.implied:.1f}% ({r.inputs} printed inputs)", j)

    # 6. The text's words about significance against the stars of Tables 3 and 4.
    stars_of = coefs.set_index(["outcome", "model", "term"])["stars"]
    for r in published.table("significance_claims").itertuples(index=False):
        star = stars_of.get((r.outcome, r.model, r.term), "")
        star = "" if not isinstance(star, str) else star
        ok = star in CLAIM_STARS[r.claim]
        add("significance_words", "significance_words", f"{r.source_section} / Table {'3' if r.model == 'table3' else '4'}",
            f"{r.outcome} {r.model}: {r.term}", f"text: {r.claim}", f"stars: '{star}'",
            rounding.exact(1.0 if ok else 0.0, 1.0), f"claim_{r.claim}")

    # 7. The rule by which Table 4 keeps predictors (section 4.1: those without a significant effect were
    #    left out) against the stars of Table 3, p < 0.10, per outcome.
    for outcome in published.OUTCOMES:
        kept = set(coefs[(coefs["outcome"] == outcome) & (coefs["model"] == "A")]["term"])
        for r in t3[(t3["outcome"] == outcome) & (t3["term"] != "safety")].itertuples(index=False):
            starred = bool(r.stars)
            add("table4_selection", "table4_selection", "Section 4.1 / Tables 3-4", f"{outcome}: {r.term}",
                f"Table 3 '{r.stars}', {'in' if r.term in kept else 'not in'} Table 4",
                "in Table 4" if starred else "not in Table 4",
                rounding.exact(float(starred == (r.term in kept)), 1.0))

    # 8. Outcome N and sums of counts in the text against N = 108.
    for outcome in published.OUTCOMES:
        printed_n = int(published.descriptive(outcome, "Table 2")["N"])
        add("counts", "dv_n", "Table 2 / Section 3.6", outcome, str(printed_n), str(N_RESPONDENTS),
            rounding.exact(N_RESPONDENTS, printed_n), f"dv_n_{outcome}")
    sums = {
        "safety groups 78 + 15 + 15": ("Section 4.1 / Table 4", ("n_safety_low", "n_safety_mid", "n_safety_high")),
        "men + women": ("Section 3.4", ("n_men", "n_women")),
        "rejected + (former) permit holders": ("Section 3.4", ("n_rejected_asylum_seekers", "n_permit_holders")),
    }
    for subject, (source, keys) in sums.items():
        total = sum(published.text_statistic(k) for k in keys)
        add("counts", "sum_108", source, subject, f"{int(total)}", str(N_RESPONDENTS),
            rounding.exact(total, N_RESPONDENTS), "groups_ok")

    # 9. Printed ranges of the factor scores against the orientation and the mass at the floor. A
    #    standardized principal-component score runs from the score of a respondent with the lowest answer
    #    to every item (Table 1b means and SDs, Table 1a loadings) upwards; for safety 78 respondents sit
    #    exactly there.
    for factor, items in measurement.construct_items().items():
        floor_fn, inputs = _floor_fn(items, lowest=True)
        ceil_fn, _ = _floor_fn(items, lowest=False)
        row = published.descriptive(factor, "Table 2")
        j_min = rounding.judge_at_least(lambda *v, f=floor_fn: -f(*v), inputs, P(-float(row["min"]), HALF_MEAN))
        j_max = rounding.judge_at_least(ceil_fn, inputs, P(float(row["max"]), HALF_MEAN))
        floor, ceil = floor_fn(*[p.value for p in inputs]), ceil_fn(*[p.value for p in inputs])
        add("ranges", "range_min", "Table 2 / Tables 1a-1b", f"{factor}: minimum", f"{row['min']}",
            f"≥ {floor:.2f} (everyone at the lowest answer)", _flip(j_min), "range_min")
        add("ranges", "range_max", "Table 2 / Tables 1a-1b", f"{factor}: maximum", f"{row['max']}",
            f"≤ {ceil:.2f} (everyone at the highest answer)", j_max, "range_max")
    smap = measurement.safety_map()
    lowest, highest = smap.score(1, 1), smap.score(smap.ranges[0][1], smap.ranges[1][1])
    safety = published.descriptive("safety", "Table 2")
    add("ranges", "safety_range", "Table 2 / Tables 1a-1b / Section 4.1", "safety",
        f"{safety['min']} … {safety['max']}", f"{lowest:.1f} … {highest:.1f}",
        rounding.exact(0.0, 1.0), "safety_range")

    # 10. Bounded scales: SD² ≤ (mean − min)(max − mean) (Bhatia-Davis), Tables 1b and 2.
    desc = published.table("descriptives")
    factors = {v.name for v in codebook.predictors() if v.is_factor}
    for row in desc.to_dict("records"):
        if row["variable"] in factors:
            continue
        half = HALF_B if row["variable"] in published.OUTCOMES else HALF_MEAN
        j = rounding.judge_at_least(lambda m, sd, lo=row["min"], hi=row["max"]: (m - lo) * (hi - m) - sd * sd,
                                    [P(row["mean"], half), P(row["sd"], HALF_MEAN)], P(0.0))
        add("bounded_sd", "bounded_sd", row["source_table"], row["variable"], f"{row['mean']} / {row['sd']}",
            f"max SD {math.sqrt(max(0.0, (row['mean'] - row['min']) * (row['max'] - row['mean']))):.2f}", j,
            "bounded_ok" if j.verdict != "inconsistent" else "bounded_bad")

    # 11. 0/1 variables: SD = sqrt(p (1 − p) n / (n − 1)).
    for row in desc.to_dict("records"):
        if (row["min"], row["max"]) != (0, 1):
            continue
        half = HALF_B if row["variable"] in published.OUTCOMES else HALF_MEAN
        n = row["N"]
        j = rounding.judge(lambda p, n=n: np.sqrt(np.clip(p * (1 - p), 0, None) * n / (n - 1)), [P(row["mean"], half)],
                           P(row["sd"], HALF_MEAN))
        add("binary_sd", "binary_sd", row["source_table"], row["variable"], f"mean {row['mean']}, SD {row['sd']}",
            f"SD {math.sqrt(row['mean'] * (1 - row['mean']) * n / (n - 1)):.3f}", j)

    # 12. Share open to return: Table 2 means against 'about 20 percent' (sections 3.6 and 5).
    share = published.text_statistic("share_open_to_return")
    for outcome in published.OUTCOMES:
        mean = float(published.descriptive(outcome, "Table 2")["mean"])
        j = rounding.judge(lambda m: m, [P(mean, HALF_B)], P(share, 0.025))  # 'ongeveer': ±2.5 points
        add("share", "share", "Table 2 / Section 3.6", outcome, f"{mean:.2f}", f"≈ {share:.2f}", j, "share_ok")

    # 13. Scale means (section 3.6) against the mass at the floor: with a share p above 1 on a 1-7 scale,
    #     the mean is at most 1 + 6p.
    for outcome in published.OUTCOMES:
        mean_share = float(published.descriptive(outcome, "Table 2")["mean"])
        scale_mean = published.text_statistic(f"{outcome}_scale_mean")
        j = rounding.judge_at_least(lambda p, m: 1 + 6 * p - m, [P(mean_share, HALF_B), P(scale_mean, HALF_MEAN)], P(0.0))
        add("scale_floor", "scale_floor", "Section 3.6 / Table 2", outcome,
            f"scale mean {scale_mean}, share above 1: {mean_share:.2f}",
            f"mean of those above 1: {1 + (scale_mean - 1) / mean_share:.1f} (at most 7)", j)

    # 14. Text of section 4.1 against Table 4.
    t4 = coefs[coefs["model"] == "A"].set_index(["outcome", "term"])["B"]
    t4b = coefs[coefs["model"] == "B"].set_index(["outcome", "term"])["B"]
    for subject, printed, implied in (
        ("safety_low (intention A)", -3.50, t4[("intention", "safety_low")]),
        ("safety_mid (intention A)", -2.85, t4[("intention", "safety_mid")]),
        ("health A (intention)", 0.75, t4[("intention", "health")]),
        ("health_cleaned B (intention)", 0.72, t4b[("intention", "health_cleaned")]),
    ):
        add("table4_text", "table4_text", "Section 4.1 / Table 4", subject, f"{printed:.2f}", f"{implied:.2f}",
            rounding.exact(implied, printed), "t4_text_ok")

    # 15. Correlations against their p-values (section 4.2; two-sided t test, N = 108 assumed, the
    #     paper does not say how many respondents had country data).
    for r_key, p_key in (("r_safety_violence_objective", "p_safety_violence_objective"),
                         ("r_safety_unfreedom_objective", "p_safety_unfreedom_objective"),
                         ("r_safety_adult_mortality", "p_safety_adult_mortality"),
                         ("r_socioeconomic_gnp", "p_socioeconomic_gnp")):
        r_val, p_val = published.text_statistic(r_key), published.text_statistic(p_key)
        j = rounding.judge(_p_of_r, [P(r_val, HALF_B)], P(p_val, HALF_B))
        add("correlation_p", "correlation_p", "Section 4.2", r_key.removeprefix("r_"), f"r = {r_val}, p = {p_val}",
            f"p = {_p_of_r(r_val):.3f} at N = {N_RESPONDENTS}; fits N ≈ {_n_for(r_val, p_val)}", j)

    # 16. The safety-item mapping against section 4's '+1 SD' statement, and the item's wording.
    step = smap.score(2, 2) - smap.score(1, 1)
    add("safety_step", "safety_step", "Section 4 / Tables 1a-1b", "(1,1) → (2,2)", "≈ 1 SD", f"{step:.2f} SD",
        rounding.judge(lambda x: x, [P(step)], P(1.0, 0.25)), "safety_step")
    add("safety_wording", "safety_wording", "Table 1a / Section 4.1", "item02", "veilig / onveilig", "one wording",
        rounding.exact(0.0, 1.0), "safety_wording")
    out = pd.DataFrame(rows)
    out["agrees"] = out["verdict"] == "expected"
    return out


N_RESPONDENTS = 108


def _flip(j: rounding.Judgement) -> rounding.Judgement:
    """A minimum judged on negated values, reported on the original scale."""
    return rounding.Judgement(j.verdict, -j.implied, -j.central_high, -j.central_low, -j.worst_high, -j.worst_low,
                              -j.target_high, -j.target_low)


def _floor_fn(items: list[str], lowest: bool):
    """Standardized principal-component score of a respondent at the lowest (or highest) answer to every
    item: sum_j l_j (x_j - m_j) / s_j / sum_j l_j², from printed loadings, means and SDs."""
    load = published.table("loadings").set_index("item")["loading"]
    inputs, ends = [], []
    for i in items:
        row = published.descriptive(i, "Table 1b")
        inputs += [rounding.Printed(float(load[i]), HALF_B), rounding.Printed(float(row["mean"]), HALF_MEAN),
                   rounding.Printed(float(row["sd"]), HALF_MEAN)]
        ends.append(float(row["min"] if lowest else row["max"]))

    def fn(*v):
        total, norm = 0.0, 0.0
        for j, end in enumerate(ends):
            lam, m, s = v[3 * j], v[3 * j + 1], v[3 * j + 2]
            total = total + lam * (end - m) / s
            norm = norm + lam * lam
        return total / norm

    return fn, inputs


def _p_of_r(r, n: int = N_RESPONDENTS):
    from scipy.stats import t as student

    r = np.asarray(r, dtype=float)
    tval = r * np.sqrt((n - 2) / (1 - r * r))
    return 2 * student.sf(np.abs(tval), n - 2)


def _n_for(r: float, p: float) -> int:
    """The N at which a correlation r has two-sided p closest to the printed p."""
    ns = np.arange(10, 400)
    return int(ns[np.argmin([abs(float(_p_of_r(r, n)) - p) for n in ns])])


def findings() -> pd.DataFrame:
    """Only the checks that disagree."""
    checks = consistency_checks()
    return checks[~checks["agrees"]].reset_index(drop=True)


def audit_json() -> dict:
    """The audit as a JSON-serializable dict (for ``python -m core audit --json``)."""
    ex = worked_examples().replace({np.nan: None})
    checks = consistency_checks()
    records = checks.astype(object).where(checks.notna(), None).to_dict(orient="records")
    by_relation = {rel: {v: int(((checks["relation"] == rel) & (checks["verdict"] == v)).sum())
                         for v in rounding.VERDICTS} for rel in RELATIONS}
    return {
        "worked_examples": ex.to_dict(orient="records"),
        "consistency_checks": records,
        "verdict_rule": ("expected: the printed value lies in the central 95% of what the relation implies when "
                         "every printed input carries an independent uniform rounding error (20,000 seeded draws); "
                         "worst_case: reachable only with the rounding errors lined up; inconsistent: not reachable "
                         "with any rounding"),
        "summary": {
            "examples": int(len(ex)),
            "examples_within_rounding": int(ex["within_rounding"].sum()),
            "max_abs_deviation_pp": float(ex["deviation_pp"].abs().max()),
            "checks": int(len(checks)),
            "checks_disagreeing": int((~checks["agrees"]).sum()),
            "verdicts": {v: int((checks["verdict"] == v).sum()) for v in rounding.VERDICTS},
            "by_relation": by_relation,
        },
    }
