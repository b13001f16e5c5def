"""Every user-facing string goes through data/translations.csv, in both languages."""
import re
import string

import pytest

from conftest import ROOT
from core import audit, fitstatus, i18n, published, rounding, urlstate

SOURCES = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
LITERAL = re.compile(r"""\bt\(\s*"([a-z0-9_.]+)"\s*[,)]""")


def used_keys() -> set[str]:
    keys = set()
    for path in SOURCES:
        keys |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    # Families built with f-strings on the pages.
    for o in published.OUTCOMES:
        keys |= {f"outcome.{o}.title", f"outcome.{o}.short", f"outcome.{o}.definition", f"sentence.{o}"}
    for m in urlstate.MODEL_CHOICES:
        keys |= {f"model.{m}", f"explorer.model_note.{m}"}
    keys |= {f"safety_group.{g}" for g in urlstate.SAFETY_GROUPS}
    keys |= {f"url.reason.{r}" for r in ("not_a_number", "out_of_range", "unknown_choice", "unknown_param")}
    keys |= {f"example.{i}" for i in published.table("worked_examples")["example_id"]}
    checks = audit.consistency_checks()
    keys |= {f"relation.{r}" for r in checks["relation"]}
    keys |= {f"verdict.{v}" for v in rounding.VERDICTS}
    keys |= {f"status.{s}" for s in fitstatus.STATUSES}
    keys |= {f"fidelity.note.{n}" for n in ("orientation", "below_floor", "not_reached", "item_n_bound", "not_printed",
                                             "failed_fit")}
    return keys


def test_every_used_key_exists_in_both_languages():
    table = i18n.table()
    keys = used_keys()
    assert len(keys) > 100
    missing = sorted(k for k in keys if k not in table)
    assert not missing, missing
    empty = sorted(k for k in keys if not table[k]["en"].strip() or not table[k]["nl"].strip())
    assert not empty, empty


def test_placeholders_match_between_languages():
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    for key, entry in i18n.table().items():
        assert fields(entry["en"]) == fields(entry["nl"]), key


def test_dutch_differs_from_english_for_sentences():
    table = i18n.table()
    assert table["sentence.intention"]["nl"] != table["sentence.intention"]["en"]
    assert i18n.translate("sentence.intention", "nl", n=9).startswith("Van 100 mensen")


def test_missing_key_is_a_bug():
    with pytest.raises(KeyError):
        i18n.translate("no.such.key", "en")
