"""Researcher's workbench: vary one choice, see the refit beside the paper; the specification curve;
population what-if; uncertainty from the bootstrap."""
import numpy as np
import pandas as pd
import streamlit as st

from core import codebook, measurement, pipeline, published, sensitivity, whatif
from ui.common import altair_localized, fit_status, kept, lang, num, section_guard, t, whole_table
from ui.studydata import (data_notice, source_label, study_bootstrap, study_pipeline, study_specification_curve,
                          study_workbench)


def _name(term: str) -> str:
    if term == sensitivity.DTV_SQUARED:
        return t("sensitivity.dtv_squared_term")
    return codebook.variable(term).short[lang()] if codebook.exists(term) else t("models.constant")


def _spec_text(spec: sensitivity.Specification) -> str:
    """The specification in words, in the current language (the caption under the table)."""
    parts = [t(f"model.{spec.model}"), t(f"extraction.{spec.extraction}"), t(f"sensitivity.{spec.missing}"),
             t("sensitivity.spec_cut", cut=num(spec.cutpoint, "g"))]
    if spec.drop:
        parts.append(t("sensitivity.spec_without", names=", ".join(_name(d) for d in spec.drop)))
    parts += [t(key) for key, on in (("sensitivity.dtv_squared_term", spec.dtv_squared),
                                     ("sensitivity.firth", spec.firth), ("sensitivity.robust", spec.robust)) if on]
    return "; ".join(parts)


def _panel() -> None:
    st.subheader(t("sensitivity.panel_title"))
    c = st.columns(4)
    model_labels = {m: t(f"model.{m}") for m in sensitivity.MODELS}
    model = c[0].selectbox(t("explorer.model"), sensitivity.MODELS, format_func=model_labels.get, key=kept("sens_model"))
    ext_labels = {m: t(f"extraction.{m}") for m in measurement.EXTRACTION_METHODS}
    extraction = c[1].selectbox(t("table1.extraction"), measurement.EXTRACTION_METHODS, format_func=ext_labels.get,
                                key=kept("sens_extraction"))
    missing_labels = {"impute": t("sensitivity.impute"), "listwise": t("sensitivity.listwise")}
    missing = c[2].selectbox(t("sensitivity.missing"), ["impute", "listwise"], format_func=missing_labels.get,
                             key=kept("sens_missing"))
    cut = c[3].select_slider(t("sensitivity.cutpoint"), [1.0, 1.5, 2.0, 2.5, 3.0], value=1.0, key="sens_cut")
    d = st.columns(4)
    drop = d[0].multiselect(t("sensitivity.drop"), pipeline.PREDICTORS, format_func=_name, key=kept("sens_drop"),
                            placeholder=t("common.choose"))
    dtv2 = d[1].toggle(t("sensitivity.dtv_squared"), key="sens_dtv2", help=t("sensitivity.dtv_squared_help"))
    firth = d[2].toggle(t("sensitivity.firth"), key="sens_firth", help=t("sensitivity.firth_help"))
    robust = d[3].toggle(t("sensitivity.robust"), key="sens_robust", disabled=firth)
    spec = sensitivity.Specification(model, extraction, missing, cut, tuple(drop), dtv2, firth, robust and not firth)
    bench = study_workbench()
    table = bench.compare(spec)
    status = bench.fit_status(spec).set_index("outcome")

    def cells(b, s, status_of=None, absent=""):
        if status_of is not None and status_of != "converged":
            return t("status.withheld", status=t(f"status.{status_of}"))
        return [(absent if pd.isna(x) else f"{num(x, '.2f')}{y or ''}") for x, y in zip(b, s)]

    for outcome in published.OUTCOMES:
        sub = table[table["outcome"] == outcome]
        st.markdown(f"**{t(f'outcome.{outcome}.short')}**")
        row = status.loc[outcome]
        ok = fit_status(outcome, int(row["n"]), int(row["events"]), float(row["epv"]), str(row["status"]))
        view = pd.DataFrame({
            t("models.col_term"): sub["term"].map(_name),
            t("models.col_b_pub"): cells(sub["B_published"], sub["stars_published"]),
            t("sensitivity.col_default"): cells(sub["B_default"], sub["stars_default"]),
            t("sensitivity.col_this"): cells(sub["B_this"], sub["stars_this"], None if ok else row["status"], "—"),
            "SE": sub["SE_this"].map(lambda v: "" if pd.isna(v) else num(v, '.2f')) if ok else "—",
        })
        if not ok and sub["B_firth"].notna().any():
            view[t("sensitivity.col_firth")] = cells(sub["B_firth"], sub["stars_firth"])
        whole_table(view)
    st.caption(t("sensitivity.panel_caption", spec=_spec_text(spec)))


def _curve() -> None:
    st.subheader(t("sensitivity.curve_title"))
    st.markdown(t("sensitivity.curve_intro"))
    with st.spinner(t("sensitivity.curve_spinner")):
        curve = study_specification_curve()
    summary = sensitivity.robustness_summary(curve)
    labels = {o: t(f"outcome.{o}.short") for o in published.OUTCOMES}
    outcome = st.radio(t("figure1.outcome"), list(published.OUTCOMES), format_func=labels.get, key=kept("curve_outcome"),
                       horizontal=True)
    sub = curve[(curve["outcome"] == outcome) & curve["converged"] & (curve["term"].isin(pipeline.PREDICTORS))].copy()
    failed = sensitivity.failed_share(curve).set_index(["outcome", "firth"])
    sub["predictor"] = sub["term"].map(_name)
    sig, nonsig = t("sensitivity.sig_label"), t("sensitivity.nonsig_label")
    sub["significant"] = np.where(sub["p"] < 0.05, sig, nonsig)
    pub = published.coefficients(outcome, "table3").query("term != 'const'").assign(predictor=lambda f: f["term"].map(_name))
    import altair as alt

    points = alt.Chart(sub).mark_tick(thickness=2, size=14, opacity=0.5).encode(
        x=alt.X("B:Q", title=t("sensitivity.b_axis"), scale=alt.Scale(domain=[-4, 4], clamp=True)),
        y=alt.Y("predictor:N", title=None, sort=list(pub["predictor"]), axis=alt.Axis(labelLimit=320)),
        color=alt.Color("significant:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=[sig, nonsig], range=["#1f6f8b", "#c9d3da"])))
    marks = alt.Chart(pub).mark_point(shape="diamond", size=120, filled=True, color="#c0632b").encode(
        x="B:Q", y=alt.Y("predictor:N", sort=list(pub["predictor"])), tooltip=["predictor", "B", "stars"])
    chart = (points + marks).properties(title=alt.TitleParams(source_label(), anchor="start", fontSize=11,
                                                              color="#8a5a00"))
    st.altair_chart(altair_localized(chart), width="stretch")
    st.caption(t("sensitivity.curve_caption", n=curve["specification"].nunique()))
    ml, pen = failed.loc[(outcome, False)], failed.loc[(outcome, True)]
    st.caption(t("sensitivity.curve_failed", ml=int(ml["failed"]), n_ml=int(ml["specifications"]),
                 firth=int(pen["failed"]), n_firth=int(pen["specifications"])))
    order = {term: i for i, term in enumerate(["const", *pipeline.PREDICTORS])}
    s = summary[summary["outcome"] == outcome].sort_values("term", key=lambda c: c.map(order))
    whole_table(pd.DataFrame({
        t("models.col_term"): s["term"].map(_name),
        t("models.col_b_pub"): [f"{num(b, '.2f')}{x or ''}" for b, x in zip(s["B_published"], s["stars_published"])],
        t("sensitivity.same_sign"): (100 * s["same_sign"]).map(lambda v: num(v, ".0f") + "%"),
        t("sensitivity.sig_same_sign"): (100 * s["significant_same_sign"]).map(lambda v: num(v, ".0f") + "%"),
        t("sensitivity.b_median"): s["B_median"].map(lambda v: num(v, ".2f")),
    }))


def _whatif() -> None:
    st.subheader(t("sensitivity.whatif_title"))
    st.markdown(t("sensitivity.whatif_intro"))
    c = st.columns(2)
    st.session_state.setdefault("_kept_whatif_var", "health")  # the default choice, kept across languages
    var = c[0].selectbox(t("sensitivity.whatif_variable"), pipeline.PREDICTORS, format_func=_name,
                         key=kept("whatif_var"))
    delta = c[1].select_slider(t("sensitivity.whatif_delta"), [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0], value=1.0,
                               key="whatif_delta")
    with st.spinner():
        boot = study_bootstrap()
    res = whatif.population_shift(study_pipeline(), boot, var, delta)
    cols = st.columns(2)
    for col, row in zip(cols, res.to_dict("records")):
        col.metric(t(f"outcome.{row['outcome']}.short"),
                   f"{num(100 * row['mean_before'], '.0f')}% → {num(100 * row['mean_after'], '.0f')}%",
                   delta=f"{num(100 * row['difference'], '+.1f')} pp [{num(100 * row['low'], '+.1f')}; {num(100 * row['high'], '+.1f')}]",
                   delta_color="off")
    st.caption(t("sensitivity.whatif_caption"))


def main() -> None:
    st.title(t("sensitivity.title"))
    data_notice()
    with section_guard():
        _panel()
    st.divider()
    with section_guard():
        _curve()
    st.divider()
    with section_guard():
        _whatif()


main()
