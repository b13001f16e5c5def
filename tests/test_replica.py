"""The shipped synthetic replica hits its calibration targets, and regenerates byte for byte."""
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from core import fidelity, pipeline, published, replica


@pytest.fixture(scope="module")
def data():
    return replica.load()


@pytest.fixture(scope="module")
def report(data):
    return fidelity.report(data)


def test_answer_counts_and_rank_cut_are_exact():
    counts = replica.answer_counts(106, 1, 7, 1.5, 1.3, min_lowest=78)
    x = np.repeat(np.arange(1, 8), counts)
    assert counts.sum() == 106 and counts[0] >= 78 and counts[-1] >= 1
    assert round(x.mean(), 1) == 1.5 and round(x.std(ddof=1), 1) == 1.3
    latent = np.random.default_rng(0).normal(size=106)
    cut = replica.rank_cut(latent, counts, 1)
    assert (np.bincount(cut.astype(int))[1:] == counts).all()
    assert np.all(np.diff(cut[np.argsort(latent)]) >= 0)


def test_shape_and_label(data):
    assert len(data) == 108
    assert {f"item{i:02d}" for i in range(1, 26)} <= set(data.columns)
    assert {"intention_plan", "intention_effort", "attitude_good", "sex", "age", "years_in_nl",
            "permit_holder", "region", "medical_procedure"} <= set(data.columns)
    meta = json.loads(replica.REPLICA_META.read_text())
    assert "synthetic" in meta["label"] and meta["seed"] == replica.shipped_seed()


@pytest.mark.parametrize("group, tolerance", [("Table 3 B", 0.05), ("Nagelkerke R²", 0.01), ("Table 1a loading", 0.01)])
def test_calibration_targets(report, group, tolerance):
    rows = report[report["group"] == group]
    assert len(rows) > 0
    assert rows["difference"].abs().max() <= tolerance


def test_every_star_is_identical(report):
    rows = report[report["group"] == "Table 3 stars"]
    assert len(rows) == 22 and rows["within"].all(), rows[~rows["within"]]


def test_item_and_predictor_descriptives_are_exact_at_one_decimal(data):
    desc = published.table("descriptives")
    for r in desc[~desc["variable"].isin(["safety", "socioeconomic", "illegal_attractiveness", "ties_origin",
                                          "ties_nl", "intention", "attitude"])].itertuples():
        col = data[r.variable].dropna()
        assert len(col) == r.N, r.variable
        assert (col == col.round()).all(), r.variable  # integer answers
        assert col.min() == r.min and col.max() == r.max, r.variable
        assert round(col.mean() + 1e-9, 1) == r.mean, r.variable
        assert round(col.std(ddof=1) + 1e-9, 1) == r.sd, r.variable


def test_text_targets(data, report):
    assert int(((data["item01"] == 1) & (data["item02"] == 1)).sum()) == 78
    assert int(data["medical_procedure"].sum()) == 15
    assert (data["sex"] == "male").sum() == 73 and data["permit_holder"].sum() == 24
    corr = report[report["group"] == "correlation"].set_index("quantity")
    for q in ("socioeconomic × return_money", "ties_nl × health", "ties_nl × illegal_attractiveness", "intention items"):
        assert abs(corr.loc[q, "difference"]) <= 0.01, q
    assert corr.loc["other pairs: minimum", "replica"] >= -0.24
    assert corr.loc["other pairs: maximum", "replica"] <= 0.37
    scale = report[report["group"] == "scale mean"].set_index("quantity")
    assert round(scale.loc["intention (1-7)", "replica"], 1) == 1.7
    assert round(scale.loc["attitude (1-7)", "replica"], 1) == 1.4


def test_no_separation_or_convergence_warnings(data):
    result = pipeline.run(data)
    assert all(not m.warnings and m.converged for m in result.models.values())


def test_regenerating_with_the_shipped_seed_gives_the_same_file(tmp_path):
    out = tmp_path / "replica.csv"
    r = subprocess.run([sys.executable, "-m", "core", "replica", "--out", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["seed"] == replica.shipped_seed()
    assert out.read_bytes() == replica.REPLICA_CSV.read_bytes()
    pd.testing.assert_frame_equal(pd.read_csv(out), replica.load())
