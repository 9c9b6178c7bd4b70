"""Dashboards, driven as a student would: set control values, check figures and readouts."""

import pytest

import painlab as pl
from painlab import dashboards, figures
from painlab.program_dashboard import explore_program


@pytest.fixture
def e():
    return pl.explore()


def test_explorer_exposes_controls_figures_and_readout(e):
    assert set(e.controls) >= {"kind", "intensity", "duration", "population"}
    assert set(e.figures) == {"dose_map", "sites", "time_course", "mechanisms"}
    assert "hypoalgesia" in e.readout.value


def test_every_control_has_a_description(e):
    for name, w in e.controls.items():
        assert w.description, name
        assert w.tooltip, name


def test_low_intensity_says_no_hypoalgesia_and_hard_long_says_yes_with_references(e):
    e.controls["intensity"].value = 30
    assert "no meaningful change" in e.readout_text()
    e.controls["intensity"].value = 75
    e.controls["duration"].value = 30
    text = e.readout.value
    assert "less pain (hypoalgesia)" in text
    assert "Hoffman et al. 2004" in text and "doi:10.1016/j.apmr.2003.09.010" in text


def test_moving_intensity_moves_the_marker_and_updates_the_small_figures(e, monkeypatch):
    before_sites = list(e.figures["sites"].data[0].y)
    before_tc = list(e.figures["time_course"].data[0].y)
    calls = []
    real = figures.dose_map_data
    # patched where dose_map_update looks it up (figures.dose_map), so a call is seen
    monkeypatch.setattr(
        figures.dose_map, "dose_map_data", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    e.controls["intensity"].value = 60
    assert list(e.figures["dose_map"].data[5].x) == [60]
    assert list(e.figures["sites"].data[0].y) != before_sites
    assert list(e.figures["time_course"].data[0].y) != before_tc
    # the dose surface is not recomputed for a dose change, only for a kind/population change
    assert calls == []
    # the numbers shown are the model's
    r = pl.predict(e.bout)
    assert e.figures["sites"].data[0].y[0] == pytest.approx(r.at("exercising"), abs=1e-3)
    e.controls["population"].value = "older"
    assert len(calls) == 1


def test_changing_kind_changes_units_ranges_and_the_dose_surface(e):
    z = e.figures["dose_map"].data[0].z
    e.controls["kind"].value = "isometric"
    assert None in e.figures["dose_map"].data[0].z[-1]  # holds beyond the endurance time are gaps
    assert "% MVC" in e.controls["intensity"].description
    assert "% MVC" in e.figures["dose_map"].layout.xaxis.title.text
    assert e.figures["dose_map"].data[0].z != z
    assert not e.controls["to_failure"].disabled
    # duration can never exceed the endurance time: sliders cannot make invalid bouts
    assert e.controls["duration"].max == pytest.approx(
        pl.endurance_time(e.controls["intensity"].value)
    )
    e.controls["intensity"].value = 90
    assert e.controls["duration"].value <= pl.endurance_time(90) + 1e-9
    e.controls["kind"].value = "aerobic"
    assert e.controls["to_failure"].disabled and not e.controls["to_failure"].value


def test_hold_to_failure_sets_duration_to_endurance_time(e):
    e.controls["kind"].value = "isometric"
    e.controls["intensity"].value = 25
    e.controls["to_failure"].value = True
    assert e.bout.to_failure
    assert e.controls["duration"].disabled
    assert "task failure" in e.readout_text()


def test_population_change_can_show_more_pain(e):
    e.controls["intensity"].value = 95
    e.controls["population"].value = "fibromyalgia"
    assert "MORE pain" in e.readout_text()
    assert "fibromyalgia" in e.figures["dose_map"].layout.title.text


def test_readout_escapes_text_and_speaks_every_figure(e):
    import dataclasses

    assert "Markers:" in e.figure_text.value and "star is your bout" in e.figure_text.value
    hostile = pl.Reason(True, "<script>alert(1)</script> & <b>bold</b>", ())
    page = dashboards.readout_html(dataclasses.replace(e.response, reasons=(hostile,)))
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_compare_two_bouts_side_by_side():
    c = pl.compare(pl.Bout("aerobic", 75, 30), pl.Bout("aerobic", 35, 30))
    assert "A</b>" in c.readout.value and "B</b>" in c.readout.value
    assert "less pain" in c.readout.value and "no meaningful change" in c.readout.value
    c.controls["b.intensity"].value = 80
    assert c.readout.value.count("less pain") == 2


def test_presenter_presets_set_the_classic_protocols():
    p = pl.present()
    assert p.scale > 1.2
    p.controls["preset"].value = "Hoeger Bement 2008: 25% MVC for 2 min"
    assert p.explorer.bout == pl.Bout("isometric", 25, 2, muscle="elbow")
    assert "no meaningful change" in p.explorer.readout_text()
    p.apply_preset("Hoeger Bement 2008: 25% MVC to failure")
    assert p.explorer.bout.to_failure and p.explorer.response.hypoalgesia
    with pytest.raises(ValueError, match="preset must be one of"):
        p.apply_preset("nonsense")


def test_every_preset_shows_exactly_the_dose_its_study_tested():
    p = pl.present()
    for name, preset in dashboards.PRESETS.items():
        arm = preset.arm
        assert arm.citation.key in pl.studies.citations(), name
        p.apply_preset(name)
        shown = p.explorer.bout
        assert (shown.kind, shown.intensity, shown.to_failure) == (
            arm.kind,
            arm.intensity,
            arm.to_failure,
        ), name
        if not arm.to_failure:
            assert shown.minutes == pytest.approx(arm.duration_min), name
        assert p.explorer.population == arm.population, name
    with pytest.raises(ValueError, match="not in the evidence"):
        _ = dashboards.Preset("ghost", "no-such-arm").arm


def test_explorer_rejects_bad_start_values():
    with pytest.raises(ValueError, match="% VO2max"):
        pl.explore(intensity=150)
    with pytest.raises(ValueError, match="figures must be among"):
        pl.explore(figures=("radar",))


def test_program_dashboard_updates_on_every_control():
    d = explore_program()
    assert set(d.figures) == {"course", "early_late", "comparison"}
    before = d.readout_text()
    adherence_before = list(d.figures["course"].data[-1].y)
    d.controls["supervised"].value = False
    assert d.readout_text() != before
    assert list(d.figures["course"].data[-1].y) != adherence_before
    assert d.figures["course"].data[-1].y[-1] < adherence_before[-1]  # home: fewer sessions
    d.controls["weeks"].value = 26
    assert len(d.figures["course"].data[2].x) == 27
    d.controls["condition"].value = "fibromyalgia"
    assert "SMD" in d.figures["course"].layout.yaxis.title.text
    assert "r = " in d.figures["early_late"].layout.title.text


def test_muscle_control_sets_the_endurance_time_and_the_readout():
    e = pl.explore("isometric", 25, 2)
    c = e.controls
    assert c["muscle"].value == "grip" and not c["muscle"].disabled
    hand_max = c["duration"].max
    assert hand_max == pytest.approx(pl.endurance_time(25, "grip"))
    c["muscle"].value = "shoulder"
    assert c["duration"].max == pytest.approx(pl.endurance_time(25, "shoulder"))
    assert c["duration"].max < hand_max
    assert e.bout.muscle == "shoulder"
    assert "(shoulder)" in e.readout_text()
    c["to_failure"].value = True
    assert e.bout.minutes == pytest.approx(pl.endurance_time(25, "shoulder"))
    c["kind"].value = "aerobic"
    assert c["muscle"].disabled and e.bout.muscle is None


def test_readout_groups_conditions_findings_assumptions_and_evidence():
    e = pl.explore("isometric", 22, 1, "fibromyalgia", to_failure=True)
    html_ = e.readout.value
    for heading in (
        "Documented conditions of the dose (read off healthy adults)",
        "What studies found",
        "Model assumptions (not measured)",
        "Evidence at this dose",
        "Plausible range at the exercising limb",
    ):
        assert heading in html_
    # an assumption is never shown with a tick
    assumptions = html_.split("Model assumptions (not measured)")[1].split("Evidence at this dose")[
        0
    ]
    assert "✓" not in assumptions and "✗" not in assumptions


def test_population_switch_updates_bands_and_the_untested_veil():
    e = pl.explore("aerobic", 75, 30)
    band = list(e.figures["time_course"].data[5].y)
    veil = e.figures["dose_map"].data[6].z
    e.controls["population"].value = "fibromyalgia"
    assert list(e.figures["time_course"].data[5].y) != band
    assert e.figures["dose_map"].data[6].z != veil
    _lo, hi = e.response.range("exercising")
    assert e.figures["time_course"].data[5].y[0] == pytest.approx(hi, abs=1e-3)


def test_bad_population_and_empty_figures_get_painlab_messages():
    with pytest.raises(ValueError, match="population must be one of"):
        pl.explore(population="bogus")
    with pytest.raises(ValueError, match="figures must be among"):
        pl.explore(figures=())


def test_set_bout_sends_each_slider_its_range_and_value_in_one_message():
    """Sent apart, the browser applies a new range to the value it still shows and the
    slider echoes that stale value back over the new one (seen in Voilà). So a program's
    change of bout reaches each slider as one message carrying min, max and value."""
    e = pl.explore("aerobic", 50, 90)
    sent: dict[str, list[set]] = {"intensity": [], "duration": []}

    def recorder(name, widget):
        original = widget.send_state

        def send_state(key=None):
            keys = widget.keys if key is None else ([key] if isinstance(key, str) else key)
            sent[name].append(set(keys) & {"min", "max", "value"})
            return original(key)

        widget.send_state = send_state

    for name in sent:
        recorder(name, e.controls[name])
    for bout in (
        pl.Bout("isometric", 15, 2, muscle="elbow"),  # duration 90 -> 2, its range shrinks
        pl.Bout("aerobic", 95, 110),  # both back up, beyond the isometric ranges
        pl.Bout("isometric", 80, to_failure=True, muscle="shoulder"),
    ):
        for name in sent:
            sent[name].clear()
        e.set_bout(bout, "fibromyalgia")
        assert e.bout == bout and e.population == "fibromyalgia"
        for name, messages in sent.items():
            carrying = [m for m in messages if m]
            assert len(carrying) == 1, (bout.label, name, messages)


def test_presets_are_evidence_data_and_bad_rows_are_named(tmp_path, monkeypatch):
    import csv
    from pathlib import Path

    from painlab import presets

    rows = list(csv.DictReader((Path(presets.__file__).parent / "data" / "presets.csv").open()))
    assert [r["name"] for r in rows] == list(presets.PRESETS)  # every row, in file order
    assert all(presets.PRESETS[r["name"]].arm_id == r["arm_id"] for r in rows)
    bad = "name,arm_id\nGhost study,no-such-arm\n"

    class Fake:
        def joinpath(self, *parts):
            return self

        def read_text(self, encoding="utf-8"):
            return bad

    monkeypatch.setattr(presets, "files", lambda package: Fake())
    with pytest.raises(ValueError, match=r"data/presets.csv line 2: preset 'Ghost study'"):
        presets.load()
