"""The lessons' clinical messages as invariants, for every population (issue 12, items 5-6).

Each property below is a statement a lesson makes to students, or a rule the evidence
base supports, checked over every population in :data:`painlab.hypoalgesia.POPULATIONS`:

- a longer isometric hold at the same intensity and muscle never eases hyperalgesia
  (Kosek 1996: 22% MVC to exhaustion lowered thresholds in fibromyalgia; lessons 02 and
  05 tell students to stop before failure);
- no site shows more hyperalgesia than the exercising limb (no cited study places a
  larger sensitisation away from the exercising limb);
- in fibromyalgia a harder aerobic bout is never kinder than a moderate one (Vierck 2001:
  exhaustive exercise increased pain; Newcomb 2011, Ellingson 2016: moderate eased it);
- the plausible range contains the model's value, and is no narrower where the sizes are
  illustrative than for healthy adults;
- every documented isometric protocol can be built as a Bout;
- "was a close dose tested?" counts only studies of the same population;
- model assumptions are never ticked;
- one regression test per cited clinical arm, and agreement floors per population.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from strategies import bouts, delays, populations

from painlab import hypoalgesia, studies
from painlab.bouts import LIMITS, MUSCLE_LABELS, MUSCLES, Bout, endurance_time
from painlab.hypoalgesia import (
    POPULATIONS,
    agreement_summary,
    agreement_table,
    arm_bout,
    effect_grid,
    predict,
)

SITES = ("exercising", "contralateral", "distant")
CLINICAL = settings(max_examples=60, deadline=None)
EPS = 1e-9
#: [d] below the readout's second decimal: a median over posterior draws is not exactly
#: monotone in intensity, so order properties allow what two decimals hide
VISIBLE = 0.005

muscles = st.sampled_from(MUSCLES)
iso_intensities = st.floats(*LIMITS["isometric"]["intensity"], allow_nan=False)
vigorous = st.floats(64, 100, allow_nan=False)  # ACSM: vigorous = 64-90%+ VO2max
aerobic_minutes = st.floats(*LIMITS["aerobic"]["duration"], allow_nan=False)


def _evidence(response):
    (line,) = [r for r in response.reasons if r.kind == "evidence"]
    return line


# -- a longer hold never eases hyperalgesia ----------------------------------------------------


@CLINICAL
@given(
    population=populations,
    muscle=muscles,
    intensity=iso_intensities,
    a=st.floats(0, 1, allow_nan=False),
    b=st.floats(0, 1, allow_nan=False),
    minutes=delays,
)
@example(  # issue 12: in fibromyalgia, short 22% MVC holds vs held to failure
    population="fibromyalgia", muscle="knee", intensity=22.0, a=0.0, b=0.165, minutes=0.0
)
def test_longer_hold_never_eases_hyperalgesia(population, muscle, intensity, a, b, minutes):
    et = endurance_time(intensity, muscle)
    lo, hi = LIMITS["isometric"]["duration"][0], min(LIMITS["isometric"]["duration"][1], et)
    t1, t2 = sorted(lo + f * (hi - lo) for f in (a, b))
    holds = [
        predict(Bout("isometric", intensity, t1, muscle=muscle), population),
        predict(Bout("isometric", intensity, t2, muscle=muscle), population),
        predict(Bout("isometric", intensity, to_failure=True, muscle=muscle), population),
    ]
    for site in SITES:
        d = [r.at(site, minutes) for r in holds]
        for shorter in range(len(d)):
            for longer in range(shorter + 1, len(d)):
                if d[shorter] <= 0:
                    assert d[longer] <= d[shorter] + EPS, (site, t1, t2, d)


@pytest.mark.parametrize("population", POPULATIONS)
@pytest.mark.parametrize(("intensity", "short"), [(22, 1.0), (80, 0.1)])
def test_issue_examples_holding_to_failure_is_not_kinder(population, intensity, short):
    # Issue 12: in fibromyalgia 22% MVC to failure gave d = +0.08 while 1 min gave -0.20,
    # and a 6-s squeeze at 80% MVC gave -0.77 while holding it to failure gave -0.50.
    brief = predict(Bout("isometric", intensity, short), population).effect_size
    failure = predict(Bout("isometric", intensity, to_failure=True), population).effect_size
    if brief <= 0:
        assert failure <= brief + EPS
    if population == "fibromyalgia":
        assert failure < 0


# -- no site more sensitised than the exercising limb ------------------------------------------


@CLINICAL
@given(bout=bouts(), population=populations, minutes=delays)
def test_no_site_shows_more_hyperalgesia_than_the_exercising_limb(bout, population, minutes):
    # No cited study in the evidence base places a larger sensitisation away from the
    # exercising limb (the lead's decision for the model; issue 12 found -0.62 distant
    # against -0.50 at the exercising limb in the old model).
    r = predict(bout, population)
    ex = r.at("exercising", minutes)
    ex_low = r.range("exercising", minutes)[0]
    for site in ("contralateral", "distant"):
        if ex < 0:
            assert r.at(site, minutes) >= ex - EPS, (site, ex)
        if ex_low < 0:
            assert r.range(site, minutes)[0] >= ex_low - EPS, (site, ex_low)


# -- fibromyalgia: harder aerobic exercise is never kinder -------------------------------------


@CLINICAL
@given(minutes=aerobic_minutes, i1=vigorous, i2=vigorous)
@example(minutes=20.0, i1=64.0, i2=100.0)
@example(minutes=120.0, i1=64.0, i2=64.5)
def test_fibromyalgia_vigorous_aerobic_is_never_kinder_than_moderate(minutes, i1, i2):
    # ACSM classes 64% VO2max and above as vigorous; 60% is the moderate reference.
    def d(i):
        return predict(Bout("aerobic", i, minutes), "fibromyalgia").at("exercising")

    moderate = d(60.0)
    lo, hi = sorted((i1, i2))
    assert d(lo) <= moderate + VISIBLE, (lo, d(lo), moderate)
    assert d(hi) <= moderate + VISIBLE, (hi, d(hi), moderate)
    assert d(hi) <= d(lo) + VISIBLE, (lo, hi, d(lo), d(hi))


@pytest.mark.parametrize("minutes", [5, 11.5, 20, 30, 60, 120])
def test_fibromyalgia_aerobic_is_non_increasing_from_64_to_100_on_a_grid(minutes):
    intensities = [64 + k for k in range(37)]
    grid = effect_grid("aerobic", "fibromyalgia", intensities, [minutes])[0]
    # a median over posterior draws is not exactly monotone: allow what 2 decimals hide
    assert all(b <= a + VISIBLE for a, b in itertools.pairwise(grid)), grid
    moderate = predict(Bout("aerobic", 60, minutes), "fibromyalgia").effect_size
    assert (grid <= moderate + VISIBLE).all()


# -- plausible range ---------------------------------------------------------------------------


@CLINICAL
@given(bout=bouts(), population=populations, minutes=delays)
def test_plausible_range_contains_the_value(bout, population, minutes):
    r = predict(bout, population)
    for site in SITES:
        lo, hi = r.range(site, minutes)
        assert lo <= hi
        assert lo - EPS <= r.at(site, minutes) <= hi + EPS, (site, lo, r.at(site, minutes), hi)
        band_lo, band_hi = r.band(site, [0.0, minutes])
        assert band_lo[1] == pytest.approx(lo) and band_hi[1] == pytest.approx(hi)


# The clinical band's width and the populations' sizes are now fitted: see
# tests/test_fitted_model.py for their properties.


# -- every documented isometric protocol can be built ------------------------------------------


def _documented_holds():
    return [
        a
        for a in studies.arms(kind="isometric")
        if a.intensity is not None and (a.duration_min or a.to_failure)
    ]


def test_every_documented_isometric_protocol_is_a_bout():
    holds = _documented_holds()
    assert len({a.arm_id for a in holds}) >= 10
    refused = [a.arm_id for a in holds if arm_bout(a) is None]
    assert not refused, refused
    for a in holds:
        b = arm_bout(a)
        assert b.muscle == a.muscle, a.arm_id
        if a.to_failure:
            assert b.minutes == pytest.approx(endurance_time(a.intensity, a.muscle))
        else:
            assert b.minutes == pytest.approx(a.duration_min)


def test_koltyn_umeda_handgrip_is_accepted_with_the_default_muscle():
    # Koltyn & Umeda 2007: 40-50% MVC handgrip for 2 min, refused by the pooled curve.
    r = predict(Bout("isometric", 45, 2))
    assert r.bout.muscle == "grip"
    assert r.fatigue < 1


# -- "was a close dose tested?" respects the population ---------------------------------------


def test_healthy_studies_do_not_count_for_fibromyalgia():
    bout = Bout("aerobic", 75, 30)
    assert hypoalgesia.tested_nearby(bout, "healthy"), "Hoffman 2004 and others tested this dose"
    assert hypoalgesia.tested_nearby(bout, "fibromyalgia") == []
    line = _evidence(predict(bout, "fibromyalgia"))
    assert line.met is False
    assert line.interpolated is True
    assert not str(line).startswith("✓")
    assert "healthy" in line.text  # says where a close dose WAS tested


def test_kosek_1996_is_the_evidence_for_a_fibromyalgia_knee_hold_to_failure():
    bout = Bout("isometric", 22, to_failure=True, muscle="knee")
    line = _evidence(predict(bout, "fibromyalgia"))
    assert line.met is True and line.interpolated is False
    assert "kosek1996" in line.references
    assert studies.cite("kosek1996").short in line.text
    assert any(
        a.citation.key == "kosek1996" for a in hypoalgesia.tested_nearby(bout, "fibromyalgia")
    )
    # ... and healthy-adult arms of the same study are not listed for fibromyalgia
    assert all(
        a.population == "fibromyalgia" for a in hypoalgesia.tested_nearby(bout, "fibromyalgia")
    )
    # the site filter: Kosek measured at the exercising quadriceps, not at a distant site
    assert any(
        a.citation.key == "kosek1996"
        for a in hypoalgesia.tested_nearby(bout, "fibromyalgia", "exercising")
    )
    assert not any(
        a.citation.key == "kosek1996"
        for a in hypoalgesia.tested_nearby(bout, "fibromyalgia", "distant")
    )


@CLINICAL
@given(bout=bouts(), population=populations)
def test_tested_mask_agrees_with_tested_nearby(bout, population):
    # The dose map's "tested here" mask and the readout's evidence line use one rule.
    muscle = bout.muscle or "grip"
    mask = hypoalgesia.tested_mask(
        bout.kind, population, [bout.intensity], [bout.minutes], muscle=muscle
    )
    assert bool(mask[0, 0]) == bool(hypoalgesia.tested_nearby(bout, population))
    assert _evidence(predict(bout, population)).met == bool(
        hypoalgesia.tested_nearby(bout, population)
    )


# -- assumptions are never ticked --------------------------------------------------------------


@CLINICAL
@given(bout=bouts(), population=populations)
def test_assumptions_are_never_ticked_and_conditions_cite_sources(bout, population):
    r = predict(bout, population)
    for reason in r.reasons:
        text = str(reason)
        if reason.kind == "assumption":
            assert text.startswith("≈"), text
            assert "✓" not in text and "✗" not in text
        elif reason.kind == "condition":
            assert reason.references, text
            assert text.startswith("✓" if reason.met else "✗"), text
        else:
            assert not text.startswith(("✓", "✗")), text
    assert sum(reason.kind == "evidence" for reason in r.reasons) == 1


# -- bad input ---------------------------------------------------------------------------------


def test_unknown_muscle_names_the_valid_ones_and_suggests():
    with pytest.raises(ValueError) as exc:
        Bout("isometric", 25, 1, muscle="knees")
    msg = str(exc.value)
    assert "muscle" in msg and "'knees'" in msg
    for m in MUSCLES:
        assert repr(m) in msg
    assert "Did you mean 'knee'?" in msg


@pytest.mark.parametrize(
    "call",
    [
        lambda: effect_grid("isometric", "healthy", [25], [1], muscle="knees"),
        lambda: hypoalgesia.tested_mask("isometric", "healthy", [25], [1], muscle="knees"),
        lambda: endurance_time(25, "knees"),
    ],
)
def test_unknown_muscle_is_refused_everywhere(call):
    with pytest.raises(ValueError, match=r"muscle must be one of .*Did you mean 'knee'\?"):
        call()


@pytest.mark.parametrize("muscle", MUSCLES)
def test_hold_beyond_endurance_names_the_muscle_and_the_time(muscle):
    et = endurance_time(40, muscle)
    with pytest.raises(ValueError) as exc:
        Bout("isometric", 40, et * 2.05, muscle=muscle)
    msg = str(exc.value)
    assert MUSCLE_LABELS[muscle].lower() in msg
    assert f"{et:.2f} min" in msg
    assert "endurance time" in msg and "duration" in msg


@pytest.mark.parametrize("kind", ["aerobic", "dynamic_resistance"])
def test_muscle_for_non_isometric_exercise_is_refused(kind):
    with pytest.raises(ValueError, match="muscle applies to isometric holds only"):
        Bout(kind, 60, 20, muscle="knee")


# -- one regression test per cited clinical arm ------------------------------------------------

TABLE = agreement_table()
CLINICAL_ROWS = TABLE[TABLE["population"] != "healthy"]

#: Clinical comparisons whose documented outcome lies outside the model's plausible range,
#: each with the reason from the literature. Keyed (arm_id, site, minutes after). Built by
#: running agreement_table() on the model of commit 6557340; a row that comes back into
#: range must be removed from here (the per-row test fails until it is).
KNOWN_DISAGREEMENTS: dict[tuple[str, str, float], str] = {
    # none since the fitted model (issue 22): its 80% ranges carry the between-study spread
    # and the fitted half-life's range (about 9 to 30 min), which cover Staud 2005 (measured
    # during the handgrip) and Hoffman 2005's CLBP relief 32 min after cycling
}


def _key(row) -> tuple[str, str, float]:
    return (row["arm_id"], row["site"], float(row["minutes_after"]))


@pytest.mark.parametrize(
    "row",
    [row for _, row in CLINICAL_ROWS.iterrows()],
    ids=[
        f"{r['arm_id']}@{r['site']}+{r['minutes_after']:g}min[{i}]"
        for i, (_, r) in enumerate(CLINICAL_ROWS.iterrows())
    ],
)
def test_documented_clinical_outcome_is_within_the_plausible_range(row):
    if _key(row) in KNOWN_DISAGREEMENTS:
        # a known disagreement must still be one: if the model now covers it, remove it
        assert not row["in_range"], f"now in range, remove from KNOWN_DISAGREEMENTS: {_key(row)}"
        return
    assert row["in_range"], (
        f"{row['study']} ({row['dose']}, {row['population']}, {row['site']}, "
        f"{row['minutes_after']:g} min after) found {row['documented']}; the model's "
        f"plausible range is d = {row['low']:+.2f} to {row['high']:+.2f}"
    )


def test_clinical_arms_are_covered():
    # at least the clinical arms with a placeable dose and a stated site when this test was
    # written: Lemley 2014 (older), Hoffman 2005 (CLBP), Kosek 1996 and Staud 2005 (FM)
    assert {"older", "chronic_low_back_pain", "fibromyalgia"} <= set(CLINICAL_ROWS["population"])
    assert {"lemley2014", "hoffman2005", "kosek1996", "staud2005"} <= {
        a.split("-")[0] for a in CLINICAL_ROWS["arm_id"]
    }


def test_known_disagreements_are_still_comparisons():
    keys = {_key(r) for _, r in CLINICAL_ROWS.iterrows()}
    for key, why in KNOWN_DISAGREEMENTS.items():
        assert key in keys, f"stale entry (no such comparison any more): {key}"
        assert why.strip()


# -- agreement floors per population -----------------------------------------------------------

#: Measured on commit 6557340 with agreement_summary():
#:   healthy                n = 43  strict 0.698  plausible 0.860
#:   older                  n =  4  strict 0.500  plausible 1.000
#:   chronic_low_back_pain  n =  2  strict 0.500  plausible 0.500  (too few for a floor)
#:   fibromyalgia           n =  7  strict 0.286  plausible 0.429
#: Clinical floors are the measured plausible agreement minus 0.05, so a regression shows.
PLAUSIBLE_FLOORS = {"older": 1.000 - 0.05, "fibromyalgia": 0.429 - 0.05}


@pytest.fixture(scope="module")
def summary():
    return agreement_summary()


def test_healthy_agreement_floors(summary):
    healthy = summary.loc["healthy"]
    assert healthy["strict"] >= 0.6
    assert healthy["plausible"] >= 0.8


def test_clinical_plausible_agreement_floors(summary):
    for population, row in summary.iterrows():
        if population == "healthy" or row["n"] < 3:
            continue
        assert population in PLAUSIBLE_FLOORS, (
            f"{population} now has {row['n']} comparisons: record its floor"
        )
        assert row["plausible"] >= PLAUSIBLE_FLOORS[population], (population, row.to_dict())


def test_summary_matches_the_table(summary):
    for population, row in summary.iterrows():
        rows = TABLE[TABLE["population"] == population]
        assert row["n"] == len(rows)
        assert row["strict"] == pytest.approx(rows["agrees"].mean())
        assert row["plausible"] == pytest.approx(rows["consistent"].mean())
