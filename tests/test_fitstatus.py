"""One rule for failed fits (core.fitstatus), and that every fit path applies it."""
import numpy as np
import pandas as pd
import pytest

from core import fitstatus, replica, sensitivity
from core.regression import fit_logit


def _data(kind: str, n: int = 60, seed: int = 3):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    if kind == "separated":
        y = (x > 0).astype(int)
    elif kind == "quasi":
        y = (x > 0).astype(int)
        x = np.where(np.abs(x) < 0.3, 0.0, x)  # ties at the boundary with both outcomes: quasi-separation
        y[(x == 0)] = rng.integers(0, 2, (x == 0).sum())
    else:
        y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    return pd.Series(y), pd.DataFrame({"x": x, "z": z})


def test_ordinary_data_converge():
    y, X = _data("ok")
    res = fit_logit(y, X, "toy")
    assert res.status == "converged" and res.usable and res.separation == "none"
    assert res.shown_coefficients()["B"].notna().all()


@pytest.mark.parametrize("kind, expected", [("separated", {"separated"}), ("quasi", {"quasi_separated", "separated"})])
def test_separated_fits_are_flagged_and_withheld(kind, expected):
    y, X = _data(kind)
    res = fit_logit(y, X, "toy")
    assert res.status in expected and not res.usable
    assert res.shown_coefficients()[["B", "SE", "p", "exp_B"]].isna().all().all()
    assert (res.shown_coefficients()["stars"] == "").all()


def test_classify_many_rules():
    fitted = np.array([[0.2, 0.7, 0.4], [0.0, 1.0, 1.0], [1e-9, 0.6, 0.3], [0.2, 0.7, 0.4]])
    y = np.array([0, 1, 1])
    beta = np.array([[0.1, 1.0], [30.0, 1.0], [0.5, 2.0], [0.1, 1.0]])
    status = fitstatus.classify_many([True, False, True, False], beta, fitted, y)
    assert list(status) == ["converged", "separated", "quasi_separated", "not_converged"]
    big = fitstatus.classify_many([True], [[16.0, 0.0]], [[0.2, 0.7, 0.4]], y)
    assert big[0] == "quasi_separated"
    singular = fitstatus.classify_many([True], [[0.1, 1.0]], [[0.2, 0.7, 0.4]], y, se=[[np.inf, 0.3]])
    assert singular[0] == "not_converged"
    assert fitstatus.classify_many([True], [[40.0, 1.0]], [[0.0, 1.0, 1.0]], y, penalized=True)[0] == "converged"


def test_workbench_flags_failed_specifications_and_offers_firth():
    data = replica.load()
    data["attitude_good"] = (data["dtv_conversations"] >= 4).map({True: 7, False: 1})
    bench = sensitivity.Workbench(data)
    status = bench.fit_status(sensitivity.PAPER).set_index("outcome")["status"]
    assert status["intention"] == "converged" and status["attitude"] != "converged"
    table = bench.compare(sensitivity.PAPER)
    att = table[table["outcome"] == "attitude"]
    assert att["B_this"].isna().all() and att["SE_this"].isna().all()
    assert att["B_firth"].notna().all() and (att["B_firth"].abs() < 15).all()
    assert table[table["outcome"] == "intention"]["B_this"].notna().all()


def test_specification_curve_uses_the_same_rule():
    data = replica.load()
    data["attitude_good"] = (data["dtv_conversations"] >= 4).map({True: 7, False: 1})
    curve = sensitivity.Workbench(data).specification_curve(extractions=("principal",), missing=("impute",),
                                                            cutpoints=(1.0,), drops=[()], dtv_squared=(False,))
    per = curve.groupby(["outcome", "firth"])["status"].first()
    assert per[("attitude", False)] in ("separated", "quasi_separated")
    assert per[("attitude", True)] == "converged" and per[("intention", False)] == "converged"
    share = sensitivity.failed_share(curve).set_index(["outcome", "firth"])
    assert share.loc[("attitude", False), "share_failed"] == 1.0
    assert share.loc[("intention", False), "share_failed"] == 0.0
