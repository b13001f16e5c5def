"""Figure specs built from core results, as plain dicts (labels come in translated).

The scenario explorer reruns on every slider move, so its charts are small Vega-Lite specs (serialized
in about a millisecond). The static pages use Plotly specs, validated against plotly's schema in the
tests (``go.Figure(spec)``); at run time :func:`to_figure` skips that validation (~20 ms per figure).
"""
from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

COLORS = {"intention": "#1f6f8b", "attitude": "#c0632b", "muted": "#c9d3da", "ink": "#1b2631", "grid": "#eef2f5"}
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 14, "color": COLORS["ink"]}
PALETTE = ["#1f6f8b", "#c0632b", "#5b8c5a", "#8e6c8a", "#b59a3a"]


def to_figure(spec: dict) -> go.Figure:
    """A plotly Figure from a spec without re-validating it (the specs are validated in the tests)."""
    return go.Figure(spec, _validate=False)


def _layout(height: int, **extra) -> dict:
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "font": FONT,
              "plot_bgcolor": "white", "paper_bgcolor": "white"}
    layout.update(extra)
    return layout


def loadings_figure(frame: pd.DataFrame, label_col: str, factor_labels: dict[str, str], x_title: str) -> dict:
    """Horizontal bars of Table 1a loadings, grouped by factor; each item's name above its bar."""
    data = []
    position = pd.Series(range(len(frame)), index=frame.index)
    for i, (factor, grp) in enumerate(frame.groupby("factor", sort=False)):
        data.append({"type": "bar", "orientation": "h", "y": position[grp.index].tolist(), "x": grp["loading"].tolist(),
                     "name": factor_labels[factor], "marker": {"color": PALETTE[i % len(PALETTE)]}, "width": 0.5,
                     "text": [f"{v:.2f}" for v in grp["loading"]], "textposition": "outside", "cliponaxis": False,
                     "customdata": grp[label_col].tolist(), "hovertemplate": "%{customdata}: %{x:.2f}<extra></extra>"})
    names, yaxis = _names_above_rows(frame[label_col].tolist(), yshift=12)
    return {"data": data, "layout": _layout(
        120 + 42 * len(frame), legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"},
        annotations=names, yaxis=yaxis,
        xaxis={"range": [0, 1.1], "title": {"text": x_title}, "gridcolor": COLORS["grid"]})}


def _names_above_rows(labels: list[str], yshift: int = 9) -> tuple[list[dict], dict]:
    """Row names written above their rows (annotations; ``yshift``: pixels from the row's centre to the
    name's baseline, clear of the marks) and a y axis without tick labels: names beside the rows left the
    marks a sliver of the width on a phone. Rows are at y = 0, 1, ..."""
    names = [{"text": html.escape(str(label), quote=False), "x": 0, "y": i, "xref": "paper", "yref": "y",
              "yshift": yshift, "yanchor": "bottom", "xanchor": "left", "showarrow": False,
              "bgcolor": "rgba(255,255,255,0.85)", "borderpad": 0, "font": {"size": 13, "color": COLORS["ink"]}}
             for i, label in enumerate(labels)]
    yaxis = {"range": [len(labels) - 0.5, -0.8], "showticklabels": False, "showgrid": False, "zeroline": False}
    return names, yaxis


def audit_figure(examples: pd.DataFrame, labels: list[str], published_label: str, computed_label: str,
                 band_label: str, x_title: str) -> dict:
    """Published % against computed % per worked example, with the rounding band as a bar. Each example's
    name is written above its row, not beside it: on a phone, names beside the rows left the dots a
    sliver of the width."""
    low, high = examples["band_low_pct"].to_numpy(), examples["band_high_pct"].to_numpy()
    rows = list(range(len(examples)))
    hover = "%{customdata}: %{x:.1f}%<extra></extra>"
    data = [
        {"type": "bar", "orientation": "h", "y": rows, "x": (high - low).tolist(), "base": low.tolist(),
         "name": band_label, "marker": {"color": COLORS["muted"]}, "width": 0.3, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "markers", "y": rows, "x": examples["computed_pct"].tolist(),
         "customdata": labels, "hovertemplate": hover,
         "name": computed_label, "marker": {"size": 12, "color": COLORS["intention"], "symbol": "circle"}},
        {"type": "scatter", "mode": "markers", "y": rows, "x": examples["published_pct"].tolist(),
         "customdata": labels, "hovertemplate": hover,
         "name": published_label, "marker": {"size": 12, "color": COLORS["attitude"], "symbol": "diamond"}},
    ]
    names, yaxis = _names_above_rows(labels)
    return {"data": data, "layout": _layout(
        110 + 50 * len(examples), legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"},
        annotations=names, yaxis=yaxis,
        xaxis={"range": [0, 100], "title": {"text": x_title}, "ticksuffix": "%", "gridcolor": COLORS["grid"]})}


# Vega-Lite specs for the explorer's hot path.
def icon_array(probability: float, color: str) -> dict:
    """100 dots, ``round(100 p)`` filled: 'of 100 people like this, about N ...' (Vega-Lite)."""
    n = int(round(100 * probability))
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        # Dots generated in the browser (a sequence, not 100 rows): tiny spec, fast rerun.
        "data": {"sequence": {"start": 0, "stop": 100, "as": "i"}},
        "transform": [{"calculate": "datum.i % 10", "as": "x"}, {"calculate": "floor(datum.i / 10)", "as": "y"},
                      {"calculate": f"datum.i < {n}", "as": "filled"}],
        "height": 220,
        "mark": {"type": "circle", "size": 180, "opacity": 1},
        "encoding": {
            "x": {"field": "x", "type": "ordinal", "axis": None},
            "y": {"field": "y", "type": "ordinal", "axis": None},
            "color": {"condition": {"test": "datum.filled", "value": color}, "value": COLORS["muted"]},
        },
        "config": {"view": {"stroke": None}},
    }


def curve_figure(curves: Mapping[str, tuple], current: float, current_probability: dict[str, float],
                 outcome_labels: dict[str, str], x_title: str, y_title: str, current_label: str) -> dict:
    """Probability (%) of each outcome over one input, the current scenario marked (Vega-Lite).
    ``curves``: outcome -> (grid, probability), as from scenario.outcome_curve_arrays."""
    rows, points = [], []
    present = list(curves)
    order = [outcome_labels[o] for o in present]
    for outcome, (grid, prob) in curves.items():
        label = outcome_labels[outcome]
        # Rounded for the wire (a chart, not a table): the spec sent on every slider move shrinks by half.
        rows += [{"x": a, "pct": b, "outcome": label}
                 for a, b in zip(grid.round(4).tolist(), (100 * prob).round(3).tolist())]
        points.append({"x": float(current), "pct": float(100 * current_probability[outcome]), "outcome": label})
    color = {"field": "outcome", "type": "nominal", "title": None, "sort": order,
             "scale": {"domain": order, "range": [COLORS[o] for o in present]},
             # One entry per line: side by side, the Dutch names ran past the chart's edge at 850 px.
             "legend": {"orient": "top", "columns": 1, "labelFontSize": 13, "labelLimit": 0}}
    x_enc = {"field": "x", "type": "quantitative", "title": x_title, "axis": {"grid": False},
             "scale": {"nice": False, "zero": False}}   # the slider's own range, not rounded out to 5.4
    y_enc = {"field": "pct", "type": "quantitative", "title": y_title, "scale": {"domain": [0, 100]},
             "axis": {"labelExpr": "datum.value + '%'", "gridColor": COLORS["grid"]}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "height": 320,
        "layer": [
            {"data": {"values": rows}, "mark": {"type": "line", "strokeWidth": 3},
             "encoding": {"x": x_enc, "y": y_enc, "color": color,
                          "tooltip": [{"field": "outcome"}, {"field": "x", "format": ".1f"},
                                      {"field": "pct", "format": ".0f", "title": "%"}]}},
            {"data": {"values": [{"x": float(current)}]}, "mark": {"type": "rule", "strokeDash": [3, 3]},
             "encoding": {"x": {"field": "x", "type": "quantitative"}, "color": {"value": COLORS["ink"]}}},
            {"data": {"values": points}, "mark": {"type": "point", "filled": True, "size": 140, "stroke": "white"},
             "encoding": {"x": x_enc, "y": y_enc, "color": color,
                          "tooltip": [{"field": "outcome"}, {"field": "pct", "format": ".0f", "title": current_label}]}},
        ],
        "config": {"font": FONT["family"], "axis": {"labelFontSize": 13, "titleFontSize": 13}},
    }


def _source_note(layout: dict, note: str | None) -> dict:
    """Put the data-source label inside the figure, so an exported PNG carries it too."""
    if note:
        # The note may carry a user's file name: escaped, so plotly never reads it as markup (<a>, <b>).
        # Broken into short lines: plotly does not wrap, and one long line ran off a phone's screen.
        lines = textwrap.wrap(note, 48) or [note]
        text = "<br>".join(html.escape(line, quote=False) for line in lines)
        layout["annotations"] = [*layout.get("annotations", []),
                                 {"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -62,
                                  "yanchor": "top", "showarrow": False, "xanchor": "left", "align": "left",
                                  "font": {"size": 11, "color": "#8a5a00"}}]
        layout["margin"] = {**layout["margin"], "b": 90 + 14 * (len(lines) - 1)}
    return layout


def distribution_figure(dist: pd.DataFrame, cutpoint: float, x_title: str, y_title: str, above_label: str,
                        below_label: str, note: str | None = None) -> dict:
    """Figure 1: bars per scale value, coloured by the side of the cut-point, with the cut drawn."""
    data = []
    for above, label, color in ((False, below_label, COLORS["muted"]), (True, above_label, COLORS["intention"])):
        part = dist[dist["above_cut"] == above]
        data.append({"type": "bar", "x": part["value"].tolist(), "y": part["count"].tolist(), "name": label,
                     "marker": {"color": color}, "width": 0.4, "text": part["count"].tolist(),
                     "textposition": "outside", "hovertemplate": "%{x}: %{y}<extra></extra>"})
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": cutpoint + 0.25, "x1": cutpoint + 0.25,
               "y0": 0, "y1": 1, "line": {"color": COLORS["ink"], "dash": "dash", "width": 2}}]
    return {"data": data, "layout": _source_note(_layout(
        400, shapes=shapes, barmode="overlay", legend={"orientation": "h", "y": 1.1, "x": 0},
        xaxis={"title": {"text": x_title}, "dtick": 0.5, "range": [0.6, 7.4]},
        yaxis={"title": {"text": y_title}, "gridcolor": COLORS["grid"]}), note)}


def forest_figure(rows: pd.DataFrame, published_label: str, refit_label: str, x_title: str,
                  note: str | None = None) -> dict:
    """Odds ratios, published vs refit (with 95% CI), on a log axis. ``rows``: label, or_pub, or_fit, lo, hi.
    Each predictor's name is written above its row (readable on a phone)."""
    y = list(range(len(rows)))
    labels = rows["label"].tolist()
    hover = "%{customdata}: %{x:.2f}<extra></extra>"
    data = [
        {"type": "scatter", "mode": "markers", "y": y, "x": rows["or_fit"].tolist(), "customdata": labels,
         "hovertemplate": hover, "name": refit_label, "marker": {"size": 11, "color": COLORS["intention"]},
         "error_x": {"type": "data", "symmetric": False, "array": (rows["hi"] - rows["or_fit"]).tolist(),
                     "arrayminus": (rows["or_fit"] - rows["lo"]).tolist(), "color": COLORS["intention"]}},
        {"type": "scatter", "mode": "markers", "y": y, "x": rows["or_pub"].tolist(), "customdata": labels,
         "hovertemplate": hover, "name": published_label,
         "marker": {"size": 12, "color": COLORS["attitude"], "symbol": "diamond"}},
    ]
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": 1, "x1": 1, "y0": 0, "y1": 1,
               "line": {"color": COLORS["ink"], "dash": "dot", "width": 1}}]
    names, yaxis = _names_above_rows(labels)
    return {"data": data, "layout": _source_note(_layout(
        140 + 50 * len(rows), shapes=shapes, legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"},
        annotations=names, yaxis=yaxis,
        xaxis={"type": "log", "title": {"text": x_title}, "gridcolor": COLORS["grid"],
               # Explicit, unambiguous ticks (plotly's default log ticks read '2 3 … 9 1 2 3').
               "tickvals": LOG_TICKS, "ticktext": [f"{v:g}" for v in LOG_TICKS]}), note)}


LOG_TICKS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100]
