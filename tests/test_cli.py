"""``python -m core predict|audit`` as a researcher or CI calls it."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_predict_json():
    r = run("predict", "--outcome", "intention", "--set", "health=4", "--set", "safety=1.0")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["outcome"] == "intention" and out["model"] == "table3"
    assert out["probability"] == pytest.approx(0.653849, abs=1e-6)
    assert out["profile"]["health"] == 4 and out["profile"]["permit_expectation"] == 3.4
    assert len(out["profile"]) == 10


def test_predict_table4_model():
    r = run("predict", "--outcome", "attitude", "--model", "B", "--set", "safety_low=1", "--set", "safety_mid=0")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    # Model B, attitude, low safety, others at means: 1.42 - 4.48 - 0.92*3.4 + 1.01*2.5 (factors at 0)
    assert out["linear_predictor"] == pytest.approx(1.42 - 4.48 - 0.92 * 3.4 + 1.01 * 2.5)


@pytest.mark.parametrize("args, fragment", [
    (["predict", "--set", "foo=1"], "Unknown variable 'foo'"),
    (["predict", "--set", "health=9"], "between 1 and 5"),
    (["predict", "--set", "health"], "NAME=VALUE"),
    (["predict", "--model", "C"], "Model C"),
])
def test_predict_errors_are_one_line(args, fragment):
    r = run(*args)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0]


def test_audit_json():
    r = run("audit", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert len(out["worked_examples"]) == 10
    ex = {e["example_id"]: e for e in out["worked_examples"]}
    assert ex["avg_intention"]["published_pct"] == 8
    assert ex["safety_plus2_attitude"]["within_rounding"] is False


def test_fit_json_on_the_replica():
    r = run("fit", "--data", "replica", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert "synthetic" in out["data"]
    b = {(c["outcome"], c["term"]): c for c in out["coefficients"]}
    assert abs(b[("intention", "safety")]["B"] - 1.68) <= 0.05 and b[("intention", "safety")]["stars"] == "**"
    assert len(out["loadings"]) == 25 and len(out["models"]) == 2
    for m in out["models"]:
        assert {"n", "events", "epv", "converged", "separation", "status", "warnings"} <= set(m)
        assert m["status"] == "converged" and m["separation"] == "none" and m["n"] == 108


def test_fit_options_change_what_they_should():
    from core import measurement, replica

    listwise = json.loads(run("fit", "--listwise").stdout)
    assert listwise["options"]["missing"] == "listwise"
    data = replica.load()
    needed = [f"item{i:02d}" for i in range(1, 26)] + list(measurement.SINGLE_ITEM_PREDICTORS)
    complete = int(data[needed].notna().all(axis=1).sum())
    assert complete < 108 and {f["n"] for f in listwise["models"]} == {complete}
    higher = json.loads(run("fit", "--cutpoint", "2").stdout)
    default = json.loads(run("fit").stdout)
    ev = lambda out: {f["outcome"]: f["events"] for f in out["models"]}  # noqa: E731
    assert ev(higher)["intention"] < ev(default)["intention"] == 22


def test_fidelity_json():
    r = run("fidelity", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["summary"]["Table 3 B"]["all_within"] is True
    assert out["summary"]["Table 3 stars"]["all_within"] is True


def test_fit_bad_data_path():
    r = run("fit", "--data", "nowhere.csv")
    assert r.returncode == 2 and "No data file" in r.stderr


def test_fit_json_withholds_a_separated_model_and_offers_firth(tmp_path):
    """Attitude coded 1 exactly when DT&V conversations >= 4: complete separation. The JSON must say so,
    carry no estimate for that model, and give the Firth fit beside it."""
    from core import replica

    data = replica.load()
    data["attitude_good"] = (data["dtv_conversations"] >= 4).map({True: 7, False: 1})
    path = tmp_path / "separated.csv"
    data.to_csv(path, index=False)
    r = run("fit", "--data", str(path), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    models = {m["outcome"]: m for m in out["models"]}
    assert models["attitude"]["status"] in ("separated", "quasi_separated")
    assert models["attitude"]["converged"] is False and models["attitude"]["separation"] in ("complete", "quasi")
    assert models["intention"]["status"] == "converged"
    attitude = [c for c in out["coefficients"] if c["outcome"] == "attitude"]
    assert attitude and all(c["B"] is None and c["SE"] is None for c in attitude)
    intention = [c for c in out["coefficients"] if c["outcome"] == "intention"]
    assert all(isinstance(c["B"], float) for c in intention)
    firth = [c for c in out["firth_coefficients"] if c["outcome"] == "attitude"]
    assert len(firth) == 11 and all(abs(c["B"]) < 15 for c in firth)
