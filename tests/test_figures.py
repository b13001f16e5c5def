"""Figure specs: valid plotly (validated here, not at run time) and faithful to the numbers."""
import plotly.graph_objects as go
import pytest

from core import audit, figures, published, scenario


def validated(spec):
    return go.Figure(spec)  # raises on any invalid property


def test_other_specs_are_valid():
    load = published.table("loadings").assign(label=lambda f: f["item"])
    fig = validated(figures.loadings_figure(load, "label", {f: f for f in load["factor"]}, "x"))
    assert sum(len(tr.x) for tr in fig.data) == 25
    assert [a.text for a in fig.layout.annotations] == list(load["label"])    # names above the bars
    assert sorted(y for tr in fig.data for y in tr.y) == list(range(25))
    ex = audit.worked_examples()
    fig = validated(figures.audit_figure(ex, list(ex["example_id"]), "p", "c", "b", "x"))
    assert list(fig.data[2].x) == list(ex["published_pct"])
    # Names above the rows (readable on a phone), in the examples' order, one per row.
    assert [a.text for a in fig.layout.annotations] == list(ex["example_id"])
    assert [a.y for a in fig.layout.annotations] == list(fig.data[1].y) == list(range(len(ex)))


def test_to_figure_matches_validated_figure():
    load = published.table("loadings")
    spec = figures.loadings_figure(load, "item", {f: f for f in load["factor"]}, "x")
    assert figures.to_figure(spec).to_plotly_json() == validated(spec).to_plotly_json()


def test_icon_array_fills_round_100p():
    spec = figures.icon_array(0.087145, "#000000")
    assert {"calculate": "datum.i < 9", "as": "filled"} in spec["transform"]
    assert spec["data"]["sequence"] == {"start": 0, "stop": 100, "as": "i"}


def test_curve_marks_the_current_scenario():
    curves = scenario.outcome_curve_arrays("table3", "safety", {"health": 4})
    now = {o: scenario.predict(o, "table3", {"health": 4}).probability for o in ("intention", "attitude")}
    spec = figures.curve_figure(curves, 0.0, now, {"intention": "I", "attitude": "A"}, "x", "y", "now")
    line, rule, points = spec["layer"]
    assert len(line["data"]["values"]) == sum(len(grid) for grid, _ in curves.values()) == 122
    assert rule["data"]["values"] == [{"x": 0.0}]
    assert [p["pct"] for p in points["data"]["values"]] == [100 * now["intention"], 100 * now["attitude"]]
    # The line passes through the marked point where the grid hits the current value.
    on_grid = [r for r in line["data"]["values"] if r["outcome"] == "I" and abs(r["x"] - 1.034) < 1e-3]
    assert on_grid and on_grid[0]["pct"] == pytest.approx(
        100 * scenario.predict("intention", "table3", {"health": 4, "safety": on_grid[0]["x"]}).probability, abs=0.01)  # rounded for the wire


def test_synthetic_charts_carry_their_label_into_exports():
    import pandas as pd

    dist = pd.DataFrame({"value": [1.0, 2.0], "count": [80, 20], "share": [0.8, 0.2], "above_cut": [False, True]})
    spec = figures.distribution_figure(dist, 1.0, "x", "y", "above", "below", note="Synthetic replica")
    assert validated(spec).layout.annotations[0].text == "Synthetic replica"
    rows = pd.DataFrame({"label": ["a"], "or_pub": [2.0], "or_fit": [2.1], "lo": [1.0], "hi": [4.0]})
    forest = validated(figures.forest_figure(rows, "p", "r", "x", note="N"))
    assert [a.text for a in forest.layout.annotations] == ["a", "N"]   # the row's name, then the source
    long = figures.forest_figure(rows, "p", "r", "x", note="Synthetic — calibrated to the published tables, "
                                 "not the original interviews <b>")["layout"]["annotations"][-1]["text"]
    assert long.count("<br>") == 1 and "&lt;b&gt;" in long and max(len(x) for x in long.split("<br>")) <= 52


def test_forest_plot_log_axis_has_unambiguous_ticks():
    import pandas as pd

    rows = pd.DataFrame({"label": ["a", "b"], "or_pub": [0.3, 5.3], "or_fit": [0.35, 5.6], "lo": [0.1, 2.0],
                         "hi": [0.9, 12.0]})
    axis = figures.forest_figure(rows, "Published", "Refit", "Odds ratio")["layout"]["xaxis"]
    assert axis["type"] == "log" and axis["ticktext"] == [f"{v:g}" for v in axis["tickvals"]]
    assert "0.3" in axis["ticktext"] and "3" in axis["ticktext"]  # 0.3 and 3 are told apart
