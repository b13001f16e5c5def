"""Fidelity: every published number the synthetic replica is calibrated to, beside the replica's value."""
import re

import streamlit as st

from core import export, fidelity
from ui.common import num, study_words, t
from ui.studydata import data_notice, study_fidelity


def group_label(group: str) -> str:
    """A fidelity group in the current language (data/translations.csv: fidelity.group.<slug>)."""
    return t("fidelity.group." + re.sub(r"[^a-z0-9]+", "_", group.lower().replace("²", "2")).strip("_"))


def main() -> None:
    st.title(t("fidelity.title"))
    data_notice()
    st.markdown(t("fidelity.intro"))
    table = study_fidelity()
    summary = fidelity.summary(table)
    groups_shown = ("Table 3 B", "Table 3 stars", "Nagelkerke R²", "Table 1a loading", "Table 4 B", "Table 2 factor N")
    cols = [c for _ in range(2) for c in st.columns(3)]   # two rows of three: numbers never squeezed
    for col, group in zip(cols, groups_shown):
        s = summary[group]
        mark = "✓" if s["all_within"] else "✗"
        value = mark if s["max_abs_difference"] is None else f"{num(s['max_abs_difference'], '.3f')} {mark}"
        col.metric(group_label(group), value, help=t("fidelity.metric_help"))
    listwise = table[table["group"] == "listwise N"]["replica"]
    if len(listwise):
        st.caption(t("fidelity.listwise", n=int(listwise.iloc[0])))
    groups = list(dict.fromkeys(table["group"]))
    chosen = st.multiselect(t("fidelity.groups"), groups, default=groups, key="fidelity_groups",
                            format_func=group_label, placeholder=t("common.choose"))
    shown = table[table["group"].isin(chosen)].copy()
    for c in ("published", "replica", "difference", "tolerance"):
        shown[c] = shown[c].map(lambda v: "" if v is None or v != v else (num(v, '.3f') if isinstance(v, float) else str(v)))
    shown["within"] = shown["within"].map({True: "✓", False: "✗"}).fillna("")
    shown["note"] = shown["note"].map(lambda n: t(f"fidelity.note.{n}") if n else "")
    shown["group"] = shown["group"].map(group_label)
    shown["quantity"] = shown["quantity"].map(study_words)   # variable codes as labels, Dutch phrases
    shown["source"] = shown["source"].map(study_words)
    shown = shown.rename(columns={"note": t("fidelity.col_note"), "replica": t("fidelity.col_data"),
                                  **{c: t(f"fidelity.col_{c}") for c in ("group", "quantity", "source", "published",
                                                                        "difference", "tolerance", "within")}})
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(t("fidelity.caption"))
    st.download_button(t("common.download_csv"), export.safe_csv(table.assign(label=t("badge.synthetic"))),
                       file_name="replica_fidelity.csv", mime="text/csv", icon=":material/download:")


main()
