"""A user's own survey file: accepted when it fits the codebook, otherwise one clear message."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from core import pipeline, replica, userdata
from core.errors import InputError


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def test_the_replica_passes_and_the_template_has_every_column_and_an_example_row():
    import io

    import pyreadstat

    data = replica.load()
    assert userdata.read_survey(csv_bytes(data), "replica.csv").shape == data.shape
    template = pd.read_csv(io.BytesIO(userdata.template_csv()))
    assert set(userdata.required_columns()) <= set(template.columns)
    assert {"medical_procedure", "unfreedom_objective", "violence_objective", "gnp_per_capita_k"} <= set(template.columns)
    assert len(template) == 1 and template["item01"].notna().all()
    frame, meta = pyreadstat.read_sav(io.BytesIO(userdata.template_sav()))
    assert set(userdata.required_columns()) <= set(frame.columns)
    assert meta.variable_value_labels["item01"][1.0] == "very afraid"
    assert "afraid" in meta.column_names_to_labels["item01"]
    guide = userdata.codebook_guide()
    assert list(guide["column"]) == list(template.columns) and guide["wording_en"].str.len().gt(0).all()


@pytest.mark.parametrize("change, fragment", [
    (lambda d: d.drop(columns=["item07", "health"]), "missing column(s): item07, health"),
    (lambda d: d.assign(health=d["health"].astype(object).where(d.index != 4, "good")), "text where a number"),
    (lambda d: d.assign(item01=d["item01"].where(d.index != 0, 6)), "outside 1-5"),
    (lambda d: d.head(10), "only 10 rows"),
])
def test_problems_are_explained(change, fragment):
    with pytest.raises(InputError, match="cannot be used yet") as err:
        userdata.read_survey(csv_bytes(change(replica.load())), "survey.csv")
    assert fragment in str(err.value) and "template" in str(err.value)


def test_not_a_readable_file():
    with pytest.raises(InputError, match="Excel file could not be read"):
        userdata.read_survey(b"PK\x03\x04\xff\xfe\xfa" * 50, "survey.xlsx")


def _app():
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def test_uploading_a_file_switches_the_refit_pages_to_it():
    data = replica.load()
    mine = data.assign(health=data["health"].fillna(3).clip(upper=4))  # a different, valid data set
    at = _app()
    at.switch_page("app_pages/models.py").run()   # the picker is on the pages that use the data
    at.sidebar.radio(key="data_source").set_value("upload").run()
    at.sidebar.file_uploader(key="upload_file").set_value(("mine.csv", csv_bytes(mine), "text/csv")).run()
    at.switch_page("app_pages/models.py").run()
    assert not at.exception
    text = " ".join(str(m.value) for m in [*at.markdown, *at.caption]).replace("\\", "")  # Markdown escapes
    assert "Your data: mine.csv" in text and "synthetic replica" not in text
    expected = pipeline.run(userdata.validate_survey(mine)[0]).models["intention"].nagelkerke_r2
    assert {m.label: m.value for m in at.metric}["Nagelkerke R²"] == f"{expected:.3f}"


def test_an_upload_stays_in_use_after_a_page_without_the_picker():
    """The explorer and the audit have no data-source control (it changes nothing there); visiting them
    must not drop the file: back on a refit page the file is still used, and it can be removed."""
    data = replica.load()
    mine = data.assign(health=data["health"].fillna(3).clip(upper=4))
    at = _app()
    at.switch_page("app_pages/models.py").run()
    at.sidebar.radio(key="data_source").set_value("upload").run()
    at.sidebar.file_uploader(key="upload_file").set_value(("mine.csv", csv_bytes(mine), "text/csv")).run()
    for page in ("app_pages/explorer.py", "app_pages/audit.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert not [r for r in at.sidebar.radio if r.key == "data_source"], page   # no control where it does nothing
    at.switch_page("app_pages/models.py").run()
    text = " ".join(str(m.value) for m in [*at.markdown, *at.caption, *at.sidebar.caption]).replace("\\", "")
    assert "Your data: mine.csv" in text and "In use: mine.csv" in text
    expected = pipeline.run(userdata.validate_survey(mine)[0]).models["intention"].nagelkerke_r2
    assert {m.label: m.value for m in at.metric}["Nagelkerke R²"] == f"{expected:.3f}"
    at.switch_page("app_pages/models.py").run()   # a second rerun keeps it too
    assert "Your data: mine.csv" in " ".join(str(m.value) for m in at.markdown).replace("\\", "")
    next(b for b in at.sidebar.button if b.label == "Stop using this file").click().run()
    assert "_user_data" not in at.session_state
    assert "synthetic replica" in " ".join(str(c.value) for c in at.caption)


def test_a_bad_file_is_explained_and_the_replica_stays():
    bad = replica.load().drop(columns=["item07"])
    at = _app()
    at.switch_page("app_pages/models.py").run()   # the picker is on the pages that use the data
    at.sidebar.radio(key="data_source").set_value("upload").run()
    at.sidebar.file_uploader(key="upload_file").set_value(("bad.csv", csv_bytes(bad), "text/csv")).run()
    at.switch_page("app_pages/figure1.py").run()
    assert not at.exception
    errors = " ".join(e.value for e in [*at.error, *at.sidebar.error]).replace("\\", "")  # Markdown escapes
    assert "missing column(s): item07" in errors and "synthetic replica" in errors
    assert "synthetic replica" in " ".join(str(c.value) for c in at.caption)


def test_a_finished_session_leaves_no_trace():
    """Everything derived from an upload lives in that session's state: once the session is gone, no object
    in the server process holds the file's respondent ids (no shared cache keeps them)."""
    import gc

    marker = "ZQXSECRET"
    data = replica.load().assign(respondent=[f"{marker}{i:03d}" for i in range(108)])
    at = _app()
    at.switch_page("app_pages/models.py").run()   # the picker is on the pages that use the data
    at.sidebar.radio(key="data_source").set_value("upload").run()
    at.sidebar.file_uploader(key="upload_file").set_value(("secret.csv", csv_bytes(data), "text/csv")).run()
    for page in ("app_pages/models.py", "app_pages/diagnostics.py", "app_pages/fidelity.py",
                 "app_pages/validation.py"):
        at.switch_page(page).run()
        assert not at.exception, page
    assert "secret.csv" in str(at.session_state["_user_data"]["name"])
    del at, data  # the session ends; the test's own copy goes too
    gc.collect()

    def holds_marker(obj) -> bool:
        try:
            if isinstance(obj, (bytes, bytearray)):
                return marker.encode() in obj
            if isinstance(obj, pd.DataFrame) and "respondent" in obj.columns:
                return obj["respondent"].astype(str).str.startswith(marker).any()
            if isinstance(obj, pd.Series) and obj.dtype == object:
                return obj.astype(str).str.startswith(marker).any()
        except Exception:  # noqa: BLE001 - objects being torn down
            return False
        return False

    leftovers = [type(o).__name__ for o in gc.get_objects() if holds_marker(o)]
    assert not leftovers, leftovers
