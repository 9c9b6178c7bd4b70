"""How exercise might relieve pain: the opioid and non-opioid mechanisms.

Each :class:`Mechanism` names where along the pain pathway it acts (periphery, spinal cord,
brainstem, cortex, or the blood), the key points it backs (K13-K18) and the evidence
records behind it (:func:`painlab.studies.mechanism_findings`).

:func:`engagement` says, for one bout, how strongly each mechanism is plausibly engaged on a
0..1 scale. These numbers are **illustrative**: the evidence documents *directions* and
*thresholds* (for example, plasma β-endorphin rises only above about 70% VO2max held for
15 min or more; large-afferent input is strongest at the working muscle), not a common
scale. Each curve's shape follows the cited thresholds; where the evidence is silent the
engagement is 0 and :func:`explain` says that nothing was measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from painlab import studies
from painlab.bouts import DEFAULT_MUSCLE, Bout, endurance_time

__all__ = ["MECHANISMS", "Mechanism", "engagement", "evidence", "explain"]


@dataclass(frozen=True)
class Mechanism:
    """One candidate mechanism of exercise-induced hypoalgesia."""

    name: str
    label: str
    family: str  # "opioid" or "non-opioid"
    stage: str  # "periphery", "spinal cord", "brainstem", "cortex", "blood"
    claims: tuple[str, ...]
    topics: tuple[str, ...]
    summary: str


#: The mechanisms painlab teaches, in pathway order.
MECHANISMS: dict[str, Mechanism] = {
    m.name: m
    for m in (
        Mechanism(
            "plasma_beta_endorphin",
            "Circulating β-endorphin",
            "opioid",
            "blood",
            ("K13", "K14"),
            ("beta_endorphin", "beta_endorphin_pain_correlation"),
            "Hard or long aerobic exercise raises β-endorphin in the blood. Yet in the few studies "
            "that also measured pain, the rise did not track the change in pain.",
        ),
        Mechanism(
            "central_opioid",
            "Brain and brainstem opioids",
            "opioid",
            "brainstem",
            ("K13",),
            ("central_opioid",),
            "Opioids released inside the brain and brainstem. Brain scans after long runs show "
            "opioid release, but blocking opioids with naloxone does not always remove the relief.",
        ),
        Mechanism(
            "cross_tolerance",
            "Opioid cross-tolerance (long-term)",
            "opioid",
            "brainstem",
            ("K15",),
            ("cross_tolerance",),
            "In rats, weeks of voluntary wheel running make morphine-like drugs work less well. "
            "This is a sign that exercise keeps the body's own opioid system busy. One bout "
            "does not do this.",
        ),
        Mechanism(
            "gate_control",
            "Large-afferent gate (spinal)",
            "non-opioid",
            "spinal cord",
            ("K17",),
            ("gate_control",),
            "Working muscles and moving skin fire large, fast nerve fibres. In the spinal cord "
            "this input can damp down pain signals. The effect is strongest near the working "
            "muscle.",
        ),
        Mechanism(
            "descending_inhibition",
            "Motor cortex → descending inhibition",
            "non-opioid",
            "cortex",
            ("K18",),
            ("descending_inhibition",),
            "The effort of driving muscles activates the motor cortex. That may switch on "
            "brainstem pathways that inhibit pain throughout the body.",
        ),
        Mechanism(
            "biopsychosocial",
            "Mood, expectation, context",
            "non-opioid",
            "cortex",
            ("K16",),
            ("biopsychosocial",),
            "What people expect, how they feel and the people around them all shape how pain "
            "is reported after exercise.",
        ),
    )
}

# Thresholds read from the evidence (citation keys in brackets).
_BEP_INTENSITY = 70.0  # % VO2max: no rise at 60%, rise at 70% [goldfarb1990, goldfarb1991]
_BEP_MINUTES = 15.0  # min at 70% before a rise [goldfarb1990]
_BEP_LONG_MINUTES = (
    60.0  # steady moderate exercise: about 1 h before a rise [schwarz1992, schwarz1989]
)
_CENTRAL_MINUTES = 120.0  # PET opioid release shown after 2 h of running [boecker2008]


def _logistic(x, mid, width):
    return 1.0 / (1.0 + np.exp(-(x - mid) / width))


def engagement(bout: Bout, population: str = "healthy") -> dict[str, float]:
    """How strongly one bout plausibly engages each mechanism, 0..1 (illustrative).

    Parameters
    ----------
    bout : Bout
    population : str
        Accepted for symmetry with :func:`painlab.predict`; engagement describes the
        stimulus, which is the same in every population.

    Returns
    -------
    dict
        Mechanism name -> engagement 0..1, one entry per :data:`MECHANISMS` item.

    Notes
    -----
    - β-endorphin: aerobic exercise only (no other kind was measured in the evidence base).
      A logistic in intensity around 70% VO2max reaching half at 15 min [goldfarb1990],
      or long moderate exercise approaching 60 min [schwarz1992].
    - Central opioids: aerobic, grows with duration up to the 2-h runs of [boecker2008].
    - Cross-tolerance: 0 for any single bout (weeks of running in [smith2003]).
    - Gate control: muscle activity, i.e. relative intensity [melzack1965, kosek1995].
    - Descending inhibition: central motor drive, i.e. relative intensity, plus the rise in
      drive as an isometric hold fatigues [vaegter2014, garcialarrea1999].
    - Biopsychosocial: any bout, a constant 0.5; in reality it depends on expectations
      and context, not dose [brellenthin2017, jones2017].
    """
    i, t = bout.intensity, bout.minutes
    out = dict.fromkeys(MECHANISMS, 0.0)
    if bout.kind == "aerobic":
        hard = _logistic(i, _BEP_INTENSITY, 3.0) * (t / (t + _BEP_MINUTES))
        long_moderate = _logistic(i, 55.0, 3.0) * _logistic(t, _BEP_LONG_MINUTES, 8.0)
        out["plasma_beta_endorphin"] = float(min(1.0, max(hard, long_moderate) * 1.3))
        out["central_opioid"] = float(_logistic(i, 55.0, 5.0) * min(1.0, t / _CENTRAL_MINUTES))
    out["gate_control"] = float(i / 100.0)
    drive = i / 100.0
    if bout.kind == "isometric":
        # the bout's own muscle sets the endurance time (the handgrip curve is a default)
        fatigue = min(1.0, t / float(endurance_time(i, bout.muscle or DEFAULT_MUSCLE)))
        drive = min(1.0, drive + 0.5 * fatigue * (1 - drive))
    out["descending_inhibition"] = float(drive)
    out["biopsychosocial"] = 0.5
    return out


def explain(name: str, bout: Bout) -> str:
    """One sentence on why this bout engages mechanism ``name`` as much as it does."""
    if name not in MECHANISMS:
        raise ValueError(f"mechanism must be one of {', '.join(MECHANISMS)}; got {name!r}")
    e = engagement(bout)[name]
    i, t = bout.intensity, bout.minutes
    if name == "plasma_beta_endorphin":
        if bout.kind != "aerobic":
            return "Not measured for this kind of exercise in painlab's evidence; shown as 0."
        if e < 0.3:
            return f"{i:g}% VO2max for {t:g} min is below the ~70% for 15 min that raised blood β-endorphin."
        return f"{i:g}% VO2max for {t:g} min is in the range that raised blood β-endorphin."
    if name == "central_opioid":
        if bout.kind != "aerobic":
            return "Brain opioid release was measured after long runs, not this kind of exercise; shown as 0."
        return f"Grows with aerobic duration; brain scans showed release after 2 h of running (now {t:g} min)."
    if name == "cross_tolerance":
        return "Needs weeks of regular exercise (animal studies); a single bout does not engage it."
    if name == "gate_control":
        return f"Muscle activity at {i:g}% of maximum feeds large afferents, strongest at the working limb."
    if name == "descending_inhibition":
        return "Central motor drive grows with effort (and with fatigue during a hold)."
    return "Depends on expectations, mood and context more than on the dose."


def evidence(name: str) -> studies.Records:
    """The cited findings behind mechanism ``name``."""
    if name not in MECHANISMS:
        raise ValueError(f"mechanism must be one of {', '.join(MECHANISMS)}; got {name!r}")
    recs: list[studies.Finding] = []
    for topic in MECHANISMS[name].topics:
        recs.extend(studies.mechanism_findings(topic=topic))
    return studies.Records(recs)
