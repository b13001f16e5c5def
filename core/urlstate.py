"""The scenario in the URL: validate query parameters before the page uses them.

Streamlit's bound widgets silently drop values they cannot use; this module names them so the page can
say so (a visible notice, never an exception).
"""
from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

from . import codebook, measurement

MODEL_PARAM = "model"
SAFETY_GROUP_PARAM = "safety_group"
MODEL_CHOICES = ("table3", "A", "B")
SAFETY_GROUPS = ("average", "low", "mid", "high")
LANG_CHOICES = ("EN", "NL")
TOGGLES = ("safety_items",)
SCENARIO_A_PARAM = "a"   # the remembered scenario A: "model~group~name:value,name:value"
IGNORED = ("embed", "embed_options", "present", "step")  # presentation mode reads these itself


@dataclass(frozen=True)
class Notice:
    """One query parameter that was not used; ``reason`` is a translation-key suffix."""

    param: str
    value: str
    reason: str  # not_a_number | out_of_range | unknown_choice | unknown_param


def _first(value) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def numeric_params() -> dict[str, tuple[float, float]]:
    """Query parameters that carry numbers, with their allowed range (from the codebook)."""
    return dict(_numeric_params())


@functools.cache
def _numeric_params() -> dict[str, tuple[float, float]]:
    out = {v.name: (v.slider_min, v.slider_max) for v in codebook.predictors()}
    smap = measurement.safety_map()
    for item, rng in zip(smap.items, smap.ranges):
        out[item] = (float(rng[0]), float(rng[1]))
    return out


def check_query(raw: Mapping[str, object]) -> tuple[dict[str, object], list[Notice]]:
    """Split raw query parameters into usable values and notices about the rest."""
    numeric = numeric_params()
    values: dict[str, object] = {}
    notices: list[Notice] = []
    for param, raw_value in raw.items():
        text = _first(raw_value).strip()
        if param in IGNORED:
            continue
        if param in numeric:
            lo, hi = numeric[param]
            try:
                number = float(text)
            except ValueError:
                notices.append(Notice(param, text, "not_a_number"))
                continue
            if not math.isfinite(number) or not lo <= number <= hi:
                notices.append(Notice(param, text, "out_of_range"))
                continue
            values[param] = number
        elif param == MODEL_PARAM:
            _choice(param, text, MODEL_CHOICES, values, notices)
        elif param == SAFETY_GROUP_PARAM:
            _choice(param, text, SAFETY_GROUPS, values, notices)
        elif param == "lang":
            _choice(param, text, LANG_CHOICES, values, notices)
        elif param == SCENARIO_A_PARAM:
            scenario_a = decode_scenario_a(text)
            if scenario_a is None:
                notices.append(Notice(param, text, "unknown_choice"))
            else:
                values[param] = scenario_a
        elif param in TOGGLES:
            if text.lower() in ("true", "false"):
                values[param] = text.lower() == "true"
            else:
                notices.append(Notice(param, text, "unknown_choice"))
        else:
            notices.append(Notice(param, text, "unknown_param"))
    return values, notices


def _choice(param, text, choices, values, notices) -> None:
    if text in choices:
        values[param] = text
    else:
        notices.append(Notice(param, text, "unknown_choice"))


def encode_scenario_a(model: str, group: str, values: Mapping[str, float]) -> str:
    """The remembered scenario A as one query value, so a shared link reproduces the whole comparison."""
    pairs = ",".join(f"{name}:{float(value):g}" for name, value in values.items())
    return f"{model}~{group}~{pairs}"


def decode_scenario_a(text: str) -> dict | None:
    """Scenario A from its query value (see :func:`encode_scenario_a`), or None if any part is unusable:
    an unknown model, group or variable, or a value outside the variable's range."""
    parts = text.split("~")
    if len(parts) != 3 or parts[0] not in MODEL_CHOICES or parts[1] not in SAFETY_GROUPS:
        return None
    numeric = numeric_params()
    values: dict[str, float] = {}
    for pair in filter(None, parts[2].split(",")):
        name, _, raw = pair.partition(":")
        if name not in numeric:
            return None
        try:
            number = float(raw)
        except ValueError:
            return None
        lo, hi = numeric[name]
        if not math.isfinite(number) or not lo <= number <= hi:
            return None
        values[name] = number
    return {"model": parts[0], "group": parts[1], "values": values}
