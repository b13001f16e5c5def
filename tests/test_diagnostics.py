"""Diagnostics against sklearn and hand computations; population what-if."""
import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from core import diagnostics, pipeline, replica, uncertainty, whatif


@pytest.fixture(scope="module")
def result():
    return pipeline.run(replica.load())


def test_auc_matches_sklearn_and_a_hand_count(result):
    f = diagnostics.fitted(result, "intention")
    _, auc = diagnostics.roc(result, "intention")
    assert auc == pytest.approx(roc_auc_score(f["observed"], f["fitted"]))
    pos, neg = f.loc[f["observed"] == 1, "fitted"].to_numpy(), f.loc[f["observed"] == 0, "fitted"].to_numpy()
    pairs = (pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()
    assert auc == pytest.approx(pairs)


@pytest.mark.parametrize("cutoff", [0.2, 0.5, 0.8])
def test_classification_table_by_hand(result, cutoff):
    f = diagnostics.fitted(result, "attitude")
    tab = diagnostics.classification_table(result, "attitude", cutoff)
    pred = f["fitted"].to_numpy() >= cutoff
    obs = f["observed"].to_numpy() == 1
    assert tab["true_positive"] == int((pred & obs).sum())
    assert tab["false_positive"] == int((pred & ~obs).sum())
    assert tab["true_negative"] == int((~pred & ~obs).sum())
    assert tab["false_negative"] == int((~pred & obs).sum())
    assert tab["accuracy"] == pytest.approx((pred == obs).mean())


def test_calibration_vif_influence(result):
    cal = diagnostics.calibration(result, "intention")
    assert cal["n"].sum() == 108 and cal["mean_fitted"].is_monotonic_increasing
    assert (diagnostics.vif(result)["vif"] >= 1).all()
    top = diagnostics.influence(result, "intention")
    assert len(top) == 5 and top["cooks_distance"].is_monotonic_decreasing
    assert diagnostics.separation(result, "intention")["separation"] is False


def test_population_what_if(result):
    boot = uncertainty.bootstrap(replica.load(), 300, 2, result)
    zero = whatif.population_shift(result, boot, "health", 0.0)
    assert np.allclose(zero["difference"], 0)
    up = whatif.population_shift(result, boot, "health", 1.0)
    assert (up["difference"] > 0).all()
    assert ((up["low"] <= up["difference"]) & (up["difference"] <= up["high"])).all()
    # Marginal (population) and conditional (average respondent) effects differ.
    from core import scenario

    cond = scenario.compare("intention", "table3", {}, {"health": 3.5}).difference_pp / 100
    assert up.set_index("outcome").loc["intention", "difference"] != pytest.approx(cond, abs=1e-3)
