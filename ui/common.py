"""Shared UI helpers: language and translation, layout CSS, charts and tables, error boundary, badges.
The data behind the refit pages (replica or the user's file, per session) is in ui/studydata.py."""
from __future__ import annotations

import hashlib
import logging
import re
import traceback
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from core import codebook, figures, i18n
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
        cells = [cell(v) for v in row]
        rest = " · ".join(f"{n}: {c}" for n, c in zip(names[1:], cells[1:]) if c)
        blocks.append(f"**{cells[0]}**  \n{rest}")
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
