"""Each sensitivity choice changes what it should and nothing else; Firth; the specification curve."""
import numpy as np
import pytest
from firthmodels import FirthLogisticRegression

from core import measurement, pipeline, replica, sensitivity
from core.sensitivity import Specification


@pytest.fixture(scope="module")
def bench():
    return sensitivity.Workbench(replica.load())


def coefs(table, outcome):
    return table[table["outcome"] == outcome].set_index("term")


def test_paper_specification_equals_the_pipeline(bench):
    fit = bench.fit(Specification())
    direct = pipeline.run(replica.load()).coefficients()
    merged = fit.merge(direct, on=["outcome", "term"], suffixes=("", "_p"))
    assert len(merged) == 22 and np.allclose(merged["B"], merged["B_p"])


def test_listwise_reduces_n_to_complete_cases(bench):
    data = replica.load()
    needed = [f"item{i:02d}" for i in range(1, 26)] + list(measurement.SINGLE_ITEM_PREDICTORS)
    complete = int(data[needed].notna().all(axis=1).sum())
    fit = bench.fit(Specification(missing="listwise"))
    assert set(fit["n"]) == {complete} and complete < 108


def test_cutpoint_moves_the_event_count_only(bench):
    base, higher = bench.fit(Specification()), bench.fit(Specification(cutpoint=2.0))
    assert coefs(higher, "intention")["events"].iloc[0] < coefs(base, "intention")["events"].iloc[0]
    assert set(higher["n"]) == set(base["n"]) == {108}
    assert list(higher["term"]) == list(base["term"])


def test_drop_and_dtv_squared_change_only_the_terms(bench):
    dropped = bench.fit(Specification(drop=("health",)))
    assert "health" not in set(dropped["term"]) and len(dropped) == 20
    quad = bench.fit(Specification(dtv_squared=True))
    assert sensitivity.DTV_SQUARED in set(quad["term"]) and len(quad) == 24


def test_robust_changes_standard_errors_not_estimates(bench):
    ml, robust = bench.fit(Specification()), bench.fit(Specification(robust=True))
    assert np.allclose(ml["B"], robust["B"])
    assert not np.allclose(ml["SE"], robust["SE"])


def test_firth_matches_firthmodels_and_shrinks_towards_zero(bench):
    frame = bench.frame(Specification())
    ml, firth = bench.fit(Specification()), bench.fit(Specification(firth=True))
    for outcome in ("intention", "attitude"):
        ref = FirthLogisticRegression(max_iter=200, gtol=1e-6, xtol=1e-6).fit(
            frame[pipeline.PREDICTORS].to_numpy(float), frame[outcome].to_numpy(float))
        mine = coefs(firth, outcome).loc[["const", *pipeline.PREDICTORS], "B"].to_numpy()
        assert np.allclose(mine, np.r_[ref.intercept_, ref.coef_], atol=1e-5)
        b_ml = coefs(ml, outcome).loc[pipeline.PREDICTORS, "B"].abs()
        b_f = coefs(firth, outcome).loc[pipeline.PREDICTORS, "B"].abs()
        assert b_f.sum() < b_ml.sum()
        assert (b_f <= b_ml + 1e-9).mean() >= 0.8


def test_specification_curve(bench):
    curve = bench.specification_curve()
    assert curve["specification"].nunique() == 3 * 2 * 3 * 11 * 2 * 2
    # The paper's specification in the curve equals the exact statsmodels fit.
    row = curve[(curve["specification"] == Specification().label()) & (curve["outcome"] == "attitude")]
    exact = coefs(bench.fit(Specification()), "attitude")
    assert np.allclose(row.set_index("term").loc[exact.index, "B"], exact["B"], atol=1e-6)
    # A dropped predictor never appears in its specifications.
    dropped = curve[curve["dropped"] == "health"]
    assert "health" not in set(dropped["term"])
    summary = sensitivity.robustness_summary(curve)
    assert len(summary) == 22 and summary["same_sign"].between(0, 1).all()
    assert (summary["significant_same_sign"] <= summary["same_sign"]).all()


def test_bad_specifications_are_user_errors(bench):
    from core.errors import InputError

    with pytest.raises(InputError, match="Cannot drop"):
        bench.fit(Specification(drop=("happiness",)))
    with pytest.raises(InputError, match="Unknown model"):
        bench.fit(Specification(model="Z"))
