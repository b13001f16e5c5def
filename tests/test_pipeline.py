"""Measurement, imputation, dependent variables and regression on data with known structure."""
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from core import measurement, pipeline, replica
from core.errors import InputError
from core.regression import fit_logit, nagelkerke, stars


def one_factor_data(n=3000, loadings=(0.9, 0.8, 0.7), seed=1, flip=False):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=n)
    lam = np.array(loadings)
    x = f[:, None] * lam + rng.normal(size=(n, len(lam))) * np.sqrt(1 - lam ** 2)
    if flip:
        x = -x
    return pd.DataFrame(x, columns=["item03", "item04", "item05"]), f


def test_ml_extraction_recovers_known_loadings():
    data, _ = one_factor_data()
    res = measurement.factor_analysis(data, "socioeconomic", method="ml")
    assert np.allclose(res.loadings.to_numpy(), [0.9, 0.8, 0.7], atol=0.03)


def test_principal_extraction_equals_the_correlation_eigenvector():
    data, _ = one_factor_data(n=500)
    res = measurement.factor_analysis(data, "socioeconomic", method="principal")
    vals, vecs = np.linalg.eigh(np.corrcoef(data.to_numpy(), rowvar=False))
    expected = np.abs(vecs[:, -1]) * np.sqrt(vals[-1])
    assert np.allclose(res.loadings.to_numpy(), expected, atol=1e-6)
    assert res.eigenvalue == pytest.approx(vals[-1]) == pytest.approx(res.sum_squared_loadings)


def test_orientation_and_standardization():
    data, f = one_factor_data(flip=True)
    res = measurement.factor_analysis(data, "socioeconomic")
    assert (res.loadings > 0).all()
    assert np.corrcoef(res.scores, -f)[0, 1] > 0.9  # higher score = more of the (flipped) items
    assert res.scores.mean() == pytest.approx(0, abs=1e-12) and res.scores.std(ddof=1) == pytest.approx(1)


def test_imputation_fills_exactly_the_partially_missing_rows():
    data, _ = one_factor_data(n=300)
    data.loc[[3, 7, 11], "item04"] = np.nan
    data.loc[[20], ["item03", "item04", "item05"]] = np.nan
    res = measurement.factor_analysis(data, "socioeconomic")
    assert res.n_imputed == 3 and res.n_complete == 296
    assert res.scores.drop(index=20).notna().all() and np.isnan(res.scores[20])
    listwise = measurement.factor_analysis(data, "socioeconomic", impute=False)
    assert listwise.scores.isna().sum() == 4


def test_single_item_imputation_log_matches_missing_cells():
    data = replica.load()
    meas = measurement.measure(data)
    frame = pd.concat([data, meas.scores], axis=1)
    filled, log = measurement.impute_single_items(frame)
    for var in measurement.SINGLE_ITEM_PREDICTORS:
        missing = data.index[data[var].isna()]
        assert set(log.loc[log["variable"] == var, "row"]) == set(missing)
        assert filled[var].notna().all()
        untouched = data[var].notna()
        assert (filled.loc[untouched, var] == data.loc[untouched, var]).all()


def test_dependent_variable_rules():
    d = pd.DataFrame({"intention_plan": [1, 3, np.nan, np.nan, 1, 2],
                      "intention_effort": [1, 1, 4, np.nan, 1, 2],
                      "attitude_good": [1, 2, np.nan, 1, np.nan, 1]})
    dv = measurement.dependent_variables(d)
    assert list(dv["intention_scale"].iloc[:3]) == [1.0, 2.0, 4.0]
    assert list(dv["intention"]) == [0, 1, 1, 0, 0, 1]           # both missing -> 0 (section 3.6)
    assert list(dv["attitude"]) == [0, 1, 1, 0, 0, 0]            # missing attitude -> intention scale
    assert dv["attitude_from_intention"].tolist() == [False, False, True, False, True, False]
    higher = measurement.dependent_variables(d, cutpoint=2.5)
    assert list(higher["intention"]) == [0, 0, 1, 0, 0, 0]
    with pytest.raises(InputError, match="cut-point"):
        measurement.dependent_variables(d, cutpoint=7)


def test_regression_matches_statsmodels_on_the_replica():
    data = replica.load()
    _, frame, _ = pipeline.model_frame(data)
    res = fit_logit(frame["attitude"], frame[pipeline.PREDICTORS], "attitude")
    direct = sm.Logit(frame["attitude"], sm.add_constant(frame[pipeline.PREDICTORS])).fit(disp=0)
    coef = res.coefficients.set_index("term")
    assert np.allclose(coef.loc[direct.params.index, "B"], direct.params, atol=1e-8)
    assert np.allclose(coef.loc[direct.params.index, "SE"], direct.bse, atol=1e-8)
    assert res.mcfadden_r2 == pytest.approx(direct.prsquared)
    assert res.nagelkerke_r2 == pytest.approx(nagelkerke(direct.llf, direct.llnull, res.n))


def test_regression_reproduces_a_textbook_example():
    # Spector & Mazzeo (1980), as in Greene's Econometric Analysis: GRADE on GPA, TUCE, PSI.
    d = sm.datasets.spector.load_pandas()
    res = fit_logit(d.endog, d.exog, "GRADE").coefficients.set_index("term")
    assert res.loc["const", "B"] == pytest.approx(-13.0213, abs=1e-4)
    assert res.loc["GPA", "B"] == pytest.approx(2.8261, abs=1e-4)
    assert res.loc["TUCE", "B"] == pytest.approx(0.0952, abs=1e-4)
    assert res.loc["PSI", "B"] == pytest.approx(2.3787, abs=1e-4)
    assert res.loc["GPA", "SE"] == pytest.approx(1.2629, abs=1e-4)


def test_stars_and_separation():
    assert [stars(p) for p in (0.001, 0.02, 0.07, 0.2, 0.0999)] == ["**", "*", "~", "", "~"]
    x = pd.DataFrame({"x": np.r_[np.arange(10), np.arange(10, 20)].astype(float)})
    y = pd.Series(np.r_[np.zeros(10), np.ones(10)])
    res = fit_logit(y, x, "y")  # statsmodels warns rather than raises; the result must carry the warning
    assert any("separation" in w for w in res.warnings)


def test_epv_and_fit_statistics():
    result = pipeline.run(replica.load())
    m = result.models["intention"]
    assert m.events == 22 and m.n == 108
    assert m.epv == pytest.approx(2.2)
    assert 0 < m.tjur_r2 < 1 and 0 < m.mcfadden_r2 < m.nagelkerke_r2
    assert math.isfinite(result.fit_statistics()["nagelkerke_r2"].sum())
