"""A corpus of odd but realistic survey files, made from the synthetic replica (issue 7).

Each entry: (name, bytes, expected) with expected 'fit' (the pipeline must run) or 'message' (one short,
user-facing InputError). Categories: encodings, separators and decimal commas, missing-value codes, SPSS /
Stata / Excel and renamed files, broken structure, optional columns, degenerate data, column names.
"""
from __future__ import annotations

import io
import os
import tempfile

import numpy as np
import pandas as pd

from core import replica


def _csv(frame: pd.DataFrame, **kw) -> bytes:
    enc = kw.pop("encoding", "utf-8")
    return frame.to_csv(index=False, **kw).encode(enc)


def _stat(frame: pd.DataFrame, kind: str, **kw) -> bytes:
    import pyreadstat

    fd, path = tempfile.mkstemp(suffix="." + kind)
    os.close(fd)
    try:
        if kind == "dta":
            pyreadstat.write_dta(frame, path, **kw)
        else:
            pyreadstat.write_sav(frame, path, compress=(kind == "zsav"), **kw)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.remove(path)


def _xlsx(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_excel(buf, index=False, engine="openpyxl")
    return buf.getvalue()


def corpus() -> list[tuple[str, bytes, str]]:
    base = replica.load()
    numeric = base.drop(columns=["sex", "region"])
    rng = np.random.default_rng(7)
    items = [c for c in base.columns if c.startswith("item")]
    out: list[tuple[str, bytes, str]] = []
    add = lambda name, content, expected: out.append((name, content, expected))  # noqa: E731

    # Encodings and separators.
    accented = base.assign(region=base["region"].replace({"Other Africa": "Côte d’Ivoire"}))
    add("utf8.csv", _csv(base), "fit")
    add("utf8_bom.csv", _csv(base, encoding="utf-8-sig"), "fit")
    add("utf16.csv", _csv(accented, encoding="utf-16"), "fit")
    add("excel_unicode_text.txt", _csv(accented, sep="\t", encoding="utf-16"), "fit")
    add("cp1252_semicolon_decimal_comma.csv",
        _csv(accented.replace({"Côte d’Ivoire": "Côte d'Ivoire"}), sep=";", decimal=",", encoding="cp1252"), "fit")
    add("latin1.csv", _csv(accented.replace({"Côte d’Ivoire": "Côte d'Ivoire"}), encoding="latin-1"), "fit")
    bad_byte = _csv(base).replace(b"Afghanistan", b"Afgh\xffanistan", 1)
    add("one_bad_byte.csv", bad_byte, "fit")
    add("tab.tsv", _csv(base, sep="\t"), "fit")
    add("pipe.txt", _csv(base, sep="|"), "fit")
    add("semicolon_no_decimals.csv", _csv(numeric.round(0), sep=";"), "fit")
    # Missing-value codes.
    for code in ("-", ".", "?", "#NULL!", "n.v.t.", "NA"):
        text = base.astype(object).where(base.notna(), code)
        add(f"missing_{code.strip('#!.') or 'dot'}.csv", _csv(text), "fit")
    coded = numeric.copy()
    coded[items] = coded[items].fillna(99)
    add("missing_99.csv", _csv(coded), "fit")
    minus9 = numeric.copy()
    minus9[["health", "permit_expectation"]] = minus9[["health", "permit_expectation"]].fillna(-9)
    add("missing_minus9.csv", _csv(minus9), "fit")
    # Statistical packages and Excel, and renamed files.
    sav = _stat(numeric.fillna(99), "sav", missing_ranges={c: [99] for c in items},
                column_labels={c: c for c in numeric.columns},
                variable_value_labels={"item01": {1.0: "very afraid", 5.0: "not at all"}})
    add("survey.sav", sav, "fit")
    add("survey.zsav", _stat(numeric, "zsav"), "fit")
    add("survey.dta", _stat(numeric, "dta"), "fit")
    add("survey.xlsx", _xlsx(base), "fit")
    add("survey_sav_renamed.csv", sav, "fit")
    add("survey_xlsx_renamed.dat", _xlsx(base), "fit")
    add("old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "message")
    add("a_pdf.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "message")
    add("damaged.sav", sav[:200], "message")
    add("empty.csv", b"", "message")
    add("header_only.csv", ",".join(base.columns).encode() + b"\n", "message")
    add("one_column.csv", b"just one column\n1\n2\n3\n", "message")
    # Structure.
    add("trailing_empty_rows.csv", _csv(base) + b",,,,\n\n,,,\n", "fit")
    short_row = _csv(base).rstrip(b"\n") + b"\nR999,1,2\n"
    add("short_ragged_row.csv", short_row, "fit")
    long_row = _csv(base).rstrip(b"\n") + b"\n" + b",".join([b"1"] * (base.shape[1] + 5)) + b"\n"
    add("long_ragged_row.csv", long_row, "fit")
    blanks = base.copy()
    mask = rng.random((len(base), len(items))) < 0.10
    blanks[items] = blanks[items].mask(mask)
    add("ten_percent_blank.csv", _csv(blanks), "fit")
    skipped = base.copy()
    skipped.loc[5, ["item01", "item02"]] = np.nan
    add("skipped_safety_block.csv", _csv(skipped), "fit")
    add("thirty_rows.csv", _csv(base.head(30)), "fit")
    add("twenty_nine_rows.csv", _csv(base.head(29)), "message")
    add("one_row.csv", _csv(base.head(1)), "message")
    big_cell = base.astype(object).copy()
    big_cell.loc[3, "health"] = "x" * 100_000
    add("huge_cell.csv", _csv(big_cell), "message")
    # Optional columns.
    for col in ("age", "years_in_nl", "permit_holder"):
        add(f"optional_{col}_blank.csv", _csv(base.assign(**{col: np.nan})), "fit")
        add(f"optional_{col}_text.csv", _csv(base.assign(**{col: "unknown"})), "fit")
    add("optional_inf.csv", _csv(base.assign(age=np.inf)), "fit")
    add("optional_yes_no.csv", _csv(base.assign(permit_holder=np.where(base["permit_holder"] == 1, "yes", "no"))), "fit")
    add("no_optional_columns.csv", _csv(base.drop(columns=["age", "years_in_nl", "permit_holder", "sex", "region",
                                                           "medical_procedure"])), "fit")
    # Degenerate data.
    add("outcome_all_missing.csv", _csv(base.assign(attitude_good=np.nan, intention_plan=np.nan,
                                                    intention_effort=np.nan)), "message")
    add("outcome_one_category.csv", _csv(base.assign(attitude_good=1, intention_plan=1, intention_effort=1)), "message")
    add("constant_item.csv", _csv(base.assign(item05=3)), "message")
    add("every_cell_one_answer.csv", _csv(base.assign(**{c: 1 for c in items + ["health", "travel_documents"]})),
        "message")
    add("predictor_all_missing.csv", _csv(base.assign(return_money=np.nan)), "message")
    add("collinear_predictors.csv", _csv(base.assign(travel_documents=base["return_money"])), "fit")
    add("inf_in_item.csv", _csv(base.assign(item03=base["item03"].where(base.index != 2, np.inf))), "message")
    add("out_of_range.csv", _csv(base.assign(item01=base["item01"].where(base.index != 0, 12))), "message")
    # Column names.
    renamed = base.rename(columns={c: c.upper() for c in base.columns})
    add("upper_case_names.csv", _csv(renamed), "fit")
    add("item1_style_names.csv", _csv(base.rename(columns={f"item{i:02d}": f"item{i}" for i in range(1, 26)})), "fit")
    add("unknown_names.csv", _csv(base.rename(columns={c: f"Q{i}" for i, c in enumerate(base.columns)})), "message")
    add("duplicate_conflicting_column.csv",
        _csv(base.assign(extra=base["health"].fillna(1) % 5 + 1)).replace(b",extra\n", b",health\n", 1), "message")
    swapped = base.rename(columns={"intention_plan": "attitude_good", "attitude_good": "intention_plan"})
    add("headers_swapped.csv", _csv(swapped), "fit")
    return out
