"""Diagnostics of the refitted Table 3 models: discrimination, calibration, collinearity, separation, influence."""
import pandas as pd
import streamlit as st

from core import codebook, diagnostics, export, published
from ui.common import kept, data_notice, fit_status, lang, section_guard, study_data, study_pipeline, t


def main() -> None:
    st.title(t("diagnostics.title"))
    data_notice()
    labels = {o: t(f"outcome.{o}.short") for o in published.OUTCOMES}
    outcome = st.radio(t("figure1.outcome"), list(published.OUTCOMES), format_func=labels.get, key=kept("diag_outcome"),
                       horizontal=True)
    result = study_pipeline()
    model = result.models[outcome]
    if not fit_status(outcome, model.n, model.events, model.epv, model.status):
        return
    curve, auc = diagnostics.roc(result, outcome)
    sep = diagnostics.separation(result, outcome)
    c = st.columns(4)
    c[0].metric("AUC", f"{auc:.3f}", help=t("diagnostics.auc_help"))
    c[1].metric(t("models.epv"), f"{model.epv:.1f}", help=t("models.epv_help"))
    c[2].metric(t("diagnostics.separation"), t("diagnostics.yes") if sep["separation"] else t("diagnostics.no"))
    c[3].metric(t("diagnostics.max_vif"), f"{diagnostics.vif(result, outcome)['vif'].max():.2f}")

    left, right = st.columns(2)
    with left:
        st.subheader(t("diagnostics.roc_title"))
        st.line_chart(curve.set_index("false_positive_rate")["true_positive_rate"], height=300,
                      x_label=t("diagnostics.fpr"), y_label=t("diagnostics.tpr"))
    with right:
        st.subheader(t("diagnostics.calibration_title"))
        cal = diagnostics.calibration(result, outcome)
        st.scatter_chart(cal, x="mean_fitted", y="observed_share", height=300,
                         x_label=t("diagnostics.mean_fitted"), y_label=t("diagnostics.observed_share"))
        st.caption(t("diagnostics.calibration_caption"))

    st.subheader(t("diagnostics.classification_title"))
    cutoff = st.slider(t("diagnostics.cutoff"), 0.05, 0.95, 0.5, step=0.05, key="diag_cutoff")
    tab = diagnostics.classification_table(result, outcome, cutoff)
    st.dataframe(pd.DataFrame({
        "": [t("diagnostics.observed_1"), t("diagnostics.observed_0")],
        t("diagnostics.predicted_1"): [tab["true_positive"], tab["false_positive"]],
        t("diagnostics.predicted_0"): [tab["false_negative"], tab["true_negative"]],
    }), hide_index=True)
    st.caption(t("diagnostics.classification_caption", accuracy=f"{100 * tab['accuracy']:.0f}",
                 sensitivity=f"{100 * tab['sensitivity']:.0f}", specificity=f"{100 * tab['specificity']:.0f}"))

    a, b = st.columns(2)
    with a:
        st.subheader("VIF")
        v = diagnostics.vif(result, outcome)
        st.dataframe(pd.DataFrame({t("models.col_term"): v["term"].map(lambda x: codebook.variable(x).short[lang()]),
                                   "VIF": v["vif"].map("{:.2f}".format)}), hide_index=True, width="stretch")
    with b:
        st.subheader(t("diagnostics.influence_title"))
        with section_guard():
            _influence(result, outcome)


def _influence(result, outcome) -> None:
    """The most influential respondents (bounded for very large files: core.diagnostics)."""
    inf = diagnostics.influence(result, outcome)
    ids = study_data()["respondent"] if "respondent" in study_data().columns else None
    st.dataframe(pd.DataFrame({
        t("diagnostics.respondent"): inf["row"].map(lambda r: export.neutralize(str(ids[r])) if ids is not None else r),
        t("diagnostics.cooks"): inf["cooks_distance"].map("{:.3f}".format),
        t("diagnostics.observed"): inf["observed"].astype(int),
        t("diagnostics.fitted"): inf["fitted"].map("{:.2f}".format)}), hide_index=True, width="stretch")
    st.caption(t("diagnostics.influence_caption"))


main()
