"""Table 4 on the replica: groups 78/15/15, the cleaned-health rule, and the refit beside the paper."""
import numpy as np

from core import pipeline, published, replica, validation


def test_groups_and_cleaning():
    data = replica.load()
    result = pipeline.run(data)
    frame = validation.table4_frame(data, result)
    assert frame["safety_group"].value_counts().to_dict() == {"low": 78, "mid": 15, "high": 15}
    low = (data["item01"] == 1) & (data["item02"] == 1)
    assert (frame.loc[low, "safety_group"] == "low").all()
    # Middle group scores below the high group.
    assert frame.loc[frame["safety_group"] == "mid", "safety"].max() <= frame.loc[frame["safety_group"] == "high", "safety"].min()
    expected = (data["medical_procedure"] == 1) & (frame["health"] <= 2) & (frame["intention"] == 0)
    assert (frame["health_was_cleaned"] == expected).all() and expected.sum() > 0
    others = frame.loc[~expected, "health"].mean()
    assert np.allclose(frame.loc[expected, "health_cleaned"], others)
    assert (frame.loc[~expected, "health_cleaned"] == frame.loc[~expected, "health"]).all()
    assert round(others, 1) == published.text_statistic("health_mean_others")


def test_comparison_refits_a_and_b_and_never_invents_model_c():
    table = validation.comparison(replica.load())
    assert table.loc[table["model"].isin(["A", "B"]), "refitted"].all()
    assert not table.loc[table["model"] == "C", "refitted"].any()
    assert table.loc[table["model"] == "C", "B_refit"].isna().all()
    assert len(table) == len(published.coefficients().query("model in ['A', 'B', 'C']"))
