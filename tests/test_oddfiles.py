"""Odd but realistic survey files (tests/oddfiles.py): each gives a fit or one short, translated message;
no exception escapes, no parser text shows, no page's core computation fails after a successful read."""
import json
import re

import numpy as np
import pandas as pd
import pytest

from core import __main__ as cli
from core import diagnostics, i18n, pipeline, sensitivity, uncertainty, userdata, validation
from core.errors import StudyError
from oddfiles import corpus

CORPUS = corpus()


def userfile_kind(content: bytes) -> str:
    from core import userfile

    return userfile.sniff_format(content)
PARSER_TEXT = re.compile(r"codec|tokeniz|C error|Traceback|No columns to parse|Error|dtype|SVD|LinAlg|nan", re.I)


def _everything_a_page_computes(frame):
    result = pipeline.run(frame)
    validation.comparison(frame, result)
    validation.fit_summary(frame, result)
    for outcome, model in result.models.items():
        if model.usable:
            diagnostics.roc(result, outcome)
            diagnostics.classification_table(result, outcome, 0.3)
            diagnostics.calibration(result, outcome)
            diagnostics.vif(result, outcome)
            diagnostics.influence(result, outcome)
            uncertainty.prediction_interval(frame, outcome, {p: 0.0 for p in pipeline.PREDICTORS}, result)
    bench = sensitivity.Workbench(frame)
    bench.compare(sensitivity.PAPER)
    try:  # a listwise specification may leave too few respondents: the page shows that message
        bench.compare(sensitivity.Specification(missing="listwise", firth=True))
    except StudyError as exc:
        assert exc.code in ("too_few_complete", "one_category", "collinear", "firth_failed"), exc
    bench.specification_curve(extractions=("principal",), cutpoints=(1.0,), drops=[(), ("health",)])
    uncertainty.bootstrap(frame, 40, 1, result)
    return result


def test_the_corpus_covers_every_category():
    names = [n for n, _, _ in CORPUS]
    assert len(names) == len(set(names)) >= 60
    for fragment in ("utf16", "cp1252", "bad_byte", "tab", "missing_", ".sav", ".zsav", ".dta", ".xlsx", "renamed",
                     "ragged", "blank", "skipped_safety", "thirty_rows", "optional_", "constant", "collinear",
                     "outcome_", "huge_cell", "duplicate", "swapped", "unknown_names", ".xls", "pdf", "empty"):
        assert any(fragment in n for n in names), fragment


@pytest.mark.parametrize("name, content, expected", CORPUS, ids=[c[0] for c in CORPUS])
def test_a_fit_or_one_short_message(name, content, expected):
    try:
        survey = userdata.load_survey(content, name)
        _everything_a_page_computes(survey.frame)
        got = "fit"
    except StudyError as exc:
        got = "message"
        text = str(exc)
        assert len(text) <= 400, text
        assert not PARSER_TEXT.search(text.replace(name, "")), text
        if exc.code:  # the app shows the translation, in both languages
            key = "error.survey_problems" if exc.code == "survey_problems" else f"error.{exc.code}"
            assert key in i18n.table(), key
            for code, _ in exc.params.get("problems", []):
                assert f"problem.{code}" in i18n.table(), code
    assert got == expected


def test_the_cli_exits_0_with_json_or_2_with_one_line(tmp_path, capsys):
    for name, content, expected in CORPUS:
        path = tmp_path / name
        path.write_bytes(content)
        code = cli.main(["fit", "--data", str(path), "--json"])
        out, err = capsys.readouterr()
        assert code == (0 if expected == "fit" else 2), (name, err)
        if code == 0:
            assert json.loads(out)["models"]
        else:
            assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), (name, err)


def test_a_mapping_file_maps_renamed_columns_and_reversed_scales(tmp_path, capsys):
    from core import columnmap, replica

    base = replica.load()
    renamed = base.rename(columns={c: f"Q{i}" for i, c in enumerate(base.columns)})
    renamed["Q2"] = 8 - renamed["Q2"]  # item02 stored reversed (7 = strongly disagree)
    mapping = {c: f"Q{i}" for i, c in enumerate(base.columns) if c in columnmap.targets()}
    (tmp_path / "renamed.csv").write_bytes(renamed.to_csv(index=False).encode())
    (tmp_path / "mapping.json").write_bytes(columnmap.to_json(mapping, ("item02",)))
    assert cli.main(["fit", "--data", str(tmp_path / "renamed.csv"), "--mapping", str(tmp_path / "mapping.json"),
                     "--json"]) == 0
    mapped = json.loads(capsys.readouterr()[0])
    assert cli.main(["fit", "--json"]) == 0
    original = json.loads(capsys.readouterr()[0])
    # The same data after mapping and un-reversing (column order differs, so only rounding noise differs).
    for a, b in zip(mapped["coefficients"], original["coefficients"]):
        assert (a["outcome"], a["term"], a["stars"]) == (b["outcome"], b["term"], b["stars"])
        assert a["B"] == pytest.approx(b["B"], abs=1e-8) and a["SE"] == pytest.approx(b["SE"], abs=1e-8)
    assert columnmap.from_json(columnmap.to_json(mapping, ("item02",))) == (mapping, ("item02",))


def test_suggestions_use_spss_labels():
    from core import columnmap

    labels = {"v1": "Zou u bang zijn als u in de komende 12 maanden zou terugkeren? (5 = helemaal niet)",
              "v2": "Hoe zou u in het algemeen uw gezondheid omschrijven? (5 = uitstekend)"}
    got = columnmap.suggest(["v1", "v2", "item02"], labels)
    assert got["item01"] == "v1" and got["item02"] == "item02"


def test_two_files_with_swapped_headers_give_different_digests():
    from core import replica

    base = replica.load()
    swapped = base.rename(columns={"intention_plan": "attitude_good", "attitude_good": "intention_plan"})
    a = userdata.load_survey(base.to_csv(index=False).encode(), "a.csv")
    b = userdata.load_survey(swapped.to_csv(index=False).encode(), "b.csv")
    assert a.digest != b.digest
    assert pipeline.run(a.frame).models["attitude"].events != pipeline.run(b.frame).models["attitude"].events


def test_work_that_grows_with_n_is_bounded_with_a_message():
    """Above the stated limits the bootstrap, the specification curve and influence diagnostics give a
    coded message instead of exhausting the server's memory (README: limits)."""
    import numpy as np

    from core import replica

    base = replica.load()
    big = base.iloc[np.resize(np.arange(len(base)), uncertainty.BOOTSTRAP_MAX_N + 500)].reset_index(drop=True)
    result = pipeline.run(big)
    with pytest.raises(StudyError) as err:
        uncertainty.bootstrap(big, 10, 1, result)
    assert err.value.code == "bootstrap_too_large" and "error.bootstrap_too_large" in i18n.table()
    with pytest.raises(StudyError) as err:
        sensitivity.Workbench(big).specification_curve()
    assert err.value.code == "curve_too_large"
    assert diagnostics.INFLUENCE_MAX_N > uncertainty.BOOTSTRAP_MAX_N


@pytest.mark.parametrize("name, content", [(n, c) for n, c, _ in CORPUS if userfile_kind(c) == "text"],
                         ids=[n for n, c, _ in CORPUS if userfile_kind(c) == "text"])
def test_the_fast_reader_reads_what_the_pandas_reader_reads(name, content, monkeypatch):
    """Regular CSVs go through pyarrow's reader (fast on large files), the rest through pandas' C parser.
    Wherever pyarrow accepts a corpus file, the result must be the one pandas' path gives: same columns,
    same values (numbers compared as numbers, missing as missing), same detection."""
    from core import userfile

    try:
        fast = userfile.read_file(content, name)
    except StudyError as exc:
        fast = exc
    monkeypatch.setattr(userfile, "_read_regular", lambda *a, **k: None)
    try:
        slow = userfile.read_file(content, name)
    except StudyError as exc:
        slow = exc
    if isinstance(slow, StudyError) or isinstance(fast, StudyError):
        assert type(fast) is type(slow) and getattr(fast, "code", None) == getattr(slow, "code", None), name
        return
    assert list(fast.frame.columns) == list(slow.frame.columns), name
    assert fast.detection() == slow.detection(), name
    for col in fast.frame.columns:
        a, b = fast.frame[col], slow.frame[col]
        na, nb = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
        assert (a.isna() == b.isna()).all(), (name, col)
        if na.notna().sum() == a.notna().sum():
            assert np.allclose(na.fillna(0), nb.fillna(0), rtol=0, atol=1e-12), (name, col)
        else:
            assert (a.fillna("").astype(str) == b.fillna("").astype(str)).all(), (name, col)
