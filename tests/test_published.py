"""Integrity of the published numbers in data/published/ (one row per printed number)."""
import math

import pandas as pd
import pytest

from core import published
from core.errors import DataIntegrityError

TABLE4_TERMS = {"safety_low", "safety_mid", "safety_high", "health_cleaned", "unfreedom_objective",
                "violence_objective", "gnp_per_capita_k", "illegal_attractiveness", "dtv_conversations",
                "health", "socioeconomic", "permit_expectation", "ties_origin", "const"}


def test_coefficients_schema_and_values():
    c = published.table("coefficients")
    assert {"source_table", "source_row", "outcome", "model", "term", "B", "B_std", "exp_B", "stars"} <= set(c.columns)
    assert set(c["outcome"]) == {"intention", "attitude"}
    assert set(c["model"]) == {"table3", "A", "B", "C"}
    assert set(c["stars"]) <= {"", "~", "*", "**"}
    t3 = c[c["model"] == "table3"]
    assert len(t3) == 22 and (t3["source_table"] == "Table 3").all()
    assert set(c.loc[c["model"] != "table3", "term"]) <= TABLE4_TERMS
    # A few numbers read straight from the paper.
    b = c.set_index(["outcome", "model", "term"])["B"]
    assert b[("intention", "table3", "safety")] == 1.68
    assert b[("attitude", "table3", "safety")] == 2.61
    assert b[("intention", "table3", "const")] == -4.92
    assert b[("intention", "A", "safety_low")] == -3.50
    assert b[("intention", "B", "health_cleaned")] == 0.72
    assert b[("attitude", "C", "violence_objective")] == -0.63
    # Table 4 has no standardized B or Exp(B): left blank, as printed.
    assert c.loc[c["model"] != "table3", ["B_std", "exp_B"]].isna().all().all()


def test_every_table4_model_has_a_constant_and_fit():
    c = published.table("coefficients")
    fit = published.table("fit")
    for (outcome, model), grp in c.groupby(["outcome", "model"]):
        assert "const" in set(grp["term"]), (outcome, model)
        row = fit[(fit["outcome"] == outcome) & (fit["model"] == model)]
        assert len(row) == 1 and 0 < row["value"].iloc[0] < 1


def test_loadings_and_descriptives():
    load = published.table("loadings")
    assert len(load) == 25 and list(load["item"]) == [f"item{i:02d}" for i in range(1, 26)]
    assert load.groupby("factor")["eigenvalue"].nunique().eq(1).all()
    desc = published.table("descriptives")
    t1b = desc[desc["source_table"] == "Table 1b"]
    assert len(t1b) == 25 and (t1b["N"] <= 108).all() and (t1b["min"] < t1b["max"]).all()
    t2 = desc[desc["source_table"] == "Table 2"]
    assert len(t2) == 12
    assert float(published.descriptive("health", "Table 2")["mean"]) == 2.5


def test_worked_examples_file_has_all_ten_examples():
    ex = published.table("worked_examples")
    assert len(ex) == 10
    assert sorted(ex["published_pct"]) == [4, 8, 12, 17, 18, 19, 30, 35, 61, 78]


def test_load_checks_report_disagreement_without_fixing_it():
    checks = published.load_checks()
    assert len(checks) == 22
    bad = checks[~checks["agrees"]].set_index(["outcome", "term"])
    # exp(-1.43) = 0.239 but 0.21 is printed; exp(-4.92) = 0.007 printed as 0.00.
    assert set(bad.index) == {("attitude", "const"), ("intention", "const")}
    assert bad.loc[("attitude", "const"), "exp_B_printed"] == 0.21
    assert math.isclose(bad.loc[("attitude", "const"), "exp_B_computed"], math.exp(-1.43))
    # The data file is untouched.
    assert published.model_coefficients("attitude")["const"] == -1.43


def test_missing_table3_term_is_reported(monkeypatch):
    full = published.table("coefficients")
    broken = full[~((full["model"] == "table3") & (full["term"] == "health") & (full["outcome"] == "intention"))]
    monkeypatch.setattr(published, "coefficients", lambda outcome=None, model=None: broken[
        (broken["outcome"] == outcome) & (broken["model"] == model)].reset_index(drop=True))
    with pytest.raises(DataIntegrityError, match="health"):
        published.load_checks()


def test_unknown_table_is_a_clear_error():
    with pytest.raises(DataIntegrityError, match="no published table"):
        published.table("table99")


def test_text_statistics():
    assert published.text_statistic("n_safety_low") == 78
    assert published.text_statistic("r_intention_items") == 0.73
    assert isinstance(published.table("footnote7_loadings"), pd.DataFrame)
