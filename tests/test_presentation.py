"""Presentation mode's story (core.presentation): numbers from the published models, both languages."""
import pytest

from core import presentation, scenario


def pct(outcome, model, values, group="average"):
    return round(100 * scenario.predict(outcome, model, scenario.model_values(outcome, model, values, group)).probability)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_story_numbers_come_from_the_published_model(lang):
    values = {"health": 3.0}
    story = presentation.story("table3", values, "average", lang)
    assert [s.step for s in story] == list(presentation.STEPS)
    assert story[0].before == {"intention": pct("intention", "table3", values), "attitude": pct("attitude", "table3", values)}
    health = story[2]
    assert health.after["intention"] == pct("intention", "table3", {"health": 4.0})
    assert f"{health.after['intention']}" in health.message and f"{health.before['intention']}" in health.message
    dtv = story[3]
    assert dtv.after["intention"] == pct("intention", "table3", {"health": 3.0, "dtv_conversations": 1.8 + 1.0})
    assert story[4].before == {"intention": pct("intention", "table3", {}), "attitude": pct("attitude", "table3", {})}
    assert len(story[5].bullets) >= 4


def test_a_factor_the_model_lacks_is_said_not_invented():
    slide = presentation.slide("safety", "A", {}, "low", "en")
    assert not slide.after and "not a continuous input" in slide.message
