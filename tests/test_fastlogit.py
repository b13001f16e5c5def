"""The vectorized fitter against statsmodels (the reference), and the bootstrap built on it."""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from core import fastlogit, pipeline, replica, uncertainty


@pytest.fixture(scope="module")
def model_frame():
    _, frame, _ = pipeline.model_frame(replica.load())
    return frame


def test_textbook_example():
    d = sm.datasets.spector.load_pandas()
    X = sm.add_constant(d.exog).to_numpy()
    beta, ok = fastlogit.fit_weighted(X, d.endog.to_numpy(), np.ones((1, len(d.endog))))
    assert ok.all()
    ref = sm.Logit(d.endog, sm.add_constant(d.exog)).fit(disp=0).params.to_numpy()
    assert np.allclose(beta[0], ref, atol=1e-6)
    assert beta[0][1] == pytest.approx(2.8261, abs=1e-4)


@pytest.mark.parametrize("outcome", ["intention", "attitude"])
def test_hundreds_of_resamples_agree_with_statsmodels(model_frame, outcome):
    X = sm.add_constant(model_frame[pipeline.PREDICTORS].astype(float)).to_numpy()
    y = model_frame[outcome].to_numpy(dtype=float)
    W = fastlogit.bootstrap_weights(len(y), 300, seed=7)
    beta, ok = fastlogit.fit_weighted(X, y, W)
    stack, ok2 = fastlogit.fit_many(np.broadcast_to(X, (len(W), *X.shape)), y, W)
    checked = 0
    for b in np.flatnonzero(ok & ok2):
        idx = np.repeat(np.arange(len(y)), W[b].astype(int))
        ref = sm.Logit(y[idx], X[idx]).fit(disp=0, method="newton", maxiter=100)
        if not ref.mle_retvals["converged"] or np.abs(ref.params).max() > 30:
            continue
        assert np.allclose(beta[b], ref.params, atol=1e-6)
        assert np.allclose(stack[b], ref.params, atol=1e-6)
        checked += 1
    assert checked >= 150


def test_bootstrap_is_reproducible_and_covers_the_point_estimate():
    data = replica.load()
    a = uncertainty.bootstrap(data, 200, seed=3)
    b = uncertainty.bootstrap(data, 200, seed=3)
    pd.testing.assert_frame_equal(a.intervals, b.intervals)
    c = uncertainty.bootstrap(data, 200, seed=4)
    assert not a.intervals["low"].equals(c.intervals["low"])
    iv = a.intervals
    assert ((iv["low"] <= iv["B"]) & (iv["B"] <= iv["high"])).all()


def test_prediction_interval_contains_the_refit_prediction():
    from core import scenario

    data = replica.load()
    out = uncertainty.prediction_interval(data, "intention", scenario.average_profile("intention"))
    assert out["low"] < out["probability"] < out["high"]
