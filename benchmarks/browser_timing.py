"""What a user waits for, in Debian's chromium (issue 9), against a bare Streamlit page with the same
widgets (benchmarks/bare_explorer.py run as its own app):

- opening a shared link: a fresh browser context opens the explorer with a scenario in the URL; the time
  until the page is interactive (numbers shown, script finished), against the same for the bare page;
- slider to number: a key press on the health slider until the page shows what the server computed for
  the new value (the explorer's caption under the slider; the bare page's echo of it).

Both apps run on this machine at the same time and are measured interleaved; medians and ratios printed.
Goals: link opening <= 2x the bare page. (The AppTest rerun ratio is benchmarks/rerun_ratio.py.)
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browserkit import app_server, browser, wait_for_app  # noqa: E402

OPENS = 6
MOVES = 16


def _open_time(b, url: str) -> float:
    context = b.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                           " && !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def _move_times(b, url: str, probe: str) -> list[float]:
    """Key presses on the health slider; each timed until ``probe`` (JS returning the shown value) shows
    the new value."""
    context = b.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page, ready='[data-testid="stMetricValue"]')
    handle = page.locator('[data-testid="stSlider"]').filter(has_text="Health").get_by_role("slider")
    handle.focus()
    times, value = [], 2.5
    for i in range(MOVES):
        key, value = ("ArrowRight", round(value + 0.1, 1)) if i % 2 == 0 else ("ArrowLeft", round(value - 0.1, 1))
        start = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function(f"(v) => ({probe}) === v", arg=f"{value:.1f}", timeout=30000)
        times.append(time.perf_counter() - start)
        page.wait_for_timeout(150)
    context.close()
    return times


EXPLORER_PROBE = ("(() => { const s = [...document.querySelectorAll('[data-testid=\"stCaptionContainer\"]')]"
                  ".map(e => e.innerText).find(t => / — /.test(t) && /\\(2\\)|\\(3\\)/.test(t));"
                  " return s ? s.split(' ')[0] : null; })()")
BARE_PROBE = "(document.querySelector('[data-testid=\"stMetricValue\"]') || {}).innerText"


def main() -> dict:
    query = "?health=3.1&dtv_conversations=2.5&safety=0.4"
    with app_server() as app, app_server(script="benchmarks/bare_explorer.py") as bare, browser() as b:
        _open_time(b, app + "/" + query), _open_time(b, bare + "/" + query)   # first loads: imports, caches
        opens = {"explorer": [], "bare": []}
        for _ in range(OPENS):
            opens["explorer"].append(_open_time(b, app + "/" + query))
            opens["bare"].append(_open_time(b, bare + "/" + query))
        moves = {"explorer": _move_times(b, app + "/", EXPLORER_PROBE), "bare": _move_times(b, bare + "/", BARE_PROBE)}
    med = {k: {"open_s": statistics.median(opens[k]), "move_ms": 1000 * statistics.median(moves[k]),
               "move_max_ms": 1000 * max(moves[k])} for k in opens}
    out = {**med, "open_ratio": med["explorer"]["open_s"] / med["bare"]["open_s"],
           "move_ratio": med["explorer"]["move_ms"] / med["bare"]["move_ms"]}
    print(f"open a shared link (fresh browser context, until interactive), median of {OPENS}: explorer "
          f"{med['explorer']['open_s']:.2f} s, bare page {med['bare']['open_s']:.2f} s, ratio {out['open_ratio']:.2f} "
          "(goal <= 2)")
    print(f"slider key press to the new value shown, median of {MOVES}: explorer {med['explorer']['move_ms']:.0f} ms "
          f"(max {med['explorer']['move_max_ms']:.0f}), bare page {med['bare']['move_ms']:.0f} ms "
          f"(max {med['bare']['move_max_ms']:.0f}), ratio {out['move_ratio']:.2f}")
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
