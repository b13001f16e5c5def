"""Exports for slides, papers and briefs (issue 9), opened with real readers: python-pptx for the deck,
pypdf for the brief, Pillow for the PNG, XML for the SVG. Numbers checked against core.scenario."""
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from conftest import ROOT
from core import export, scenario

SC = export.ExportScenario(values={"health": 4.0})


def expected_pcts(sc):
    return [f"{round(100 * scenario.predict(o, sc.model, {k: v for k, v in sc.values.items()}).probability)}%"
            for o in ("intention", "attitude")]


@pytest.mark.parametrize("lang, title", [("en", "How the chances change"), ("nl", "Hoe de kansen veranderen")])
def test_svg_has_title_axis_labels_source_and_language(lang, title):
    svg = export.figure(SC, lang, "svg").decode()
    ET.fromstring(svg)  # well-formed
    assert title in svg and "Leerkes" in svg
    assert ("Kans" if lang == "nl" else "Chance") in svg


def test_png_is_a_large_image():
    png = Image.open(io.BytesIO(export.figure(SC, "en", "png")))
    assert png.format == "PNG" and png.width >= 1200 and png.height >= 600


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_deck_opens_in_python_pptx_with_the_numbers(lang):
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation(io.BytesIO(export.deck(SC, lang)))
    assert len(prs.slides) == 4 and prs.slide_width == Inches(13.333)
    text = " ".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame)
    for pct in expected_pcts(SC):
        assert pct in text
    assert "Leerkes" in text and ("Lees met zorg" if lang == "nl" else "Read with care") in text
    assert any(shape.shape_type == 13 for shape in prs.slides[2].shapes)  # the chart picture


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_brief_is_one_pdf_page_with_the_numbers(lang):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(export.brief(SC, lang)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for pct in expected_pcts(SC):
        assert pct in text
    assert "Leerkes" in text and ("Gezondheid = 4" in text if lang == "nl" else "Health = 4" in text)


def test_cli_writes_figure_deck_and_brief(tmp_path):
    for what, fmt in (("figure", "svg"), ("figure", "png"), ("deck", "pptx"), ("brief", "pdf")):
        r = subprocess.run([sys.executable, "-m", "core", "export", "--what", what, "--format", fmt, "--lang", "nl",
                            "--set", "health=4", "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["written"].endswith(f"_nl.{fmt}") and (tmp_path / out["written"].split("/")[-1]).stat().st_size > 1000
    bad = subprocess.run([sys.executable, "-m", "core", "export", "--what", "deck", "--format", "pdf"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
