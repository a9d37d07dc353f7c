"""Compare: the one-order waterfall in an order people choose, and beside it the order-free
split (Shapley values) with its CIs and an honest note on coalitions that cannot be worked."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import dashboard
import seamsim
from dashboard import decomposition

APP = str(Path(dashboard.__file__).resolve().parent / "app.py")


@pytest.fixture(scope="module")
def pair():
    folder = dashboard.scenario_dir()
    return [seamsim.load_scenario(folder / f"{n}.yaml") for n in (dashboard.ARTICLE_BEFORE, dashboard.ARTICLE_AFTER)]


def _wait(at: AppTest, key: str) -> None:
    job = at.session_state[key]
    deadline = time.time() + 240
    while job.running and time.time() < deadline:
        time.sleep(0.1)
    assert not job.running
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _waterfalls(at: AppTest) -> dict[str, dict]:
    out = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if any(t.get("type") == "waterfall" for t in spec["data"]):
            out[spec["layout"]["title"]["text"]] = spec
    return out


def _values(data) -> list[float]:
    if isinstance(data, dict) and "bdata" in data:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"])).tolist()
    return list(data)


def test_factors_between_the_article_pair_and_the_grouped_order_free_factors(pair):
    before, after = pair
    factors = decomposition.factors_between(before, after)
    assert factors[0] == "voltage and machine" and set(decomposition.AUTOMATION_AND_CREW) <= set(factors)
    assert decomposition.together_for(factors, grouped=False) == []
    grouped = decomposition.order_free_factors(before, after, grouped=True)
    assert " + ".join(decomposition.AUTOMATION_AND_CREW) in grouped
    assert len(grouped) == len(factors) - len(decomposition.AUTOMATION_AND_CREW) + 1
    assert decomposition.order_free_factors(before, after, grouped=False) == factors
    assert decomposition.runs_needed(6, 6, 30) == (210, 64 * 30)
    assert decomposition.factors_between(before, before) == []
    assert decomposition.factor_label(" + ".join(decomposition.AUTOMATION_AND_CREW)) == "automation and crew"
    assert decomposition.factor_label("remote control + crew") == "remote control +<br>crew"


def test_the_coalition_note_says_how_many_cannot_be_worked_and_what_to_do():
    ok = pd.DataFrame({"coalition": ["", "crew"], "status": ["ok", "ok"], "reasons": ["", ""]})
    assert decomposition.coalition_note(ok, grouped=False) is None
    bad = pd.DataFrame({"coalition": ["", "crew", "crew + failures"], "status": ["ok", "infeasible", "infeasible"],
                        "reasons": ["", "no shearer driver is on shift; x", "no shearer driver is on shift"]})
    note = decomposition.coalition_note(bad, grouped=False)
    assert note.startswith("**2 of 3 coalitions cannot be worked**") and "*crew*" in note
    assert "no shearer driver is on shift." in note and "as one factor" in note
    assert "as one factor" not in decomposition.coalition_note(bad, grouped=True)


def test_compare_shows_the_chosen_order_and_the_order_free_split_side_by_side():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/compare.py").run()
    at.slider(key="compare_reps").set_value(3).run()
    next(b for b in at.button if b.label.startswith("Run the comparison")).click().run()
    _wait(at, "compare_job")
    order = at.multiselect(key="compare_order")
    assert order.value[0] == "voltage and machine" and "crew" in order.options
    order.set_value(["face-end automation", "voltage and machine"]).run()  # the rest follow in table order
    next(b for b in at.button if b.label.startswith("Decompose")).click().run()
    _wait(at, "compare_decompose_job")

    charts = _waterfalls(at)
    chosen = next(v for k, v in charts.items() if k.startswith("In the order chosen"))
    free = next(v for k, v in charts.items() if k.startswith("Whatever the order"))
    x = next(t for t in chosen["data"] if t.get("type") == "waterfall")["x"]
    assert x[0] == "Before" and x[-1] == "After" and x[1:3] == ["face-end automation", "voltage and machine"]
    trace = next(t for t in free["data"] if t.get("type") == "waterfall")
    assert trace["x"][1:3] == ["voltage and machine", "automation and crew"]
    y = _values(trace["y"])
    assert sum(y[1:-1]) == pytest.approx(y[-1] - y[0], rel=1e-6)  # the values add up to B − A
    for spec in (chosen, free):  # both with their 95% CIs
        assert any(t.get("name") == "95% CI" and t.get("error_y") for t in spec["data"])
        assert spec["layout"]["yaxis"]["title"]["text"] == "t/month"

    tables = [d.value for d in at.dataframe]
    shapley = next(t for t in tables if "whatever the order" in t.columns)
    assert len(shapley) == 3 and shapley["95% CI"].str.contains(" to ").all()
    coalitions = next(t for t in tables if "coalition" in t.columns)
    assert len(coalitions) == 8 and set(coalitions["status"]) == {"ok"}  # automation and crew as one: all run
    assert not any("coalitions cannot be worked" in w.value for w in at.warning)
