"""Explorer rerun time after a slider move, as a ratio against a bare page with the same widgets.

Both pages run under streamlit.testing.v1.AppTest in this one process, interleaved in blocks so machine
load affects both alike. Two ratios are printed (goal: <= 1.5):
- end to end: AppTest.run() after a slider move (script + Streamlit's message handling in the harness);
- script body: the page script itself, timed inside the session.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

PAGES = {"explorer": ROOT / "app_pages" / "explorer.py", "bare": ROOT / "benchmarks" / "bare_explorer.py"}


def _session(target: Path) -> AppTest:
    at = AppTest.from_file(str(ROOT / "benchmarks" / "timed_page.py"), default_timeout=60)
    at.session_state["_bench_target"] = str(target)
    return at.run()


def _moves(at: AppTest, n: int, wall: list[float]) -> None:
    for i in range(n):
        at.slider(key="health").set_value(2.0 + (i % 2))
        start = time.perf_counter()
        at.run()
        wall.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(at.exception[0].message)


def main(blocks: int = 12, per_block: int = 5) -> dict[str, float]:
    sessions = {name: _session(path) for name, path in PAGES.items()}
    wall = {name: [] for name in PAGES}
    for name, at in sessions.items():  # warm-up
        _moves(at, 3, [])
        at.session_state["_bench_times"] = []
    for _ in range(blocks):
        for name, at in sessions.items():
            _moves(at, per_block, wall[name])
    body = {name: list(at.session_state["_bench_times"]) for name, at in sessions.items()}
    med = lambda xs: statistics.median(xs)  # noqa: E731
    result = {
        "explorer_wall_ms": 1000 * med(wall["explorer"]), "bare_wall_ms": 1000 * med(wall["bare"]),
        "explorer_body_ms": 1000 * med(body["explorer"]), "bare_body_ms": 1000 * med(body["bare"]),
    }
    result["ratio_wall"] = result["explorer_wall_ms"] / result["bare_wall_ms"]
    result["ratio_body"] = result["explorer_body_ms"] / result["bare_body_ms"]
    n = len(wall["explorer"])
    print(f"slider moves per page: {n}")
    print(f"end to end : explorer {result['explorer_wall_ms']:.1f} ms, bare {result['bare_wall_ms']:.1f} ms, "
          f"ratio {result['ratio_wall']:.2f} (goal <= 1.5)")
    print(f"script body: explorer {result['explorer_body_ms']:.1f} ms, bare {result['bare_body_ms']:.1f} ms, "
          f"ratio {result['ratio_body']:.2f}")
    return result


if __name__ == "__main__":
    main()
