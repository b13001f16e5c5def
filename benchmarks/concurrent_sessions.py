"""Quick slider moves in several browser sessions at once: does every page settle on the right numbers?

Each round every session presses an arrow key on the Health slider several times without waiting (reruns
are interrupted and overlap across sessions), then each page must show the engine's numbers in its two
metrics and in the comparison table. Prints the failures, with the page's own error if it shows one.

    python benchmarks/concurrent_sessions.py [sessions presses rounds] [--message-cache]

``--message-cache`` runs the server with Streamlit's message cache on (its default; .streamlit/config.toml
turns it off): on this 2-core machine, 8 sessions x 8 presses x 8 rounds then left a session on
"Cached ForwardMsg MISS" in 3 of 5 runs, and 0 of 4 runs with the cache off (issue 9).
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browserkit import app_server, browser, wait_for_app  # noqa: E402
from core import scenario  # noqa: E402


def _want(health: float) -> list[int]:
    return [round(100 * scenario.predict(o, "table3", {"health": health}).probability) for o in ("intention", "attitude")]


def _shown(page) -> tuple[list[int], list[int]]:
    metrics = [int(v.rstrip("%")) for v in page.locator('[data-testid="stMetricValue"]').all_inner_texts()]
    rows = page.locator('[data-testid="stMarkdownContainer"] table tbody tr').all_inner_texts()
    return metrics, [int(re.findall(r"(\d+)%", row)[1]) for row in rows]


def main(sessions: int = 8, presses: int = 8, rounds: int = 8, message_cache: bool = False) -> int:
    options = ("--global.minCachedMessageSize", "10000") if message_cache else ()
    failures = 0
    with app_server(options=options) as url, browser() as b:
        contexts = [b.new_context(viewport={"width": 1400, "height": 1800}) for _ in range(sessions)]
        pages = [c.new_page() for c in contexts]
        for p in pages:
            p.goto(url)
        for p in pages:
            wait_for_app(p, ready='[data-testid="stMetricValue"]')
        health = [scenario.average_value("health")] * sessions
        for rnd in range(rounds):
            step = 0.1 if rnd % 2 == 0 else -0.1
            for p in pages:
                p.locator('[data-testid="stSlider"]').filter(has_text="Health").get_by_role("slider").focus()
            for _ in range(presses):
                for i, p in enumerate(pages):
                    p.keyboard.press("ArrowRight" if step > 0 else "ArrowLeft")
                    health[i] = round(health[i] + step, 6)
            for i, p in enumerate(pages):
                want = _want(health[i])
                deadline = time.monotonic() + 20
                while True:
                    wait_for_app(p, timeout=20000)
                    metrics, table = _shown(p)
                    if (metrics == want and table == want) or time.monotonic() > deadline:
                        break
                    p.wait_for_timeout(250)
                if not (metrics == want and table == want):
                    failures += 1
                    error = " ".join(p.get_by_role("dialog").all_inner_texts())[:160]
                    print(f"round {rnd} session {i}: want {want}, metrics {metrics}, table {table}; {error}")
        for c in contexts:
            c.close()
    print(f"sessions {sessions}, presses {presses}, rounds {rounds}, message cache "
          f"{'on' if message_cache else 'off'}: {failures} of {sessions * rounds} checks failed")
    return failures


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    main(*numbers, message_cache="--message-cache" in sys.argv)
