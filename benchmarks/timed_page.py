"""Wrapper for the rerun benchmark: runs the page named in session state and records the script-body time."""
import runpy
import time

import streamlit as st

_target = st.session_state["_bench_target"]
_start = time.perf_counter()
runpy.run_path(_target, run_name="__main__")
st.session_state.setdefault("_bench_times", []).append(time.perf_counter() - _start)
