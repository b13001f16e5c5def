"""Presentation mode (issue 9): the paper's story, one message per screen, from the presenter's scenario.

Steps: the (presenter's) respondent, then one standard deviation more perceived safety, one point better
health, one more conversation with DT&V (each from that scenario, with the published Table 3 or Table 4
coefficients), the scenario against the average respondent, and the caveats. Everything shown is
computed here; the page only lays it out in large type.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import codebook, i18n, scenario

STEPS = ("respondent", "safety", "health", "dtv_conversations", "comparison", "caveats")
SHIFTS = {"safety": 1.0, "health": 1.0, "dtv_conversations": 1.0}  # section 4's own worked-example steps


@dataclass(frozen=True)
class Slide:
    step: str
    title: str
    message: str
    before: dict = field(default_factory=dict)   # outcome -> % (whole numbers)
    after: dict = field(default_factory=dict)
    variable: str | None = None
    bullets: tuple[str, ...] = ()


def _pcts(model: str, values: dict, group: str) -> dict[str, int]:
    return {r["outcome"]: round(100 * r["probability"]) for r in scenario.outcome_records(model, values, group)}


def slide(step: str, model: str, values: dict, group: str, lang: str) -> Slide:
    """One screen of the story for the presenter's scenario."""
    if step not in STEPS:
        raise ValueError(f"Unknown step '{step}'.")
    t = lambda key, **kw: i18n.translate(key, lang, **kw)  # noqa: E731
    now = _pcts(model, values, group)
    if step == "respondent":
        return Slide(step, t("present.respondent_title"),
                     t("present.respondent", intention=now["intention"], attitude=now["attitude"]), now)
    if step in SHIFTS:
        usable = step in scenario.scenario_inputs(model)
        if not usable:  # e.g. Table 4 model A has no continuous safety: say so rather than invent
            return Slide(step, codebook.variable(step).short[lang], t("present.not_in_model"), now, {}, step)
        var = codebook.variable(step)
        current = values.get(step, scenario.average_value(step))
        shifted = min(var.slider_max, current + SHIFTS[step])
        after = _pcts(model, {**values, step: shifted}, group)
        return Slide(step, var.short[lang], t(f"present.{step}", before=now["intention"], after=after["intention"],
                                              before_att=now["attitude"], after_att=after["attitude"]),
                     now, after, step)
    if step == "comparison":
        average = _pcts(model, {}, "average")
        return Slide(step, t("present.comparison_title"),
                     t("present.comparison", intention=now["intention"], attitude=now["attitude"],
                       avg_intention=average["intention"], avg_attitude=average["attitude"]), average, now)
    bullets = tuple(line.lstrip("- ").strip() for line in t("about.caveats").splitlines() if line.strip())
    return Slide(step, t("about.caveats_title"), t("present.caveats"), bullets=bullets)


def story(model: str, values: dict, group: str, lang: str) -> list[Slide]:
    return [slide(s, model, values, group, lang) for s in STEPS]

