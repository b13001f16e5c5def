"""The reproduction audit: worked examples of section 4 and the paper's internal consistency."""
import pytest

from core import audit, rounding


@pytest.fixture(scope="module")
def examples():
    return audit.worked_examples().set_index("example_id")


def test_baselines(examples):
    assert examples.loc["avg_intention", "computed_pct"] == pytest.approx(8.7145, abs=1e-3)
    assert examples.loc["avg_attitude", "computed_pct"] == pytest.approx(4.5002, abs=1e-3)
    assert examples.loc["avg_intention", "within_rounding"]


def test_rounding_band_contains_the_computed_value(examples):
    assert (examples["band_low_pct"] <= examples["computed_pct"]).all()
    assert (examples["computed_pct"] <= examples["band_high_pct"]).all()


def test_only_the_two_sd_safety_examples_fall_outside_rounding(examples):
    outside = set(examples.index[~examples["within_rounding"]])
    assert outside == {"safety_plus2_intention", "safety_plus2_attitude"}
    # Both correspond to about +1.7 SD, not +2 (from the paper's own 8% / 4% baseline).
    implied = examples.loc[list(outside), "implied_delta_from_published_baseline"]
    assert implied.between(1.6, 1.8).all()
    one_step = examples.loc[["safety_plus1_intention", "safety_plus1_attitude", "dtv_plus1_intention",
                             "health_plus1_intention"], "implied_delta_from_published_baseline"]
    assert one_step.between(0.9, 1.05).all()


def test_every_relation_class_is_checked():
    checks = audit.consistency_checks()
    assert set(checks["relation"]) == set(audit.RELATIONS)
    assert set(checks["verdict"]) <= set(rounding.VERDICTS)
    assert {"central_low", "central_high", "worst_low", "worst_high", "target_low", "target_high"} <= set(checks.columns)


def test_three_way_verdicts_of_known_findings():
    checks = audit.consistency_checks()
    verdict = {(c, s): v for c, s, v in zip(checks["relation"], checks["subject"], checks["verdict"])}
    # Worked examples: the +1 SD safety examples fit only with all 21 rounding errors lined up.
    assert verdict[("worked_example", "avg_intention")] == "expected"
    assert verdict[("worked_example", "safety_plus1_intention")] == "worst_case"
    assert verdict[("worked_example", "safety_plus2_intention")] == "inconsistent"
    assert verdict[("worked_example", "safety_plus2_attitude")] == "inconsistent"
    assert verdict[("exp_b", "attitude: const")] == "inconsistent"
    assert verdict[("exp_b", "intention: safety")] == "expected"
    assert {s for (c, s), v in verdict.items() if c == "eigenvalue" and v == "inconsistent"} == {
        "safety", "socioeconomic", "ties_origin"}
    assert verdict[("factor_n", "ties_origin")] == "inconsistent"  # 106 printed, items allow at most 103
    assert verdict[("factor_n", "socioeconomic")] == "expected"
    # Words against stars: 'marginally significant' ties with the Netherlands on attitude, printed *.
    assert verdict[("significance_words", "attitude table3: ties_nl")] == "inconsistent"
    assert verdict[("significance_words", "intention table3: ties_origin")] == "expected"
    # Table 4 keeps the starred Table 3 predictors, except ties with the Netherlands on attitude.
    bad = {s for (c, s), v in verdict.items() if c == "table4_selection" and v != "expected"}
    assert bad == {"attitude: ties_nl"}
    assert verdict[("counts", "intention")] == "inconsistent" and verdict[("counts", "men + women")] == "expected"
    assert verdict[("ranges", "socioeconomic: minimum")] == "inconsistent"
    assert verdict[("correlation_p", "safety_violence_objective")] == "inconsistent"
    assert verdict[("correlation_p", "safety_adult_mortality")] == "expected"
    assert all(v == "expected" for (c, _), v in verdict.items() if c in ("b_std", "bounded_sd", "binary_sd"))


def test_judge_separates_expected_worst_case_and_inconsistent():
    eleven = [rounding.Printed(0.0, 0.005)] * 11
    total = lambda *v: sum(v)  # noqa: E731 - the sum of 11 rounding errors: worst case ±0.055, sd ≈ 0.0096
    assert rounding.judge(total, eleven, rounding.Printed(0.01)).verdict == "expected"
    assert rounding.judge(total, eleven, rounding.Printed(0.045)).verdict == "worst_case"
    assert rounding.judge(total, eleven, rounding.Printed(0.06)).verdict == "inconsistent"
    j = rounding.judge(total, eleven, rounding.Printed(0.045))
    assert j.worst_high == pytest.approx(0.055) and j.central_high < 0.025


def test_audit_json_summary():
    result = audit.audit_json()
    assert result["summary"]["examples"] == 10
    assert result["summary"]["examples_within_rounding"] == 8
    verdicts = result["summary"]["verdicts"]
    assert sum(verdicts.values()) == result["summary"]["checks"] and verdicts["worst_case"] >= 3
    assert set(result["summary"]["by_relation"]) == set(audit.RELATIONS)
    row = result["consistency_checks"][0]
    assert {"verdict", "central_low", "worst_high", "implied_value"} <= set(row)
