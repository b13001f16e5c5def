"""Shared UI helpers: language, translation, error boundary, chart export settings."""
from __future__ import annotations

import logging
from contextlib import contextmanager

import streamlit as st

from core import figures, i18n, pipeline, replica
from core.errors import StudyError

log = logging.getLogger("dashboard")
LANG_KEY = "lang"


def lang() -> str:
    """Current language code ('en' or 'nl'), from the sidebar switch (bound to ?lang=)."""
    return "nl" if st.session_state.get(LANG_KEY, "EN") == "NL" else "en"


def t(key: str, **values) -> str:
    """Translate a key into the current language."""
    return i18n.translate(key, lang(), **values)


def language_switch() -> None:
    """The sidebar language switch; rendered first so every later string is in the chosen language."""
    st.sidebar.radio("Language / Taal", ["EN", "NL"], key=LANG_KEY, bind="query-params", horizontal=True)


def plotly_config(filename: str) -> dict:
    """Export settings: a high-resolution PNG named after the figure, no plotly logo."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": f"{filename}_{lang()}", "scale": 3}}


def chart(spec: dict, filename: str) -> None:
    """Render a figure spec from core.figures, exportable as PNG."""
    st.plotly_chart(figures.to_figure(spec), config=plotly_config(filename), width="stretch")


def data_badge(kind: str) -> None:
    """Label what the numbers on a page are based on: 'published' (exact) or 'synthetic'."""
    if kind == "published":
        st.badge(t("badge.published"), icon=":material/menu_book:", color="blue")
    else:
        st.badge(t("badge.synthetic"), icon=":material/science:", color="orange")


@contextmanager
def page_guard():
    """Error boundary of a page: user-facing messages for our errors, never a raw traceback."""
    try:
        yield
    except StudyError as exc:
        st.error(t("error.study", message=str(exc)), icon=":material/error:")
    except Exception:  # noqa: BLE001 - the boundary: log for developers, a calm message for users
        log.exception("Unexpected error on a page")
        st.error(t("error.unexpected"), icon=":material/error:")


@st.cache_resource(show_spinner=False)
def replica_data():
    """The shipped synthetic replica (read once per server)."""
    return replica.load()


@st.cache_resource(show_spinner=False)
def replica_pipeline(extraction: str = "principal", missing: str = "impute"):
    """The pipeline on the replica, computed once per choice of options (never on a slider move)."""
    return pipeline.run(replica_data(), pipeline.PipelineOptions(extraction=extraction, missing=missing))


def synthetic_notice() -> None:
    """The label every page that uses the replica carries."""
    data_badge("synthetic")
    st.caption(t("synthetic.caption"))


@st.cache_resource(show_spinner=False)
def replica_bootstrap(replicates: int = 1000, seed: int = 1):
    """Bootstrap draws on the replica (vectorized, about half a second), computed once."""
    from core import uncertainty

    return uncertainty.bootstrap(replica_data(), replicates, seed, replica_pipeline())


@st.cache_resource(show_spinner=False)
def replica_workbench():
    from core import sensitivity

    return sensitivity.Workbench(replica_data())


@st.cache_resource(show_spinner=False)
def replica_specification_curve():
    """All specifications on the replica (a few seconds once; shown with a spinner by the caller)."""
    return replica_workbench().specification_curve()
