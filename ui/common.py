"""Shared UI helpers: language, translation, error boundary, chart export settings."""
from __future__ import annotations

import hashlib
import logging
import re
import traceback
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from core import codebook, figures, i18n, pipeline, replica
from core.errors import StudyError

log = logging.getLogger("dashboard")
LANG_KEY = "lang"


def lang() -> str:
    """Current language code ('en' or 'nl'), from the sidebar switch (bound to ?lang=)."""
    return "nl" if st.session_state.get(LANG_KEY, "EN") == "NL" else "en"


def t(key: str, **values) -> str:
    """Translate a key into the current language."""
    return i18n.translate(key, lang(), **values)


def num(value, spec: str = ".2f") -> str:
    """A number for display in the current language (decimal comma in Dutch)."""
    return i18n.number(value, spec, lang())


def bound_to_language():
    """``(t, num, lang)`` bound to the language of this rerun, read once: for a page that translates dozens
    of strings on every slider move (the explorer), where reading the session's language per string cost
    about a tenth of its rerun (benchmarks/rerun_ratio.py, issue 9)."""
    language = lang()

    def bound_t(key: str, **values) -> str:
        return i18n.translate(key, language, **values)

    def bound_num(value, spec: str = ".2f") -> str:
        return i18n.number(value, spec, language)

    return bound_t, bound_num, lambda: language


def vega_localized(spec: dict) -> dict:
    """A Vega-Lite spec whose axis and tooltip numbers use the current language's decimal mark."""
    locale = i18n.VEGA_LOCALE.get(lang())
    if not locale:
        return spec
    return {**spec, "config": {**spec.get("config", {}), "locale": locale}}


def altair_localized(chart):
    """An Altair chart with the current language's decimal mark (Vega-Lite config.locale)."""
    locale = i18n.VEGA_LOCALE.get(lang())
    return chart.configure(locale=locale) if locale else chart


_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def study_words(text: str) -> str:
    """Text composed in core/ (the audit's subjects and printed/implied values, English with variable
    codes) for display: variable codes become their short labels in the current language; in Dutch the
    phrases of the translation table's 'phrase.*' rows are translated and decimal points become commas."""
    def label(match: re.Match) -> str:
        word = match.group(0)
        if word in ("intention", "attitude"):
            return t(f"outcome.{word}.short")
        if word == "table3":
            return t("common.table3")
        if word == "const":
            return t("models.constant")
        if word.startswith("safety_") and codebook.exists(word[7:]) and not codebook.exists(word):
            return f"{codebook.variable('safety').short[lang()]} – {codebook.variable(word[7:]).short[lang()]}"
        if codebook.exists(word):
            return codebook.variable(word).short[lang()]
        return t(f"term.{word}") if f"term.{word}" in i18n.table() else word

    text = _TOKEN.sub(label, str(text))
    if lang() != "nl":
        return text
    for pattern, dutch in i18n.phrases("nl"):
        text = pattern.sub(dutch, text)
    # Decimal commas, but section numbers stay as the paper prints them (Paragraaf 4.1).
    return re.sub(r"((?:Paragraaf|Paragrafen) \d+(?:\.\d+)*)|(?<=\d)\.(?=\d)", lambda m: m.group(1) or ",", text)


def kept(key: str) -> str:
    """A widget key whose value survives a language switch.

    A widget whose label or option texts change (they are translated) is a new widget to the browser,
    which then shows no choice or the default. The value is therefore kept under a shadow key and handed
    back to the widget through session state before it is drawn. Use: ``st.radio(..., key=kept("k"))``;
    values are stable codes, never translated labels."""
    shadow = "_kept_" + key
    if key in st.session_state:
        st.session_state[shadow] = st.session_state[key]
    if shadow in st.session_state:
        st.session_state[key] = st.session_state[shadow]
    return key


LAYOUT_CSS = """<style>
[data-testid="stMarkdownContainer"] table {display: block; max-width: 100%; overflow-x: auto;}
[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stMetricDelta"] * {white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; word-break: keep-all !important; overflow-wrap: normal !important;}
[data-testid="stMain"] button p, [data-testid="stMain"] button div, [data-testid="stMain"] label p,
[data-testid="stMain"] label div, [data-testid="stMain"] a div, [data-testid="stMain"] a p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] span {
  white-space: normal !important; text-overflow: clip !important; overflow: visible !important;}
.st-key-phone_numbers {display: none;}
[class*="st-key-narrow_table_"] {display: none;}
@media (max-width: 640px) {
  [class*="st-key-wide_table_"] {display: none;}
  [class*="st-key-narrow_table_"] {display: block;}   /* whole_table: one block per row */
  .st-key-phone_numbers {display: block; background: white; padding: 0.3rem 0.5rem;
    border-bottom: 1px solid #c9d3da; font-size: 1.05rem;}
  div:has(> .st-key-phone_numbers) {position: sticky; top: 3.75rem; z-index: 50;}
  h1 {font-size: 1.9rem !important; overflow-wrap: anywhere;}   /* long Dutch words: Gevoeligheidsanalyse */
}
@media (max-width: 1000px) {   /* a phone, or a laptop at 150% zoom: the comparison table fits its column */
  [data-testid="stMarkdownContainer"] table th, [data-testid="stMarkdownContainer"] table td {
    padding: 0.3rem 0.35rem !important; font-size: 0.85rem;}
}
</style>"""


def layout_fixes() -> None:
    """Our own constant CSS (no user text): wide Markdown tables scroll inside themselves on a phone
    instead of pushing past the screen edge; metric labels, values and deltas wrap instead of being cut
    off ("…"); on a phone the explorer's two numbers stay pinned above the sliders while they move."""
    st.markdown(LAYOUT_CSS, unsafe_allow_html=True)


def language_switch() -> None:
    """The sidebar language switch; rendered first so every later string is in the chosen language."""
    st.sidebar.radio("Language / Taal", ["EN", "NL"], key=LANG_KEY, bind="query-params", horizontal=True)


def plotly_config(filename: str) -> dict:
    """Export settings: a high-resolution PNG named after the figure, no plotly logo."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": f"{filename}_{lang()}", "scale": 3}}


def chart(spec: dict, filename: str) -> None:
    """Render a figure spec from core.figures, exportable as PNG."""
    figure = figures.to_figure(spec)
    figure.update_layout(separators=i18n.PLOTLY_SEPARATORS[lang()])   # decimal comma in Dutch
    st.plotly_chart(figure, config=plotly_config(filename), width="stretch")


def whole_table(frame: pd.DataFrame, **kwargs) -> None:
    """A table a reader reads whole (Table 1's 25 items and eigenvalues, the refit and sensitivity tables):
    every row in view, no scroll bar inside the table (35 px per row and the header, Streamlit's row height).
    On a phone (CSS, below 640 px) the grid gives way to one short block per row, every column named: a grid
    of seven or eight columns showed only its first two there, the rest behind a sideways scroll."""
    # Keyed by content: a page can show two tables with the same columns (sensitivity: one per outcome).
    name = hashlib.sha1(frame.to_csv(index=False).encode()).hexdigest()[:12]
    with st.container(key=f"wide_table_{name}"):
        st.dataframe(frame, hide_index=True, width="stretch", height=35 * (len(frame) + 1) + 3, **kwargs)
    with st.container(key=f"narrow_table_{name}"):
        st.markdown(table_as_blocks(frame))


def table_as_blocks(frame: pd.DataFrame) -> str:
    """A table as Markdown for a narrow screen: per row, its first cell in bold, then "column: value" for the
    others. Cells are shown literally (escaped): a user's file can supply column names and values."""
    def cell(value) -> str:
        if isinstance(value, float):
            return num(value, ".2f")
        return safe_text(value)

    names = [safe_text(c) for c in frame.columns]
    blocks = []
    for row in frame.itertuples(index=False):
        rest = " · ".join(f"{n}: {cell(v)}" for n, v in zip(names[1:], row[1:]) if cell(v) != "")
        blocks.append(f"**{cell(row[0])}**  \n{rest}")
    return "\n\n".join(blocks)


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
        st.error(t("error.study", message=safe_text(error_text(exc))), icon=":material/error:")
    except Exception as exc:  # noqa: BLE001 - the boundary: log for developers, a calm message for users
        log.error("Unexpected error on a page: %s", developer_trace(exc))
        st.error(t("error.unexpected"), icon=":material/error:")


def developer_trace(exc: BaseException) -> str:
    """What the server log keeps of an unexpected error: its type and where it was raised (file, line,
    function), never its message. A message can quote a user's cells or file name (pandas does), and a
    user's data is never written to logs (issue 7)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return type(exc).__name__ + "".join(f"\n  {f.filename}:{f.lineno} in {f.name}" for f in frames)


@contextmanager
def section_guard():
    """A part of a page that may not apply to the data (too large, too few respondents): its coded message
    as a notice, and the rest of the page goes on."""
    try:
        yield
    except StudyError as exc:
        st.info(safe_text(error_text(exc)), icon=":material/info:")


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


def error_text(exc: StudyError) -> str:
    """A user-facing error in the current language: the translation of its code, else its English text.
    Problem lists (survey validation) are translated item by item."""
    from core import i18n

    code = getattr(exc, "code", None)
    params = dict(getattr(exc, "params", {}) or {})
    if code == "survey_problems":
        items = [t(f"problem.{c}", **p) for c, p in params.get("problems", [])]
        more = params.get("more", 0)
        text = "; ".join(items) + (t("problem.more", n=more) if more else "")
        return t("error.survey_problems", name=params.get("name", ""), problems=text)
    if code and f"error.{code}" in i18n.table():
        return t(f"error.{code}", **params)
    return str(exc)


def safe_text(text: str) -> str:
    """Text that came from a user (file and column names, cells) shown literally: Markdown and HTML
    characters escaped, so it is never interpreted (no links, images or markup)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~$" else ch for ch in str(text))


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
    line = t("fit.status_line", outcome=name, n=n, events=events, epv=num(epv, '.1f'), status=t(f"status.{status}"))
    if fitstatus.usable(status):
        if show_ok:
            st.caption(line)
        return True
    st.error(line + " " + t("fit.failed", outcome=name, status=t(f"status.{status}")), icon=":material/block:")
    return False
