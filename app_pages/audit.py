"""Reproduction audit: section 4's worked examples recomputed from Table 3 and Table 2; consistency checks."""
import pandas as pd
import streamlit as st

from core import audit, codebook, figures
from ui.common import chart, data_badge, lang, t


def _fmt(x, pattern="{:+.2f}"):
    return "" if x is None or pd.isna(x) else pattern.format(x)


def main() -> None:
    st.title(t("audit.title"))
    data_badge("published")
    st.markdown(t("audit.intro"))

    ex = audit.worked_examples()
    labels = [t(f"example.{i}") for i in ex["example_id"]]
    n_ok = int(ex["within_rounding"].sum())
    st.metric(t("audit.metric_within"), f"{n_ok} / {len(ex)}")
    chart(figures.audit_figure(ex, labels, t("audit.published"), t("audit.computed"), t("audit.band"),
                               t("audit.axis")), "audit_worked_examples")
    table = pd.DataFrame({
        t("audit.col_example"): labels,
        t("audit.published"): ex["published_pct"].map("{:.0f}%".format),
        t("audit.computed"): ex["computed_pct"].map("{:.1f}%".format),
        t("audit.col_deviation"): ex["deviation_pp"].map("{:+.1f}".format),
        t("audit.band"): [f"{lo:.1f}–{hi:.1f}%" for lo, hi in zip(ex["band_low_pct"], ex["band_high_pct"])],
        t("audit.col_within"): ex["within_rounding"].map({True: "✓", False: "✗"}),
        t("audit.col_implied"): ex["implied_delta"].map(_fmt),
        t("audit.col_implied_pub"): ex["implied_delta_from_published_baseline"].map(_fmt),
    })
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(t("audit.examples_caption"))
    st.markdown(t("audit.examples_explanation"))

    st.subheader(t("audit.findings_title"))
    checks = audit.consistency_checks()
    for row in checks[~checks["agrees"]].itertuples(index=False):
        subject = row.subject
        if codebook.exists(row.subject):
            subject = codebook.variable(row.subject).short[lang()]
        st.markdown(f"**{row.source} — {subject}**: " +
                    t(f"finding.{row.detail}", printed=row.printed, implied=row.implied))
    with st.expander(t("audit.all_checks", n=len(checks), bad=int((~checks["agrees"]).sum()))):
        st.dataframe(checks.assign(detail=checks["detail"].map(lambda d: t(f"check.{d}") if d else "")),
                     hide_index=True, width="stretch")


main()
