import pytest

from core import figures, scenario


def test_icon_array_fills_round_100p():
    fig = figures.icon_array(0.087145, "#000000", "t")
    colors = list(fig.data[0].marker.color)
    assert colors.count("#000000") == 9 and len(colors) == 100


def test_curve_figure_marks_current_value():
    curves = scenario.outcome_curves("table3", "health", {"health": 4})
    fig = figures.curve_figure(curves, 4.0, {"intention": "I", "attitude": "A"}, "x", "y", "now")
    markers = [tr for tr in fig.data if tr.mode == "markers"]
    assert len(markers) == 2 and all(list(m.x) == [4.0] for m in markers)
    p = scenario.predict("intention", "table3", {"health": 4}).probability
    assert markers[0].y[0] == pytest.approx(100 * p, abs=0.05)
