"""Presentation mode: the paper's story one message per screen, large type, no sidebar or controls; arrow
keys step through it. Opened with ?present=1 (the explorer's link carries the presenter's scenario)."""
from urllib.parse import urlencode

import streamlit as st

from core import export, presentation, urlstate
from ui.common import data_badge, lang, t, vega_localized

STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, [data-testid="stToolbar"] {display: none;}
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 1.5rem; max-width: 1500px;}
[data-testid="stMarkdownContainer"] p {font-size: 1.9rem; line-height: 1.35;}
[data-testid="stMetricValue"] {font-size: 3.6rem;}
h1 {font-size: 3rem !important;}
</style>"""


def _scenario() -> tuple[str, dict, str]:
    values, _ = urlstate.check_query(st.query_params.to_dict())
    model = values.pop(urlstate.MODEL_PARAM, "table3")
    group = values.pop(urlstate.SAFETY_GROUP_PARAM, "average")
    numbers = {k: v for k, v in values.items() if isinstance(v, float) and k not in ("item01", "item02")}
    return model, numbers, group


def main() -> None:
    st.markdown(STYLE, unsafe_allow_html=True)  # our own constant CSS; no user text
    model, values, group = _scenario()
    steps = presentation.STEPS
    try:
        step = min(max(int(st.query_params.get("step", "1")), 1), len(steps))
    except ValueError:
        step = 1
    slide = presentation.slide(steps[step - 1], model, values, group, lang())
    st.title(slide.title)
    data_badge("published")
    st.markdown(slide.message)
    if slide.bullets:
        for line in slide.bullets:
            st.markdown(f"- {line}")
    elif slide.after:
        cols = st.columns(2)
        for col, outcome in zip(cols, ("intention", "attitude")):
            before, after = slide.before[outcome], slide.after[outcome]
            col.metric(t(f"outcome.{outcome}.title"), f"{after}%", delta=f"{after - before:+d} pp", delta_color="off")
    else:
        cols = st.columns(2)
        for col, outcome in zip(cols, ("intention", "attitude")):
            col.metric(t(f"outcome.{outcome}.title"), f"{slide.before[outcome]}%")
    if slide.variable and slide.after:
        spec = export.chart_spec(export.ExportScenario(model, values, group, slide.variable), lang(), width=1100)
        for key in ("padding", "background", "width", "title"):  # the page has its own title and label
            spec.pop(key, None)
        spec["height"] = 240
        st.vega_lite_chart(vega_localized(spec), width="stretch")
    left, middle, right = st.columns([1, 2, 1])
    if left.button(t("present.previous"), shortcut="Left", disabled=step == 1, width="stretch"):
        st.query_params["step"] = str(step - 1)
        st.rerun()
    middle.caption(t("present.step", n=step, total=len(steps)))
    if right.button(t("present.next"), shortcut="Right", disabled=step == len(steps), width="stretch",
                    type="primary"):
        st.query_params["step"] = str(step + 1)
        st.rerun()
    query = {k: v for k, v in st.query_params.to_dict().items() if k not in ("present", "step")}
    st.link_button(t("present.exit"), "./?" + urlencode(query))


main()
