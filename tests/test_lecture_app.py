"""The lecturer's app (painlab.presenter.Presenter) in plain pytest: set a widget's value,
assert what the callbacks changed (segment shown, result hidden or revealed, hand counts
in the chart, A/B populations, the studies listed at a clicked dose)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

import painlab as pl
from painlab import lecture
from painlab.conceptest import ConcepTest


@pytest.fixture(scope="module")
def app():
    return pl.present()


@pytest.fixture
def p(app):
    """The module's app, back on the first segment with nothing revealed or counted."""
    app.go(0)
    app.controls["reveal"].value = False
    app.controls["conceptest"].value = False
    return app


def test_segments_are_the_lecture_in_order(p):
    segs = p.segments
    assert [s.id for s in segs] == [s.id for s in lecture.load()]
    assert all(s.title and s.minutes > 0 and s.claims and s.notes for s in segs)
    assert len(p.controls["segment"].options) == len(segs)


def test_next_previous_and_the_menu_move_between_segments(p):
    assert p.index == 0 and p.controls["previous"].disabled
    p.controls["next"].click()
    assert p.index == 1 and p.segment.id == "aerobic-dose"
    assert not p.controls["previous"].disabled
    assert p.explorer.bout == pl.Bout("aerobic", 50, 30)  # the segment's starting dose
    p.controls["segment"].value = 2
    assert p.segment.id == "isometric-fatigue"
    assert p.explorer.bout == pl.Bout("isometric", 25, 2, muscle="elbow")
    assert "no meaningful change" in p.explorer.readout_text()
    p.controls["previous"].click()
    assert p.index == 1
    p.go(len(p.segments) - 1)
    assert p.controls["next"].disabled
    p.next()
    assert p.index == len(p.segments) - 1  # stays on the last
    p.go("hook")
    assert p.index == 0
    with pytest.raises(ValueError, match="segment must be a position 0-9"):
        p.go(99)


def test_only_the_current_view_is_visible(p):
    for i, seg in enumerate(p.segments):
        p.go(i)
        visible = [w for w in p.stage.children if w.layout.visibility == "visible"]
        assert visible == [p.views[seg.view]], seg.id
        assert seg.ask.split()[0] in p.ask.value
        assert "Evidence and sources" in p.details.value
        assert pl.studies.cite(seg.cites[0]).reference()[:20] in p.details.value


def test_the_result_is_hidden_until_revealed_and_hidden_again_on_the_next_segment(p):
    view = p.explorer.view  # the explorer segments draw in the page: it hides the result
    assert p.results["explorer"] == [view]
    assert not p.revealed and view.revealed is False
    assert "Result hidden" in view.options["hidden_note"]
    p.controls["reveal"].value = True
    assert p.revealed and p.controls["reveal"].description == "Hide result"
    assert view.revealed is True
    assert "less pain" in p.readout.value  # 75% VO2max for 30 min
    p.next()
    assert not p.revealed and p.controls["reveal"].value is False and view.revealed is False
    # a revealed result never shows through another view
    p.go("conditions")
    p.controls["reveal"].value = True
    assert view.revealed is False
    assert all(w.layout.visibility == "visible" for w in p.results["forest"])
    p.go("mechanisms")  # a page explorer and a box of key points
    assert [
        x.revealed if x is p.mechanisms.view else x.layout.visibility
        for x in p.results["mechanisms"]
    ] == [False, "hidden"]
    p.controls["reveal"].value = True
    assert p.revealed and p.mechanisms.view.revealed and view.revealed is False


def test_the_page_explorers_show_the_question_and_the_preset_menu_follows(p):
    p.go("aerobic-dose")
    for e in (p.explorer, p.mechanisms):
        assert p.segment.ask[:30] in e.view.lead and "Ask the room" in e.view.lead
    assert p.explorer.view.preset == "(choose a classic study)"
    p.explorer.view.preset = "Hoeger Bement 2008: 25% MVC for 2 min"  # chosen in the page
    assert p.controls["preset"].value == p.explorer.view.preset
    assert p.explorer.bout == pl.Bout("isometric", 25, 2, muscle="elbow")
    p.go("hook")  # a new segment forgets the preset, in the page too
    assert p.explorer.view.preset == "(choose a classic study)"


def test_conceptest_counts_make_the_chart_and_reset_with_the_segment(p):
    p.controls["conceptest"].value = True
    assert p.active is p.conceptest.widget
    assert p.conceptest.widget.layout.visibility == "visible"
    assert p.views["explorer"].layout.visibility == "hidden"
    assert p.segments[0].question.stem in p.conceptest.stem.value
    for letter, n in zip("ABCD", (2, 5, 12, 1), strict=True):
        p.controls[f"votes.before.{letter}"].value = n
    p.controls["votes.after.C"].value = 18
    p.controls["votes.after.B"].value = 2
    before, after = p.figures["votes"].data
    assert list(before.y) == [10.0, 25.0, 60.0, 5.0]
    assert before.text[2] == "12 (60%)" and after.text[2] == "18 (90%)"
    assert "Hands before discussion (20): A 2 (10%)" in p.conceptest.summary.value
    assert "correct" not in p.conceptest.options.value
    p.controls["votes.answer"].value = True
    assert (
        "painlab-correct" in p.conceptest.options.value
        and "(correct)" in p.conceptest.options.value
    )
    p.next()  # nothing is kept: counts cleared, answer hidden, back to the segment's view
    assert p.conceptest.counts("before") == (0, 0, 0, 0)
    assert p.controls["conceptest"].value is False and p.active is p.views["explorer"]
    assert p.segments[1].question.stem in p.conceptest.stem.value


def test_conceptest_refuses_a_bad_round():
    ct = ConcepTest(lecture.load()[0].question)
    with pytest.raises(ValueError, match="round must be 'before' or 'after'"):
        ct.counts("during")
    ct.controls["before.A"].value = 5000  # bounded: a hall has at most 2000 hands
    assert ct.counts("before")[0] == 2000


def test_ab_shows_the_same_bout_in_two_populations_and_follows_a_switch(p):
    p.go("beyond-healthy")
    cmp = p.comparison
    assert cmp.a.bout == cmp.b.bout and cmp.a.bout.to_failure
    assert (cmp.a.population, cmp.b.population) == ("healthy", "fibromyalgia")
    ya, yb = list(cmp.figures["a.sites"].data[0].y), list(cmp.figures["b.sites"].data[0].y)
    assert ya[0] > 0.2 and yb[0] < -0.2  # relief vs more pain (Kosek 1996)
    assert "MORE pain" in cmp.readout.value
    cmp.controls["b.population"].value = "older"
    assert list(cmp.figures["b.sites"].data[0].y) != yb
    assert "older" in cmp.readout.value
    cmp.controls["b.muscle"].value = "elbow"  # muscle group per side for holds
    assert cmp.b.bout.muscle == "elbow" and cmp.a.bout.muscle == "knee"
    p.next()
    p.previous()  # coming back restores the segment's set-up
    assert cmp.b.population == "fibromyalgia" and cmp.b.bout.muscle == "knee"


def test_programme_view_is_the_simulator(p):
    p.go("programmes")
    before = p.program.readout_text()
    p.controls["programme.supervised"].value = False
    assert p.program.readout_text() != before
    p.controls["programme.supervised"].value = True


def test_clicking_a_dose_map_marker_lists_the_studies_there(p):
    p.go("disagreements")
    assert "Hoffman et al. 2004" in p.disagree_table.value  # the disagreeing dose first
    fig = p.figures["disagree.dose_map"]
    trace = fig.data[2]  # study markers: less pain
    i = next(i for i, (x, y) in enumerate(zip(trace.x, trace.y, strict=True)) if x == 63)
    points = SimpleNamespace(point_inds=[i], xs=[trace.x[i]], ys=[trace.y[i]])
    p.disagree.on_marker_click(trace, points)
    assert "Gurevich et al. 1994" in p.disagree_table.value
    assert "Hoffman et al. 2004" not in p.disagree_table.value
    assert list(fig.data[5].x) == [63.0]  # the chosen dose is starred
    p.disagree.on_marker_click(
        trace, SimpleNamespace(point_inds=[], xs=[], ys=[])
    )  # a miss: no change
    assert "Gurevich et al. 1994" in p.disagree_table.value
    p.controls["disagree.kind"].value = "isometric"
    assert "Isometric" in p.controls["disagree.dose"].options[0][0]
    assert "Isometric" in fig.layout.title.text


def test_mechanisms_view_follows_the_bout(p):
    p.go("mechanisms")
    assert p.mechanisms.bout == pl.Bout("aerobic", 80, 30)
    assert p.figures["mechanisms"] is p.mechanisms.figures["mechanisms"]
    before = list(p.figures["mechanisms"].data[1].marker.size)
    p.controls["mechanisms.intensity"].value = 40
    assert list(p.figures["mechanisms"].data[1].marker.size) != before


def test_presets_still_set_the_explorer_and_show_it(p):
    p.go("conditions")
    p.controls["preset"].value = "Hoeger Bement 2008: 25% MVC to failure"
    assert p.segment.view == "explorer"
    assert p.explorer.bout.to_failure and p.explorer.response.hypoalgesia


def test_the_disagreement_dashboard_stands_alone_and_refuses_bad_input():
    from painlab.disagreement_dashboard import DisagreementExplorer

    d = DisagreementExplorer("isometric", "fibromyalgia")
    assert d.dose is not None and "Isometric" in d.dose.label
    assert "Kosek et al. 1996" in d.readout.value or "Staud et al. 2005" in d.readout.value
    with pytest.raises(ValueError, match="population"):
        DisagreementExplorer(population="martians")
    with pytest.raises(ValueError, match="kind"):
        DisagreementExplorer(kind="yoga")


def test_lecture_markup_escapes_and_shortens():
    from painlab import lecture_markup

    assert lecture_markup.ranges(("K13", "K14", "K15", "K0", "K2")) == "K0, K2, K13–K15"
    assert lecture_markup.ranges(("K7",)) == "K7"
    lec = lecture.load()
    table = lecture_markup.keypoints_table(lec)
    assert table.count("<tr>") == len(lec.keypoints) == 19
    points = lecture_markup.mechanism_points(lec)
    assert points.count("<li>") == 6 and "<b>K13</b>" in points
    seg = lec[0]
    html_ = lecture_markup.details(dataclasses.replace(seg, show="<script>x</script>"))
    assert "<script>" not in html_ and "&lt;script&gt;" in html_
