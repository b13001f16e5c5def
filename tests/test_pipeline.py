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


@pytest.mark.parametrize("method", ["principal", "minres"])
def test_imputed_factor_score_is_the_regression_on_the_answered_items(method):
    """Section 3.5: a respondent with some items missing gets the score predicted by least squares on the
    items answered, fitted on the complete respondents. Checked per missing pattern against statsmodels'
    OLS (the pipeline takes these from cross-products, not from a regression per pattern)."""
    data, _ = one_factor_data(n=400, seed=3)
    data.loc[[3, 7, 11], "item04"] = np.nan
    data.loc[[5, 9], "item03"] = np.nan
    data.loc[[13], ["item03", "item05"]] = np.nan
    res = measurement.factor_analysis(data, "socioeconomic", method)
    complete = data.notna().all(axis=1)
    for rows, answered in (([3, 7, 11], ["item03", "item05"]), ([5, 9], ["item04", "item05"]), ([13], ["item04"])):
        ols = sm.OLS(res.scores[complete], sm.add_constant(data.loc[complete, answered])).fit()
        expected = ols.predict(sm.add_constant(data.loc[rows, answered], has_constant="add"))
        np.testing.assert_allclose(res.scores[rows], expected, rtol=0, atol=1e-9)


def test_moments_from_cross_products_match_centred_covariance():
    rng = np.random.default_rng(5)
    x = rng.integers(1, 8, size=(200_000, 4)).astype(float)
    mean, cov = measurement.item_moments(x)
    np.testing.assert_allclose(mean, x.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(cov, np.cov(x, rowvar=False), rtol=1e-10, atol=1e-12)


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


def test_rank_from_cross_products_agrees_with_statsmodels():
    """The collinearity check takes the rank from X'X; statsmodels' matrix_rank ('ip' and SVD) is the
    reference, on full-rank, collinear, near-collinear and all-zero-column designs."""
    from statsmodels.tools.tools import matrix_rank

    from core.regression import COLLINEAR_TOL, _rank, refuse_collinear

    rng = np.random.default_rng(2)
    x = sm.add_constant(rng.normal(size=(5000, 4)))
    designs = {"full": x, "copy": np.column_stack([x, x[:, 2]]), "sum": np.column_stack([x, x[:, 1] + x[:, 3]]),
               "zero": np.column_stack([x, np.zeros(len(x))]),
               "near": np.column_stack([x, x[:, 1] + 1e-3 * rng.normal(size=len(x))])}
    expected = {"full": 5, "copy": 5, "sum": 5, "zero": 5, "near": 6}
    for name, d in designs.items():
        assert _rank(d.T @ d) == matrix_rank(d, method="ip", tol=COLLINEAR_TOL) == expected[name], name
    copy = pd.DataFrame(designs["copy"], columns=["const", "x1", "x2", "x3", "x4", "x2_again"])
    with pytest.raises(InputError, match="predictors x2, x2_again carry the same information"):
        refuse_collinear(copy, "intention")
    refuse_collinear(pd.DataFrame(designs["near"]), "intention")   # nearly, not perfectly, collinear: accepted


def test_single_item_regression_imputation_matches_ols():
    """regression_impute (section 3.5): missing targets get the OLS prediction on the related columns,
    a missing related value counting as that column's mean, a constant column left out, clipped."""
    rng = np.random.default_rng(8)
    n = 500
    design = np.column_stack([rng.normal(size=n), rng.normal(size=n), np.full(n, 3.0)])
    target = 2 + design[:, 0] - 0.5 * design[:, 1] + rng.normal(size=n)
    target[[4, 40, 400]] = np.nan
    design[[10, 40], 1] = np.nan
    known = ~np.isnan(target)
    filled_design = design[:, :2].copy()
    col_mean = np.nanmean(design[known, 1])
    filled_design[np.isnan(filled_design[:, 1]), 1] = col_mean
    ols = sm.OLS(target[known], sm.add_constant(filled_design[known])).fit()
    expected = ols.predict(sm.add_constant(filled_design[~known], has_constant="add"))
    out = measurement.regression_impute(target, design, -10, 10)
    np.testing.assert_allclose(out[~known], expected, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(out[known], target[known])
    assert measurement.regression_impute(target, design, -10, 2.0)[~known].max() <= 2.0


def test_numeric_block_reads_nullable_and_arrow_columns():
    """Readers can hand over pandas' nullable or pyarrow-backed columns: missing becomes NaN, not an error."""
    frame = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"),
                          "b": pd.array([1.5, None, 2.0], dtype="double[pyarrow]"),
                          "c": ["4", "n/a", "5,5"], "d": np.array([1, 2, 3], dtype=np.int8)})
    block = measurement.numeric_block(frame, ["a", "b", "c", "d"])
    np.testing.assert_array_equal(block, [[1, 1.5, 4, 1], [np.nan, np.nan, np.nan, 2], [3, 2, np.nan, 3]])
