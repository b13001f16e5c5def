"""Table 3 refitted on the data, beside the published table: coefficients, odds ratios, fit statistics."""
import pandas as pd
import streamlit as st

from core import codebook, figures, published, scenario, uncertainty
from ui.common import chart, fit_status, kept, lang, num, section_guard, t, whole_table
from ui.studydata import data_notice, source_label, study_bootstrap, study_data, study_pipeline


def main() -> None:
    st.title(t("models.title"))
    data_notice()
    st.markdown(t("models.intro"))
    labels = {o: t(f"outcome.{o}.short") for o in published.OUTCOMES}
    outcome = st.radio(t("figure1.outcome"), list(published.OUTCOMES), format_func=labels.get, key=kept("models_outcome"),
                       horizontal=True)
    result = study_pipeline()
    model = result.models[outcome]
    if not fit_status(outcome, model.n, model.events, model.epv, model.status):
        return
    pub = published.coefficients(outcome, "table3").set_index("term")
    fit = model.coefficients.set_index("term").loc[pub.index]
    term_label = {term: (codebook.variable(term).short[lang()] if codebook.exists(term) else t("models.constant"))
                  for term in pub.index}
    table = pd.DataFrame({
        t("models.col_term"): [term_label[x] for x in pub.index],
        t("models.col_b_pub"): [f"{num(b, '.2f')}{s}" for b, s in zip(pub["B"], pub["stars"])],
        t("models.col_b_fit"): [f"{num(b, '.2f')}{s}" for b, s in zip(fit["B"], fit["stars"])],
        t("models.col_diff"): (fit["B"] - pub["B"]).map(lambda v: num(v, "+.3f")).to_numpy(),
        "SE": fit["SE"].map(lambda v: num(v, ".2f")).to_numpy(),
        "p": fit["p"].map(lambda v: num(v, ".3f")).to_numpy(),
        t("models.col_or"): [f"{num(e, '.2f')} [{num(lo, '.2f')}–{num(hi, '.2f')}]" for e, lo, hi in
                             zip(fit["exp_B"], fit["exp_B_low"], fit["exp_B_high"])],
    })
    iv = None
    with section_guard(), st.spinner():
        boot = study_bootstrap()
        iv = boot.intervals[boot.intervals["outcome"] == outcome].set_index("term").loc[pub.index]
        table[t("models.col_boot")] = [f"[{num(lo, '.2f')}; {num(hi, '.2f')}]" for lo, hi in zip(iv["low"], iv["high"])]
    whole_table(table)
    caption = t("models.table_caption")
    if iv is not None:
        caption += " " + t("models.boot_caption", share=num(100 * iv['share_converged'].iloc[0], '.0f'))
    st.caption(caption)

    pred = uncertainty.prediction_interval(study_data(), outcome, scenario.average_profile(outcome), result)
    st.metric(t("models.avg_prediction"), f"{num(100 * pred['probability'], '.1f')}%",
              help=t("models.avg_prediction_help"))
    st.caption(t("models.avg_prediction_caption", low=num(100 * pred['low'], '.1f'), high=num(100 * pred['high'], '.1f'),
                 published=num(100 * scenario.predict(outcome).probability, '.1f')))

    rows = pd.DataFrame({"label": [term_label[x] for x in pub.index if x != "const"],
                         "or_pub": [float(pub.loc[x, "exp_B"]) for x in pub.index if x != "const"],
                         "or_fit": [float(fit.loc[x, "exp_B"]) for x in pub.index if x != "const"],
                         "lo": [float(fit.loc[x, "exp_B_low"]) for x in pub.index if x != "const"],
                         "hi": [float(fit.loc[x, "exp_B_high"]) for x in pub.index if x != "const"]})
    st.subheader(t("models.forest_title"))
    chart(figures.forest_figure(rows, t("audit.published"), t("models.refit"), t("models.or_axis"), note=source_label()),
          f"forest_{outcome}")

    st.subheader(t("models.fit_title"))
    published_r2 = float(published.table("fit").set_index(["outcome", "model"])["value"][(outcome, "table3")])
    c = st.columns(5)
    c[0].metric("N", model.n)
    c[1].metric(t("models.events"), model.events)
    c[2].metric(t("models.epv"), num(model.epv, '.1f'), help=t("models.epv_help"))
    c[3].metric("Nagelkerke R²", num(model.nagelkerke_r2, '.3f'), delta=num(model.nagelkerke_r2 - published_r2, '+.3f'),
                delta_color="off", help=t("models.r2_help", published=num(published_r2, '.2f')))
    c[4].metric("McFadden / Tjur", f"{num(model.mcfadden_r2, '.2f')} / {num(model.tjur_r2, '.2f')}")
    if model.warnings:
        st.warning("; ".join(model.warnings))


main()
