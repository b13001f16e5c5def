"""Plotly figures built from core results. Labels come in already translated; no Streamlit here."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

COLORS = {"intention": "#1f6f8b", "attitude": "#c0632b", "muted": "#c9d3da", "ink": "#1b2631"}
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color=COLORS["ink"])


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), font=FONT,
                      plot_bgcolor="white", paper_bgcolor="white", **kw)
    return fig


def icon_array(probability: float, color: str, title: str) -> go.Figure:
    """100 figures-of-people dots, ``round(100 p)`` filled: 'of 100 people like this, N ...'."""
    n = int(round(100 * probability))
    idx = np.arange(100)
    x, y = idx % 10, 9 - idx // 10
    filled = idx < n
    fig = go.Figure(go.Scatter(
        x=x, y=y, mode="markers", hoverinfo="skip",
        marker=dict(size=15, symbol="circle", color=np.where(filled, color, COLORS["muted"])),
    ))
    fig.update_xaxes(visible=False, range=[-0.7, 9.7])
    fig.update_yaxes(visible=False, range=[-0.7, 9.7], scaleanchor="x")
    return _layout(fig, 260, title=dict(text=title, font=dict(size=14)), showlegend=False)


def curve_figure(curves: pd.DataFrame, current: float, outcome_labels: dict[str, str], x_title: str,
                 y_title: str, current_label: str) -> go.Figure:
    """Probability (%) of each outcome over one input, with the current scenario marked."""
    fig = go.Figure()
    for outcome, grp in curves.groupby("outcome", sort=False):
        fig.add_trace(go.Scatter(x=grp["value"], y=100 * grp["probability"], mode="lines",
                                 name=outcome_labels[outcome], line=dict(color=COLORS[outcome], width=3),
                                 hovertemplate="%{x:.1f}: %{y:.0f}%<extra></extra>"))
        here = float(np.interp(current, grp["value"], grp["probability"]))
        fig.add_trace(go.Scatter(x=[current], y=[100 * here], mode="markers", showlegend=False,
                                 marker=dict(size=12, color=COLORS[outcome], line=dict(color="white", width=2)),
                                 hovertemplate=f"{current_label}: %{{y:.0f}}%<extra></extra>"))
    fig.add_vline(x=current, line=dict(color=COLORS["ink"], dash="dot", width=1))
    fig.update_yaxes(range=[0, 100], title=y_title, ticksuffix="%", gridcolor="#eef2f5")
    fig.update_xaxes(title=x_title, gridcolor="#eef2f5")
    return _layout(fig, 340, legend=dict(orientation="h", y=1.12, x=0))


def loadings_figure(frame: pd.DataFrame, label_col: str, factor_labels: dict[str, str], x_title: str) -> go.Figure:
    """Horizontal bars of Table 1a loadings, grouped by factor."""
    palette = ["#1f6f8b", "#c0632b", "#5b8c5a", "#8e6c8a", "#b59a3a"]
    fig = go.Figure()
    for i, (factor, grp) in enumerate(frame.groupby("factor", sort=False)):
        fig.add_trace(go.Bar(y=grp[label_col], x=grp["loading"], orientation="h", name=factor_labels[factor],
                             marker_color=palette[i % len(palette)], text=grp["loading"].map("{:.2f}".format),
                             textposition="outside", hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 1.05], title=x_title, gridcolor="#eef2f5")
    return _layout(fig, 120 + 26 * len(frame), legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"))


def audit_figure(examples: pd.DataFrame, labels: list[str], published_label: str, computed_label: str,
                 band_label: str, x_title: str) -> go.Figure:
    """Published % against computed % per worked example, with the rounding band."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=(examples["band_high_pct"] + examples["band_low_pct"]) / 2, y=labels, mode="markers",
        error_x=dict(type="data", symmetric=False, array=examples["band_high_pct"] - (examples["band_high_pct"] + examples["band_low_pct"]) / 2,
                     arrayminus=(examples["band_high_pct"] + examples["band_low_pct"]) / 2 - examples["band_low_pct"],
                     color=COLORS["muted"], thickness=8, width=0),
        marker=dict(size=1, color=COLORS["muted"]), name=band_label, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=examples["computed_pct"], y=labels, mode="markers", name=computed_label,
                             marker=dict(size=12, color=COLORS["intention"], symbol="circle")))
    fig.add_trace(go.Scatter(x=examples["published_pct"], y=labels, mode="markers", name=published_label,
                             marker=dict(size=12, color=COLORS["attitude"], symbol="diamond")))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100], title=x_title, ticksuffix="%", gridcolor="#eef2f5")
    return _layout(fig, 120 + 34 * len(examples), legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"))
