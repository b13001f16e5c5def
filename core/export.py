"""Exports: tables as CSV that a spreadsheet opens safely (issue 9)."""
from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """A text cell that a spreadsheet would run as a formula (=HYPERLINK(…), +cmd, @SUM…) gets a leading
    apostrophe; numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8) with formula characters neutralised in every text cell and header."""
    out = frame.copy()
    out.columns = [neutralize(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(neutralize)
    return out.to_csv(index=False).encode("utf-8")


# ---------------------------------------------------------------------------------------------------
# Scenario exports for slides and briefs (issue 9): a chart (SVG/PNG), a 16:9 slide deck, a one-page PDF.
# All from the published coefficients (core.scenario), in Dutch or English, with title, source line and
# caveats. No browser is needed: Vega-Lite is rendered by vl-convert, slides by python-pptx, the brief by
# fpdf2.
# ---------------------------------------------------------------------------------------------------
import io  # noqa: E402
import re  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from . import codebook, figures, i18n, published, scenario  # noqa: E402

KINDS = {"figure": ("svg", "png"), "deck": ("pptx",), "brief": ("pdf",)}


@dataclass(frozen=True)
class ExportScenario:
    """What is exported: a published model, the inputs set (others at their Table 2 means), a Table 4
    safety group, and the input the chart runs over."""

    model: str = "table3"
    values: dict = field(default_factory=dict)
    group: str = "average"
    variable: str = "safety"


def _t(key: str, lang: str, **values) -> str:
    return i18n.translate(key, lang, **values)


def _plain(text: str) -> str:
    """Markdown emphasis removed (slides and PDFs are not Markdown)."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).replace("**", "")


def scenario_lines(sc: ExportScenario, lang: str) -> list[tuple[str, int, str]]:
    """(outcome title, percentage, plain sentence) for both outcomes."""
    out = []
    for row in scenario.outcome_records(sc.model, sc.values, sc.group):
        pct = round(100 * row["probability"])
        out.append((_t(f"outcome.{row['outcome']}.title", lang), pct,
                    _plain(_t(f"sentence.{row['outcome']}", lang, n=pct))))
    return out


def scenario_description(sc: ExportScenario, lang: str) -> str:
    """The inputs set, in words; the rest at the average respondent's values (Table 2)."""
    parts = [f"{codebook.variable(k).short[lang]} = {i18n.number(v, 'g', lang)}" for k, v in sc.values.items()
             if codebook.exists(k)]
    if sc.model != "table3":
        parts.append(_t(f"safety_group.{sc.group}", lang))
    return _t("export.scenario_inputs", lang, inputs="; ".join(parts) if parts else _t("export.average", lang))


def _source_line(sc: ExportScenario, lang: str) -> str:
    return f"{_t('badge.published', lang)} · {_t(f'model.{sc.model}', lang)} · {_t('sidebar.citation', lang)}"


def chart_spec(sc: ExportScenario, lang: str, width: int = 720) -> dict:
    """The explorer's curve as a self-contained Vega-Lite spec with title, subtitle (source) and labels."""
    variable = sc.variable if sc.variable in scenario.scenario_inputs(sc.model) else scenario.scenario_inputs(sc.model)[0]
    curves = scenario.outcome_curve_arrays(sc.model, variable, sc.values, sc.group)
    now = {r["outcome"]: r["probability"] for r in scenario.outcome_records(sc.model, sc.values, sc.group)}
    labels = {o: _t(f"outcome.{o}.short", lang) for o in published.OUTCOMES}
    var = codebook.variable(variable)
    current = sc.values.get(variable, scenario.average_value(variable))
    spec = figures.curve_figure(curves, current, now, labels, var.short[lang], _t("explorer.curve_y", lang),
                                _t("explorer.this_scenario", lang))
    spec.update({"width": width, "background": "white", "padding": 16,
                 "title": {"text": _t("explorer.curve_title", lang), "subtitle": _source_line(sc, lang),
                           "anchor": "start", "fontSize": 18, "subtitleFontSize": 11, "subtitleColor": "#444444"}})
    if lang in i18n.VEGA_LOCALE:  # decimal comma on the axes
        spec["config"] = {**spec.get("config", {}), "locale": i18n.VEGA_LOCALE[lang]}
    return spec


def figure(sc: ExportScenario, lang: str, fmt: str = "svg", scale: float = 2.0) -> bytes:
    """The chart as SVG (text) or PNG (scaled for slides)."""
    import vl_convert as vlc

    spec = chart_spec(sc, lang)
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec).encode("utf-8")
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=scale)
    raise ValueError(f"Unknown figure format '{fmt}'. Choose svg or png.")


def _caveats(lang: str) -> list[str]:
    return [_plain(line.lstrip("- ").strip()) for line in _t("about.caveats", lang).splitlines() if line.strip()]


def deck(sc: ExportScenario, lang: str) -> bytes:
    """A 16:9 slide deck: title, the chances in plain words, the chart, caveats and citation."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]

    def text_slide(title: str, lines: list[str], size: int = 24):
        slide = prs.slides.add_slide(blank)
        box = slide.shapes.add_textbox(Inches(0.7), Inches(0.5), Inches(12), Inches(1.2))
        box.text_frame.text = title
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(36)
        box.text_frame.paragraphs[0].runs[0].font.bold = True
        body = slide.shapes.add_textbox(Inches(0.7), Inches(1.8), Inches(12), Inches(5)).text_frame
        body.word_wrap = True
        for i, line in enumerate(lines):
            para = body.paragraphs[0] if i == 0 else body.add_paragraph()
            para.text = line
            para.runs[0].font.size = Pt(size)
        return slide

    lines = scenario_lines(sc, lang)
    text_slide(_t("explorer.title", lang), [_t(f"model.{sc.model}", lang), _t("badge.published", lang),
                                            _t("sidebar.citation", lang)], 20)
    text_slide(_t("export.chances_title", lang), [scenario_description(sc, lang)] +
               [f"{title}: {pct}%" for title, pct, _ in lines] + [sentence for _, _, sentence in lines], 24)
    chart = prs.slides.add_slide(blank)
    chart.shapes.add_picture(io.BytesIO(figure(sc, lang, "png")), Inches(0.9), Inches(0.4), height=Inches(6.7))
    text_slide(_t("about.caveats_title", lang), _caveats(lang), 18)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


_PDF_CHARS = {"—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "≈": "~", "→": "->",
              "·": "-", "×": "x", "≤": "<=", "≥": ">="}


def _latin1(text: str) -> str:
    """fpdf2's built-in fonts are Latin-1 (enough for Dutch): typographic characters mapped."""
    for a, b in _PDF_CHARS.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


def brief(sc: ExportScenario, lang: str) -> bytes:
    """A one-page PDF brief for policymakers: the numbers in plain words, the chart, caveats, citation."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_margins(15, 12, 15)
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _latin1(_t("explorer.title", lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, _latin1(_source_line(sc, lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("Helvetica", "I", 10)
    pdf.multi_cell(0, 5, _latin1(scenario_description(sc, lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for title, pct, sentence in scenario_lines(sc, lang):
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 6, _latin1(f"{title}: {pct}%"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, _latin1(sentence), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.image(io.BytesIO(figure(sc, lang, "png", scale=1.5)), w=175)
    pdf.ln(1)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 6, _latin1(_t("about.caveats_title", lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    for line in _caveats(lang):
        pdf.multi_cell(0, 4, _latin1("- " + line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def filename(kind: str, sc: ExportScenario, lang: str, fmt: str) -> str:
    """A meaningful file name: what, model, chart variable, language."""
    stem = {"figure": f"chances_by_{sc.variable}", "deck": "scenario_slides", "brief": "scenario_brief"}[kind]
    return f"terug_of_niet_{stem}_{sc.model}_{lang}.{fmt}"


def export(kind: str, sc: ExportScenario, lang: str, fmt: str | None = None) -> tuple[str, bytes]:
    """(file name, bytes) of one export."""
    if kind not in KINDS:
        raise ValueError(f"Unknown export '{kind}'. Choose figure, deck or brief.")
    fmt = fmt or KINDS[kind][0]
    if fmt not in KINDS[kind]:
        raise ValueError(f"A {kind} is written as {' or '.join(KINDS[kind])}, not {fmt}.")
    data = figure(sc, lang, fmt) if kind == "figure" else deck(sc, lang) if kind == "deck" else brief(sc, lang)
    return filename(kind, sc, lang, fmt), data
