"""Hypothesis strategies shared by the property tests."""

from hypothesis import strategies as st

from painlab.bouts import KINDS, LIMITS, Bout, endurance_time


@st.composite
def bouts(draw) -> Bout:
    """Any valid bout: every kind, intensity and duration in range, or a hold to failure."""
    kind = draw(st.sampled_from(KINDS))
    lo, hi = LIMITS[kind]["intensity"]
    pct = draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False))
    dlo, dhi = LIMITS[kind]["duration"]
    if kind == "isometric":
        if draw(st.booleans()):
            return Bout(kind, pct, to_failure=True)
        dhi = min(dhi, endurance_time(pct))
    return Bout(kind, pct, draw(st.floats(dlo, dhi, allow_nan=False, allow_infinity=False)))
