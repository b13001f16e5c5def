"""Entry point: ``streamlit run app.py``. Language switch, navigation, error boundary."""
import streamlit as st

from ui.common import language_switch, page_guard, t

st.set_page_config(page_title="Terug of niet? / Going back, or not?", page_icon=":material/explore:",
                   layout="wide")
language_switch()

pages = [
    st.Page("pages/explorer.py", title=t("nav.explorer"), icon=":material/tune:", default=True),
    st.Page("pages/table1.py", title=t("nav.table1"), icon=":material/table_chart:", url_path="table1"),
    st.Page("pages/audit.py", title=t("nav.audit"), icon=":material/fact_check:", url_path="audit"),
    st.Page("pages/about.py", title=t("nav.about"), icon=":material/info:", url_path="about"),
]
page = st.navigation(pages)
st.sidebar.caption(t("sidebar.citation"))
with page_guard():
    page.run()
