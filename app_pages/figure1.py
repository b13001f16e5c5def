"""Figure 1: the skewed distribution of return intention (and attitude), with the dichotomization cut-point."""
import streamlit as st

from core import figures, pipeline, published
from ui.common import chart, kept, num, t
from ui.studydata import data_notice, source_label, study_pipeline


def main() -> None:
    st.title(t("figure1.title"))
    data_notice()
    st.markdown(t("figure1.intro"))
    labels = {o: t(f"outcome.{o}.short") for o in published.OUTCOMES}
    c1, c2 = st.columns([1, 2])
    outcome = c1.radio(t("figure1.outcome"), list(published.OUTCOMES), format_func=labels.get, key=kept("fig1_outcome"),
                       horizontal=True)
    cut = c2.slider(t("figure1.cutpoint"), 1.0, 6.5, 1.0, step=0.5, key="fig1_cut", help=t("figure1.cutpoint_help"))
    result = study_pipeline()
    dist = pipeline.scale_distribution(result.frame, outcome, cut)
    above = dist.loc[dist["above_cut"], "count"].sum()
    total = dist["count"].sum()
    m1, m2 = st.columns(2)
    m1.metric(t("figure1.share_above"), f"{num(100 * above / total, '.0f')}%", help=t("figure1.share_help"))
    m2.metric(t("figure1.events"), f"{above} / {total}")
    chart(figures.distribution_figure(dist, cut, t("figure1.axis_x", outcome=labels[outcome]), t("figure1.axis_y"),
                                      t("figure1.above"), t("figure1.below"), note=source_label()),
          f"figure1_{outcome}_{cut:g}")
    st.caption(t("figure1.caption"))


main()
