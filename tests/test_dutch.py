"""In Dutch mode no English interface text shows (issue 9): every page is run in AppTest with NL chosen, and
no English translation (that differs from its Dutch one) may appear in what the page shows."""
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from core import i18n

PAGES = ["app_pages/explorer.py", "app_pages/table1.py", "app_pages/audit.py", "app_pages/figure1.py",
         "app_pages/models.py", "app_pages/validation.py", "app_pages/sensitivity.py", "app_pages/diagnostics.py",
         "app_pages/fidelity.py", "app_pages/about.py"]


def english_strings() -> set[str]:
    """English UI texts with their placeholders cut out: the fixed parts that must not show in Dutch."""
    out = set()
    for entry in i18n.table().values():
        en, nl = entry["en"], entry["nl"]
        if not en or en == nl:
            continue
        for part in __import__("re").split(r"\{[^}]*\}|\*\*|\n", en):
            part = part.strip(" .,:;()-–—")
            if len(part) >= 12 and part not in nl:
                out.add(part)
    return out


def shown_text(at) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [b.label for b in at.button]
    for w in (*at.radio, *at.selectbox, *at.multiselect):
        parts.append(w.label)
        parts += [str(o) for o in getattr(w, "options", [])]
    for df in at.dataframe:
        parts += [str(c) for c in df.value.columns]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_no_english_in_dutch_mode(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.radio(key="lang").set_value("NL").run()
    at.switch_page(page).run()
    assert not at.exception
    text = shown_text(at)
    found = sorted(s for s in english_strings() if s in text)
    assert not found, found[:10]
    # Streamlit's own English placeholders ("Choose options") must be replaced by ours.
    placeholders = [w.placeholder for w in at.multiselect]
    assert all(p == i18n.translate("common.choose", "nl") for p in placeholders), placeholders


def test_the_check_would_see_english():
    """Sanity: the same check finds English on a page in English mode (so an empty result in Dutch means
    something)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/models.py").run()
    assert len([s for s in english_strings() if s in shown_text(at)]) >= 5


def _dutch(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "NL"
    at.run()
    if page != "app_pages/explorer.py":
        at.switch_page(page).run()
    assert not at.exception
    return at


def test_dutch_numbers_have_a_decimal_comma_in_tables_metrics_and_charts():
    """Tables, metrics and chart specs in Dutch use the decimal comma (issue 9); section numbers do not."""
    at = _dutch("app_pages/models.py")
    metrics = {m.label: m.value for m in at.metric}
    assert __import__("re").fullmatch(r"\d+,\d%", metrics[i18n.translate("models.avg_prediction", "nl")])
    table = at.dataframe[0].value
    assert table.iloc[:, 1].str.match(r"^-?\d+,\d\d").all()          # B published, e.g. 1,68**
    assert '"separators":",."' in at.get("plotly_chart")[0].proto.spec  # plotly: decimal comma
    explorer = _dutch("app_pages/explorer.py")
    assert '"decimal": ","' in explorer.get("vega_lite_chart")[-1].proto.spec  # vega-lite locale
    assert any("2,5 — tussen" in c.value for c in explorer.caption)       # slider caption
    audit = _dutch("app_pages/audit.py")
    text = shown_text(audit)
    assert "Paragraaf 4.1" in text and "Paragraaf 4,1" not in text
    assert "B 1,68, Exp(B) 5,34" in " ".join(audit.dataframe[1].value.iloc[:, 2])


def test_texts_made_in_core_are_shown_in_dutch():
    """The audit's and fidelity's subjects and values, and the sensitivity caption, come from core/ in
    English with variable codes: in Dutch they show labels and Dutch words."""
    audit = _dutch("app_pages/audit.py").dataframe[1].value
    subjects = " ".join(audit.iloc[:, 0])
    assert "Terugkeerintentie: Veiligheid in herkomstland" in subjects and "intention: safety" not in subjects
    fidelity = _dutch("app_pages/fidelity.py").dataframe[0].value
    assert "Tabel 3" in set(fidelity.iloc[:, 2]) and "Table 3" not in set(fidelity.iloc[:, 2])
    assert not fidelity.iloc[:, 1].str.contains(r"\b(?:intention|attitude)\b|[a-z]_[a-z]").any()
    sensitivity = _dutch("app_pages/sensitivity.py")
    caption = next(c.value for c in sensitivity.caption if c.value.startswith("Deze specificatie"))
    assert "Principale componenten" in caption and "splitspunt 1" in caption and "table3" not in caption
