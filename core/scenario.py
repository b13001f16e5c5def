"""Exact scenario engine on the published coefficients (Table 3; Table 4 models A and B).

A *profile* maps each predictor of a model to a value. Unset predictors sit at the "average
respondent" of section 4: Table 2 means (factor scores 0). Probabilities are the logistic function of
the published linear predictor — no refitting, no data.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from . import codebook, published
from .errors import InputError

PREDICTION_MODELS = ("table3", "A", "B")
REFERENCE_TERMS = ("safety_high",)


def logistic(x):
    """Inverse logit, numerically stable for arrays and scalars."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


def _check_choice(outcome: str, model: str) -> None:
    if outcome not in published.OUTCOMES:
        raise InputError(f"Unknown outcome '{outcome}'. Choose 'intention' or 'attitude'.")
    if model == "C":
        raise InputError(
            "Model C (Table 4) uses objective country measures that are not published per respondent, "
            "so it cannot be evaluated for a profile. Choose table3, A or B."
        )
    if model not in PREDICTION_MODELS:
        raise InputError(f"Unknown model '{model}'. Choose one of: {', '.join(PREDICTION_MODELS)}.")


@functools.cache
def _coefs(outcome: str, model: str) -> dict[str, float]:
    """Published B per term as plain floats (cached: the engine runs on every Streamlit rerun)."""
    _check_choice(outcome, model)
    return {term: float(b) for term, b in published.model_coefficients(outcome, model).items()}


def model_inputs(outcome: str, model: str = "table3") -> list[str]:
    """The profile variables a published model needs, in table order."""
    return [t for t in _coefs(outcome, model) if t != "const" and t not in REFERENCE_TERMS]


@functools.cache
def average_value(name: str) -> float:
    """The "average respondent" value of one variable (Table 2 mean; section 4.1 group shares)."""
    if name == "safety_low":
        return published.text_statistic("n_safety_low") / published.text_statistic("n_respondents")
    if name == "safety_mid":
        return published.text_statistic("n_safety_mid") / published.text_statistic("n_respondents")
    if name == "health_cleaned":
        # The cleaned variable's mean is not published; Table 2's reported-health mean stands in.
        return float(published.descriptive("health", "Table 2")["mean"])
    var = codebook.variable(name)
    if var.mean is None:
        raise InputError(f"No published mean for '{name}'.")
    return var.mean


def average_profile(outcome: str = "intention", model: str = "table3") -> dict[str, float]:
    """Section 4's "imaginary average respondent": every input at its mean."""
    return {name: average_value(name) for name in model_inputs(outcome, model)}


def validate_value(name: str, value) -> float:
    """A scenario value as float, or an InputError naming the allowed range."""
    var = codebook.variable(name)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"The value for {name} must be a number; got '{value}'.") from None
    if not math.isfinite(number) or not var.slider_min <= number <= var.slider_max:
        raise InputError(
            f"The value for {name} must lie between {var.slider_min:g} and {var.slider_max:g}; got {value}."
        )
    return number


def build_profile(outcome: str, model: str = "table3", values: Mapping[str, float] | None = None) -> dict[str, float]:
    """Average profile with the given values set (validated); unknown names are errors."""
    profile = average_profile(outcome, model)
    for name, value in (values or {}).items():
        codebook.variable(name)  # unknown names raise with the list of known ones
        if name not in profile:
            raise InputError(
                f"The {outcome} model '{model}' has no input '{name}'. Its inputs are: {', '.join(profile)}."
            )
        profile[name] = validate_value(name, value)
    return profile


@dataclass(frozen=True)
class Prediction:
    """A predicted probability with everything needed to reproduce it."""

    outcome: str
    model: str
    probability: float
    linear_predictor: float
    profile: dict[str, float]

    def to_dict(self) -> dict:
        return asdict(self)


def linear_predictor(outcome: str, model: str, profile: Mapping[str, float]) -> float:
    """const + sum of B × value over the model's inputs."""
    coefs = _coefs(outcome, model)
    missing = [t for t in model_inputs(outcome, model) if t not in profile]
    if missing:
        raise InputError(f"The profile lacks {', '.join(missing)}.")
    return float(coefs["const"] + sum(coefs[t] * float(profile[t]) for t in model_inputs(outcome, model)))


def predict(outcome: str = "intention", model: str = "table3", values: Mapping[str, float] | None = None) -> Prediction:
    """Predicted probability of the high category (1) for a profile; unset inputs at their means."""
    profile = build_profile(outcome, model, values)
    eta = linear_predictor(outcome, model, profile)
    return Prediction(outcome, model, float(logistic(eta)), eta, profile)


def curve(outcome: str, model: str, variable: str, values: Mapping[str, float] | None = None,
          points: int = 61) -> pd.DataFrame:
    """Probability over the slider range of one input, all other inputs fixed at the profile."""
    grid, prob = _curve_arrays(outcome, model, variable, values, points)
    return pd.DataFrame({"outcome": outcome, "model": model, "variable": variable, "value": grid, "probability": prob})


def _curve_arrays(outcome: str, model: str, variable: str, values: Mapping[str, float] | None,
                  points: int) -> tuple[np.ndarray, np.ndarray]:
    """The grid over the slider range and the probability at each point (the explorer's hot path)."""
    profile = build_profile(outcome, model, values)
    if variable not in profile:
        raise InputError(f"The {outcome} model '{model}' has no input '{variable}'.")
    var = codebook.variable(variable)
    grid = np.linspace(var.slider_min, var.slider_max, points)
    coefs = _coefs(outcome, model)
    eta0 = linear_predictor(outcome, model, profile) - coefs[variable] * profile[variable]
    return grid, logistic(eta0 + coefs[variable] * grid)


@dataclass(frozen=True)
class Comparison:
    """Scenario B against scenario A for one outcome."""

    outcome: str
    model: str
    probability_a: float
    probability_b: float

    @property
    def difference_pp(self) -> float:
        """Percentage-point difference B − A."""
        return 100.0 * (self.probability_b - self.probability_a)

    @property
    def odds_ratio(self) -> float:
        """Odds of B over odds of A (= exp of the difference in linear predictors)."""
        a, b = self.probability_a, self.probability_b
        return (b / (1 - b)) / (a / (1 - a))


def compare(outcome: str, model: str, values_a: Mapping[str, float] | None,
            values_b: Mapping[str, float] | None) -> Comparison:
    """Compare two scenarios under one published model."""
    pa = predict(outcome, model, values_a).probability
    pb = predict(outcome, model, values_b).probability
    return Comparison(outcome, model, pa, pb)


def comparison_table(model: str, values_a: Mapping[str, float] | None,
                     values_b: Mapping[str, float] | None) -> pd.DataFrame:
    """Both outcomes, A vs B, as a tidy table (percentages, pp difference, odds ratio)."""
    rows = []
    for outcome in published.OUTCOMES:
        a = {k: v for k, v in (values_a or {}).items() if k in model_inputs(outcome, model)}
        b = {k: v for k, v in (values_b or {}).items() if k in model_inputs(outcome, model)}
        c = compare(outcome, model, a, b)
        rows.append({"outcome": outcome, "pct_a": 100 * c.probability_a, "pct_b": 100 * c.probability_b,
                     "difference_pp": c.difference_pp, "odds_ratio": c.odds_ratio})
    return pd.DataFrame(rows)


def model_values(outcome: str, model: str, values: Mapping[str, float] | None,
                 safety_group: str | None = None) -> dict[str, float]:
    """Map study-level inputs (Table 3 predictors, plus a Table 4 safety group) onto one model's inputs.

    Table 4 models A and B replace the safety factor by group dummies (section 4.1: low = 1 on both
    safety items, N = 78; middle and high, N = 15 each, high the reference); model B uses
    'cleaned' health where A uses reported health. ``safety_group`` None or 'average' keeps the
    dummies at the group shares (the average respondent).
    """
    inputs = model_inputs(outcome, model)
    values = dict(values or {})
    out = {k: v for k, v in values.items() if k in inputs}
    if "health_cleaned" in inputs and "health" in values:
        out["health_cleaned"] = values["health"]
    if "safety_low" in inputs and safety_group not in (None, "average"):
        if safety_group not in ("low", "mid", "high"):
            raise InputError(f"Unknown safety group '{safety_group}'. Choose low, mid, high or average.")
        out["safety_low"] = 1.0 if safety_group == "low" else 0.0
        out["safety_mid"] = 1.0 if safety_group == "mid" else 0.0
    return out


def outcome_records(model: str, values: Mapping[str, float] | None = None,
                    safety_group: str | None = None) -> list[dict]:
    """Both outcomes for one scenario as plain rows (outcome, model, probability, average_probability):
    the explorer's hot path, with no DataFrame built on a slider move."""
    return [{"outcome": outcome, "model": model,
             "probability": predict(outcome, model, model_values(outcome, model, values, safety_group)).probability,
             "average_probability": _average_probability(outcome, model)}
            for outcome in published.OUTCOMES]


def predict_outcomes(model: str, values: Mapping[str, float] | None = None,
                     safety_group: str | None = None) -> pd.DataFrame:
    """Both outcomes for one scenario: probability, and the average respondent's for reference."""
    return pd.DataFrame(outcome_records(model, values, safety_group))


@functools.cache
def _average_probability(outcome: str, model: str) -> float:
    """The average respondent's probability (fixed by the published numbers, so computed once)."""
    return predict(outcome, model).probability


def outcome_curve_arrays(model: str, variable: str, values: Mapping[str, float] | None = None,
                         safety_group: str | None = None, points: int = 61) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per outcome, (grid, probability) over one study-level input (e.g. health), others fixed; outcomes
    whose model lacks the input are left out (the explorer's hot path: arrays, no DataFrame)."""
    out = {}
    for outcome in published.OUTCOMES:
        mv = model_values(outcome, model, values, safety_group)
        target = "health_cleaned" if variable == "health" and "health_cleaned" in model_inputs(outcome, model) else variable
        if target in model_inputs(outcome, model):
            out[outcome] = _curve_arrays(outcome, model, target, mv, points)
    if not out:
        raise InputError(f"No published {model} model uses '{variable}'.")
    return out


def outcome_curves(model: str, variable: str, values: Mapping[str, float] | None = None,
                   safety_group: str | None = None, points: int = 61) -> pd.DataFrame:
    """Curves of both outcomes over one study-level input (e.g. health), others fixed (tidy form)."""
    arrays = outcome_curve_arrays(model, variable, values, safety_group, points)
    return pd.DataFrame({"outcome": [o for o, (grid, _) in arrays.items() for _ in grid], "model": model,
                         "variable": variable, "value": np.concatenate([g for g, _ in arrays.values()]),
                         "probability": np.concatenate([p for _, p in arrays.values()])})


def scenario_inputs(model: str) -> list[str]:
    """Study-level inputs a model uses for at least one outcome (Table 3 predictor names)."""
    names = []
    for v in codebook.predictors():
        for outcome in published.OUTCOMES:
            inputs = model_inputs(outcome, model)
            if v.name in inputs or (v.name == "health" and "health_cleaned" in inputs):
                names.append(v.name)
                break
    return names
