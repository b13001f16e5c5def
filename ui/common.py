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


SOURCE_KEY = "data_source"
UPLOAD_KEY = "upload_file"
USER_DATA_KEY = "_user_data"


@st.cache_resource(show_spinner=False)
def replica_data():
    """The shipped synthetic replica (read once per server)."""
    return replica.load()


def data_source_picker() -> None:
    """Sidebar: run the refits on the synthetic replica or on the user's own survey file."""
    from core import userdata

    labels = {"replica": t("source.replica"), "upload": t("source.upload")}
    choice = st.sidebar.radio(t("source.label"), list(labels), format_func=labels.get, key=SOURCE_KEY)
    if choice != "upload":
        return
    file = st.sidebar.file_uploader(t("source.file"), type=["csv"], key=UPLOAD_KEY, help=t("source.file_help"))
    st.sidebar.download_button(t("source.template"), userdata.template_csv(), file_name="survey_template.csv",
                               mime="text/csv", icon=":material/download:")
    if file is None:
        st.session_state.pop(USER_DATA_KEY, None)
        return
    cached = st.session_state.get(USER_DATA_KEY)
    if cached and cached["file_id"] == file.file_id:
        return
    try:
        frame = userdata.read_survey(file.getvalue(), file.name)
    except StudyError as exc:
        st.session_state[USER_DATA_KEY] = {"file_id": file.file_id, "error": str(exc)}
        return
    st.session_state[USER_DATA_KEY] = {"file_id": file.file_id, "name": file.name, "frame": frame,
                                       "digest": userdata.digest(frame)}


def _current():
    """(key, label, data): the user's valid file when chosen and uploaded, else the synthetic replica."""
    user = st.session_state.get(USER_DATA_KEY)
    if st.session_state.get(SOURCE_KEY) == "upload" and user and "frame" in user:
        return user["digest"], user["name"], user["frame"]
    return "replica", None, replica_data()


def study_data():
    return _current()[2]


@st.cache_resource(show_spinner=False, max_entries=16)
def _pipeline(key: str, _data, extraction: str, missing: str):
    return pipeline.run(_data, pipeline.PipelineOptions(extraction=extraction, missing=missing))


def study_pipeline(extraction: str = "principal", missing: str = "impute"):
    """The pipeline on the current data, computed once per data set and options (never on a slider move)."""
    key, _, data = _current()
    return _pipeline(key, data, extraction, missing)


def source_label() -> str:
    """One line naming the data behind a refit (goes into charts and exports)."""
    key, name, _ = _current()
    return t("badge.synthetic") if key == "replica" else t("source.badge", name=name)


def data_notice() -> None:
    """The label every page that fits on data carries: synthetic replica, or the user's own file."""
    user = st.session_state.get(USER_DATA_KEY)
    if st.session_state.get(SOURCE_KEY) == "upload" and user and "error" in user:
        st.error(t("source.invalid", message=user["error"]), icon=":material/error:")
    key, name, _ = _current()
    if key == "replica":
        data_badge("synthetic")
        st.caption(t("synthetic.caption"))
    else:
        st.badge(t("source.badge", name=name), icon=":material/upload_file:", color="green")
        st.caption(t("source.caption"))


@st.cache_resource(show_spinner=False, max_entries=8)
def _bootstrap(key: str, _data, replicates: int, seed: int):
    from core import uncertainty

    return uncertainty.bootstrap(_data, replicates, seed, _pipeline(key, _data, "principal", "impute"))


def study_bootstrap(replicates: int = 1000, seed: int = 1):
    """Bootstrap draws on the current data (vectorized, about half a second), computed once."""
    key, _, data = _current()
    return _bootstrap(key, data, replicates, seed)


def replica_bootstrap(replicates: int = 1000, seed: int = 1):
    """Bootstrap draws on the synthetic replica, whatever data the user chose (the explorer's band)."""
    return _bootstrap("replica", replica_data(), replicates, seed)


@st.cache_resource(show_spinner=False, max_entries=8)
def _workbench(key: str, _data):
    from core import sensitivity

    return sensitivity.Workbench(_data)


def study_workbench():
    key, _, data = _current()
    return _workbench(key, data)


@st.cache_resource(show_spinner=False, max_entries=8)
def _curve(key: str, _data):
    return _workbench(key, _data).specification_curve()


def study_specification_curve():
    """All specifications on the current data (about two seconds once; the caller shows a spinner)."""
    key, _, data = _current()
    return _curve(key, data)


def study_key() -> str:
    return _current()[0]


@st.cache_resource(show_spinner=False)
def _load_checks():
    from core import published

    return published.load_checks()


def published_disagreements() -> None:
    """Loading checks on start: every Table 3 term present (else an error), Exp(B) against exp(B).
    Disagreements are reported in the sidebar, never fixed."""
    checks = _load_checks()
    bad = checks[~checks["agrees"]]
    if len(bad):
        st.sidebar.caption(t("sidebar.load_checks", n=len(bad)))


def fit_status(outcome: str, n: int, events: int, epv: float, status: str, show_ok: bool = True) -> bool:
    """One line with N, events, EPV and the fit's status (core.fitstatus); a plain error for a failed fit.
    Returns whether the fit's estimates may be shown."""
    from core import fitstatus

    name = t(f"outcome.{outcome}.short")
    line = t("fit.status_line", outcome=name, n=n, events=events, epv=f"{epv:.1f}", status=t(f"status.{status}"))
    if fitstatus.usable(status):
        if show_ok:
            st.caption(line)
        return True
    st.error(line + " " + t("fit.failed", outcome=name, status=t(f"status.{status}")), icon=":material/block:")
    return False
