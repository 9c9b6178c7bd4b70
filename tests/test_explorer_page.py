"""The explorer's page side without a browser: the values the page looks up equal the
model's at every sampled grid point, and the kernel follows the page (and vice versa).

What the page's JavaScript draws from these values is checked against the model in a real
browser in tests/browser/test_explorer_page.py.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import painlab as pl
from painlab import hypoalgesia, mechanisms
from painlab.dashboards import Explorer, readout_html
from painlab.explorer_page import ExplorerView, page_data
from painlab.handout.grid import QUANTUM, SITES, _untyped
from painlab.handout.readout import _assemble, dose_part

CASES = [
    ("aerobic", "healthy", None),
    ("aerobic", "fibromyalgia", None),
    ("isometric", "healthy", "knee"),
    ("isometric", "older", "grip"),
    ("dynamic_resistance", "chronic_low_back_pain", None),
]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: "-".join(map(str, c)))
def sliced(request):
    kind, pop, muscle = request.param
    data = page_data(kind, pop, muscle, {}, {"figure_text": ["a", "b"]})
    grid = dose_part(kind, muscle)[0]
    rng = np.random.default_rng(13)
    points = rng.choice(grid.size, size=12, replace=False).tolist()
    return data, grid, points


def test_effects_and_ranges_equal_the_model(sliced):
    data, grid, points = sliced
    kind, pop = data["kind"], data["population"]
    v, x = data["values"][kind][pop], data["extra"]
    for p in points:
        r = hypoalgesia.predict(grid.bout(p), pop)
        for s in SITES:
            assert _untyped(v["d"][s])[p] * QUANTUM == pytest.approx(r.at(s), abs=QUANTUM)
            lo, hi = r.range(s)
            assert _untyped(x["low"][s])[p] * QUANTUM == pytest.approx(lo, abs=QUANTUM)
            assert _untyped(x["high"][s])[p] * QUANTUM == pytest.approx(hi, abs=QUANTUM)


def test_mechanisms_fatigue_and_interpolation_equal_the_model(sliced):
    data, grid, points = sliced
    x, pop = data["extra"], data["population"]
    for p in points:
        bout = grid.bout(p)
        r = hypoalgesia.predict(bout, pop)
        e = mechanisms.engagement(bout, pop)
        for k, name in enumerate(x["mechanisms"]):
            assert _untyped(x["level"][k])[p] * QUANTUM == pytest.approx(e[name], abs=QUANTUM)
            assert _untyped(x["percent"][k])[p] == round(100 * e[name])
        assert bool(_untyped(x["interpolated"])[p]) == any(z.interpolated for z in r.reasons)
        if x["fatigue"] is not None:
            assert _untyped(x["fatigue"])[p] == pytest.approx(r.fatigue, abs=1e-6)


def test_readouts_equal_readout_html(sliced):
    data, grid, points = sliced
    data = copy.deepcopy(data)  # the Python mirror caches decoded arrays in the dicts
    kind, pop = data["kind"], data["population"]
    for p in points:
        want = readout_html(hypoalgesia.predict(grid.bout(p), pop))
        assert _assemble(data, kind, pop, p) == want


def test_half_life_and_its_range_are_the_models():
    data = page_data("aerobic", "healthy", None, {}, {"figure_text": ["", ""]})
    r = hypoalgesia.predict(pl.Bout("aerobic", 75, 30))
    assert data["model"]["half_life"] == r.half_life
    assert data["model"]["half_life_range"] == list(r.bounds.half_life)


# --------------------------------------------------------------------------- kernel side


@pytest.fixture
def e():
    return pl.explore()


def test_explore_draws_with_the_page_front_end(e):
    assert isinstance(e.widget, ExplorerView)
    assert e.view.data["kind"] == "aerobic" and e.view.rev == 1
    assert set(e.view.data["figures"]) == {"dose_map", "sites", "time_course", "mechanisms"}
    esm = e.view._esm
    assert "export default" in (esm if isinstance(esm, str) else esm.read_text())


def test_a_page_move_updates_the_kernel_without_echo(e):
    rev = e.view.rev
    before = e.readout.value
    e.view.intensity = 50.0  # what the page sends after drawing a move
    assert e.controls["intensity"].value == 50
    assert e.bout.intensity == 50
    assert "50% VO2max" in e.readout.value and e.readout.value != before
    y = list(e.figures["sites"].data[0].y)
    assert y[0] == pytest.approx(round(e.response.at("exercising"), 3))
    assert e.view.rev == rev, "the kernel echoed a move the page already drew"


def test_a_page_structure_change_sends_the_new_slice(e):
    e.view.population = "fibromyalgia"
    assert e.population == "fibromyalgia"
    assert e.view.data["population"] == "fibromyalgia" and e.view.rev == 2
    e.view.kind = "isometric"
    assert e.bout.kind == "isometric" and e.view.data["kind"] == "isometric"
    assert e.view.intensity == e.bout.intensity and e.view.duration == e.bout.minutes
    e.view.muscle = "knee"
    assert e.bout.muscle == "knee" and e.view.data["muscle"] == "knee"


def test_kernel_changes_reach_the_page(e):
    rev = e.view.rev
    e.controls["intensity"].value = 40
    assert e.view.intensity == 40 and e.view.rev == rev + 1
    e.set_bout(pl.Bout("isometric", 30, to_failure=True, muscle="elbow"), "older")
    v = e.view
    assert (v.kind, v.population, v.muscle, v.to_failure) == ("isometric", "older", "elbow", True)
    assert v.data["kind"] == "isometric" and v.data["population"] == "older"


def test_the_page_gets_plotly_js_from_the_kernel_not_a_cdn(e, monkeypatch):
    sent = []
    monkeypatch.setattr(e.view, "send", lambda content, buffers=None: sent.append(content))
    e.view._on_custom(e.view, {"type": "plotly.js"}, [])
    assert sent and sent[0]["type"] == "plotly.js"
    assert "window.Plotly" in sent[0]["source"] and "cdn." not in sent[0]["source"][:2000]
    e.view._on_custom(e.view, {"type": "something else"}, [])
    assert len(sent) == 1


def test_the_comparison_draws_both_sides_in_the_page_and_the_old_design_stays_a_baseline():
    assert Explorer().view is None  # page=False: the kernel-driven 0.1 design (benchmarks)
    c = pl.compare(pl.Bout("aerobic", 75, 30), pl.Bout("aerobic", 50, 30))
    for side, intensity in ((c.a, 75), (c.b, 50)):
        assert side.view is not None and side.widget is side.view
        assert side.view.options["layout"] == "column"
        assert set(side.view.data["figures"]) == {"sites", "time_course"}
        assert side.view.intensity == intensity
    c.b.view.intensity = 60  # a move in B's page reaches B's kernel side only
    assert c.b.bout.intensity == 60 and c.a.bout.intensity == 75
    assert "60% VO2max" in c.readout.value


def test_page_options_are_checked():
    with pytest.raises(ValueError, match="page_options: unknown lay_out; valid: layout"):
        Explorer(page=True, page_options={"lay_out": "lecture"})
    with pytest.raises(ValueError, match=r"page_options\['layout'\] must be one of 'notebook'"):
        Explorer(page=True, page_options={"layout": "slides"})
    with pytest.raises(ValueError, match=r"page_options\['hide'\] must be a list of one of"):
        Explorer(page=True, page_options={"hide": "population"})  # a list, not a name
    with pytest.raises(ValueError, match=r"page_options\['hide'\]"):
        Explorer(page=True, page_options={"hide": ["to_failure"]})  # not a control row
    with pytest.raises(ValueError, match="page-side explorer only"):
        Explorer(page=False, page_options={"layout": "lecture"})
    e = Explorer(page=True, page_options={"layout": "column", "hide": ["muscle"], "columns": 1})
    assert e.view.options["layout"] == "column" and e.view.options["hide"] == ["muscle"]
