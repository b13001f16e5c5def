"""factor_analyzer 0.5.1 needs scikit-learn < 1.8 (check_array lost force_all_finite): keep the pin honest."""
import numpy as np
import pandas as pd
import sklearn
from factor_analyzer import FactorAnalyzer


def test_sklearn_pin_is_compatible():
    major, minor = (int(x) for x in sklearn.__version__.split(".")[:2])
    assert (major, minor) < (1, 8)


def test_one_factor_recovers_known_loadings():
    rng = np.random.default_rng(7)
    n, true = 4000, np.array([0.9, 0.8, 0.7, 0.6])
    f = rng.normal(size=n)
    x = f[:, None] * true + rng.normal(size=(n, 4)) * np.sqrt(1 - true ** 2)
    fa = FactorAnalyzer(n_factors=1, rotation=None, method="ml").fit(pd.DataFrame(x))
    loadings = np.abs(fa.loadings_.ravel())
    assert np.allclose(loadings, true, atol=0.03)
    scores = fa.transform(pd.DataFrame(x)).ravel()  # exercises check_array inside factor_analyzer
    assert abs(np.corrcoef(scores, f)[0, 1]) > 0.9


def test_closed_form_principal_component_equals_factor_analyzer():
    """core.measurement computes principal components in closed form (fast on large files); it must give
    factor_analyzer's loadings and regression scores on every construct of the replica."""
    from core import measurement, replica

    data = replica.load()
    for factor, items in measurement.construct_items().items():
        block = data[items].dropna().to_numpy(dtype=float)
        ours = measurement._fit_one_factor(pd.DataFrame(block), "principal")
        fa = FactorAnalyzer(n_factors=1, rotation=None, method="principal").fit(block)
        sign = np.sign(ours.loadings_.sum()) * np.sign(fa.loadings_.sum())
        assert np.allclose(ours.loadings_, sign * fa.loadings_, atol=1e-10), factor
        assert np.allclose(ours.transform(block), sign * fa.transform(block), atol=1e-10), factor
