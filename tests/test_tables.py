"""painlab.tables: compact text tables for the lessons."""

from __future__ import annotations

import math

import pytest

import painlab as pl
from painlab import tables


def _lines(obj) -> list[str]:
    return str(obj).splitlines()


def test_cells_say_not_reported_and_counts_are_whole_numbers():
    t = tables.table(
        [{"study": "A", "n": 12.0, "x": math.nan}, {"study": "B", "n": None, "x": 0.25}],
        ["study", "n", "x"],
    )
    text = str(t)
    assert "not reported" in text and "NaN" not in text
    assert " 12 " in text + " " and "12.0" not in text


def test_long_cells_wrap_inside_their_column_and_nothing_is_lost():
    long = "word " * 60
    t = tables.table([{"a": "short", "b": long.strip()}], ["a", "b"])
    lines = _lines(t)
    assert max(len(line) for line in lines) <= tables.WIDTH
    assert " ".join(line[7:].strip() for line in lines[2:]).split() == long.split()


@pytest.mark.parametrize(
    "make",
    [
        lambda: tables.arms(kind="aerobic", population="healthy", placed=True),
        lambda: tables.agreement(kind="aerobic", population="healthy"),
        lambda: tables.pooled(),
        lambda: tables.conditions(),
        lambda: tables.endurance(),
        lambda: tables.several_sites(),
        lambda: tables.repeated_measures(),
        lambda: tables.beyond_sensitivity(),
        lambda: tables.cross_tolerance(),
        lambda: tables.designs(["gate_control", "descending_inhibition"]),
        lambda: tables.findings(claim="K9"),
        lambda: tables.programme_parameters(),
    ],
)
def test_every_helper_prints_at_most_100_characters_without_nan(make):
    text = str(make())
    assert text.strip()
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "NaN" not in text and "<NA>" not in text and "nan" not in text.split()


def test_rows_that_would_look_duplicated_are_shown_once():
    t = tables.arms(population="fibromyalgia", studies=["staud2005"], columns=("study", "site"))
    assert len(t) == len({r for r in t.rows})


def test_johnsen_changes_are_read_from_the_evidence():
    t = tables.arms(studies=["johnsen2023"], columns=("study", "site", "change"))
    assert [r[2] for r in t.rows] == ["+13.9%", "+10.1%", "+6.0%"]


def test_sites_table_matches_the_model():
    bout = pl.Bout("aerobic", 75, 30)
    row = tables.sites([bout]).rows[0]
    assert row[1] == f"{pl.predict(bout).at('exercising'):+.2f}"


def test_programme_tables_use_benefit_positive_is_less_pain():
    from painlab import programs

    r = programs.simulate(programs.Program("knee_osteoarthritis"), seed=0)
    text = str(tables.early_response(r))
    assert "+ = less pain" in text
    assert f"{-r.late_change[r.early_change > 0].mean():+.1f}" in text


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="every row needs 2 cells"):
        tables.Table(("a", "b"), (("1",),))
    with pytest.raises(ValueError, match=r"columns: \['nope'\] not in the data"):
        tables.table([{"a": 1}], ["nope"])
    with pytest.raises(ValueError, match="mechanism must be one of"):
        tables.engagement([pl.Bout("aerobic", 50, 10)], "vibes")
    with pytest.raises(ValueError, match="source must be"):
        tables.findings(topic="dose", source="blog")


def test_glossary_defines_terms_and_lists_them_when_unknown():
    from painlab import glossary

    assert glossary.define("mvc").startswith("MVC: Maximal voluntary contraction")
    assert max(len(line) for line in glossary.define("CPM").splitlines()) <= 100
    with pytest.raises(KeyError, match="the glossary has: HRR"):
        glossary.define("XYZ")


def test_glossary_is_callable_from_a_lesson():
    text = str(pl.glossary("1rm"))
    assert text.startswith("1RM: One-repetition maximum")
    assert max(len(line) for line in text.splitlines()) <= 100


def test_what_the_lessons_print_is_what_the_model_uses(monkeypatch):
    """The site factors and endurance curves the tables print are the registry entries the
    model computes with: change the registry, and both the printout and the model change."""
    import dataclasses

    from painlab import hypoalgesia
    from painlab.bouts import ENDURANCE_CURVES, endurance_time

    key = ("site", "distant")
    changed = dataclasses.replace(hypoalgesia.PARAMETERS[key], value=0.5)
    monkeypatch.setitem(hypoalgesia.PARAMETERS, key, changed)
    r = pl.predict(pl.Bout("aerobic", 75, 30))
    assert r.at("distant") == pytest.approx(0.5 * r.at("exercising"))
    assert "distant factor = 0.5 x" in str(pl.tables.site_factors())
    for muscle, c in ENDURANCE_CURVES.items():
        printed = f"{c.b0:.2f} x f ^ ({c.b1:g})"
        assert printed in str(pl.tables.endurance(muscle=muscle))
        want = c.b0 * 0.25**c.b1 / 60
        assert endurance_time(25, muscle) == pytest.approx(want, rel=1e-9)
