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


def test_missing_answers_match_tables_1b_and_2(data, report):
    """Item N of Table 1b exactly; complete answers per factor block = Table 2's N wherever the item N allow
    it (ties with the origin country: at most 103 of the printed 106); gaps clustered, not spread."""
    from core import measurement
    from core.replica_marginals import complete_target

    for factor, items in measurement.construct_items().items():
        target, lowest, highest = complete_target(items, factor)
        printed = int(published.descriptive(factor, "Table 2")["N"])
        assert int(data[items].notna().all(axis=1).sum()) == target, factor
        assert (target == printed) == (lowest <= printed <= highest), factor
    assert complete_target(measurement.construct_items()["ties_origin"], "ties_origin")[0] == 103
    rows = report[report["group"] == "Table 2 factor N"].set_index("quantity")
    assert rows.loc["ties_origin", "note"] == "item_n_bound" and rows.drop(index="ties_origin")["within"].all()
    needed = [f"item{i:02d}" for i in range(1, 26)] + list(measurement.SINGLE_ITEM_PREDICTORS)
    gaps = data[needed].isna()
    # 66 missing answers: spread one per respondent they would touch about 50 people; clustered, fewer.
    assert int(gaps.to_numpy().sum()) == 66 and int(gaps.any(axis=1).sum()) <= 35
    listwise = report[report["group"] == "listwise N"].iloc[0]
    assert listwise["replica"] == int((~gaps.any(axis=1)).sum()) and listwise["note"] == "not_printed"


def test_listwise_deletion_no_longer_separates(data):
    result = pipeline.run(data, pipeline.PipelineOptions(missing="listwise"))
    assert all(m.status == "converged" for m in result.models.values())


def test_factor_ranges_reported_with_reasons(report):
    rows = report[report["group"] == "Table 2 factor range"]
    assert len(rows) == 10
    structural = rows[rows["note"].isin(["orientation", "below_floor"])]
    assert set(structural["quantity"]) == {"safety: min", "safety: max", "socioeconomic: min"}
    targeted = rows[~rows["note"].isin(["orientation", "below_floor"])]
    missed = targeted["difference"].abs() > 0.05 + 1e-9
    assert (targeted.loc[missed, "note"] == "not_reached").all() and (targeted.loc[~missed, "within"]).all()
    assert (~missed).sum() >= 4


def test_table4_models_come_closer(report):
    """Table 4 A/B refitted on the replica: a regression guard, below the 1.41 of the replica calibrated to
    Table 3 alone. The target of 0.10 is not reached (the README and the fidelity page say why: Table 4's
    attitude models need a steeper step from the middle to the high safety group than Table 3's linear
    safety effect and the text's correlation bounds leave room for)."""
    rows = report[report["group"] == "Table 4 B"]
    assert len(rows) == 28 and rows["difference"].abs().max() < 1.0
    assert len(report[report["group"] == "Table 4 stars"]) == 28  # compared and reported, not targeted as hard


def test_standardized_b_reported(report):
    rows = report[report["group"] == "Table 3 standardized B"]
    assert len(rows) == 20 and rows["within"].all()


HARD_TARGETS = {"Table 3 B": 0.05, "Nagelkerke R²": 0.01, "Table 1a loading": 0.01}


def test_regenerating_meets_every_target_and_two_runs_agree(tmp_path):
    """What is reproducible (README): on one machine, the same bytes every run; on any machine, a file that
    meets every calibration target. Not the shipped bytes on another CPU: numpy's OpenBLAS picks kernels
    per CPU, and an annealing search amplifies the last-bit differences."""
    procs = [subprocess.Popen([sys.executable, "-m", "core", "replica", "--out", str(tmp_path / f"run{i}.csv")],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in (1, 2)]
    outs = [p.communicate(timeout=900) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-2000:] for o in outs]
    assert json.loads(outs[0][0])["seed"] == replica.shipped_seed()
    first, second = (tmp_path / "run1.csv").read_bytes(), (tmp_path / "run2.csv").read_bytes()
    assert first == second
    regenerated = pd.read_csv(tmp_path / "run1.csv")
    table = fidelity.report(regenerated)
    for group, tolerance in HARD_TARGETS.items():
        assert table.loc[table["group"] == group, "difference"].abs().max() <= tolerance, group
    assert table.loc[table["group"] == "Table 3 stars", "within"].all()
    for group in ("N", "min", "max", "mean", "SD", "Table 2 factor N", "count"):
        assert table.loc[table["group"] == group, "within"].dropna().all(), group
