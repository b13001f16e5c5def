"""Scenario explorer (home): what-if predictions from the published models, in plain words."""
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from core import codebook, export, figures, measurement, published, scenario, urlstate
from ui.common import bound_to_language, data_badge, kept, vega_localized
from ui.studydata import replica_bootstrap

# Streamlit runs this file afresh on every rerun: the language is read once per rerun, not once per string.
t, num, lang = bound_to_language()

PRIMARY = ("safety", "health", "dtv_conversations")
MODEL_OPTIONS = urlstate.MODEL_CHOICES
GROUP_OPTIONS = urlstate.SAFETY_GROUPS


def _seed_from_url() -> None:
    """Once per session: name unusable URL values and seed every scenario widget from the link.

    The URL is then written by the script (``_sync_url``), never read back: Streamlit's own two-way
    binding (bind="query-params") raced under load when a slider returned to its default, leaving a
    half-updated page (issue 9; tests/test_browser.py, six sessions at once)."""
    if st.session_state.get("_url_checked"):
        return
    st.session_state["_url_checked"] = True
    values, notices = urlstate.check_query(st.query_params.to_dict())
    st.session_state["_url_notices"] = notices
    st.session_state["model"] = values.get(urlstate.MODEL_PARAM, "table3")
    st.session_state["safety_group"] = values.get(urlstate.SAFETY_GROUP_PARAM, "average")
    for key in (*urlstate.numeric_params(), *urlstate.TOGGLES):
        if key in values:
            st.session_state[key] = values[key]
    if urlstate.SCENARIO_A_PARAM in values:
        st.session_state["scenario_a"] = values[urlstate.SCENARIO_A_PARAM]


def _scenario_query(model: str, group: str) -> dict[str, tuple[str, str]]:
    """Every URL parameter of the scenario as (value, default): choices equal to the default are left out
    of links."""
    wanted = {urlstate.MODEL_PARAM: (model, "table3"),
              urlstate.SAFETY_GROUP_PARAM: (group if model != "table3" else "average", "average")}
    defaults = _defaults()
    items_shown = model == "table3" and st.session_state.get("safety_items")
    for key in urlstate.numeric_params():
        value = st.session_state.get(key)        # None: the slider is not on the page for this model
        if key in measurement.SAFETY_ITEMS and not items_shown:
            value = None
        shown = defaults[key] if value is None else value
        wanted[key] = (f"{float(shown):g}", f"{float(defaults[key]):g}")
    for key in urlstate.TOGGLES:
        wanted[key] = ("true" if st.session_state.get(key) else "false", "false")
    saved = st.session_state.get("scenario_a")
    if saved:
        wanted[urlstate.SCENARIO_A_PARAM] = (urlstate.encode_scenario_a(saved["model"], saved["group"],
                                                                         saved["values"]), "")
    return wanted


def _sync_url(query: dict[str, tuple[str, str]]) -> None:
    """Write the scenario into the URL (a shared link reproduces it): every choice that differs from the
    average respondent, nothing for the defaults. Written only when it changed."""
    for param, (value, default) in query.items():
        if value == default:
            if param in st.query_params:
                del st.query_params[param]
        elif st.query_params.get(param) != value:
            st.query_params[param] = value


def _defaults() -> dict:
    out = {v.name: scenario.average_value(v.name) for v in codebook.predictors()}
    out.update({item: 1 for item in measurement.SAFETY_ITEMS})
    return out


def _reset() -> None:
    for key, value in _defaults().items():
        st.session_state[key] = value
    st.session_state["safety_items"] = False
    st.session_state["safety_group"] = "average"
    st.session_state["_url_notices"] = []


def _slider(name: str) -> float:
    var = codebook.variable(name)
    language = lang()
    # A value seeded from the link or set by Reset lives in session state and wins over ``value``; the value is
    # always passed (no value=None: that path makes Streamlit copy its whole session state for every slider).
    value = st.slider(var.short[language], var.slider_min, var.slider_max,
                      value=st.session_state.get(name, scenario.average_value(name)), step=var.step, key=name,
                      help=var.label[language], format="%.1f")
    if var.is_factor or var.answer_labels.get(language):
        st.caption(var.describe(value, language))
    return value


def _item_slider(item: str) -> int:
    var = codebook.variable(item)
    value = st.slider(var.label[lang()], int(var.slider_min), int(var.slider_max), value=st.session_state.get(item, 1),
                      step=1, key=item)
    st.caption(var.describe(value, lang()))
    return value


def _controls(model: str) -> tuple[dict, str]:
    inputs = scenario.scenario_inputs(model)
    values: dict[str, float] = {}
    group = "average"
    st.subheader(t("explorer.controls"))
    if model == "table3":
        if st.toggle(t("explorer.safety_items_toggle"), key="safety_items"):
            fear, safe = _item_slider("item01"), _item_slider("item02")
            values["safety"] = round(measurement.safety_from_items(fear, safe), 3)
            st.info(t("explorer.safety_items_score", score=values["safety"]), icon=":material/calculate:")
        else:
            values["safety"] = _slider("safety")
            st.caption(t("explorer.safety_hint"))
    else:
        labels = {g: t(f"safety_group.{g}") for g in GROUP_OPTIONS}
        group = st.radio(t("explorer.safety_group"), GROUP_OPTIONS, key=kept("safety_group"), format_func=labels.get)
    for name in ("health", "dtv_conversations"):
        if name in inputs:
            values[name] = _slider(name)
    others = [n for n in inputs if n not in PRIMARY]
    with st.expander(t("explorer.other_factors"), expanded=False):
        st.caption(t("explorer.other_factors_hint"))
        for name in others:
            values[name] = _slider(name)
    st.button(t("explorer.reset"), on_click=_reset, icon=":material/restart_alt:", width="stretch")
    if st.button(t("explorer.remember"), icon=":material/bookmark_add:", width="stretch"):
        st.session_state["scenario_a"] = {"model": model, "values": dict(values), "group": group}
    return values, group


def _outcome_panels(rows: list[dict], model: str) -> None:
    """Both outcomes side by side, in aligned rows: large number, plain sentence, icon array."""
    for column, row in zip(st.columns(2), rows):
        pct = round(100 * row["probability"])
        diff = 100 * (row["probability"] - row["average_probability"])
        column.metric(t(f"outcome.{row['outcome']}.title"), f"{pct}%",
                      delta=t("explorer.delta_vs_average", pp=num(diff, '+.0f')) if abs(diff) >= 0.5 else None,
                      delta_color="off",  # neutral: a higher chance of return is not 'good' or 'bad' here
                      help=t(f"outcome.{row['outcome']}.definition"))
    for column, row in zip(st.columns(2), rows):
        column.markdown(t(f"sentence.{row['outcome']}", n=round(100 * row["probability"])))
    for column, row in zip(st.columns(2), rows):
        column.vega_lite_chart(figures.icon_array(row["probability"], figures.COLORS[row["outcome"]]),
                               width="stretch")  # follows the column: never wider than the screen
    st.caption(t("explorer.icon_title"))


def _uncertainty_band(values: dict) -> None:
    """Optional, clearly separated: how much such a chance varies in a sample like the synthetic replica."""
    if not st.toggle(t("explorer.band_toggle"), key="show_band", help=t("explorer.band_help")):
        return
    from core import whatif

    with st.spinner():
        boot = replica_bootstrap()
    band = {}
    for outcome in published.OUTCOMES:
        profile = scenario.build_profile(outcome, "table3", values)
        lo, hi = whatif.scenario_band(boot, outcome, profile)
        band[outcome] = (num(100 * lo, '.0f'), num(100 * hi, '.0f'))
    data_badge("synthetic")
    st.info(t("explorer.band_text", int_low=band["intention"][0], int_high=band["intention"][1],
              att_low=band["attitude"][0], att_high=band["attitude"][1]), icon=":material/science:")


def _curve(model: str, values: dict, group: str, rows: list[dict]) -> None:
    st.subheader(t("explorer.curve_title"))
    options = [n for n in scenario.scenario_inputs(model)]
    if model == "table3":
        options = ["safety"] + [n for n in options if n != "safety"]
    language = lang()
    labels = {n: codebook.variable(n).short[language] for n in options}
    var_name = st.selectbox(t("explorer.curve_for"), options, key=kept("curve_var"), format_func=labels.get)
    curves = scenario.outcome_curve_arrays(model, var_name, values, group)
    labels = {o: t(f"outcome.{o}.short") for o in published.OUTCOMES}
    var = codebook.variable(var_name)
    current = values.get(var_name, scenario.average_value(var_name))
    now = {r["outcome"]: r["probability"] for r in rows}
    spec = figures.curve_figure(curves, current, now, labels, var.short[language], t("explorer.curve_y"),
                                t("explorer.this_scenario"))
    st.vega_lite_chart(vega_localized(spec), width="stretch")
    st.caption(t("explorer.curve_caption"))


def _exports(model: str, values: dict, group: str, scenario_query: dict[str, tuple[str, str]]) -> None:
    """Downloads for slides, papers and briefs: the chart (SVG, PNG), a 16:9 deck and a one-page brief,
    in the current language, made only when clicked; and a link that presents this scenario."""
    st.subheader(t("export.title"))
    query = {param: value for param, (value, default) in scenario_query.items() if value != default}
    query.update({"present": "1", "lang": lang().upper()})
    st.link_button(t("present.open"), "./?" + urlencode(query), icon=":material/slideshow:")
    sc = export.ExportScenario(model, dict(values), group, st.session_state.get("curve_var") or "safety")
    language = lang()
    # One row that wraps on a narrow screen (one flex container, not four columns: fewer elements per rerun).
    row = st.container(horizontal=True)
    for kind, fmt, mime in (("figure", "svg", "image/svg+xml"), ("figure", "png", "image/png"),
                            ("deck", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
                            ("brief", "pdf", "application/pdf")):
        row.download_button(t(f"export.{fmt}"), lambda kind=kind, fmt=fmt: export.export(kind, sc, language, fmt)[1],
                            file_name=export.filename(kind, sc, language, fmt), mime=mime,
                            icon=":material/download:", key=f"export_{fmt}",
                            on_click="ignore")  # a download needs no rerun of the page


def _comparison(model: str, values: dict, group: str, rows: list[dict]) -> None:
    """Scenario A (remembered, or the average respondent) against B, the sliders now (``rows``: B's
    probabilities, already computed for this rerun)."""
    st.subheader(t("explorer.compare_title"))
    saved = st.session_state.get("scenario_a")
    if saved and saved["model"] == model:
        a_values, a_group, a_label = saved["values"], saved["group"], t("explorer.scenario_a_saved")
    else:
        a_values, a_group, a_label = {}, "average", t("explorer.scenario_a_average")
    header = [t("explorer.col_outcome"), a_label, t("explorer.scenario_b"), t("explorer.col_diff"),
              t("explorer.col_or")]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for a_row, b_row in zip(scenario.outcome_records(model, a_values, a_group), rows):
        outcome, pa, pb = b_row["outcome"], a_row["probability"], b_row["probability"]
        c = scenario.Comparison(outcome, model, pa, pb)
        lines.append(f"| {t(f'outcome.{outcome}.short')} | {num(100 * pa, '.0f')}% | {num(100 * pb, '.0f')}% | "
                     f"{num(c.difference_pp, '+.1f')} | {num(c.odds_ratio, '.2f')} |")
    st.markdown("\n".join(lines))
    st.caption(t("explorer.compare_caption"))

    def scenario_csv() -> bytes:
        row = {"model": model, "safety_group": group if model != "table3" else "", **values,
               **{f"p_{r['outcome']}": r["probability"] for r in scenario.outcome_records(model, values, group)}}
        return export.safe_csv(pd.DataFrame([row]))

    st.download_button(t("explorer.download"), scenario_csv, file_name="scenario.csv", mime="text/csv",
                       icon=":material/download:")


def main() -> None:
    _seed_from_url()
    st.title(t("explorer.title"))
    data_badge("published")
    st.markdown(t("explorer.intro"))
    notices = st.session_state.get("_url_notices") or []
    if notices:
        lines = "\n".join(f"- `{n.param}={n.value}`: {t('url.reason.' + n.reason)}" for n in notices)
        st.warning(t("url.notice") + "\n\n" + lines, icon=":material/link_off:")
    left, right = st.columns([1, 2], gap="large")
    with left:
        # On a phone the columns stack and the results fall below the sliders: the two numbers are
        # repeated here, pinned to the top while the sliders move (hidden on wider screens; CSS).
        phone_numbers = st.container(key="phone_numbers").empty()
        labels = {m: t(f"model.{m}") for m in MODEL_OPTIONS}
        # A radio, not a select box: three choices, all readable (a select box cut the long names off).
        model = st.radio(t("explorer.model"), MODEL_OPTIONS, key=kept("model"), format_func=labels.get)
        values, group = _controls(model)
    rows = scenario.outcome_records(model, values, group)
    query = _scenario_query(model, group)   # once per rerun: the link to present and the URL
    phone_numbers.markdown(" · ".join(f"{t('outcome.' + r['outcome'] + '.title')}: **{round(100 * r['probability'])}%**"
                                      for r in rows))
    with right:
        _outcome_panels(rows, model)
        st.caption(t(f"explorer.model_note.{model}"))
        if model == "table3":
            _uncertainty_band(values)
        _curve(model, values, group, rows)
        _comparison(model, values, group, rows)
        _exports(model, values, group, query)
    # Last: writing the URL makes the browser update its address; nothing the page shows comes after it.
    _sync_url(query)


main()
