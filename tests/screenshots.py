"""Screenshots of every page in both languages into artifacts/screenshots/ (``make screenshots``)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browserkit import ROOT, app_server, browser, wait_for_app  # noqa: E402

PAGES = {"explorer": "", "table1": "table1", "audit": "audit", "about": "about", "figure1": "figure1",
         "models": "models", "fidelity": "fidelity", "validation": "validation", "sensitivity": "sensitivity",
         "diagnostics": "diagnostics"}


WIDTHS = (390, 850, 1280, 1920)


def main(out: Path = ROOT / "artifacts" / "screenshots") -> list[Path]:
    """Every page in both languages at phone, 150%-zoom laptop, laptop and projector widths."""
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with app_server() as url, browser() as b:
        for width in WIDTHS:
            page = b.new_page(viewport={"width": width, "height": 1000})
            for lang in ("EN", "NL"):
                for name, path in PAGES.items():
                    page.goto(f"{url}/{path}?lang={lang}")
                    wait_for_app(page)
                    page.wait_for_timeout(1200)
                    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSpinner\"]')",
                                           timeout=60000)
                    page.wait_for_timeout(800)
                    # Streamlit scrolls its main section, not the document: grow the window to the page.
                    height = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
                        '[data-testid="stMain"], [data-testid="stMainBlockContainer"]')].map(e => e.scrollHeight))""")
                    page.set_viewport_size({"width": width, "height": min(max(1000, height + 40), 9000)})
                    page.wait_for_timeout(900)
                    target = out / f"{name}_{lang.lower()}_{width}.png"
                    page.screenshot(path=str(target))
                    page.set_viewport_size({"width": width, "height": 1000})
                    shots.append(target)
            page.close()
    return shots


if __name__ == "__main__":
    for p in main():
        print(p)
