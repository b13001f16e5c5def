"""AppTest: every page runs; widgets drive the numbers the engine computes; the URL restores a scenario."""
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from core import measurement, scenario

PAGES = ["app_pages/explorer.py", "app_pages/table1.py", "app_pages/audit.py", "app_pages/about.py",
         "app_pages/figure1.py", "app_pages/models.py", "app_pages/fidelity.py", "app_pages/validation.py",
         "app_pages/sensitivity.py", "app_pages/diagnostics.py"]
SYNTHETIC_PAGES = ["app_pages/figure1.py", "app_pages/models.py", "app_pages/fidelity.py", "app_pages/table1.py",
                   "app_pages/validation.py", "app_pages/sensitivity.py", "app_pages/diagnostics.py"]


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if query:
        at.query_params.update(query)
    return at.run()


def pct(p: float) -> str:
    return f"{round(100 * p)}%"


def metrics(at) -> list[str]:
    return [m.value for m in at.metric]


@pytest.mark.parametrize("lang", ["EN", "NL"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(page, lang):
    at = app({"lang": lang})
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    assert at.title


def test_default_is_the_average_respondent():
    at = app()
    assert metrics(at) == [pct(scenario.predict("intention").probability), pct(scenario.predict("attitude").probability)]
    assert metrics(at) == ["9%", "5%"]
    assert "about **9** would not rule out returning" in " ".join(m.value for m in at.markdown)


def test_moving_sliders_changes_the_numbers_to_the_engine_values():
    at = app()
    at.slider(key="health").set_value(4.0).run()
    at.slider(key="dtv_conversations").set_value(3.0).run()
    values = {"health": 4.0, "dtv_conversations": 3.0}
    expected = [pct(scenario.predict(o, "table3", values).probability) for o in ("intention", "attitude")]
    assert metrics(at) == expected
    assert metrics(at) != ["9%", "5%"]
    at.slider(key="safety").set_value(1.0).run()
    values["safety"] = 1.0
    assert metrics(at)[0] == pct(scenario.predict("intention", "table3", values).probability)



@pytest.mark.parametrize("lang", ["EN", "NL"])
def test_every_slider_value_is_said_in_the_language_under_it(lang):
    """The slider's own value label is formatted by the browser (a decimal point in Dutch too); the caption
    under each slider says the value in the chosen language: "+0,0 SD" for a factor score (Table 1a/1b),
    "2,5 — tussen matig (2) en goed (3)" for an answer scale."""
    from core import codebook

    at = app({"lang": lang})
    code = lang.lower()
    captions = [c.value for c in at.caption]
    for slider in at.slider:
        var = codebook.variable(slider.key)
        if var.is_factor or var.answer_labels.get(code):
            assert var.describe(slider.value, code) in captions, slider.key
    assert codebook.variable("safety").describe(0.0, code) == ("+0,0 SD" if code == "nl" else "+0.0 SD")
    health = codebook.variable("health").describe(2.5, code)   # the average respondent's health
    assert health in captions and ("2,5 — tussen" if code == "nl" else "2.5 — between") in health

def test_url_restores_a_scenario():
    at = app({"safety": "1.0", "health": "4", "return_money": "6.5"})
    assert at.slider(key="safety").value == 1.0 and at.slider(key="health").value == 4.0
    values = {"safety": 1.0, "health": 4.0, "return_money": 6.5}
    assert metrics(at)[1] == pct(scenario.predict("attitude", "table3", values).probability)
    assert not at.warning


def test_garbage_url_values_show_a_notice_and_fall_back():
    at = app({"health": "abc", "dtv_conversations": "99", "model": "Z"})
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "health=abc" in text and "dtv_conversations=99" in text and "model=Z" in text
    assert at.slider(key="health").value == 2.5 and at.slider(key="dtv_conversations").value == 1.8
    assert metrics(at) == ["9%", "5%"]


def test_url_model_and_group():
    at = app({"model": "A", "safety_group": "low"})
    assert at.radio(key="model").value == "A"
    assert at.radio(key="safety_group").value == "low"
    groups = {"safety_group": "low"}
    expected = [pct(scenario.predict(o, "A", scenario.model_values(o, "A", {}, groups["safety_group"])).probability)
                for o in ("intention", "attitude")]
    assert metrics(at) == expected


def test_table4_model_b_uses_cleaned_health():
    at = app()
    at.radio(key="model").set_value("B").run()
    at.radio(key="safety_group").set_value("mid").run()
    at.slider(key="health").set_value(4.0).run()
    p = scenario.predict("intention", "B", {"health_cleaned": 4.0, "safety_low": 0, "safety_mid": 1}).probability
    assert metrics(at)[0] == pct(p)


def test_safety_from_the_two_survey_items():
    at = app()
    at.toggle(key="safety_items").set_value(True).run()
    at.slider(key="item01").set_value(3).run()
    at.slider(key="item02").set_value(4).run()
    safety = round(measurement.safety_from_items(3, 4), 3)
    assert metrics(at)[0] == pct(scenario.predict("intention", "table3", {"safety": safety}).probability)


def test_reset_returns_to_the_average_respondent():
    at = app({"health": "5", "safety": "2"})
    assert metrics(at) != ["9%", "5%"]
    reset = next(b for b in at.button if "Reset" in b.label)
    reset.click().run()
    assert metrics(at) == ["9%", "5%"]
    assert at.slider(key="health").value == 2.5


def test_remember_scenario_a_and_compare():
    at = app()
    at.slider(key="health").set_value(4.0).run()
    next(b for b in at.button if "Remember" in b.label).click().run()
    at.slider(key="health").set_value(2.0).run()
    table = next(m.value for m in at.markdown if m.value.startswith("| Outcome"))
    header, _, intention, attitude = table.splitlines()
    assert "A: remembered" in header
    a = scenario.predict("intention", "table3", {"health": 4.0}).probability
    b = scenario.predict("intention", "table3", {"health": 2.0}).probability
    cells = [c.strip() for c in intention.strip("|").split("|")]
    assert cells[1:4] == [f"{100 * a:.0f}%", f"{100 * b:.0f}%", f"{100 * (b - a):+.1f}"]
    assert float(cells[4]) == pytest.approx((b / (1 - b)) / (a / (1 - a)), abs=0.005)


def test_remembered_scenario_a_travels_in_the_link():
    """Remember writes scenario A into the URL; a fresh session opened with that URL compares against it."""
    at = app()
    at.slider(key="health").set_value(4.0).run()
    next(b for b in at.button if "Remember" in b.label).click().run()
    link = dict(at.query_params)
    assert link["a"].startswith("table3~average~") and "health:4," in link["a"] + ","
    fresh = app({k: (v[-1] if isinstance(v, list) else v) for k, v in link.items()})
    fresh.slider(key="health").set_value(2.0).run()
    table = next(m.value for m in fresh.markdown if m.value.startswith("| Outcome"))
    assert "A: remembered" in table.splitlines()[0]
    a = scenario.predict("intention", "table3", {"health": 4.0}).probability
    assert [c.strip() for c in table.splitlines()[2].strip("|").split("|")][1] == f"{100 * a:.0f}%"


def test_language_switch_keeps_the_scenario():
    at = app()
    at.slider(key="health").set_value(4.0).run()
    at.sidebar.radio(key="lang").set_value("NL").run()
    assert at.title[0].value.startswith("Terug of niet?")
    assert at.slider(key="health").value == 4.0
    assert "Van 100 mensen" in " ".join(m.value for m in at.markdown)


def test_table1_and_audit_pages_show_the_paper():
    at = app()
    at.switch_page("app_pages/table1.py").run()
    items = at.dataframe[1].value
    assert len(items) == 25 and items["N"].iloc[0] == 107
    at.switch_page("app_pages/audit.py").run()
    assert at.metric[0].value == "8 / 10" and at.metric[1].value == "5 / 10"  # worst-case band; expected
    assert "0.21" in " ".join(m.value for m in at.markdown)  # the Exp(B) finding is listed


def page_text(at) -> str:
    return " ".join(str(e.value) for e in [*at.markdown, *at.caption] if hasattr(e, "value"))


@pytest.mark.parametrize("page", SYNTHETIC_PAGES)
def test_pages_using_the_replica_say_it_is_synthetic(page):
    at = app()
    at.switch_page(page).run()
    assert "synthetic replica" in page_text(at) and "not the study's data" in page_text(at)


def test_figure1_cutpoint_moves_the_share():
    from core import pipeline, replica

    at = app()
    at.switch_page("app_pages/figure1.py").run()
    frame = pipeline.run(replica.load()).frame
    dist = pipeline.scale_distribution(frame, "intention", 1.0)
    share = dist.loc[dist["above_cut"], "count"].sum() / dist["count"].sum()
    assert at.metric[0].value == f"{100 * share:.0f}%"
    at.slider(key="fig1_cut").set_value(3.0).run()
    dist3 = pipeline.scale_distribution(frame, "intention", 3.0)
    assert at.metric[1].value == f"{dist3.loc[dist3['above_cut'], 'count'].sum()} / {dist3['count'].sum()}"
    assert at.metric[1].value != f"{dist.loc[dist['above_cut'], 'count'].sum()} / {dist['count'].sum()}"


def test_models_page_shows_the_refit_beside_the_published_table():
    from core import pipeline, replica

    at = app()
    at.switch_page("app_pages/models.py").run()
    table = at.dataframe[0].value
    assert len(table) == 11
    assert table.iloc[0, 1] == "1.68**"  # published safety, intention
    refit = pipeline.run(replica.load()).models["intention"]
    by_label = {m.label: m.value for m in at.metric}
    assert by_label["Nagelkerke R²"] == f"{refit.nagelkerke_r2:.3f}"
    assert by_label["N"] == "108"
    assert "Bootstrap 95% interval" in table.columns


def test_table1_reestimated_and_extraction_choice():
    at = app()
    at.switch_page("app_pages/table1.py").run()
    refit = at.dataframe[2].value
    assert len(refit) == 25
    diffs = refit.iloc[:, -1].astype(float).abs()
    assert diffs.max() <= 0.01  # the replica is calibrated under principal components
    at.radio(key="table1_extraction").set_value("ml").run()
    ml = at.dataframe[2].value.iloc[:, -1].astype(float)
    # Common-factor loadings come out lower than the printed (PCA) ones, nearly item by item.
    assert ml.mean() < -0.03 and (ml < 0).mean() >= 0.9


def test_explorer_band_is_separate_from_the_published_estimate():
    at = app()
    before = metrics(at)
    at.toggle(key="show_band").set_value(True).run()
    assert metrics(at) == before == ["9%", "5%"]  # the exact published numbers do not move
    text = " ".join(i.value for i in at.info)
    assert "synthetic replica" in text and "published point estimate" in text


def test_sensitivity_panel_choices_change_the_refit():
    at = app()
    at.switch_page("app_pages/sensitivity.py").run()
    first = at.dataframe[0].value
    this_col = [c for c in first.columns if "this specification" in c][0]
    at.toggle(key="sens_firth").set_value(True).run()
    firth = at.dataframe[0].value
    assert list(firth[this_col]) != list(first[this_col])
    at.toggle(key="sens_firth").set_value(False).run()
    at.multiselect(key="sens_drop").set_value(["health"]).run()
    dropped = at.dataframe[0].value.set_index(at.dataframe[0].value.columns[0])
    assert dropped.loc["Health", this_col] == "—"


def test_diagnostics_cutoff_changes_the_table():
    at = app()
    at.switch_page("app_pages/diagnostics.py").run()
    a = at.dataframe[0].value.to_numpy().tolist()
    at.slider(key="diag_cutoff").set_value(0.2).run()
    assert at.dataframe[0].value.to_numpy().tolist() != a


def test_loading_checks_are_reported_on_start():
    at = app()
    text = " ".join(c.value for c in at.sidebar.caption)
    assert "2 printed Exp(B) values disagree" in text


def test_a_separated_specification_shows_no_numbers_and_offers_firth():
    """A file whose attitude outcome is split exactly by DT&V conversations: the page must show the
    status, no B or SE for that model, and the Firth fit beside it (issue 8)."""
    from core import replica

    data = replica.load()
    data["attitude_good"] = (data["dtv_conversations"] >= 4).map({True: 7, False: 1})  # complete separation
    at = app()
    at.switch_page("app_pages/sensitivity.py").run()   # the picker is on the pages that use the data
    at.sidebar.radio(key="data_source").set_value("upload").run()
    at.sidebar.file_uploader(key="upload_file").set_value(
        ("separated.csv", data.to_csv(index=False).encode(), "text/csv")).run()
    at.switch_page("app_pages/sensitivity.py").run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Return attitude" in errors and "separated" in errors and "no usable estimates" in errors
    attitude = at.dataframe[1].value
    this_col = [c for c in attitude.columns if "this specification" in c][0]
    assert attitude[this_col].str.startswith("—").all() and (attitude["SE"] == "—").all()
    firth_col = [c for c in attitude.columns if "Firth" in c][0]
    assert attitude[firth_col].str.match(r"^-?\d+\.\d\d").all()
    intention = at.dataframe[0].value
    assert intention[this_col].str.match(r"^-?\d+\.\d\d").all()  # the converged model keeps its numbers


def test_server_config_turns_off_the_message_cache():
    """.streamlit/config.toml sends every element in full: Streamlit's message cache broke pages under quick
    slider moves in concurrent sessions ("Cached ForwardMsg MISS", streamlit#11357; see
    test_browser.py::test_concurrent_sessions_moving_sliders_match_the_cli). The server must read it."""
    import tomllib

    from streamlit import config

    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert conf["global"]["minCachedMessageSize"] >= 1e9
    assert "global.minCachedMessageSize" in config.get_config_options()   # still an option of this Streamlit


def _blocks_script():
    import sys

    import pandas as pd
    import streamlit as st

    sys.path.insert(0, st.session_state["_root"])
    from ui.common import whole_table

    whole_table(pd.DataFrame({"Predictor": ["Safety", "[x](http://h)"], "B **refit**": [1.7049, -0.5],
                              "N": [108, 107], "stars": ["**", ""]}))


@pytest.mark.parametrize("lang, decimal", [("EN", "1.70"), ("NL", "1,70")])
def test_whole_table_has_a_phone_version_with_every_column_named(lang, decimal):
    """whole_table draws the grid and, for a phone, one block per row: first cell in bold, every other
    column named, numbers in the language's decimal mark, user text escaped (never a link or bold)."""
    at = AppTest.from_function(_blocks_script)
    at.session_state["_root"] = str(ROOT)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 2
    blocks = at.markdown[0].value.split("\n\n")
    assert blocks[0] == f"**Safety**  \nB \\*\\*refit\\*\\*: {decimal} · N: 108 · stars: \\*\\*"
    assert blocks[1].startswith("**\\[x\\]\\(http://h\\)**  \n")      # a cell is never a live link
    assert "stars" not in blocks[1]                                    # an empty cell is left out


def _failing_script():
    import sys

    import streamlit as st

    sys.path.insert(0, st.session_state["_root"])
    from ui.common import page_guard

    with page_guard():
        raise ValueError("could not convert string to float: 'J. Jansen, Kerkstraat 1'")


def test_an_unexpected_error_logs_where_it_happened_but_never_the_users_cells(caplog):
    """The page shows a calm message; the server log keeps the error's type and place, not its message,
    which can quote a user's cells (issue 7: nothing of a user's data in logs)."""
    at = AppTest.from_function(_failing_script)
    at.session_state["_root"] = str(ROOT)
    with caplog.at_level("ERROR", logger="dashboard"):
        at.run()
    assert not at.exception
    assert len(at.error) == 1 and "Jansen" not in at.error[0].value
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "dashboard")
    assert "ValueError" in logged and "_failing_script" in logged
    assert "Jansen" not in logged and "Jansen" not in caplog.text
