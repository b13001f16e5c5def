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
