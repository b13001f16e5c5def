"""Table 1: the five one-factor analyses (loadings, eigenvalues) and the item descriptives."""
import pandas as pd
import streamlit as st

from core import codebook, export, figures, measurement, published
from ui.common import chart, data_badge, kept, lang, num, t, whole_table
from ui.studydata import data_notice, study_pipeline


def _items_frame() -> pd.DataFrame:
    load = published.table("loadings")
    desc = published.table("descriptives")
    desc = desc[desc["source_table"] == "Table 1b"].rename(columns={"variable": "item"})
    frame = load.merge(desc.drop(columns="source_table"), on="item", how="left")
    frame["number"] = frame["item"].str[-2:].astype(int)
    frame["wording_nl"] = frame["item"].map(lambda i: codebook.variable(i).label["nl"])
    frame["wording_en"] = frame["item"].map(lambda i: codebook.variable(i).label["en"])
    frame["short"] = frame.apply(lambda r: f"{r['number']}. {codebook.variable(r['item']).short[lang()]}", axis=1)
    return frame


def main() -> None:
    st.title(t("table1.title"))
    data_badge("published")
    st.markdown(t("table1.intro"))
    frame = _items_frame()
    factor_labels = {f: codebook.variable(f).short[lang()] for f in frame["factor"].unique()}

    eig = frame.groupby("factor", sort=False).agg(eigenvalue=("eigenvalue", "first"),
                                                  ssl=("loading", lambda s: float((s ** 2).sum())),
                                                  items=("item", "size")).reset_index()
    st.subheader(t("table1.eigen_title"))
    whole_table(pd.DataFrame({
        t("table1.col_factor"): eig["factor"].map(factor_labels),
        t("table1.col_items"): eig["items"],
        t("table1.col_eigen"): eig["eigenvalue"].map(lambda v: num(v, ".1f")),
        t("table1.col_ssl"): eig["ssl"].map(lambda v: num(v, ".2f")),
    }))
    st.caption(t("table1.eigen_caption"))

    st.subheader(t("table1.loadings_title"))
    chart(figures.loadings_figure(frame, "short", factor_labels, t("table1.loading_axis")), "table1a_loadings")

    st.subheader(t("table1.items_title"))
    both = lang() == "en" and st.toggle(t("table1.show_dutch"), key="table1_show_dutch")
    wording = {t("table1.col_wording_en"): frame["wording_en"]} if lang() == "en" else {}
    if lang() == "nl" or both:
        wording[t("table1.col_wording_nl")] = frame["wording_nl"]
    shown = pd.DataFrame({
        "#": frame["number"],
        t("table1.col_factor"): frame["factor"].map(factor_labels),
        **wording,
        t("table1.col_loading"): frame["loading"],
        "N": frame["N"], "min": frame["min"], "max": frame["max"],
        t("table1.col_mean"): frame["mean"], t("table1.col_sd"): frame["sd"],
    })
    whole_table(shown, column_config={t("table1.col_loading"): st.column_config.ProgressColumn(
                     min_value=0.0, max_value=1.0, format="%.2f")})
    st.caption(t("table1.items_caption"))
    st.download_button(t("common.download_csv"), export.safe_csv(frame.drop(columns=["short"])),
                       file_name="table1.csv", mime="text/csv", icon=":material/download:")
    _reestimated(frame, factor_labels)


def _reestimated(frame: pd.DataFrame, factor_labels: dict) -> None:
    """Published beside re-estimated on the synthetic replica, for a chosen extraction method."""
    st.divider()
    st.header(t("table1.refit_title"))
    data_notice()
    method_labels = {m: t(f"extraction.{m}") for m in measurement.EXTRACTION_METHODS}
    method = st.radio(t("table1.extraction"), list(measurement.EXTRACTION_METHODS), format_func=method_labels.get,
                      key=kept("table1_extraction"), horizontal=True, help=t("table1.extraction_help"))
    result = study_pipeline(method)
    refit = result.measurement.loadings.set_index("item")["loading"]
    diff = refit.loc[frame["item"]].to_numpy() - frame["loading"].to_numpy()
    whole_table(pd.DataFrame({
        "#": frame["number"], t("table1.col_factor"): frame["factor"].map(factor_labels),
        t("table1.col_item"): frame["short"], t("table1.col_published"): frame["loading"].map(lambda v: num(v, ".2f")),
        t("table1.col_refit"): refit.loc[frame["item"]].map(lambda v: num(v, ".3f")).to_numpy(),
        t("table1.col_diff"): [num(d, '+.3f') for d in diff],
    }))
    summary = result.measurement.summary.set_index("factor")
    eig_pub = frame.groupby("factor", sort=False)["eigenvalue"].first()
    whole_table(pd.DataFrame({
        t("table1.col_factor"): [factor_labels[f] for f in eig_pub.index],
        t("table1.col_eigen"): eig_pub.map(lambda v: num(v, ".1f")).to_numpy(),
        t("table1.col_eigen_refit"): [num(summary.loc[f, 'eigenvalue'], '.2f') for f in eig_pub.index],
        t("table1.col_ssl_refit"): [num(summary.loc[f, 'sum_squared_loadings'], '.2f') for f in eig_pub.index],
        "alpha": [num(summary.loc[f, 'alpha'], '.2f') for f in eig_pub.index],
    }))
    st.caption(t("table1.refit_caption", max_diff=num(abs(diff).max(), '.3f')))


main()
