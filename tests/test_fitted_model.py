"""The fitted dose-response model: its draws match the evidence they were fitted to, and
the lessons' clinical messages hold as properties over every population, kind and muscle.

Each property is a statement a lesson makes (the claim in the test's docstring); the
model must not teach its reverse anywhere the sliders can go.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import painlab as pl
from painlab import mechanisms, studies
from painlab.bouts import LIMITS, MUSCLES, Bout, endurance_time
from painlab.hypoalgesia import (
    HYPOALGESIA_THRESHOLD,
    PARAMETERS,
    POPULATIONS,
    SITES,
    arm_bout,
    dose_response,
    fitdata,
    predict,
)

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EPS = 1e-9


@st.composite
def bouts(draw):
    kind = draw(st.sampled_from(("aerobic", "isometric", "dynamic_resistance")))
    lo, hi = LIMITS[kind]["intensity"]
    i = draw(st.integers(int(lo), int(hi)))
    if kind == "isometric":
        muscle = draw(st.sampled_from(MUSCLES))
        et = float(endurance_time(i, muscle))
        top = min(et, LIMITS[kind]["duration"][1])
        if top < 0.2 or draw(st.booleans()):
            return Bout(kind, i, to_failure=True, muscle=muscle)
        t = draw(st.floats(0.1, top))
        return Bout(kind, i, max(0.1, int(t * 10) / 10), muscle=muscle)
    t = draw(st.integers(int(LIMITS[kind]["duration"][0]), int(LIMITS[kind]["duration"][1])))
    return Bout(kind, i, t)


clinical = st.sampled_from([p for p in POPULATIONS if p != "healthy"])


# -- the draws belong to this data --------------------------------------------------------


def test_shipped_draws_match_the_evidence_they_were_fitted_to():
    """Edit acute_arms.csv and the fit is stale: run `make fit` (this test then fails)."""
    info = dose_response.fit_info()
    assert info["data_sha256"] == dose_response.data_checksum()
    d = fitdata.design()
    assert info["rows"] == len(d) and info["studies"] == len(d.studies)


def test_the_fit_converged():
    diag = dose_response.fit_info()["diagnostics"]
    assert diag["r_hat_max"] < 1.05
    assert diag["divergences"] == 0
    assert diag["ess_bulk_min"] > 100


def test_every_prior_has_draws_and_a_registry_entry():
    draws = dose_response.draws()
    for spec in dose_response.PRIORS:
        assert np.all(np.isfinite(draws[spec.name])), spec.name
        group, name = spec.name.split(".", 1)
        p = PARAMETERS[(group, name)]
        assert p.status == "fitted"
        assert p.low <= p.value <= p.high
        assert spec.describe() in p.basis  # the prior is stated on screen


def test_the_design_reads_every_placeable_arm():
    d = fitdata.design()
    placed = {a.arm_id for a in studies.arms()} - {a for a, _ in d.left_out}
    assert set(d.arms) == placed
    assert d.rows["has_d"].sum() >= 5  # effect sizes, not only verdicts


# -- the chapter's rules come out of the fit -------------------------------------------------


def test_aerobic_dose_rules_come_out_of_the_fit():
    """K3: moderate-to-high intensity, long enough, eases pain; light exercise does not."""
    hard_long = predict(Bout("aerobic", 75, 30))
    light = predict(Bout("aerobic", 35, 30))
    hard_short = predict(Bout("aerobic", 75, 3))
    assert hard_long.hypoalgesia
    assert not light.hypoalgesia
    assert not hard_short.hypoalgesia


def test_isometric_low_intensity_needs_longer_holds():
    """K4: low- and high-intensity holds both ease pain; low ones must be held longer."""
    assert predict(Bout("isometric", 25, to_failure=True)).hypoalgesia
    assert predict(Bout("isometric", 80, to_failure=True)).hypoalgesia
    assert pl.hypoalgesia.needed_minutes("isometric", 25) > pl.hypoalgesia.needed_minutes(
        "isometric", 80
    )


def test_fatigue_is_not_required():
    """K5: holds stopped well short of failure already ease pain in the fit."""
    share = PARAMETERS[("isometric", "phi")]
    assert share.high < 1.0
    et = endurance_time(25, "grip")
    assert predict(Bout("isometric", 25, 0.7 * et, muscle="grip")).hypoalgesia


def test_site_order_and_short_life():
    """K1 and K2: largest at the exercising limb, then contralateral, then distant; gone
    within the hour."""
    r = predict(Bout("aerobic", 75, 30))
    assert r.at("exercising") > r.at("contralateral") > r.at("distant") > 0
    assert r.after(60) < HYPOALGESIA_THRESHOLD


# -- the lessons' clinical messages as properties ---------------------------------------


@PROPERTY
@given(bout=bouts(), population=clinical)
def test_clinical_relief_never_exceeds_healthy_relief(bout, population):
    """Lesson 05: relief in a clinical population is the healthy response scaled down.
    No study in the data found more relief in a clinical group than in healthy adults at
    the same dose, so there is no exception to list."""
    healthy = predict(bout, "healthy")
    other = predict(bout, population)
    # every draw's clinical effect is at most its healthy one, so the medians are too
    for site in SITES:
        assert other.at(site) <= healthy.at(site) + 1e-6, site


@PROPERTY
@given(bout=bouts(), population=st.sampled_from(POPULATIONS))
def test_no_site_is_more_hyperalgesic_than_the_exercising_limb(bout, population):
    r = predict(bout, population)
    for site in SITES:
        assert abs(r.at(site)) <= abs(r.at("exercising")) + EPS


@PROPERTY
@given(bout=bouts(), population=st.sampled_from(POPULATIONS))
def test_the_readout_conditions_never_contradict_the_verdict(bout, population):
    """A dose condition read off healthy adults that is not met never sits beside a
    'less pain' verdict; in healthy adults all conditions met means less pain."""
    r = predict(bout, population)
    conditions = [x for x in r.reasons if x.kind == "condition"]
    if not all(x.met for x in conditions):
        assert not r.hypoalgesia, [str(x) for x in conditions]
    elif population == "healthy":  # (1e-6: a hold's share is t / ET, rounded)
        assert r.effect_size >= HYPOALGESIA_THRESHOLD - 1e-6


@PROPERTY
@given(bout=bouts(), population=st.sampled_from(POPULATIONS), minutes=st.floats(0, 60))
def test_the_range_holds_the_value_and_shrinks_with_time(bout, population, minutes):
    r = predict(bout, population)
    lo, hi = r.interval("exercising", minutes)
    assert lo - EPS <= r.after(minutes) <= hi + EPS
    lo0, hi0 = r.interval("exercising", 0)
    assert hi - lo <= hi0 - lo0 + EPS


def test_the_range_is_a_prediction_interval_not_a_point():
    """The range carries the spread between studies: at the classic 75%/30 min dose it
    allows the 'no change' that two studies of that dose found."""
    lo, hi = predict(Bout("aerobic", 75, 30)).interval()
    assert lo < HYPOALGESIA_THRESHOLD < hi


@pytest.mark.parametrize("muscle", MUSCLES)
def test_mechanisms_use_the_bouts_own_muscle(muscle):
    b = Bout("isometric", 25, to_failure=True, muscle=muscle)
    e = mechanisms.engagement(b, "healthy")
    # at failure the fatigue share is 1 whatever the muscle's endurance time
    assert e["descending_inhibition"] == pytest.approx(0.25 + 0.5 * (1 - 0.25))
    assert predict(b).fatigue == pytest.approx(1.0)


def test_painful_region_lowers_relief_in_knee_osteoarthritis():
    """Burrows 2014: upper-body exercise relieved, loading the painful leg did not."""
    knee = predict(Bout("isometric", 30, 2, muscle="knee"), "knee_osteoarthritis")
    # the same share of the endurance time with the elbow flexors: only the region differs
    share = 2 / endurance_time(30, "knee")
    elbow_hold = Bout(
        "isometric", 30, round(share * endurance_time(30, "elbow"), 3), muscle="elbow"
    )
    elbow = predict(elbow_hold, "knee_osteoarthritis")
    assert knee.painful_region and not elbow.painful_region
    assert elbow.fatigue == pytest.approx(knee.fatigue, abs=1e-3)
    assert knee.effect_size < elbow.effect_size
    assert any("painful region" in x.text for x in knee.reasons)
    assert not any("painful region" in x.text for x in elbow.reasons)


def test_neck_pain_can_be_relieved_by_exercising_a_region_that_is_not_painful():
    """Lesson 03's advice: exercise a region that is not painful (Van Oosterwijck 2012
    calf; Smith 2017 wall squat in whiplash)."""
    r = predict(Bout("isometric", 20, 3, muscle="knee"), "chronic_neck_pain")
    assert not r.painful_region
    assert r.interval()[1] >= HYPOALGESIA_THRESHOLD
    neck = predict(Bout("isometric", 20, 3, muscle="shoulder"), "chronic_neck_pain")
    assert neck.painful_region and r.effect_size > neck.effect_size


def test_every_documented_protocol_builds():
    placed = [
        a for a in studies.arms() if a.intensity is not None and (a.duration_min or a.to_failure)
    ]
    assert placed
    for a in placed:
        assert arm_bout(a) is not None, a.arm_id


def test_an_unfitted_population_says_it_shows_the_prior():
    """A population with no placed study keeps its prior's range, and says so."""
    d = fitdata.design()
    for p in POPULATIONS:
        if p == "healthy":
            continue
        rows = int(d.rows[f"population.{p}"].sum())
        r = predict(Bout("aerobic", 70, 30), p)
        says = any("prior" in x.text for x in r.reasons)
        assert says == (rows == 0), (p, rows)
