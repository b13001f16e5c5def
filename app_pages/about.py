"""About the study, the data kinds and the caveats."""
import streamlit as st

from ui.common import t


def main() -> None:
    st.title(t("about.title"))
    st.markdown(t("about.study"))
    st.subheader(t("about.data_title"))
    st.markdown(t("about.data"))
    st.subheader(t("about.caveats_title"))
    st.markdown(t("about.caveats"))
    st.subheader(t("about.licence_title"))
    st.markdown(t("about.licence"))


main()
