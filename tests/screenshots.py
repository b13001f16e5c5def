"""Screenshots of every page in both languages into artifacts/screenshots/ (``make screenshots``)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browserkit import ROOT, app_server, browser, wait_for_app  # noqa: E402

PAGES = {"explorer": "", "table1": "table1", "audit": "audit", "about": "about", "figure1": "figure1",
         "models": "models", "fidelity": "fidelity", "validation": "validation", "sensitivity": "sensitivity",
         "diagnostics": "diagnostics"}


def main(out: Path = ROOT / "artifacts" / "screenshots") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with app_server() as url, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 2600})
        for lang in ("EN", "NL"):
            for name, path in PAGES.items():
                page.goto(f"{url}/{path}?lang={lang}")
                wait_for_app(page)
                page.wait_for_timeout(1200)
                page.wait_for_function("() => !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=60000)
                page.wait_for_timeout(800)
                target = out / f"{name}_{lang.lower()}.png"
                page.screenshot(path=str(target), full_page=True)
                shots.append(target)
    return shots


if __name__ == "__main__":
    for p in main():
        print(p)
