"""Tests for painlab.hypoalgesia: documented rules (K1-K5), invariants, bad input.

Expected outcomes come from the studies' conclusions (the ``outcome`` column of the
evidence, e.g. Hoffman 2004, Hoeger Bement 2008) and the meta-analyses' estimates, never
from earlier runs of the model.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import bouts

from painlab import mechanisms, studies
from painlab.bouts import KINDS, LIMITS, Bout, endurance_time
from painlab.hypoalgesia import (
    HYPOALGESIA_THRESHOLD,
    PARAMETERS,
    POPULATIONS,
    agreement_table,
    effect_grid,
    needed_minutes,
    predict,
)

SITES = ("exercising", "contralateral", "distant")


def _pooled(citation_key: str, kind: str, population: str = "healthy"):
    recs = [
        p
        for p in studies.pooled(kind=kind, population=population)
        if p.citation.key == citation_key
    ]
    assert recs, (citation_key, kind, population)
    return recs


# -- documented rules --------------------------------------------------------------------------


def test_threshold_is_cohens_small_effect():
    assert HYPOALGESIA_THRESHOLD == 0.2


def test_healthy_aerobic_75pct_30min_hypoalgesia():
    # Hoffman 2004: 75% VO2max for 30 min lowered pain ratings at the finger 5 min later (K3).
    r = predict(Bout("aerobic", 75, 30))
    assert r.hypoalgesia
    assert r.outcome == "hypoalgesia"
    assert r.at("distant", 5) >= HYPOALGESIA_THRESHOLD


def test_healthy_aerobic_effect_is_short_lived():
    # Hoffman 2004: present 5 min after 75%/30 min, gone by 30 min (K2).
    r = predict(Bout("aerobic", 75, 30))
    assert r.at("distant", 30) < HYPOALGESIA_THRESHOLD
    assert 0 < r.lasts() < 60


def test_healthy_aerobic_50pct_30min_is_where_the_studies_disagree():
    # Hoffman 2004 found no significant change after 50% VO2max for 30 min (n = 12), yet
    # Naugle 2012's table gives that arm d = 0.51: the range spans both outcomes, and the
    # effect is smaller than at 75% (K3: intensity matters).
    r = predict(Bout("aerobic", 50, 30))
    lo, hi = r.interval()
    assert lo < HYPOALGESIA_THRESHOLD <= hi
    assert r.effect_size < predict(Bout("aerobic", 75, 30)).effect_size


def test_healthy_aerobic_75pct_10min_is_smaller_and_may_show_nothing():
    # Hoffman 2004: 75% VO2max for 10 min changed nothing (d = 0.08 in Naugle 2012's table),
    # while 10 min at 85% (Sternberg 2001, women) and 15 min at 75% (Vaegter 2015) relieved:
    # shorter is smaller (K3: duration), and the range allows no change.
    short = predict(Bout("aerobic", 75, 10))
    assert short.effect_size < predict(Bout("aerobic", 75, 30)).effect_size
    assert short.interval()[0] < HYPOALGESIA_THRESHOLD
    assert not predict(Bout("aerobic", 75, 3)).hypoalgesia


@pytest.mark.parametrize("minutes", [1, 10, 30, 60, 90, 120])
def test_aerobic_30pct_never_gives_hypoalgesia(minutes):
    # K3: only moderate-to-high intensity works; 50% already failed (Hoffman 2004).
    assert not predict(Bout("aerobic", 30, minutes)).hypoalgesia


def test_aerobic_30pct_needs_infinite_time():
    assert math.isinf(needed_minutes("aerobic", 30))


@pytest.mark.parametrize("pct", [25, 80])
def test_isometric_low_and_high_to_failure_both_hypoalgesia(pct):
    # Hoeger Bement 2008: 25% and 80% MVC held to task failure both raised contralateral
    # pain thresholds (K4).
    r = predict(Bout("isometric", pct, to_failure=True))
    assert r.hypoalgesia
    assert r.at("contralateral") >= HYPOALGESIA_THRESHOLD
    assert r.fatigue == pytest.approx(1.0)


def test_isometric_25pct_for_2min_is_smaller_than_to_failure_and_may_show_nothing():
    # Hoeger Bement 2008: elbow flexors at 25% MVC held 2 min did not change pain
    # (contralateral), while Lemley 2014 found relief after the same hold in older adults:
    # the range allows no change, and holding longer gives more.
    r = predict(Bout("isometric", 25, 2, muscle="elbow"))
    assert r.interval("contralateral")[0] < HYPOALGESIA_THRESHOLD
    longer = predict(Bout("isometric", 25, to_failure=True, muscle="elbow"))
    assert r.at("contralateral") < longer.at("contralateral")


def test_low_intensity_holds_must_be_longer():
    # K4: low-intensity contractions must be held longer.
    assert needed_minutes("isometric", 25) > needed_minutes("isometric", 80)


def test_needed_minutes_is_the_boundary():
    for kind, pct in [("aerobic", 75), ("isometric", 25), ("dynamic_resistance", 75)]:
        t = needed_minutes(kind, pct)
        assert np.isfinite(t)
        if kind == "isometric":
            assert t <= endurance_time(pct)
        assert predict(Bout(kind, pct, t * 1.01)).hypoalgesia
        assert not predict(Bout(kind, pct, t * 0.99)).hypoalgesia


def test_hypoalgesia_without_fatigue():
    # K5: fatigue is not required. Some hold shorter than half the endurance time works.
    fractions = np.linspace(0.05, 0.49, 45)
    found = []
    for pct in (25, 50, 80):
        for f in fractions:
            if f * endurance_time(pct) < LIMITS["isometric"]["duration"][0]:
                continue
            r = predict(Bout("isometric", pct, f * endurance_time(pct)))
            assert r.fatigue == pytest.approx(f)
            if r.hypoalgesia:
                found.append((pct, f))
    assert found, "no hold under half the endurance time gives hypoalgesia"


def test_site_ordering_healthy():
    # K1: largest at the exercising limb, smaller contralateral, smaller still distant.
    for bout in (
        Bout("aerobic", 75, 30),
        Bout("isometric", 25, to_failure=True),
        Bout("dynamic_resistance", 75, 45),
    ):
        r = predict(bout)
        ex, co, di = (r.at(s) for s in SITES)
        assert ex > co > di > 0
        # EIH is not confined to the exercised body part (K1).
        assert di >= HYPOALGESIA_THRESHOLD


def test_after_decreases_with_time():
    r = predict(Bout("aerobic", 75, 30))
    values = [r.after(m) for m in (0, 5, 10, 15, 30, 60)]
    assert all(a > b for a, b in itertools.pairwise(values))
    assert r.after(0) == r.effect_size


def test_hypoalgesia_property_matches_threshold():
    for bout in (Bout("aerobic", 75, 30), Bout("aerobic", 50, 30), Bout("isometric", 25, 2)):
        r = predict(bout)
        assert r.hypoalgesia == (r.at("exercising") >= 0.2)


def test_fibromyalgia_can_worsen_pain():
    # Vierck 2001: maximal aerobic exercise (about 11.5 min) increased pain in
    # fibromyalgia. Kosek 1996: in fibromyalgia, pressure pain thresholds of the quadriceps
    # were below baseline 2.5 and 5 min after a 22% MVC knee-extension hold to exhaustion.
    # (Staud 2005's 30% MVC handgrip measured pain DURING the contraction, which the model,
    # a model of the minutes after exercise, does not predict; see test_clinical.py.)
    assert predict(Bout("aerobic", 100, 11.5), "fibromyalgia").effect_size < 0
    r = predict(Bout("isometric", 22, to_failure=True, muscle="knee"), "fibromyalgia")
    assert r.effect_size < 0
    assert r.at("exercising", 2.5) <= -HYPOALGESIA_THRESHOLD
    assert r.at("exercising", 5) <= -HYPOALGESIA_THRESHOLD


def test_effect_is_relief_minus_sensitisation():
    for bout in (Bout("aerobic", 75, 30), Bout("isometric", 22, to_failure=True, muscle="knee")):
        for population in POPULATIONS:
            r = predict(bout, population)
            assert r.relief >= 0
            assert r.sensitisation >= 0
            assert r.effect_size == pytest.approx(r.relief - r.sensitisation)
    # Healthy young adults: no documented hyperalgesia, so no sensitisation term.
    assert predict(Bout("aerobic", 100, 120)).sensitisation == 0
    assert predict(Bout("isometric", 80, to_failure=True)).sensitisation == 0


def test_sensitisation_grows_with_the_dose_done_not_intensity_alone():
    # Issue 12: the old "flare" depended on intensity only. In fibromyalgia the same
    # intensity held longer, or cycled longer, must sensitise more.
    short = predict(Bout("isometric", 22, 1, muscle="knee"), "fibromyalgia")
    failure = predict(Bout("isometric", 22, to_failure=True, muscle="knee"), "fibromyalgia")
    assert failure.sensitisation > short.sensitisation
    assert failure.effect_size < short.effect_size
    brief = predict(Bout("aerobic", 90, 5), "fibromyalgia")
    long = predict(Bout("aerobic", 90, 40), "fibromyalgia")
    assert long.sensitisation > brief.sensitisation


def test_fibromyalgia_below_healthy():
    bout = Bout("aerobic", 75, 30)
    assert predict(bout, "fibromyalgia").effect_size < predict(bout).effect_size


def test_older_attenuated_but_positive():
    # Naugle 2016: smaller EIH in older adults; Lemley 2014: still present after holds.
    for bout in (Bout("aerobic", 75, 30), Bout("isometric", 25, to_failure=True)):
        healthy = predict(bout).effect_size
        older = predict(bout, "older").effect_size
        assert 0 < older < healthy


def test_mechanisms_keys_and_bounds():
    r = predict(Bout("aerobic", 75, 30))
    assert set(r.mechanisms) == set(mechanisms.MECHANISMS)
    assert all(0.0 <= v <= 1.0 for v in r.mechanisms.values())


@pytest.mark.parametrize(
    ("bout", "population"),
    [
        (Bout("aerobic", 75, 30), "healthy"),
        (Bout("aerobic", 40, 30), "fibromyalgia"),
        (Bout("isometric", 25, to_failure=True), "older"),
        (Bout("isometric", 50, 0.5), "healthy"),
        (Bout("dynamic_resistance", 75, 45), "chronic_neck_pain"),
        (Bout("isometric", 22, to_failure=True, muscle="knee"), "fibromyalgia"),
    ],
)
def test_reasons_cite_existing_sources(bout, population):
    r = predict(bout, population)
    cites = studies.citations()
    assert r.reasons
    for reason in r.reasons:
        assert reason.kind in ("condition", "finding", "assumption", "evidence")
        assert isinstance(reason.met, bool)
        assert isinstance(reason.text, str) and reason.text
        assert isinstance(reason.references, tuple)
        for key in reason.references:
            assert key in cites, key
    assert any(reason.references for reason in r.reasons)
    assert set(r.references) == {k for reason in r.reasons for k in reason.references}


def test_readout_separates_conditions_findings_assumptions_and_evidence():
    r = predict(Bout("isometric", 25, to_failure=True), "fibromyalgia")
    kinds = [reason.kind for reason in r.reasons]
    assert {"condition", "finding", "assumption", "evidence"} <= set(kinds)
    # exactly one line says which studies tested a dose this close, and it comes last
    assert kinds.count("evidence") == 1 and kinds[-1] == "evidence"
    for reason in r.reasons:
        mark = str(reason)[0]
        if reason.kind == "condition":
            assert mark == ("✓" if reason.met else "✗")
        else:
            assert mark in "•≈▸"
    # the fitted share of the endurance time is a finding of the fit, not a ticked condition
    share = [reason for reason in r.reasons if "the fit puts half the relief" in reason.text]
    assert share and all(reason.kind == "finding" for reason in share)


@pytest.mark.parametrize("status", ["read", "fitted"])
def test_parameter_ranges_contain_their_value(status):
    chosen = [p for p in PARAMETERS.values() if p.status == status]
    assert chosen, status
    for p in chosen:
        assert p.low <= p.value <= p.high, p
        assert p.assumption == (status == "illustrative")


def test_every_parameter_reference_exists():
    cites = studies.citations()
    assert PARAMETERS
    for name, p in PARAMETERS.items():
        assert p.references, name
        for key in p.references:
            assert key in cites, (name, key)
        assert p.basis, name
        assert p.unit, name


def test_populations_are_known_to_the_evidence():
    assert "healthy" in POPULATIONS
    assert set(POPULATIONS) <= set(studies.POPULATIONS)


# -- effect_grid -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("population", ["healthy", "older", "fibromyalgia"])
@pytest.mark.parametrize("site", SITES)
def test_effect_grid_matches_predict(kind, population, site):
    lo, hi = LIMITS[kind]["intensity"]
    dlo, dhi = LIMITS[kind]["duration"]
    intensities = np.linspace(lo, hi, 7)
    durations = np.linspace(dlo, dhi, 6)
    grid = effect_grid(kind, population, intensities, durations, site=site)
    assert grid.shape == (len(durations), len(intensities))
    checked = 0
    for j, t in enumerate(durations):
        for i, pct in enumerate(intensities):
            if kind == "isometric" and t > endurance_time(pct):
                assert np.isnan(grid[j, i])
                continue
            expected = predict(Bout(kind, float(pct), float(t)), population).at(site)
            assert grid[j, i] == pytest.approx(expected, abs=1e-12)
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("muscle", ["knee", "elbow", "pooled"])
@pytest.mark.parametrize("population", ["healthy", "fibromyalgia"])
def test_effect_grid_uses_the_muscle_and_its_edges_match_the_range(muscle, population):
    intensities = np.array([15.0, 25.0, 50.0, 80.0])
    durations = np.array([0.2, 0.5, 1.0, 3.0])
    grids = {
        e: effect_grid(
            "isometric", population, intensities, durations, "distant", muscle=muscle, edge=e
        )
        for e in ("value", "low", "high")
    }
    checked = 0
    for j, t in enumerate(durations):
        for i, pct in enumerate(intensities):
            if t > endurance_time(pct, muscle):
                assert np.isnan(grids["value"][j, i])
                continue
            r = predict(Bout("isometric", float(pct), float(t), muscle=muscle), population)
            assert grids["value"][j, i] == pytest.approx(r.at("distant"), abs=1e-12)
            lo, hi = r.range("distant")
            assert grids["low"][j, i] == pytest.approx(lo, abs=1e-12)
            assert grids["high"][j, i] == pytest.approx(hi, abs=1e-12)
            checked += 1
    assert checked >= 8


def test_effect_grid_isometric_beyond_endurance_is_nan():
    grid = effect_grid("isometric", "healthy", [80.0, 25.0], [0.3, 2.0, 10.0])
    # Handgrip: ET(80%) = 0.80 min, ET(25%) = 5.2 min (Frey-Law & Avin 2010).
    assert np.isfinite(grid[0, 0]) and np.isfinite(grid[0, 1])
    assert np.isnan(grid[1, 0]) and np.isfinite(grid[1, 1])
    assert np.isnan(grid[2, 0]) and np.isnan(grid[2, 1])


# -- agreement with the evidence ---------------------------------------------------------------


@pytest.fixture(scope="module")
def healthy_table():
    return agreement_table("healthy")


def test_agreement_healthy(healthy_table):
    t = healthy_table
    assert len(t) >= 20
    assert set(t["population"]) == {"healthy"}
    assert t["consistent"].mean() >= 0.8
    assert t["agrees"].mean() >= 0.6


def test_every_disagreement_has_a_reason():
    t = agreement_table()
    disagree = t[~t["agrees"]]
    assert len(disagree) > 0
    assert (disagree["reason"].str.len() > 0).all()
    assert (t[t["agrees"]]["reason"] == "").all()


def test_agreement_shows_disagreeing_evidence(healthy_table):
    # Tomschi 2023 found no hypoalgesia after 75% VO2max for 30-60 min, a dose the model
    # (following Hoffman 2004 and others) says works. The table must show it, not hide it.
    t = healthy_table
    shown = t[(t["documented"] == "none") & (t["predicted"] == "hypoalgesia")]
    assert len(shown) >= 1
    assert shown["study"].str.contains("Tomschi").any()


def test_agreement_classes_follow_threshold(healthy_table):
    for _, row in healthy_table.iterrows():
        d = row["predicted_d"]
        if d >= 0.2 + 0.005:
            assert row["predicted"] == "hypoalgesia"
        elif d <= -0.2 - 0.005:
            assert row["predicted"] == "hyperalgesia"
        elif -0.2 + 0.005 < d < 0.2 - 0.005:
            assert row["predicted"] == "none"
        assert row["agrees"] == (row["predicted"] == row["documented"])


# -- magnitude against meta-analyses -----------------------------------------------------------


def test_aerobic_magnitude_inside_wewege_ci():
    (w,) = _pooled("wewege2021", "aerobic")
    d = predict(Bout("aerobic", 75, 30)).effect_size
    assert w.ci_low <= d <= w.ci_high


def test_dynamic_resistance_magnitude():
    # Koltyn 1998's dose (3 x 10 at 75% 1RM, ~45 min). The two meta-analyses disagree on
    # size: Naugle 2012 (repeated measures, threshold) d = 0.83, Wewege 2021 (RCTs) g = 0.45
    # with CI 0.22-0.69. The fitted model (its prior centred between the two, the data one
    # study) must lie between the two point estimates, and its 80% range must reach both.
    r = predict(Bout("dynamic_resistance", 75, 45))
    d = r.effect_size
    (w,) = _pooled("wewege2021", "dynamic_resistance")
    naugle = [
        p for p in _pooled("naugle2012", "dynamic_resistance") if "threshold" in p.outcome_measure
    ]
    (n,) = naugle
    assert w.effect_size <= d <= n.effect_size
    lo, hi = r.interval()
    assert lo <= w.effect_size and n.effect_size <= hi


def test_isometric_to_failure_between_meta_analyses():
    # Naugle 2012 d = 1.02 (threshold) vs Wewege 2021 g = 0.16: the model sits between.
    d = predict(Bout("isometric", 25, to_failure=True)).effect_size
    (w,) = _pooled("wewege2021", "isometric")
    n = max(p.effect_size for p in _pooled("naugle2012", "isometric"))
    assert w.effect_size < d < n


# -- properties over the whole valid input space -----------------------------------------------


populations = st.sampled_from(POPULATIONS)
delays = st.floats(0, 120, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(bout=bouts(), population=populations, minutes=delays)
def test_valid_input_never_raises_and_is_bounded(bout, population, minutes):
    r = predict(bout, population)
    assert isinstance(r.summary(), str)
    assert r.outcome in ("hypoalgesia", "none", "hyperalgesia")
    assert r.lasts() >= 0
    for site in SITES:
        d = r.at(site, minutes)
        assert math.isfinite(d)
        assert -2 < d < 2
    assert set(r.mechanisms) == set(mechanisms.MECHANISMS)
    assert all(0 <= v <= 1 for v in r.mechanisms.values())


def test_predict_does_not_depend_on_what_was_predicted_before():
    """Caches (placed arms, lowest intensities) must not leak state between calls."""
    bout = Bout("isometric", 22, to_failure=True, muscle="knee")
    first = predict(bout, "fibromyalgia")
    for other in (Bout("aerobic", 75, 30), Bout("dynamic_resistance", 75, 45)):
        for pop in POPULATIONS:
            predict(other, pop)
    again = predict(bout, "fibromyalgia")
    assert again.effect_size == first.effect_size and again.reasons == first.reasons


@settings(max_examples=200, deadline=None)
@given(bout=bouts(), minutes=delays)
def test_healthy_site_ordering(bout, minutes):
    r = predict(bout, "healthy")
    ex, co, di = (r.at(s, minutes) for s in SITES)
    assert ex >= co >= di >= 0
    if ex > 0:
        assert ex > co > di


@settings(max_examples=200, deadline=None)
@given(bout=bouts(), population=populations, m1=delays, m2=delays)
def test_effect_decays_with_time(bout, population, m1, m2):
    early, late = sorted((m1, m2))
    r = predict(bout, population)
    for site in SITES:
        assert abs(r.at(site, late)) <= abs(r.at(site, early)) + 1e-12


@settings(max_examples=200, deadline=None)
@given(bout=bouts(), population=populations)
def test_hypoalgesia_consistent_with_at(bout, population):
    r = predict(bout, population)
    d = r.at("exercising")
    assert r.hypoalgesia == (d >= HYPOALGESIA_THRESHOLD)
    assert r.hyperalgesia == (d <= -HYPOALGESIA_THRESHOLD)
    assert r.effect_size == pytest.approx(d)
    if bout.kind == "isometric":
        assert r.fatigue is not None and 0 < r.fatigue <= 1
    else:
        assert r.fatigue is None


# -- bad input ---------------------------------------------------------------------------------


def test_unknown_population_lists_valid_ones():
    with pytest.raises(ValueError) as exc:
        predict(Bout("aerobic", 75, 30), "martian")
    msg = str(exc.value)
    assert "population" in msg and "martian" in msg
    for pop in POPULATIONS:
        assert pop in msg


def test_unknown_site_lists_sites():
    r = predict(Bout("aerobic", 75, 30))
    with pytest.raises(ValueError) as exc:
        r.at("knee")
    msg = str(exc.value)
    assert "site" in msg and "knee" in msg
    for site in SITES:
        assert site in msg


@pytest.mark.parametrize("bad", [-5, float("nan"), float("inf")])
def test_negative_minutes_raises(bad):
    r = predict(Bout("aerobic", 75, 30))
    with pytest.raises(ValueError) as exc:
        r.after(bad)
    assert "minutes" in str(exc.value)
    assert "0" in str(exc.value)


def test_effect_grid_unknown_kind():
    with pytest.raises(ValueError) as exc:
        effect_grid("aerobics", "healthy", [50], [30])
    msg = str(exc.value)
    assert "kind" in msg
    for kind in KINDS:
        assert kind in msg


def test_effect_grid_unknown_population_and_site():
    with pytest.raises(ValueError, match="population"):
        effect_grid("aerobic", "martian", [50], [30])
    with pytest.raises(ValueError, match="site"):
        effect_grid("aerobic", "healthy", [50], [30], site="knee")


@pytest.mark.parametrize("bad", ["aerobic", None, ("aerobic", 75, 30), {"kind": "aerobic"}])
def test_predict_needs_a_bout(bad):
    with pytest.raises(TypeError) as exc:
        predict(bad)
    assert "Bout" in str(exc.value)


def test_arm_bout_places_holds_to_failure_at_the_endurance_time_and_skips_unreported_doses():
    from painlab import studies
    from painlab.hypoalgesia import arm_bout

    kosek = next(a for a in studies.arms(citation="kosek1996") if a.population == "healthy")
    bout = arm_bout(kosek)
    # Kosek 1996 held a knee extension: placed with the knee extensors' curve (5.6 min at
    # 22% MVC), not the handgrip default (6.4 min).
    assert kosek.muscle == "knee" and bout.muscle == "knee"
    assert bout.to_failure
    assert bout.minutes == pytest.approx(endurance_time(kosek.intensity, "knee"))
    assert bout.minutes != pytest.approx(endurance_time(kosek.intensity))
    hoffman = studies.arms(citation="hoffman2004")[0]
    assert (arm_bout(hoffman).intensity, arm_bout(hoffman).minutes) == (
        hoffman.intensity,
        hoffman.duration_min,
    )
    unreported = [a for a in studies.arms() if a.intensity is None]
    assert unreported and all(arm_bout(a) is None for a in unreported)
