"""Wrapper for the rerun benchmark: runs the page named in session state and records the script-body time.

The page's bytecode is compiled once and reused, as Streamlit itself does for the pages of an app
(ScriptCache / PagesManager.get_page_script_byte_code); only the run is timed."""
import sys
import time
import types

import streamlit as st

# The wrapper itself runs in a fresh namespace on every rerun: the cache lives in a module object.
_CODE: dict = sys.modules.setdefault("_bench_bytecode", types.ModuleType("_bench_bytecode")).__dict__
_target = st.session_state["_bench_target"]
if _target not in _CODE:
    with open(_target, encoding="utf-8") as fh:
        _CODE[_target] = compile(fh.read(), _target, "exec")
_start = time.perf_counter()
exec(_CODE[_target], {"__name__": "__main__", "__file__": _target})  # noqa: S102 - our own page file
st.session_state.setdefault("_bench_times", []).append(time.perf_counter() - _start)
