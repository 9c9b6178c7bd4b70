"""Tests for painlab.programs: validation, calibration to the evidence, and invariants."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from painlab import programs as pg
from painlab import studies
from painlab.programs import ADJUNCTS, CONDITIONS, INTENSITIES, Program, describe, simulate

SEEDS = (0, 1, 2)


def run(condition: str = "chronic_low_back_pain", seed: int = 0, **settings) -> pg.ProgramResult:
    return simulate(Program(condition, **settings), seed=seed)


# -- the conditions and their cited targets ------------------------------------------------


def test_conditions_are_those_with_a_numeric_estimate():
    with_numbers = {
        r.condition
        for r in studies.condition_effects()
        if r.effect_size is not None and r.ci_low is not None and r.ci_high is not None
    }
    assert set(CONDITIONS) == with_numbers
    assert "gout" not in CONDITIONS


@pytest.mark.parametrize("condition", CONDITIONS)
def test_target_prefers_smd_rows_and_stays_in_the_cited_unit(condition):
    target = pg.target_effect(condition)
    rows = [r for r in studies.condition_effects(condition) if r.effect_size is not None]
    has_smd = any(r.effect_metric == "smd" for r in rows)
    assert target.metric == ("smd" if has_smd else "md")
    if has_smd:
        assert target.unit == "SMD"
    else:
        assert target.unit.startswith("points")
    match = [
        r
        for r in rows
        if r.citation.key == target.citation_key and r.effect_size == target.effect_size
    ]
    assert match, "the target must be a row of condition_effects.csv, unchanged"
    assert target.ci_low <= target.effect_size <= target.ci_high


def test_knee_osteoarthritis_is_labelled_in_points_not_smd():
    r = run("knee_osteoarthritis")
    assert r.target.citation_key == "fransen2015"
    assert r.unit == "points (0-100 pain)"
    assert "points (0-100 pain)" in describe(r)
    assert any("not converted to an SMD" in n for n in r.notes)


# -- calibration -----------------------------------------------------------------------------


@pytest.mark.parametrize("condition", CONDITIONS)
@pytest.mark.parametrize("seed", SEEDS)
def test_full_adherence_benefit_lies_in_the_cited_ci(condition, seed):
    r = simulate(Program(condition), seed=seed, full_adherence=True)
    t = r.target
    assert t.ci_low <= r.mean_benefit() <= t.ci_high


@pytest.mark.parametrize("condition", CONDITIONS)
def test_full_adherence_benefit_equals_the_cited_estimate_in_a_large_cohort(condition):
    r = simulate(Program(condition), n_patients=5000, seed=3, full_adherence=True)
    assert r.mean_benefit() == pytest.approx(r.target.effect_size, rel=0.05)
    # the dose part alone is exactly calibrated up to the responsiveness draw
    assert r.dose_benefit[:, -1].mean() == pytest.approx(r.target.effect_size, rel=0.05)


def test_supervised_adherence_declines_like_andersen_2008b():
    # participation fell from 54% in the first half-year to 35% in the second
    ratios = []
    for seed in SEEDS:
        m = run("fibromyalgia", seed=seed, weeks=52).mean_adherence()
        ratios.append(m[26:].mean() / m[:26].mean())
    assert np.mean(ratios) == pytest.approx(35 / 54, abs=0.06)


def test_week_one_adherence_near_85_percent():
    r = simulate(Program("fibromyalgia"), n_patients=2000, seed=0)
    assert r.mean_adherence()[0] == pytest.approx(0.85, abs=0.03)


def test_home_benefit_share_lies_in_hayden_2005b_interval():
    # supervised vs home 5.9 (2.1 to 9.8) of 100 points, best programme 18.1 points
    sup = simulate(Program("hip_osteoarthritis"), n_patients=2000, seed=0)
    home = simulate(Program("hip_osteoarthritis", supervised=False), n_patients=2000, seed=0)
    share = home.dose_benefit[:, -1].mean() / sup.dose_benefit[:, -1].mean()
    assert 1 - 9.8 / 18.1 <= share <= 1 - 2.1 / 18.1
    assert share == pytest.approx(1 - 5.9 / 18.1, abs=0.05)


# -- invariants ------------------------------------------------------------------------------


def test_same_seed_gives_the_same_cohort():
    a, b = run(seed=7), run(seed=7)
    np.testing.assert_array_equal(a.adherence, b.adherence)
    np.testing.assert_array_equal(a.pain_change, b.pain_change)
    assert a.early_late_r == b.early_late_r


def test_different_seeds_give_different_cohorts():
    a, b = run(seed=1), run(seed=2)
    assert not np.array_equal(a.adherence, b.adherence)
    assert not np.array_equal(a.pain_change, b.pain_change)


def test_longer_programme_keeps_the_same_patients_in_the_shared_weeks():
    short, long = run(weeks=8), run(weeks=20)
    np.testing.assert_array_equal(short.adherence, long.adherence[:, :8])
    np.testing.assert_allclose(short.pain_change, long.pain_change[:, :9])


@pytest.mark.parametrize("adjunct", ADJUNCTS)
@pytest.mark.parametrize("intensity", INTENSITIES)
@pytest.mark.parametrize("seed", SEEDS)
def test_supervision_never_lowers_adherence(adjunct, intensity, seed):
    kw = {"adjunct": adjunct, "intensity": intensity, "weeks": 26, "seed": seed}
    sup, home = run(supervised=True, **kw), run(supervised=False, **kw)
    assert np.all(sup.adherence >= home.adherence)
    assert sup.mean_adherence()[-1] > home.mean_adherence()[-1]


@pytest.mark.parametrize("adjunct", ["motivational", "cognitive_behavioural"])
@pytest.mark.parametrize("supervised", [True, False])
@pytest.mark.parametrize("seed", SEEDS)
def test_an_adjunct_never_lowers_adherence(adjunct, supervised, seed):
    kw = {"supervised": supervised, "weeks": 26, "seed": seed}
    with_adjunct, without = run(adjunct=adjunct, **kw), run(adjunct="none", **kw)
    assert np.all(with_adjunct.adherence >= without.adherence)
    assert with_adjunct.mean_adherence()[-1] > without.mean_adherence()[-1]


def test_motivational_adjunct_helps_more_than_cbt():
    mot = run(supervised=False, adjunct="motivational")
    cbt = run(supervised=False, adjunct="cognitive_behavioural")
    assert mot.mean_adherence()[-1] > cbt.mean_adherence()[-1]


def test_adherence_declines_over_the_weeks():
    for supervised in (True, False):
        m = run(supervised=supervised, weeks=26).mean_adherence()
        assert m[-1] < m[0]
        assert np.all((m >= 0) & (m <= 1))


@pytest.mark.parametrize("condition", CONDITIONS)
@pytest.mark.parametrize("seed", SEEDS)
def test_more_adherence_never_means_less_benefit(condition, seed):
    best = run(condition, seed=seed, supervised=True, adjunct="motivational")
    worst = run(condition, seed=seed, supervised=False, adjunct="none")
    full = simulate(Program(condition), seed=seed, full_adherence=True)
    # patient by patient: more sessions done -> at least as much benefit, every week
    assert np.all(best.sessions >= worst.sessions)
    assert np.all(best.dose_benefit >= worst.dose_benefit)
    assert np.all(full.dose_benefit >= best.dose_benefit)
    # flare and fluctuation do not depend on adherence, so total benefit follows
    assert np.all(best.benefit >= worst.benefit - 1e-12)
    assert best.mean_benefit() >= worst.mean_benefit()
    assert full.mean_benefit() >= best.mean_benefit()


@pytest.mark.parametrize("supervised", [True, False])
def test_benefit_from_sessions_never_falls_within_a_patient(supervised):
    r = run("fibromyalgia", weeks=52, supervised=supervised)
    assert np.all(np.diff(r.sessions, axis=1) >= 0)
    assert np.all(np.diff(r.dose_benefit, axis=1) >= 0)
    # and across patients of one cohort: ranking by sessions done, benefit per unit of
    # responsiveness is ordered the same way (more sessions, more benefit)
    last = r.sessions[:, -1]
    order = np.argsort(last)
    per_unit = 1 - np.exp(-last[order] / pg.PARAMETERS["saturation_sessions"].value)
    assert np.all(np.diff(per_unit) >= 0)


def test_more_sessions_per_week_give_more_benefit_at_full_adherence():
    few = simulate(Program("fibromyalgia", sessions_per_week=1), full_adherence=True)
    many = simulate(Program("fibromyalgia", sessions_per_week=5), full_adherence=True)
    assert np.all(many.dose_benefit >= few.dose_benefit)
    assert many.mean_benefit() > few.mean_benefit()


# -- intensity and the early response (K8, K9) -------------------------------------------


def test_intensity_changes_the_flare_not_the_benefit_from_sessions():
    low, high = run(intensity="low"), run(intensity="high")
    np.testing.assert_allclose(low.dose_benefit, high.dose_benefit)
    np.testing.assert_array_equal(low.adherence, high.adherence)
    assert high.flare[:, 1].mean() > low.flare[:, 1].mean()
    assert high.late_change.mean() == pytest.approx(low.late_change.mean(), abs=0.02)


def test_some_patients_flare_early_and_it_fades():
    r = simulate(Program("knee_osteoarthritis"), n_patients=2000, seed=0)
    flared = r.flare[:, 1] > 0
    assert 0.35 < flared.mean() < 0.5  # Boyer 2019: 8 of 19
    assert np.all(r.flare[:, 2] <= r.flare[:, 1])
    assert np.all(r.flare[:, 1:] >= 0)
    assert r.flare[:, -1].max() < 0.01 * r.flare[:, 1].max()
    # despite the flares the cohort ends with less pain
    assert r.median_pain()[-1] < 0


@pytest.mark.parametrize("condition", CONDITIONS)
@pytest.mark.parametrize("seed", SEEDS)
def test_early_change_barely_predicts_late_change(condition, seed):
    r = run(condition, seed=seed)
    assert abs(r.early_late_r) < 0.3
    assert r.early_late_r == pytest.approx(np.corrcoef(r.early_change, r.late_change)[0, 1])


def test_early_and_late_change_are_week_1_and_the_final_week():
    r = run(weeks=10)
    np.testing.assert_array_equal(r.early_change, r.pain_change[:, 1])
    np.testing.assert_array_equal(r.late_change, r.pain_change[:, 10])


def test_one_week_programme_has_r_one():
    r = run(weeks=1)
    assert r.early_late_r == 1.0
    assert "r =" not in describe(r)


# -- the result object -----------------------------------------------------------------------


def test_shapes_and_helpers():
    r = run(weeks=12, seed=0)
    assert r.weeks.tolist() == list(range(13))
    assert r.adherence.shape == (200, 12)
    assert r.pain_change.shape == r.dose_benefit.shape == r.flare.shape == (200, 13)
    assert np.all(r.pain_change[:, 0] == 0)
    np.testing.assert_array_equal(r.pain, r.pain_change)
    np.testing.assert_array_equal(r.benefit, -r.pain_change)
    lo, hi = r.band()
    med = r.median_pain()
    assert lo.shape == hi.shape == med.shape == (13,)
    assert np.all(lo <= med) and np.all(med <= hi)
    assert r.mean_adherence().shape == (12,)
    with pytest.raises(ValueError, match="q must be"):
        r.band((0.9, 0.1))


def test_result_arrays_are_read_only():
    r = run()
    with pytest.raises(ValueError):
        r.pain_change[0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.unit = "x"  # type: ignore[misc]


def test_describe_reads_out_adherence_pain_r_and_source():
    r = run("chronic_low_back_pain")
    text = describe(r)
    assert f"{r.mean_adherence()[-1]:.0%}" in text
    assert f"{r.median_pain()[-1]:.2f} SMD" in text
    assert f"r = {r.early_late_r:.2f}" in text
    assert r.target.citation.short in text
    assert "negative = less pain" in text


def test_notes_separate_cited_from_illustrative():
    r = run(supervised=False, adjunct="motivational", intensity="high")
    text = " ".join(r.notes)
    assert "Cited" in text and "Illustrative" in text.title()
    assert "Friedrich" in text
    assert "Hayden" in text


# -- parameters ------------------------------------------------------------------------------


def test_every_parameter_has_unit_basis_and_resolvable_references():
    for name, p in pg.PARAMETERS.items():
        assert p.unit, name
        assert p.basis, name
        for key in p.references:
            studies.cite(key)
        if not p.illustrative and name != "decline_factor.none":
            assert p.references, f"{name} claims to be cited but lists no source"


def test_cited_parameters_match_the_evidence_rows():
    find = {f.record_id: f for f in studies.program_findings()}
    andersen = find["andersen2008b-compliance-decline"]
    assert andersen.value == 54
    rate = np.log(andersen.value / 35) / 26
    assert pg.PARAMETERS["decline_rate.supervised"].value == pytest.approx(rate)
    assert pg.PARAMETERS["flare_probability"].value == pytest.approx(
        find["boyer2019-flare"].value / 100, abs=0.01
    )
    assert find["hayden2005b-supervision"].value == 5.9


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "pattern"),
    [
        ({"weeks": 0}, r"weeks must be a whole number from 1 to 52 weeks; got 0"),
        ({"weeks": 53}, r"weeks .* 1 to 52 weeks"),
        ({"weeks": 2.5}, r"weeks .* 1 to 52 weeks"),
        ({"condition": "gout"}, r"condition must be one of .*knee_osteoarthritis.*'gout'"),
        ({"sessions_per_week": 20}, r"sessions_per_week .* 1 to 7 sessions per week; got 20"),
        ({"sessions_per_week": 0}, r"sessions_per_week .* 1 to 7 sessions per week"),
        ({"intensity": "max"}, r"intensity must be one of low, moderate, high; got 'max'"),
        ({"adjunct": "yoga"}, r"adjunct must be one of none, motivational"),
        ({"supervised": "yes"}, r"supervised must be True"),
    ],
)
def test_bad_programme_raises_naming_parameter_and_range(settings, pattern):
    kw = {"condition": "fibromyalgia", **settings}
    with pytest.raises(ValueError, match=pattern):
        Program(**kw)


def test_bad_simulation_settings_raise():
    with pytest.raises(ValueError, match=r"n_patients .* 2 to 10000 patients"):
        simulate(Program("fibromyalgia"), n_patients=1)
    with pytest.raises(ValueError, match="seed"):
        simulate(Program("fibromyalgia"), seed=-1)
    with pytest.raises(TypeError, match="Program"):
        simulate("fibromyalgia")  # type: ignore[arg-type]


def test_whole_number_floats_are_accepted():
    p = Program("fibromyalgia", weeks=12.0, sessions_per_week=np.int64(3))
    assert p.weeks == 12 and isinstance(p.weeks, int)
    assert p.prescribed_sessions == 36
