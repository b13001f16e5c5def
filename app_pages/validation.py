"""Table 4: the authors' validation models against self-presentation bias, published and refitted."""
import pandas as pd
import streamlit as st

from core import codebook, published, validation
from ui.common import fit_status, kept, lang, num, t, whole_table
from ui.studydata import data_notice, study_data, study_pipeline


def main() -> None:
    st.title(t("validation.title"))
    st.markdown(t("validation.intro"))
    data_notice()
    table = validation.comparison(study_data(), study_pipeline())
    frame = validation.table4_frame(study_data(), study_pipeline())
    c = st.columns(3)
    counts = frame["safety_group"].value_counts()
    c[0].metric(t("validation.groups"), f"{counts.get('low', 0)} / {counts.get('mid', 0)} / {counts.get('high', 0)}")
    c[1].metric(t("validation.cleaned"), int(frame["health_was_cleaned"].sum()))
    c[2].metric(t("validation.others_mean"), num(frame.loc[~frame['health_was_cleaned'], 'health'].mean(), '.2f'),
                help=t("validation.others_help"))
    labels = {o: t(f"outcome.{o}.short") for o in published.OUTCOMES}
    outcome = st.radio(t("figure1.outcome"), list(published.OUTCOMES), format_func=labels.get, key=kept("val_outcome"),
                       horizontal=True)
    sub = table[table["outcome"] == outcome]
    for _, fit in validation.fit_summary(study_data(), study_pipeline()).query("outcome == @outcome").iterrows():
        st.markdown(f"**{t('validation.model_label', model=fit['model'])}**")
        fit_status(outcome, int(fit["n"]), int(fit["events"]), float(fit["epv"]), fit["status"])

    def name(term):
        return codebook.variable(term).short[lang()] if codebook.exists(term) else t("models.constant")

    def cell(b, s, status=None):
        if status is not None and status != "converged":
            return t("status.withheld", status=t(f"status.{status}"))
        return "" if b is None or pd.isna(b) else f"{num(b, '.2f')}{s or ''}"

    wide = {}
    columns = [t("models.col_term")]
    for model in ("A", "B", "C"):
        m = sub[sub["model"] == model].set_index("term")
        pub_col, fit_col = f"{model}: {t('audit.published')}", f"{model}: {t('validation.refit_short')}"
        columns.append(pub_col)
        if m["refitted"].any():
            columns.append(fit_col)
        for term in m.index:
            row = wide.setdefault(term, {t("models.col_term"): name(term)})
            row[pub_col] = cell(m.loc[term, "B_published"], m.loc[term, "stars_published"])
            if m.loc[term, "refitted"]:
                row[fit_col] = cell(m.loc[term, "B_refit"], m.loc[term, "stars_refit"], m.loc[term, "status"])
    table_view = pd.DataFrame(list(wide.values())).reindex(columns=columns).fillna("")
    whole_table(table_view)
    if not sub.loc[sub["model"] == "C", "refitted"].any():
        st.caption(t("validation.model_c"))
    refit = sub[sub["refitted"] & (sub["term"] != "safety_high") & (sub["status"] == "converged")]
    if len(refit):
        st.caption(t("validation.caption", max_diff=num(refit['difference'].abs().max(), '.2f')))


main()
