"""The model against the evidence: the dose of each study arm, which arms were tested
near a dose, and the agreement table (which arms the model and its range reproduce)."""

from __future__ import annotations

import difflib
import functools

import numpy as np

from painlab import studies
from painlab.bouts import (
    DEFAULT_MUSCLE,
    ENDURANCE_CURVES,
    KINDS,
    LIMITS,
    Bout,
    check_muscle,
)
from painlab.hypoalgesia.model import _check_kind, predict
from painlab.hypoalgesia.parameters import HYPOALGESIA_THRESHOLD, POPULATIONS
from painlab.hypoalgesia.response import _check_population, _check_site, _classify

# --------------------------------------------------------------------------- evidence


def arm_bout(arm: studies.Arm) -> Bout | None:
    """The dose of a study arm as a :class:`Bout`, or ``None`` when it cannot be placed.

    ``None`` when the arm's intensity or duration was not reported, or the dose lies
    outside the model's valid range. An isometric hold "to task failure" becomes a hold of
    the endurance time of the arm's muscle group. Used wherever evidence meets the model:
    the agreement table, the "was a close dose tested?" reason, the dose-map markers and
    the lecturer's presets.
    """
    if arm.intensity is None:
        return None
    muscle = (arm.muscle or DEFAULT_MUSCLE) if arm.kind == "isometric" else None
    try:
        if arm.to_failure and arm.kind == "isometric":
            return Bout("isometric", arm.intensity, to_failure=True, muscle=muscle)
        if arm.duration_min is None:
            return None
        return Bout(arm.kind, arm.intensity, arm.duration_min, muscle=muscle)
    except ValueError:
        return None


@functools.cache
def _placed(kind: str, population: str) -> tuple[tuple[studies.Arm, Bout], ...]:
    """Every arm of a kind and population with its dose as a Bout (cached)."""
    out = []
    for arm in studies.arms(kind=kind, population=population):
        b = arm_bout(arm)
        if b is not None:
            out.append((arm, b))
    return tuple(out)


def _close(a: Bout, b: Bout) -> bool:
    """Within 10 intensity units and half the longer duration (share of the endurance
    time within 0.25 for isometric holds)."""
    if abs(a.intensity - b.intensity) > 10:
        return False
    if a.kind == "isometric":
        xa, xb = a.minutes / (a.endurance or 1.0), b.minutes / (b.endurance or 1.0)
        return abs(xa - xb) <= 0.25
    ta, tb = a.minutes, b.minutes
    return abs(ta - tb) <= 0.5 * max(ta, tb)


def tested_nearby(bout: Bout, population: str, site: str | None = None) -> list[studies.Arm]:
    """Evidence arms of this kind and population that tested a dose close to ``bout``.

    Parameters
    ----------
    bout : Bout
    population : str
        Only arms of this population count: a healthy-adult study says nothing about a
        dose in fibromyalgia.
    site : str, optional
        Only arms measured at this site.

    Returns
    -------
    list of painlab.studies.Arm
        One entry per measurement row (an arm measured at two sites appears twice).
    """
    _check_population(population)
    if site is not None:
        _check_site(site)
    return [
        arm
        for arm, tested in _placed(bout.kind, population)
        if _close(tested, bout) and (site is None or arm.site == site)
    ]


def tested_mask(
    kind: str, population: str, intensities, durations, *, muscle: str = DEFAULT_MUSCLE
) -> np.ndarray:
    """Which cells of an intensity x duration grid a study of this population tested.

    The same closeness rule as :func:`tested_nearby` (10 intensity units; half the longer
    duration, or 0.25 of the endurance time for holds), vectorised for dose maps.

    Returns
    -------
    numpy.ndarray of bool, shape (m, n)
        Rows are durations, columns intensities.
    """
    _check_kind(kind)
    _check_population(population)
    muscle = check_muscle(muscle)
    i = np.asarray(intensities, dtype=float)[None, :]
    t = np.asarray(durations, dtype=float)[:, None]
    out = np.zeros((t.shape[0], i.shape[1]), dtype=bool)
    for _arm, b in _placed(kind, population):
        near_i = np.abs(i - b.intensity) <= 10
        if kind == "isometric":
            share = t / ENDURANCE_CURVES[muscle].minutes(
                np.clip(i, *LIMITS["isometric"]["intensity"])
            )
            near_t = np.abs(share - b.minutes / (b.endurance or 1.0)) <= 0.25
        else:
            near_t = np.abs(t - b.minutes) <= 0.5 * np.maximum(t, b.minutes)
        out |= near_i & near_t
    return out


def _norm_cdf(x: float) -> float:
    from math import erf, sqrt

    return 0.5 * (1.0 + erf(x / sqrt(2.0)))


def outcome_probabilities(d: float, n: int) -> dict[str, float]:
    """Chance that a within-subject study of ``n`` people finds each outcome if the true
    effect is ``d`` (two-sided test at 5%; SE of a within-subject d from Becker 1988)."""
    se = float(np.sqrt(1.0 / n + d**2 / (2.0 * n)))
    hypo = _norm_cdf(d / se - 1.96)
    hyper = _norm_cdf(-d / se - 1.96)
    return {"hypoalgesia": hypo, "hyperalgesia": hyper, "none": 1.0 - hypo - hyper}


#: A documented outcome with at least this chance under the model counts as consistent.
PLAUSIBLE = 0.1


def agreement_table(population: str | None = None):
    """Compare the model with every evidence arm whose dose and site are known.

    For each measurement row (population modelled, intensity and duration or "to failure"
    known, site known), predict ``d`` at that site and delay, classify it (hypoalgesia if
    d >= 0.2, hyperalgesia if d <= -0.2, else none) and compare with what the study found.

    Three columns judge agreement:

    - ``agrees``: the model's class equals the study's conclusion;
    - ``consistent``: the study's conclusion had at least a 10% chance of arising from a
      study of that size if the model were right (small studies often miss real effects),
      or lies within the model's plausible range;
    - ``in_range``: the model's plausible range at that site and time reaches the
      documented outcome's class.

    Parameters
    ----------
    population : str, optional
        One of :data:`POPULATIONS`; all by default.

    Returns
    -------
    pandas.DataFrame
        One row per comparison, with study, dose, site, minutes after, n, documented and
        predicted outcome, predicted d and its range, ``agrees``, ``consistent``,
        ``in_range`` and a ``reason`` for each disagreement.
    """
    import pandas as pd

    if population is not None and population not in POPULATIONS:
        close = difflib.get_close_matches(str(population), POPULATIONS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"population must be None (all) or one of {', '.join(map(repr, POPULATIONS))}; "
            f"got {population!r}.{hint}"
        )
    rows = []
    for pop in (population,) if population else POPULATIONS:
        for kind in KINDS:
            for arm, bout in _placed(kind, pop):
                if not arm.site:
                    continue
                rows.append(_agreement_row(arm, bout))
    columns = [
        "study", "arm_id", "population", "kind", "dose", "site", "minutes_after", "measure",
        "n", "documented", "predicted", "predicted_d", "low", "high", "agrees", "consistent",
        "in_range", "reason", "doi", "pmid",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _agreement_row(arm: studies.Arm, bout: Bout) -> dict:
    minutes = arm.minutes_after if arm.minutes_after is not None and arm.minutes_after > 0 else 0.0
    r = predict(bout, arm.population)
    d = r.at(arm.site, minutes)
    lo, hi = r.range(arm.site, minutes)
    predicted = _classify(d)
    agrees = predicted == arm.outcome
    in_range = {
        "hypoalgesia": hi >= HYPOALGESIA_THRESHOLD,
        "hyperalgesia": lo <= -HYPOALGESIA_THRESHOLD,
        "none": lo < HYPOALGESIA_THRESHOLD and hi > -HYPOALGESIA_THRESHOLD,
    }[arm.outcome]
    consistent = agrees or bool(in_range)
    if arm.n and not consistent:
        consistent = outcome_probabilities(d, arm.n)[arm.outcome] >= PLAUSIBLE
    return {
        "study": arm.citation.short,
        "arm_id": arm.arm_id,
        "population": arm.population,
        "kind": arm.kind,
        "dose": bout.label,
        "site": arm.site,
        "minutes_after": minutes,
        "measure": f"{arm.stimulus} {arm.pain_measure}".strip(),
        "n": arm.n,
        "documented": arm.outcome,
        "predicted": predicted,
        "predicted_d": round(d, 2),
        "low": round(lo, 2),
        "high": round(hi, 2),
        "agrees": agrees,
        "consistent": consistent,
        "in_range": bool(in_range),
        "reason": "" if agrees else _disagreement_reason(arm, d, consistent, bool(in_range)),
        "doi": arm.citation.doi,
        "pmid": arm.citation.pmid,
    }


def agreement_summary():
    """Strict and plausible agreement per population (from :func:`agreement_table`).

    Returns
    -------
    pandas.DataFrame
        One row per population with comparisons (``n``), ``strict`` (share whose class
        matches) and ``plausible`` (share consistent), both 0..1.
    """
    t = agreement_table()
    g = t.groupby("population", sort=False)
    out = g.agg(n=("agrees", "size"), strict=("agrees", "mean"), plausible=("consistent", "mean"))
    return out.reindex([p for p in POPULATIONS if p in out.index])


def _disagreement_reason(arm, d: float, consistent: bool, in_range: bool) -> str:
    same_dose = [
        a
        for a in studies.arms(kind=arm.kind, population=arm.population)
        if a.citation.key != arm.citation.key
        and a.intensity == arm.intensity
        and a.duration_min == arm.duration_min
        and a.to_failure == arm.to_failure
        and a.outcome != arm.outcome
    ]
    if same_dose:
        other = same_dose[0].citation.short
        return f"studies of the same dose disagree ({other} found {same_dose[0].outcome})"
    if in_range:
        return f"within the model's plausible range (d = {d:+.2f}); the evidence allows both"
    if consistent:
        return f"small study (n = {arm.n}): this result is plausible by chance if d = {d:+.2f}"
    if abs(abs(d) - HYPOALGESIA_THRESHOLD) < 0.1:
        return "dose near the model's threshold (d = 0.2); the model interpolates here"
    return "the model follows the majority of studies; this study found otherwise"
