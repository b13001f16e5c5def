"""Entry point: ``streamlit run app.py``. Language switch, navigation, error boundary."""
from pathlib import Path

import streamlit as st

from ui.common import LANG_KEY, language_switch, layout_fixes, page_guard, published_disagreements, t
from ui.studydata import data_source_picker

ICON = str(Path(__file__).parent / "ui" / "icon.png")  # served by the app itself: no request leaves its host

st.set_page_config(page_title="Terug of niet? / Going back, or not?", page_icon=ICON,
                   layout="wide")
if st.query_params.get("present") in ("1", "true"):
    # Presentation mode: one page, no sidebar or navigation; the language comes from the link.
    st.session_state[LANG_KEY] = "NL" if str(st.query_params.get("lang", "EN")).upper() == "NL" else "EN"
    page = st.navigation([st.Page("app_pages/present.py", title=t("nav.explorer"), default=True)], position="hidden")
    with page_guard():
        page.run()
    st.stop()
language_switch()
layout_fixes()

pages = [
    st.Page("app_pages/explorer.py", title=t("nav.explorer"), icon=":material/tune:", default=True),
    st.Page("app_pages/table1.py", title=t("nav.table1"), icon=":material/table_chart:", url_path="table1"),
    st.Page("app_pages/audit.py", title=t("nav.audit"), icon=":material/fact_check:", url_path="audit"),
    st.Page("app_pages/figure1.py", title=t("nav.figure1"), icon=":material/bar_chart:", url_path="figure1"),
    st.Page("app_pages/models.py", title=t("nav.models"), icon=":material/functions:", url_path="models"),
    st.Page("app_pages/validation.py", title=t("nav.validation"), icon=":material/verified:", url_path="validation"),
    st.Page("app_pages/sensitivity.py", title=t("nav.sensitivity"), icon=":material/science:", url_path="sensitivity"),
    st.Page("app_pages/diagnostics.py", title=t("nav.diagnostics"), icon=":material/monitor_heart:",
            url_path="diagnostics"),
    st.Page("app_pages/fidelity.py", title=t("nav.fidelity"), icon=":material/rule:", url_path="fidelity"),
    st.Page("app_pages/about.py", title=t("nav.about"), icon=":material/info:", url_path="about"),
]
page = st.navigation(pages)
with page_guard():
    data_source_picker(page.url_path)
    published_disagreements()
st.sidebar.caption(t("sidebar.citation"))
with page_guard():
    page.run()
