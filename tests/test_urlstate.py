"""Scenario values in the URL: usable values pass, the rest become notices (never exceptions)."""
from core import urlstate


def test_good_values_pass():
    values, notices = urlstate.check_query({"safety": "1.5", "health": "4", "model": "A", "lang": "NL",
                                            "safety_items": "true", "item01": "2"})
    assert notices == []
    assert values == {"safety": 1.5, "health": 4.0, "model": "A", "lang": "NL", "safety_items": True, "item01": 2.0}


def test_garbage_becomes_notices():
    values, notices = urlstate.check_query({"health": "abc", "dtv_conversations": "99", "model": "Z",
                                            "safety": "nan", "wat": "1", "embed": "true", "item02": ["3", "9"]})
    reasons = {n.param: n.reason for n in notices}
    assert reasons == {"health": "not_a_number", "dtv_conversations": "out_of_range", "model": "unknown_choice",
                       "safety": "out_of_range", "wat": "unknown_param", "item02": "out_of_range"}
    assert values == {}


def test_scenario_a_round_trips_and_bad_values_are_notices():
    text = urlstate.encode_scenario_a("A", "low", {"health": 4.0, "dtv_conversations": 2.5})
    values, notices = urlstate.check_query({"a": text})
    assert notices == []
    assert values["a"] == {"model": "A", "group": "low", "values": {"health": 4.0, "dtv_conversations": 2.5}}
    for bad in ("Z~low~health:4", "A~nowhere~", "A~low~health:99", "A~low~wat:1", "A~low~health:x", "junk"):
        values, notices = urlstate.check_query({"a": bad})
        assert values == {} and [n.reason for n in notices] == ["unknown_choice"], bad
