"""Real browser: Debian's chromium driven by Playwright against the app on a free localhost port."""
import os
from urllib.parse import parse_qs, urlparse

import pytest

from browserkit import ROOT, app_server, browser, chromium_path, wait_for_app
from core import scenario

if chromium_path() is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but Debian's chromium is missing: 'make test' installs it with apt as root.")
    pytest.skip("Debian's chromium is not installed (make chromium)", allow_module_level=True)

SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def server():
    with app_server() as url:
        yield url


@pytest.fixture(scope="module")
def chrome():
    with browser() as b:
        yield b


@pytest.fixture()
def page(chrome):
    context = chrome.new_context(viewport={"width": 1400, "height": 1800})
    p = context.new_page()
    yield p
    context.close()


def metric_values(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def pct(outcome, values):
    return f"{round(100 * scenario.predict(outcome, 'table3', values).probability)}%"


def slider(page, label):
    return page.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")


def test_slider_language_url_and_reset(server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server)
    wait_for_app(page, ready='[data-testid="stMetricValue"]')
    assert metric_values(page) == ["9%", "5%"]

    health = slider(page, "Health")
    health.focus()
    for _ in range(5):  # 2.5 -> 3.0 in steps of 0.1
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URL(location.href).searchParams.get('health') === '3.0'"
                           " || new URL(location.href).searchParams.get('health') === '3'", timeout=15000)
    wait_for_app(page)
    expected = [pct("intention", {"health": 3.0}), pct("attitude", {"health": 3.0})]
    assert metric_values(page) == expected
    assert float(parse_qs(urlparse(page.url).query)["health"][0]) == 3.0

    # A copied link reproduces the scenario in a fresh page.
    other = page.context.new_page()
    other.goto(page.url)
    wait_for_app(other, ready='[data-testid="stMetricValue"]')
    assert metric_values(other) == expected
    other.close()

    # Switching language keeps the scenario and translates the page.
    page.locator('[data-testid="stSidebar"]').get_by_text("NL", exact=True).click()
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText.startsWith('Terug of niet')",
                           timeout=15000)
    wait_for_app(page)
    assert metric_values(page) == expected
    assert "Van 100 mensen" in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "browser_explorer_nl.png"))

    # Reset to the average respondent: the numbers and the URL follow.
    page.get_by_role("button", name="Terug naar gemiddelde respondent").click()
    page.wait_for_function("() => !new URL(location.href).searchParams.has('health')", timeout=15000)
    wait_for_app(page)
    assert metric_values(page) == ["9%", "5%"]


def test_garbage_url_shows_a_notice(server, page):
    page.goto(f"{server}/?health=abc&dtv_conversations=99")
    wait_for_app(page, ready='[data-testid="stMetricValue"]')
    body = page.inner_text("body")
    assert "health=abc" in body and "could not be used" in body
    assert metric_values(page) == ["9%", "5%"]
    assert "Traceback" not in body


@pytest.mark.parametrize("path, heading", [("table1", "Table 1"), ("audit", "Reproduction audit"),
                                           ("about", "About the study"), ("figure1", "Figure 1"),
                                           ("models", "Table 3 refitted"), ("fidelity", "How faithful"),
                                           ("validation", "Table 4"), ("sensitivity", "Sensitivity"),
                                           ("diagnostics", "Model diagnostics")])
def test_other_pages(server, page, path, heading):
    page.goto(f"{server}/{path}")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().startswith(heading)
    body = page.inner_text("body")
    assert "Traceback" not in body
    sidebar_radios = page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]')
    assert sidebar_radios.filter(has_text="Language / Taal").count() == 1  # the language switch is there
    if path in ("figure1", "models", "fidelity", "validation", "sensitivity", "diagnostics"):
        assert "synthetic replica" in body
    page.screenshot(path=str(SHOTS / f"browser_{path}_en.png"), full_page=True)
