"""Hypothesis strategies shared by the property tests."""

from hypothesis import strategies as st

from painlab.bouts import KINDS, LIMITS, MUSCLES, Bout, endurance_time
from painlab.hypoalgesia import POPULATIONS

#: Every population the acute model covers.
populations = st.sampled_from(POPULATIONS)
#: Minutes after the bout, 0 to 2 hours.
delays = st.floats(0, 120, allow_nan=False, allow_infinity=False)


@st.composite
def isometric_holds(draw, intensity=None, muscle=None) -> Bout:
    """Any valid isometric hold: every muscle group, intensity and duration in range, or a
    hold to task failure. ``intensity`` and ``muscle`` may be fixed by the caller."""
    lo, hi = LIMITS["isometric"]["intensity"]
    pct = intensity if intensity is not None else draw(st.floats(lo, hi, allow_nan=False))
    muscle = muscle if muscle is not None else draw(st.sampled_from(MUSCLES))
    if draw(st.booleans()):
        return Bout("isometric", pct, to_failure=True, muscle=muscle)
    dlo, dhi = LIMITS["isometric"]["duration"]
    dhi = min(dhi, endurance_time(pct, muscle))
    return Bout("isometric", pct, draw(st.floats(dlo, dhi, allow_nan=False)), muscle=muscle)


@st.composite
def bouts(draw) -> Bout:
    """Any valid bout: every kind, intensity and duration in range, every muscle group for
    isometric holds, or a hold to failure."""
    kind = draw(st.sampled_from(KINDS))
    if kind == "isometric":
        return draw(isometric_holds())
    lo, hi = LIMITS[kind]["intensity"]
    pct = draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False))
    dlo, dhi = LIMITS[kind]["duration"]
    return Bout(kind, pct, draw(st.floats(dlo, dhi, allow_nan=False, allow_infinity=False)))
