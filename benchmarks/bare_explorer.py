"""Baseline for the rerun benchmark: the explorer's widgets with no computation and no charts."""
import streamlit as st

from core import codebook, scenario

st.title("Bare page")
left, right = st.columns([1, 2])
with left:
    st.radio("Model", ["table3", "A", "B"], key="model")
    st.toggle("Use the two survey questions", key="safety_items", bind="query-params")
    for v in codebook.predictors()[:0]:
        pass
    for name in ("safety", "health", "dtv_conversations"):
        v = codebook.variable(name)
        st.slider(v.short["en"], v.slider_min, v.slider_max, value=scenario.average_value(name), step=v.step,
                  key=name, bind="query-params")
    with st.expander("Other factors"):
        for v in codebook.predictors():
            if v.name not in ("safety", "health", "dtv_conversations"):
                st.slider(v.short["en"], v.slider_min, v.slider_max, value=scenario.average_value(v.name),
                          step=v.step, key=v.name, bind="query-params")
    st.button("Reset")
    st.button("Remember")
with right:
    a, b = st.columns(2)
    # The numbers echo the health slider, so a browser benchmark can see the rerun arrive.
    a.metric("Intention", f"{st.session_state['health']:.1f}")
    b.metric("Attitude", "5%")
    st.selectbox("Curve", ["safety", "health"], key="curve_var")
