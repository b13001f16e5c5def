"""Reading a user's survey file as researchers have it (issue 7): SPSS .sav/.zsav, Stata .dta, Excel
.xlsx and any CSV/TSV/TXT, recognised by content rather than by extension.

Nothing is written to disk: every reader works on the bytes in memory. What was detected (format,
encoding, delimiter, decimal comma, missing-value codes, SPSS variable labels) is returned beside the
data so the app can show it. Every failure is a :class:`~core.errors.InputError` with a code and short
parameters; no parser text reaches the user.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError

MAX_BYTES = 300 * 1024 * 1024      # documented upper limit (README): 300 MB
MAX_ROWS = 2_000_000               # documented upper limit: 2 million respondents
# Text that means "no answer" in survey exports (SPSS '#NULL!', Dutch 'n.v.t.', dashes, dots).
MISSING_TEXT = ("", ".", "-", "--", "?", "NA", "N/A", "n/a", "na", "NaN", "nan", "null", "NULL", "#NULL!",
                "n.v.t.", "nvt", "missing", "Missing", "geen antwoord", "weet niet", "#N/B", "#N/A", "none", "None")
# Numeric missing codes, treated as missing only where they fall outside a variable's answer scale.
MISSING_NUMBERS = (-9.0, -99.0, -999.0, -1.0, 9.0, 99.0, 999.0, 9999.0, 88.0, 98.0)


@dataclass
class FileRead:
    """A parsed file with what was detected about it."""

    frame: pd.DataFrame
    format: str                                  # sav, zsav, dta, xlsx, csv
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str = "."
    missing_text: list[str] = field(default_factory=list)   # text codes found and read as missing
    variable_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict] = field(default_factory=dict)
    skipped_lines: int = 0

    def detection(self) -> dict:
        """What the app shows next to the uploader."""
        return {"format": self.format, "encoding": self.encoding, "delimiter": self.delimiter,
                "decimal": self.decimal, "missing_text": self.missing_text, "rows": int(len(self.frame)),
                "columns": int(self.frame.shape[1]), "skipped_lines": self.skipped_lines}


def short(value, limit: int = 40) -> str:
    """A cell or name quoted in a message: at most ``limit`` characters, one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sniff_format(content: bytes) -> str:
    """The file's format from its first bytes (a renamed file is recognised by its content)."""
    head = content[:16]
    if head.startswith(b"$FL2"):
        return "sav"
    if head.startswith(b"$FL3"):
        return "zsav"
    if head.startswith(b"<stata_dta>") or (len(head) > 1 and head[0] in range(0x71, 0x78) and head[1] in (1, 2)):
        return "dta"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"%PDF") or head.startswith(b"\x89PNG") or head.startswith(b"\x1f\x8b"):
        return "binary"
    return "text"


def read_file(content: bytes, name: str = "file") -> FileRead:
    """Parse a user's file into a DataFrame (column names as given, values as read)."""
    if not content:
        raise InputError("The file is empty.", code="file_empty", name=short(name))
    if len(content) > MAX_BYTES:
        raise InputError(f"The file is {len(content) / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB.",
                         code="file_too_large", mb=f"{len(content) / 2**20:.0f}", limit=MAX_BYTES // 2**20)
    kind = sniff_format(content)
    if kind in ("sav", "zsav", "dta"):
        result = _read_stat(content, kind)
    elif kind == "xlsx":
        result = _read_excel(content)
    elif kind == "xls":
        raise InputError("Old Excel files (.xls) are not read. Save the sheet as .xlsx or CSV.", code="file_xls")
    elif kind == "binary":
        raise InputError("This is not a data file (it looks like a PDF, an image or an archive).",
                         code="file_not_data")
    else:
        result = _read_text(content)
    frame = result.frame
    frame.columns = [_clean_name(c) for c in frame.columns]
    frame = frame.dropna(how="all")                      # trailing or blank rows
    frame = frame.loc[:, [not (str(c).startswith("Unnamed:") and frame[c].isna().all()) for c in frame.columns]]
    if frame.empty or frame.shape[1] == 0:
        raise InputError("No data rows were found in the file.", code="file_no_rows")
    if len(frame) > MAX_ROWS:
        raise InputError(f"The file has {len(frame):,} rows; the limit is {MAX_ROWS:,}.", code="file_too_many_rows",
                         rows=len(frame), limit=MAX_ROWS)
    result.frame = frame.reset_index(drop=True)
    return result


def _clean_name(name) -> str:
    text = str(name).replace("\ufeff", "").strip()
    return text


def _read_stat(content: bytes, kind: str) -> FileRead:
    """SPSS and Stata with pyreadstat: user-missing codes become missing, labels are kept for mapping."""
    import pyreadstat

    reader = pyreadstat.read_dta if kind == "dta" else pyreadstat.read_sav
    try:
        frame, meta = reader(io.BytesIO(content), apply_value_formats=False)
    except Exception:  # noqa: BLE001 - any parser failure: the same user problem, no parser text shown
        raise InputError("The SPSS/Stata file could not be read; it may be damaged. Export it again.",
                         code="file_stat_damaged") from None
    labels = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    return FileRead(frame, kind, variable_labels=labels, value_labels=dict(meta.variable_value_labels or {}))


def _read_excel(content: bytes) -> FileRead:
    try:
        frame = pd.read_excel(io.BytesIO(content), sheet_name=0, engine="openpyxl", na_values=list(MISSING_TEXT),
                              keep_default_na=True)
    except Exception:  # noqa: BLE001
        raise InputError("The Excel file could not be read. Save it again as .xlsx (or as CSV).",
                         code="file_xlsx_damaged") from None
    return FileRead(_text_codes_to_missing(frame)[0], "xlsx")


def _decode(content: bytes) -> tuple[str, str]:
    """Text and the encoding used: BOMs first, then UTF-8, then UTF-16 without BOM, then cp1252 (Dutch
    Windows/Excel), which accepts any byte."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "UTF-8 (BOM)"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace"), "UTF-16"
    sample = content[:4000]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        even, odd = sample[0::2].count(b"\x00"), sample[1::2].count(b"\x00")
        enc = "utf-16-le" if odd > even else "utf-16-be"
        return content.decode(enc, errors="replace"), "UTF-16"
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    text = content.decode("cp1252", errors="replace")
    return text, "Windows-1252"


def _delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        raise InputError("No data rows were found in the file.", code="file_no_rows")
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in (",", ";", "\t", "|")}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


def _read_text(content: bytes) -> FileRead:
    """CSV/TSV/TXT with pandas' C parser: encoding, separator and decimal mark detected on the first lines,
    missing-value text codes read as missing, lines with too many fields skipped and counted."""
    head = content[:200_000]
    if len(content) > len(head) and head.count(b"\x00") < len(head) // 4 and b"\n" in head:
        head = head[: head.rfind(b"\n") + 1]  # whole lines: never a character cut in two
    text, encoding = _decode(head)
    sep = _delimiter(text)
    head_lines = [ln for ln in text.splitlines()[1:200] if ln.strip()]
    cells = [c.strip().strip('"') for ln in head_lines for c in ln.split(sep)]
    decimal = "," if sep != "," and any(DECIMAL_COMMA.match(c) for c in cells) else "."
    found = sorted({c for c in cells if c in MISSING_TEXT and c})
    full, _ = _decode(content) if encoding.startswith("UTF-16") else (None, None)
    enc = None if full is not None else ("utf-8-sig" if encoding == "UTF-8 (BOM)" else
                                         "utf-8" if encoding == "UTF-8" else "cp1252")
    frame = _read_regular(content, sep, decimal, enc) if full is None else None
    if frame is None:
        source = io.StringIO(full) if full is not None else io.BytesIO(content)
        try:
            frame = pd.read_csv(source, sep=sep, decimal=decimal, encoding=enc, encoding_errors="replace",
                                na_values=list(MISSING_TEXT), keep_default_na=True, skipinitialspace=True,
                                on_bad_lines="skip", engine="c", low_memory=False)
        except Exception:  # noqa: BLE001
            raise InputError("The file could not be read as a table with a header row. Save it as CSV or Excel.",
                             code="file_not_table") from None
    if frame.shape[1] < 2:
        raise InputError("The file has only one column: the separator between columns was not recognised. "
                         "Save it as CSV (comma or semicolon) or Excel.", code="file_one_column")
    data_lines = (full if full is not None else text).count("\n") if len(content) <= 200_000 else None
    skipped = max(0, data_lines - 1 - len(frame) - _blank_lines(full if full is not None else text)) \
        if data_lines is not None else 0
    frame, more = _text_codes_to_missing(frame)
    text = [i for i in range(frame.shape[1]) if _is_text(frame.iloc[:, i])]
    for i in text:
        frame.isetitem(i, _numeric_if_possible(frame.iloc[:, i]))
    return FileRead(frame, "csv", encoding=encoding, delimiter={"\t": "tab"}.get(sep, sep), decimal=decimal,
                    missing_text=sorted(set(found) | set(more)), skipped_lines=skipped)


def _read_regular(content: bytes, sep: str, decimal: str, encoding: str) -> pd.DataFrame | None:
    """A regular table (every line as many fields as the header, distinct non-empty header names, valid
    text in its encoding) with pyarrow's multithreaded CSV reader: about twice as fast as pandas' on a
    million rows. None for anything irregular, which pandas' C parser then reads with the rules above
    (short lines padded, long lines skipped and counted, repeated headers numbered)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    irregular: list[int] = []

    def skip(row) -> str:
        irregular.append(1)
        return "skip"

    source = content[3:] if encoding == "utf-8-sig" else content
    try:
        table = pacsv.read_csv(
            io.BytesIO(source),
            read_options=pacsv.ReadOptions(encoding="utf8" if encoding.startswith("utf-8") else encoding,
                                           block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=sep, invalid_row_handler=skip),
            convert_options=pacsv.ConvertOptions(decimal_point=decimal, strings_can_be_null=True,
                                                 quoted_strings_can_be_null=True))
    except (pa.ArrowException, ValueError, UnicodeError, LookupError):
        return None
    names = [str(n) for n in table.column_names]
    if irregular or len(set(names)) != len(names) or any(not n.strip() for n in names):
        return None
    if any(not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_string(t)
                or pa.types.is_large_string(t) or pa.types.is_boolean(t) or pa.types.is_null(t))
           for t in table.schema.types):
        return None                                   # dates, times: pandas' reading of them is the reference
    return table.to_pandas(split_blocks=True, self_destruct=True)


def _blank_lines(text: str) -> int:
    return sum(1 for ln in text.splitlines()[1:] if not ln.strip() or not ln.strip(",;\t| "))


def _text_codes_to_missing(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Cells whose whole text is a missing code become missing; returns the codes that occurred."""
    found: set[str] = set()
    codes = set(MISSING_TEXT)
    text = [i for i in range(frame.shape[1]) if _is_text(frame.iloc[:, i])]
    if not text:
        return frame, []                      # numbers only (the common large file): nothing to copy
    out = frame.copy()
    for i in text:
        col = out.iloc[:, i]
        stripped = col.map(lambda v: v.strip() if isinstance(v, str) else v)
        hit = stripped.isin(codes)
        if hit.any():
            found |= {c for c in stripped[hit].unique() if isinstance(c, str) and c}
        out.isetitem(i, stripped.astype(object).where(~hit, np.nan))
    return out, sorted(found)


def _is_text(col: pd.Series) -> bool:
    return col.dtype == object or pd.api.types.is_string_dtype(col.dtype)


def _numeric_if_possible(col: pd.Series) -> pd.Series:
    """A column of numbers as float; text stays text (validation names it)."""
    if not _is_text(col):
        return col
    values = pd.to_numeric(col, errors="coerce")
    if values.notna().sum() == col.notna().sum():
        return values
    return col
