"""Figure builders: trace types, counts, axis titles, citations in hover text."""

import numpy as np
import plotly.graph_objects as go
import pytest

import painlab as pl
from painlab import figures, studies, theme
from painlab.bouts import KINDS


@pytest.fixture(scope="module")
def response():
    return pl.predict(pl.Bout("aerobic", 75, 30))


@pytest.mark.parametrize("kind", KINDS)
def test_dose_map_has_model_boundary_outcomes_and_current_bout(kind):
    fig = figures.plot_dose_map(kind, "healthy", pl.Bout(kind, 50, 1.0))
    assert isinstance(fig, go.Figure)
    assert [type(t).__name__ for t in fig.data] == [
        "Heatmap",
        "Contour",
        "Scatter",
        "Scatter",
        "Scatter",
        "Scatter",
        "Heatmap",
        "Contour",
        "Contour",
    ]
    assert fig.data[5].name == "current bout" and list(fig.data[5].x) == [50]
    # the 80% range's edges at d = 0.2, dotted, from the model's own low and high surfaces
    by_name = {t.name: t for t in fig.data}
    for name, edge in figures.dose_map.RANGE_LINES.items():
        line = by_name[name]
        assert line.contours.start == 0.2 and line.line.dash == "dot"
        want = pl.hypoalgesia.effect_grid(kind, "healthy", line.x, line.y, edge=edge)
        got = np.array([[np.nan if v is None else v for v in row] for row in line.z])
        np.testing.assert_allclose(got, want, equal_nan=True)
    assert fig.data[6].name == figures.UNTESTED_NAME
    assert pl.UNITS[kind] in fig.layout.xaxis.title.text
    assert fig.layout.yaxis.title.text == "Duration (min)"
    # the contour is drawn exactly at the hypoalgesia threshold
    assert fig.data[1].contours.start == fig.data[1].contours.end == 0.2


def test_every_placed_study_marker_carries_its_citation():
    fig = figures.plot_dose_map("aerobic", "healthy")
    placed = sum(len(t.x) for t in fig.data[2:5])
    assert placed >= 10
    for trace in fig.data[2:5]:
        for text in trace.text:
            assert "doi:" in text or "PMID" in text
            assert " et al. " in text or any(ch.isdigit() for ch in text)


def test_outcome_is_not_encoded_by_colour_alone():
    fig = figures.plot_dose_map("isometric", "fibromyalgia")
    symbols = {t.marker.symbol for t in fig.data[2:5]}
    assert len(symbols) == 3  # each outcome has its own symbol
    names = [t.name for t in fig.data[2:5]]
    for outcome, style in theme.OUTCOME_STYLE.items():
        assert any(style["label"] in n for n in names), outcome


def test_dose_map_markers_match_the_evidence_count():
    arms = studies.arms(kind="aerobic", population="healthy")
    placeable = [a for a in arms if a.intensity is not None and a.duration_min is not None]
    fig = figures.plot_dose_map("aerobic", "healthy")
    assert sum(len(t.x) for t in fig.data[2:5]) == len(placeable)


def test_sites_bars_equal_the_model(response):
    fig = figures.plot_sites(response)
    assert isinstance(fig.data[0], go.Bar)
    assert list(fig.data[0].y) == pytest.approx(
        [response.at(s) for s in ("exercising", "contralateral", "distant")], abs=1e-3
    )
    assert "Cohen" in fig.layout.yaxis.title.text


def test_time_course_lines_decay_and_show_measurement_points(response):
    fig = figures.plot_time_course(response)
    lines = fig.data[:3]
    assert [t.name for t in lines] == ["Exercising limb", "Opposite limb", "Distant muscle"]
    for t in lines:
        assert all(a >= b - 1e-12 for a, b in zip(t.y, t.y[1:], strict=False))
    pts = fig.data[4]
    assert len(pts.x) > 0 and all("doi:" in s or "PMID" in s for s in pts.text)
    assert fig.layout.xaxis.title.text == "Minutes after the bout"


def test_mechanisms_diagram_shows_every_mechanism(response):
    fig = figures.plot_mechanisms(response)
    mech = fig.data[1]
    assert len(mech.x) == len(pl.mechanisms.MECHANISMS)
    # the β-endorphin node is larger for a hard run than for an isometric hold
    iso = figures.plot_mechanisms(pl.predict(pl.Bout("isometric", 30, 1)))
    names = list(pl.mechanisms.MECHANISMS)
    i = names.index("plasma_beta_endorphin")
    assert mech.marker.size[i] > iso.data[1].marker.size[i]


def test_fatigue_plot_has_one_line_per_intensity_and_crosses_threshold_before_failure():
    fig = figures.plot_fatigue((25, 80))
    assert [t.name.split()[0] for t in fig.data[:2]] == ["25%", "80%"]
    for t in fig.data[:2]:
        first = next(x for x, y in zip(t.x, t.y, strict=True) if y >= 0.2)
        assert first < 100  # hypoalgesia well before task failure (K5)


def test_condition_forest_covers_the_six_conditions_of_k6():
    fig = figures.plot_condition_effects()
    labels = " ".join(str(y) for t in fig.data for y in t.y)
    for c in ("neck", "osteoarthritis", "rheumatoid", "fibromyalgia", "myofascial", "low back"):
        assert c in labels
    assert all(("doi:" in s) or ("PMID" in s) for s in fig.data[0].text)


def test_presenter_scale_enlarges_fonts(response):
    small = figures.plot_sites(response)
    big = figures.plot_sites(response, scale=1.6)
    assert big.layout.font.size == pytest.approx(small.layout.font.size * 1.6)
    assert big.layout.height > small.layout.height


def test_no_figure_references_a_cdn_or_web_font(response):
    for fig in (
        figures.plot_dose_map(),
        figures.plot_sites(response),
        figures.plot_mechanisms(response),
    ):
        text = fig.to_json()
        assert "fonts.googleapis" not in text and "cdn." not in text


def test_untested_veil_covers_only_doses_no_study_of_that_population_tested():
    data = figures.dose_map_data("aerobic", "healthy")
    x, y, veil = data["x"], data["y"], data["untested"]
    # Hoffman 2004 tested 75% VO2max for 30 min in healthy adults: not veiled there
    i, j = (
        min(range(len(x)), key=lambda k: abs(x[k] - 75)),
        min(range(len(y)), key=lambda k: abs(y[k] - 30)),
    )
    assert veil[j][i] is None
    # no healthy-adult study ran 25% VO2max for 110 min: veiled
    i, j = (
        min(range(len(x)), key=lambda k: abs(x[k] - 25)),
        min(range(len(y)), key=lambda k: abs(y[k] - 110)),
    )
    assert veil[j][i] == 1.0
    # in chronic fatigue syndrome no placed arm exists: everything possible is veiled
    cfs = figures.dose_map_data("aerobic", "chronic_fatigue_syndrome")["untested"]
    assert all(v == 1.0 for row in cfs for v in row)


def test_sites_and_time_course_show_the_plausible_range(response):
    fib = pl.predict(pl.Bout("isometric", 22, to_failure=True, muscle="knee"), "fibromyalgia")
    fig = figures.plot_sites(fib)
    lo, hi = fib.range("exercising")
    bar = fig.data[0]
    assert bar.error_y.array[0] == pytest.approx(hi - fib.at("exercising"), abs=1e-3)
    assert bar.error_y.arrayminus[0] == pytest.approx(fib.at("exercising") - lo, abs=1e-3)
    tc = figures.plot_time_course(fib)
    bands = [t for t in tc.data if t.name.startswith("plausible range")]
    assert len(bands) == 3
    # the band polygon's first point is the high edge at 0 min, its last the low edge at 0
    assert bands[0].y[0] == pytest.approx(hi, abs=1e-3)
    assert bands[0].y[-1] == pytest.approx(lo, abs=1e-3)


@pytest.mark.parametrize(
    ("kind", "population"),
    [
        ("isometric", "fibromyalgia"),
        ("dynamic_resistance", "older"),
        ("aerobic", "chronic_fatigue_syndrome"),
    ],
)
def test_dose_map_update_turns_one_map_into_another(kind, population):
    """Updating by trace name gives exactly the figure the builder makes (bar the star)."""
    import copy

    base = figures.plot_dose_map("aerobic", "healthy", pl.Bout("aerobic", 75, 30)).to_plotly_json()
    fresh = figures.plot_dose_map(kind, population, None).to_plotly_json()
    updated = copy.deepcopy(base)
    figures.apply_update(updated, figures.dose_map_update(kind, population))
    for fig in (fresh, updated):
        star = next(t for t in fig["data"] if t["name"] == "current bout")
        star.pop("x", None), star.pop("y", None)
    assert updated == fresh


def test_time_course_update_turns_one_figure_into_another():
    import copy

    r = pl.predict(pl.Bout("aerobic", 75, 30))
    other = pl.predict(pl.Bout("isometric", 22, to_failure=True, muscle="knee"), "fibromyalgia")
    updated = copy.deepcopy(figures.plot_time_course(r).to_plotly_json())
    figures.apply_update(updated, figures.time_course_update(other))
    assert updated == figures.plot_time_course(other).to_plotly_json()


def test_apply_update_names_a_missing_trace():
    fig = figures.plot_sites(pl.predict(pl.Bout("aerobic", 75, 30)))
    with pytest.raises(KeyError, match="no trace named 'nope'"):
        figures.apply_update(fig, {"traces": {"nope": {"y": [1]}}})


@pytest.mark.parametrize(
    "before, after",
    [
        (pl.Bout("isometric", 25, 2), pl.Bout("isometric", 60, to_failure=True, muscle="knee")),
        (pl.Bout("isometric", 25, 2), pl.Bout("aerobic", 75, 30)),
    ],
)
def test_mechanisms_and_fatigue_updates_equal_a_fresh_build(before, after):
    r0, r1 = pl.predict(before), pl.predict(after)
    mech = figures.plot_mechanisms(r0)
    figures.apply_update(mech, figures.mechanisms_update(r1))
    assert mech.to_plotly_json() == figures.plot_mechanisms(r1).to_plotly_json()
    fat = figures.plot_fatigue(current=before)
    figures.apply_update(fat, figures.fatigue_update(r1))
    fresh = figures.plot_fatigue(current=after)
    got = {t.name: (list(t.x or []), list(t.y or [])) for t in fat.data}
    want = {t.name: (list(t.x or []), list(t.y or [])) for t in fresh.data}
    assert got == want
