"""Diagnostics of the refitted Table 3 models: discrimination, calibration, collinearity, separation, influence."""
import pandas as pd
import streamlit as st

from core import codebook, diagnostics, export, published
from ui.common import altair_localized, fit_status, kept, lang, num, section_guard, t, whole_table
from ui.studydata import data_notice, study_data, study_pipeline


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
    c[0].metric("AUC", num(auc, '.3f'), help=t("diagnostics.auc_help"))
    c[1].metric(t("models.epv"), num(model.epv, '.1f'), help=t("models.epv_help"))
    c[2].metric(t("diagnostics.separation"), t("diagnostics.yes") if sep["separation"] else t("diagnostics.no"))
    c[3].metric(t("diagnostics.max_vif"), num(diagnostics.vif(result, outcome)['vif'].max(), '.2f'))

    left, right = st.columns(2)
    import altair as alt

    diagonal = alt.Chart(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]})).mark_line(
        strokeDash=[4, 4], color="#8a96a0").encode(x="x:Q", y="y:Q")
    with left:
        st.subheader(t("diagnostics.roc_title"))
        roc = alt.Chart(curve).mark_line(color="#1f6f8b", strokeWidth=2).encode(
            x=alt.X("false_positive_rate:Q", title=t("diagnostics.fpr"), scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("true_positive_rate:Q", title=t("diagnostics.tpr"), scale=alt.Scale(domain=[0, 1])))
        st.altair_chart(altair_localized((diagonal + roc).properties(height=300)), width="stretch")
        st.caption(t("diagnostics.roc_caption"))
    with right:
        st.subheader(t("diagnostics.calibration_title"))
        cal = diagnostics.calibration(result, outcome)
        points = alt.Chart(cal).mark_circle(size=90, color="#1f6f8b").encode(
            x=alt.X("mean_fitted:Q", title=t("diagnostics.mean_fitted"), scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("observed_share:Q", title=t("diagnostics.observed_share"), scale=alt.Scale(domain=[0, 1])))
        st.altair_chart(altair_localized((diagonal + points).properties(height=300)), width="stretch")
        st.caption(t("diagnostics.calibration_caption"))

    st.subheader(t("diagnostics.classification_title"))
    cutoff = st.slider(t("diagnostics.cutoff"), 0.05, 0.95, 0.5, step=0.05, key="diag_cutoff")
    tab = diagnostics.classification_table(result, outcome, cutoff)
    st.dataframe(pd.DataFrame({
        "": [t("diagnostics.observed_1"), t("diagnostics.observed_0")],
        t("diagnostics.predicted_1"): [tab["true_positive"], tab["false_positive"]],
        t("diagnostics.predicted_0"): [tab["false_negative"], tab["true_negative"]],
    }), hide_index=True)
    st.caption(t("diagnostics.classification_caption", accuracy=num(100 * tab['accuracy'], '.0f'),
                 sensitivity=num(100 * tab['sensitivity'], '.0f'), specificity=num(100 * tab['specificity'], '.0f')))

    a, b = st.columns(2)
    with a:
        st.subheader("VIF")
        v = diagnostics.vif(result, outcome)
        whole_table(pd.DataFrame({t("models.col_term"): v["term"].map(lambda x: codebook.variable(x).short[lang()]),
                                  "VIF": v["vif"].map(lambda v: num(v, ".2f"))}))
    with b:
        st.subheader(t("diagnostics.influence_title"))
        with section_guard():
            _influence(result, outcome)


def _influence(result, outcome) -> None:
    """The most influential respondents (bounded for very large files: core.diagnostics)."""
    inf = diagnostics.influence(result, outcome)
    ids = study_data()["respondent"] if "respondent" in study_data().columns else None
    whole_table(pd.DataFrame({
        t("diagnostics.respondent"): inf["row"].map(lambda r: export.neutralize(str(ids[r])) if ids is not None else r),
        t("diagnostics.cooks"): inf["cooks_distance"].map(lambda v: num(v, ".3f")),
        t("diagnostics.observed"): inf["observed"].astype(int),
        t("diagnostics.fitted"): inf["fitted"].map(lambda v: num(v, ".2f"))}))
    st.caption(t("diagnostics.influence_caption"))


main()
