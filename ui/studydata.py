"""The data behind the refit pages, per session: the synthetic replica (public, computed once for every
session) or the user's own survey file, which with everything computed from it stays in that user's
session (issue 7). The sidebar's data-source picker, upload feedback and the study_* accessors."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core import pipeline, replica
from core.errors import StudyError
from ui.common import data_badge, error_text, kept, lang, safe_text, t

SOURCE_KEY = "data_source"
UPLOAD_KEY = "upload_file"
MAPPING_UPLOAD_KEY = "upload_mapping"
USER_DATA_KEY = "_user_data"        # this session's file: bytes, name, survey or error, mapping
RESULTS_KEY = "_user_results"       # this session's results computed from that file
PICKER_HIDDEN_KEY = "_picker_hidden"  # set on pages that do not draw the data-source picker
# Pages whose numbers come from the respondent-level data (replica or the user's file): only they show
# the data-source picker ("controls only where they act").
DATA_PAGES = ("table1", "figure1", "models", "validation", "sensitivity", "diagnostics", "fidelity")


@st.cache_resource(show_spinner=False)
def replica_data():
    """The shipped synthetic replica (read once per server; public, synthetic, the same for everyone)."""
    return replica.load()


def data_source_picker(url_path: str) -> None:
    """Sidebar: run the refits on the synthetic replica or on the user's own survey file.

    The file and everything computed from it stay in this session (st.session_state), never in a cache
    shared by the server's sessions; they are gone when the session ends."""
    from core import columnmap, userdata

    if url_path not in DATA_PAGES:
        st.session_state[PICKER_HIDDEN_KEY] = True   # the uploader will be drawn empty next time
        return
    labels = {"replica": t("source.replica"), "upload": t("source.upload")}
    choice = st.sidebar.radio(t("source.label"), list(labels), format_func=labels.get, key=kept(SOURCE_KEY))
    if choice != "upload":
        return
    box = st.sidebar.container()
    file = box.file_uploader(t("source.file"), type=None, key=UPLOAD_KEY, help=t("source.file_help"))
    box.download_button(t("source.template"), userdata.template_csv(), file_name="survey_template.csv",
                        mime="text/csv", icon=":material/download:", width="stretch")
    box.download_button(t("source.template_sav"), _template_sav(), file_name="survey_template.sav",
                        mime="application/octet-stream", icon=":material/download:", width="stretch")
    box.download_button(t("source.guide"), userdata.codebook_guide().to_csv(index=False).encode(),
                        file_name="codebook_guide.csv", mime="text/csv", icon=":material/download:", width="stretch")
    mapping_file = box.file_uploader(t("source.mapping_file"), type=["json"], key=MAPPING_UPLOAD_KEY,
                                     help=t("source.mapping_help"))
    user = st.session_state.get(USER_DATA_KEY)
    redrawn = st.session_state.pop(PICKER_HIDDEN_KEY, False)
    if file is None:
        if user is None or user.get("file_id") is None:
            return
        if not (redrawn or user.get("detached")):
            st.session_state.pop(USER_DATA_KEY, None)    # the user removed the file from the uploader
            st.session_state.pop(RESULTS_KEY, None)
            return
        # The uploader was drawn empty again after a page that does not use it: the file stays in use.
        user["detached"] = True
        box.caption(t("source.kept_file", name=safe_text(user["name"])))
        if box.button(t("source.remove_file"), icon=":material/delete:", width="stretch"):
            st.session_state.pop(USER_DATA_KEY, None)
            st.session_state.pop(RESULTS_KEY, None)
            st.rerun()
    elif user is None or user.get("file_id") != file.file_id:
        user = {"file_id": file.file_id, "name": file.name, "content": file.getvalue(), "mapping": None,
                "reversed": (), "mapping_id": None}
        st.session_state[USER_DATA_KEY] = user
        st.session_state.pop(RESULTS_KEY, None)
    if mapping_file is not None and user.get("mapping_id") != mapping_file.file_id:
        try:
            user["mapping"], user["reversed"] = columnmap.from_json(mapping_file.getvalue())
        except StudyError as exc:
            box.error(error_text(exc), icon=":material/error:")
        user["mapping_id"] = mapping_file.file_id
        user.pop("survey", None)
    if "survey" not in user and "error" not in user or user.get("stale"):
        _load_user(user)
    _upload_feedback(box, user)


@st.cache_resource(show_spinner=False)
def _template_sav() -> bytes:
    from core import userdata

    return userdata.template_sav()


def _load_user(user: dict) -> None:
    from core import userdata

    user.pop("error", None)
    user.pop("survey", None)
    user["stale"] = False
    try:
        with st.spinner(t("progress.reading", name=safe_text(user["name"])), show_time=True):
            survey = userdata.load_survey(user["content"], user["name"], user.get("mapping"),
                                          tuple(user.get("reversed", ())))
        user["survey"] = survey
        user["mapping"] = survey.mapping
    except StudyError as exc:
        user["error"] = exc
    st.session_state.pop(RESULTS_KEY, None)


def _upload_feedback(box, user: dict) -> None:
    """Next to the uploader: what was detected, notes, or the one message that says what to fix; the
    column mapping to confirm or change."""
    from core import columnmap, userfile

    survey = user.get("survey")
    if "error" in user:
        box.error(safe_text(error_text(user["error"])), icon=":material/error:")
    if survey is not None:
        d = survey.read.detection()
        parts = [t("detect.format", format=d["format"].upper(), rows=d["rows"], columns=d["columns"])]
        if d["encoding"]:
            parts.append(t("detect.text", encoding=d["encoding"], delimiter=d["delimiter"] or "",
                           decimal=t("detect.decimal_comma") if d["decimal"] == "," else t("detect.decimal_point")))
        if d["missing_text"]:
            parts.append(t("detect.missing", codes=", ".join(f"'{c}'" for c in d["missing_text"][:6])))
        if d["skipped_lines"]:
            parts.append(t("detect.skipped", n=d["skipped_lines"]))
        for code, params in survey.notes[:4]:
            parts.append(t(f"note.{code}", **params))
        box.success(safe_text(" ".join(parts)), icon=":material/check_circle:")
    try:
        columns = list(userfile.read_file(user["content"], user["name"]).frame.columns) if survey is None \
            else list(survey.read.frame.columns)
    except StudyError:
        return
    with box.expander(t("source.mapping_title"), expanded=survey is None):
        mapping = user.get("mapping") or columnmap.suggest(columns)
        options = ["—", *columns]
        rows = [{"variable": v, "column": mapping.get(v) or "—", "reversed": v in user.get("reversed", ())}
                for v in columnmap.targets()]
        edited = st.data_editor(
            pd.DataFrame(rows), hide_index=True, key="mapping_editor", width="stretch", disabled=["variable"],
            column_config={"variable": st.column_config.TextColumn(t("source.map_variable")),
                           "column": st.column_config.SelectboxColumn(t("source.map_column"), options=options),
                           "reversed": st.column_config.CheckboxColumn(t("source.map_reversed"))})
        new_map = {r["variable"]: (None if r["column"] in (None, "—") else r["column"]) for r in edited.to_dict("records")}
        new_rev = tuple(r["variable"] for r in edited.to_dict("records") if r["reversed"])
        if st.button(t("source.map_apply"), key="mapping_apply", icon=":material/check:"):
            user["mapping"], user["reversed"] = new_map, new_rev
            _load_user(user)
            st.rerun()
        st.download_button(t("source.map_download"), columnmap.to_json(new_map, new_rev), file_name="mapping.json",
                           mime="application/json", icon=":material/download:")


def _current():
    """(key, label, data): the user's valid file when chosen and uploaded, else the synthetic replica."""
    user = st.session_state.get(USER_DATA_KEY)
    if st.session_state.get(SOURCE_KEY) == "upload" and user and user.get("survey") is not None:
        return user["survey"].digest, user["name"], user["survey"].frame
    return "replica", None, replica_data()


def study_data():
    return _current()[2]


def _compute(kind: str, data, *args):
    """The computations the refit pages share, by kind."""
    from core import fidelity, sensitivity, uncertainty

    if kind == "pipeline":
        extraction, missing = args
        return pipeline.run(data, pipeline.PipelineOptions(extraction=extraction, missing=missing))
    if kind == "bootstrap":
        replicates, seed = args
        return uncertainty.bootstrap(data, replicates, seed, _get("pipeline", data, "principal", "impute"))
    if kind == "workbench":
        return sensitivity.Workbench(data)
    if kind == "curve":
        return _get("workbench", data).specification_curve()
    if kind == "fidelity":
        return fidelity.report(data, _get("pipeline", data, "principal", "impute"))
    raise KeyError(kind)


@st.cache_resource(show_spinner=False, max_entries=32)
def _replica_result(kind: str, args: tuple):
    """Results on the synthetic replica: public and the same for every session, so shared."""
    return _compute(kind, replica_data(), *args)


def _get(kind: str, data, *args):
    """A shared result for the replica object itself; anything else is the user's data and stays in this
    session, keyed by a digest of its column names and values."""
    if data is replica_data():
        return _replica_result(kind, tuple(args))
    key, _, current = _current()
    if data is not current:  # not reachable from the pages: compute, keep nothing
        return _compute(kind, data, *args)
    store = st.session_state.setdefault(RESULTS_KEY, {})
    digest = key
    if store.get("_digest") != digest:
        store.clear()
        store["_digest"] = digest
    if (kind, args) not in store:
        # Long on a large file: the spinner names the step and counts the seconds; moving to another page
        # stops this run (nothing half-done is kept).
        step = kind if kind in ("pipeline", "bootstrap", "workbench") else "other"
        with st.spinner(t(f"progress.{step}", rows=f"{len(data):,}".replace(",", "." if lang() == "nl" else ",")),
                        show_time=True):
            store[(kind, args)] = _compute(kind, data, *args)
    return store[(kind, args)]


def study_pipeline(extraction: str = "principal", missing: str = "impute"):
    """The pipeline on the current data, computed once per data set and options (never on a slider move)."""
    return _get("pipeline", study_data(), extraction, missing)


def source_label() -> str:
    """One line naming the data behind a refit (goes into charts and exports)."""
    key, name, _ = _current()
    return t("badge.synthetic") if key == "replica" else t("source.badge", name=name)


def data_notice() -> None:
    """The label every page that fits on data carries: synthetic replica, or the user's own file."""
    user = st.session_state.get(USER_DATA_KEY)
    if st.session_state.get(SOURCE_KEY) == "upload" and user and "error" in user:
        st.error(t("source.invalid_short"), icon=":material/error:")
    key, name, _ = _current()
    if key == "replica":
        data_badge("synthetic")
        st.caption(t("synthetic.caption"))
    else:
        st.badge(safe_text(t("source.badge", name=name)), icon=":material/upload_file:", color="green")
        st.caption(t("source.caption"))


def study_bootstrap(replicates: int = 1000, seed: int = 1):
    """Bootstrap draws on the current data (vectorized, about half a second), computed once."""
    return _get("bootstrap", study_data(), replicates, seed)


def replica_bootstrap(replicates: int = 1000, seed: int = 1):
    """Bootstrap draws on the synthetic replica, whatever data the user chose (the explorer's band)."""
    return _replica_result("bootstrap", (replicates, seed))


def study_workbench():
    return _get("workbench", study_data())


def study_specification_curve():
    """All specifications on the current data (about two seconds once; the caller shows a spinner)."""
    return _get("curve", study_data())


def study_fidelity():
    return _get("fidelity", study_data())


def study_key() -> str:
    return _current()[0]
