"""Reproduction audit: section 4's worked examples recomputed from Table 3 and Table 2; consistency checks."""
import pandas as pd
import streamlit as st

from core import audit, codebook, figures, i18n, rounding
from ui.common import chart, data_badge, num, study_words, t, whole_table


def _fmt(x):
    return "" if x is None or pd.isna(x) else num(x, "+.2f")


def main() -> None:
    st.title(t("audit.title"))
    data_badge("published")
    st.markdown(t("audit.intro"))

    ex = audit.worked_examples().merge(audit.example_verdicts()[["example_id", "verdict"]], on="example_id")
    labels = [t(f"example.{i}") for i in ex["example_id"]]
    n_ok = int(ex["within_rounding"].sum())
    c1, c2 = st.columns(2)
    c1.metric(t("audit.metric_within"), f"{n_ok} / {len(ex)}")
    c2.metric(t("audit.metric_expected"), f"{int((ex['verdict'] == 'expected').sum())} / {len(ex)}")
    chart(figures.audit_figure(ex, labels, t("audit.published"), t("audit.computed"), t("audit.band"),
                               t("audit.axis")), "audit_worked_examples")
    table = pd.DataFrame({
        t("audit.col_example"): labels,
        t("audit.published"): ex["published_pct"].map(lambda v: num(v, ".0f") + "%"),
        t("audit.computed"): ex["computed_pct"].map(lambda v: num(v, ".1f") + "%"),
        # The verdict next to the two numbers it judges: readable without scrolling sideways (1280 px cut it off).
        t("audit.col_verdict"): ex["verdict"].map(lambda v: t(f"verdict.{v}")),
        t("audit.col_deviation"): ex["deviation_pp"].map(lambda v: num(v, "+.1f")),
        t("audit.band"): [f"{num(lo, '.1f')}–{num(hi, '.1f')}%" for lo, hi in zip(ex["band_low_pct"], ex["band_high_pct"])],
        t("audit.col_within"): ex["within_rounding"].map({True: "✓", False: "✗"}),
        t("audit.col_implied"): ex["implied_delta"].map(_fmt),
        t("audit.col_implied_pub"): ex["implied_delta_from_published_baseline"].map(_fmt),
    })
    whole_table(table)
    st.caption(t("audit.examples_caption"))
    st.markdown(t("audit.examples_explanation"))

    st.subheader(t("audit.findings_title"))
    checks = audit.consistency_checks()
    counts = checks["verdict"].value_counts()
    st.markdown(t("audit.verdict_counts", n=len(checks), classes=checks["relation"].nunique(),
                  **{v: int(counts.get(v, 0)) for v in rounding.VERDICTS}))
    st.markdown(t("audit.verdict_rule"))
    for row in checks[checks["verdict"] != "expected"].itertuples(index=False):
        subject = _subject(row.relation, row.subject)
        printed, implied = study_words(row.printed), study_words(row.implied)
        key = f"finding.{row.detail}"
        specific = t(key, printed=printed, implied=implied) if key in i18n.table() else ""
        numbers = t("audit.finding_line", printed=printed, implied=implied,
                    central=_interval(row.central_low, row.central_high), worst=_interval(row.worst_low, row.worst_high))
        st.markdown(f"**{study_words(row.source)} — {subject}** · {t(f'relation.{row.relation}')} · "
                    f"*{t(f'verdict.{row.verdict}')}*  \n{specific} {numbers}")
    with st.expander(t("audit.all_checks", n=len(checks), bad=int((checks["verdict"] != "expected").sum()))):
        st.dataframe(pd.DataFrame({
            # The verdict first after the subject: readable without scrolling sideways on any screen.
            t("audit.col_subject"): [_subject(r, s) for r, s in zip(checks["relation"], checks["subject"])],
            t("audit.col_verdict"): checks["verdict"].map(lambda v: t(f"verdict.{v}")),
            t("audit.col_printed"): checks["printed"].map(study_words),
            t("audit.col_implied_value"): checks["implied"].map(study_words),
            t("audit.col_relation"): checks["relation"].map(lambda r: t(f"relation.{r}")),
            t("audit.col_source"): checks["source"].map(study_words),
            t("audit.col_central"): [_interval(a, b) for a, b in zip(checks["central_low"], checks["central_high"])],
            t("audit.col_worst"): [_interval(a, b) for a, b in zip(checks["worst_low"], checks["worst_high"])],
        }), hide_index=True, width="stretch")


def _subject(relation: str, subject: str) -> str:
    """A check's subject in words: a worked example by its name, otherwise variable codes as labels."""
    return t(f"example.{subject}") if relation == "worked_example" else study_words(subject)


def _interval(low, high) -> str:
    if pd.isna(low) or pd.isna(high):
        return ""
    return f"[{num(low, '.3g')}; {num(high, '.3g')}]"


main()
