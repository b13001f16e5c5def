"""The exact scenario engine against hand computations from Table 3 (B) and Table 2 (means).

Average respondent, intention: -4.92 - 0.54*3.4 + 0.45*1.8 + 0.26*3.1 + 0.28*2.2 + 0.87*2.5 = -2.349.
Average respondent, attitude:  -1.43 - 0.93*3.4 + 0.13*1.8 - 0.41*3.1 + 0.17*2.2 + 0.88*2.5 = -3.055.
Each expected probability below is 1 / (1 + exp(-linear predictor)) of the sum written beside it.
"""
import math

import numpy as np
import pytest

from core import published, scenario
from core.errors import InputError

INTENTION = [
    ({}, -2.349, 0.087145),
    ({"safety": 1, "health": 4}, -2.349 + 1.68 + 0.87 * 1.5, 0.653849),
    ({"safety": -1, "socioeconomic": -1, "illegal_attractiveness": -1, "ties_origin": -1, "ties_nl": -1,
      "permit_expectation": 5, "dtv_conversations": 0, "travel_documents": 1, "return_money": 1, "health": 1},
     -4.92 - 1.68 - 0.05 + 1.07 - 0.30 - 0.34 - 0.54 * 5 + 0.26 + 0.28 + 0.87, 0.000547),
    ({"safety": 2, "dtv_conversations": 6, "health": 5, "illegal_attractiveness": -1},
     -2.349 + 3.36 + 0.45 * 4.2 + 0.87 * 2.5 + 1.07, 0.997863),
    ({"ties_nl": 1, "ties_origin": 1, "socioeconomic": 1, "travel_documents": 7, "return_money": 7},
     -2.349 + 0.34 + 0.30 + 0.05 + 0.26 * 3.9 + 0.28 * 4.8, 0.667966),
]
ATTITUDE = [
    ({}, -3.055, 0.045002),
    ({"safety": 1, "health": 4}, -3.055 + 2.61 + 0.88 * 1.5, 0.705785),
    ({"permit_expectation": 1}, -3.055 - 0.93 * (1 - 3.4), 0.305127),
    ({"ties_nl": 2, "socioeconomic": 1, "travel_documents": 7}, -3.055 + 2.7 + 0.94 - 0.41 * 3.9, 0.266198),
    ({"safety": -1, "socioeconomic": -1, "illegal_attractiveness": -1, "ties_origin": -1, "ties_nl": -1,
      "permit_expectation": 5, "dtv_conversations": 0, "travel_documents": 7, "return_money": 1, "health": 1},
     -1.43 - 2.61 - 0.94 + 1.28 - 0.77 - 1.35 - 0.93 * 5 - 0.41 * 7 + 0.17 + 0.88, 0.000005),
]


@pytest.mark.parametrize("values, eta, expected", INTENTION)
def test_intention_by_hand(values, eta, expected):
    pred = scenario.predict("intention", "table3", values)
    assert pred.linear_predictor == pytest.approx(eta, abs=1e-9)
    assert pred.probability == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("values, eta, expected", ATTITUDE)
def test_attitude_by_hand(values, eta, expected):
    pred = scenario.predict("attitude", "table3", values)
    assert pred.linear_predictor == pytest.approx(eta, abs=1e-9)
    assert pred.probability == pytest.approx(expected, abs=1e-6)


def test_average_profile_is_table2_means():
    prof = scenario.average_profile("intention")
    assert prof == {"safety": 0.0, "socioeconomic": 0.0, "permit_expectation": 3.4, "illegal_attractiveness": 0.0,
                    "dtv_conversations": 1.8, "ties_origin": 0.0, "ties_nl": 0.0, "travel_documents": 3.1,
                    "return_money": 2.2, "health": 2.5}


@pytest.mark.parametrize("outcome", published.OUTCOMES)
def test_curves_are_monotone_in_the_sign_of_b(outcome):
    coefs = published.model_coefficients(outcome)
    for name in scenario.model_inputs(outcome):
        c = scenario.curve(outcome, "table3", name)
        steps = np.diff(c["probability"].to_numpy())
        assert np.all(np.sign(steps) == np.sign(coefs[name])), name


def test_curve_passes_through_the_point_prediction():
    c = scenario.curve("intention", "table3", "health", {"safety": 1.0}, points=5)  # grid 1, 2, 3, 4, 5
    p4 = scenario.predict("intention", "table3", {"safety": 1.0, "health": 4}).probability
    assert c.loc[c["value"] == 4.0, "probability"].iloc[0] == pytest.approx(p4)


def test_comparison_arithmetic():
    c = scenario.compare("intention", "table3", {}, {"safety": 1})
    assert c.probability_a == pytest.approx(0.087145, abs=1e-6)
    assert c.difference_pp == pytest.approx(100 * (c.probability_b - c.probability_a))
    assert c.odds_ratio == pytest.approx(math.exp(1.68))  # one unit of safety: exp(B)
    table = scenario.comparison_table("table3", {}, {"dtv_conversations": 2.8})
    row = table.set_index("outcome").loc["attitude"]
    assert row["odds_ratio"] == pytest.approx(math.exp(0.13))


def test_table4_models():
    # Model A, intention, safety 'high' (reference), others at means: -1.51 + 0.34*1.8 + 0.75*2.5
    p = scenario.predict("intention", "A", {"safety_low": 0, "safety_mid": 0})
    assert p.linear_predictor == pytest.approx(-1.51 + 0.34 * 1.8 + 0.75 * 2.5)
    low = scenario.model_values("intention", "A", {"health": 3}, "low")
    assert low == {"health": 3, "safety_low": 1.0, "safety_mid": 0.0}
    b = scenario.model_values("attitude", "B", {"health": 4, "travel_documents": 7}, "mid")
    assert b == {"health_cleaned": 4, "safety_low": 0.0, "safety_mid": 1.0}
    avg = scenario.average_profile("intention", "A")
    assert avg["safety_low"] == pytest.approx(78 / 108) and avg["safety_mid"] == pytest.approx(15 / 108)
    assert scenario.scenario_inputs("A") == ["socioeconomic", "permit_expectation", "illegal_attractiveness",
                                              "dtv_conversations", "ties_origin", "health"]


@pytest.mark.parametrize("outcome, model, values, match", [
    ("intention", "table3", {"foo": 1}, "Unknown variable 'foo'"),
    ("intention", "table3", {"health": 9}, "between 1 and 5"),
    ("intention", "table3", {"health": "abc"}, "must be a number"),
    ("intention", "A", {"travel_documents": 3}, "has no input 'travel_documents'"),
    ("intention", "C", {}, "Model C"),
    ("return", "table3", {}, "Unknown outcome"),
])
def test_bad_input_is_a_user_error(outcome, model, values, match):
    with pytest.raises(InputError, match=match):
        scenario.predict(outcome, model, values)


def test_explorer_fast_path_matches_the_tidy_tables():
    """The explorer's plain rows and arrays (no DataFrame per slider move) carry the same numbers as the
    tidy predict_outcomes/outcome_curves, and the hand-computed Table 3 values of the cases above."""
    values = {"safety": 1, "health": 4}
    rows = scenario.outcome_records("table3", values)
    assert [r["outcome"] for r in rows] == ["intention", "attitude"]
    assert rows[0]["probability"] == pytest.approx(0.653849, abs=1e-6)
    assert rows[1]["probability"] == pytest.approx(0.705785, abs=1e-6)
    assert rows[0]["average_probability"] == pytest.approx(0.087145, abs=1e-6)
    assert scenario.predict_outcomes("table3", values).to_dict("records") == rows
    arrays = scenario.outcome_curve_arrays("B", "health", {"health": 4}, "mid", points=5)
    tidy = scenario.outcome_curves("B", "health", {"health": 4}, "mid", points=5)
    for outcome, (grid, prob) in arrays.items():
        part = tidy[tidy["outcome"] == outcome]
        np.testing.assert_array_equal(part["value"].to_numpy(), grid)
        np.testing.assert_array_equal(part["probability"].to_numpy(), prob)
    # Model B uses cleaned health: the curve at health 4 is the point prediction with health_cleaned 4.
    p4 = scenario.predict("intention", "B", {"health_cleaned": 4, "safety_low": 0, "safety_mid": 1}).probability
    assert arrays["intention"][1][3] == pytest.approx(p4)
