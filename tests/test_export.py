"""CSV exports open safely in a spreadsheet: formula characters at a cell's start are neutralised."""
import io

import pandas as pd

from core import export


def test_formula_cells_are_neutralised_and_numbers_kept():
    frame = pd.DataFrame({"respondent": ['=HYPERLINK("http://x","y")', "+cmd", "@SUM(A1)", "-1+1", "R001"],
                          "value": [1.5, -2.0, 3.0, 4.0, 5.0]})
    back = pd.read_csv(io.BytesIO(export.safe_csv(frame)))
    assert list(back["respondent"]) == ["'=HYPERLINK(\"http://x\",\"y\")", "'+cmd", "'@SUM(A1)", "'-1+1", "R001"]
    assert list(back["value"]) == [1.5, -2.0, 3.0, 4.0, 5.0]
    assert export.neutralize(-3) == -3 and export.neutralize("ok") == "ok"
