"""The codebook the UI is generated from."""
import pytest

from core import codebook, published
from core.errors import InputError


def test_predictors_match_table3_order_and_means():
    names = [v.name for v in codebook.predictors()]
    assert names == [t for t in published.TABLE3_TERMS if t != "const"]
    for v in codebook.predictors():
        assert v.label["nl"] and v.label["en"] and v.short["nl"] and v.short["en"]
        assert v.slider_min <= v.mean <= v.slider_max, v.name
        assert v.mean == float(published.descriptive(v.name, "Table 2")["mean"])


def test_items_have_table1b_descriptives_and_dutch_wording():
    items = codebook.items()
    assert len(items) == 25
    assert items[0].label["nl"].startswith("Zou u bang zijn")
    assert items[1].answer_labels["en"][1] == "strongly disagree"
    assert items[0].answer_labels["nl"][2] == "bang"


def test_describe_values():
    health = codebook.variable("health")
    assert health.describe(3, "en") == "3 — good"
    assert health.describe(2.5, "nl") == "2,5 — tussen matig (2) en goed (3)"   # Dutch decimal comma
    assert health.describe(2.5, "en") == "2.5 — between moderate (2) and good (3)"
    assert codebook.variable("safety").describe(1, "en") == "+1.0 SD"


def test_unknown_variable():
    with pytest.raises(InputError, match="Known scenario variables"):
        codebook.variable("happiness")
