"""Exercise-induced hypoalgesia (EIH) after a single bout: a teaching model.

Given one bout of exercise and a population, :func:`predict` returns the change in pain
sensitivity as a standardised effect size (Cohen's d on pain threshold; positive = less
pain), where in the body (exercising limb, contralateral limb, distant resting muscle), how
it fades over the minutes after exercise, a plausible range around every value, and which
documented conditions of the dose were met.

The model is a small set of smooth curves whose shape follows the documented rules and
whose parameters were read off the studies in :mod:`painlab.studies`. It is a
**teaching model, not a clinical tool**: it interpolates between a few dozen tested doses.

Model
-----
Effect at the exercising limb right after the bout is a relief term minus a
sensitisation term:

.. math::

    d_0 = R - S, \\qquad R = P_{scale} \\cdot D_{max,k} \\cdot S_I(I) \\cdot S_t(t),
    \\qquad S = P_{sens} \\cdot E_k(\\text{bout})

- relief, aerobic: :math:`S_I` is a logistic curve in intensity (midpoint ``I50``, width
  ``w``), :math:`S_t = t^n / (t^n + t_{50}^n)` a saturating curve in duration;
- relief, isometric: :math:`S_I = 1` (high and low intensities both work) and
  :math:`S_t = x^2/(x^2 + \\phi^2)` saturates in the share of the endurance time held,
  :math:`x = t / ET_{muscle}(I)` (joint-specific endurance curves, Frey-Law & Avin 2010);
- relief, dynamic resistance: as aerobic, with its own parameters;
- sensitisation grows with the exposure actually done: for isometric holds
  :math:`E = w_{iso} x^2` (the share of the endurance time, so holding to failure is
  the largest exposure); for aerobic and dynamic exercise
  :math:`E = w_k \\cdot L(I; I_{onset}, 6) \\cdot t/(t + 10)`, a logistic rise above the
  population's onset intensity times a saturating rise with minutes. Only populations in
  which studies found more pain after exercise have :math:`P_{sens} > 0`.

Site: :math:`d_{site} = d_0 \\cdot f_{site}` (the documented spread from the exercising limb
to other sites applies to relief and to sensitisation alike, so no site shows more
hyperalgesia than the exercising limb). Time: :math:`d(m) = d_0 \\cdot 2^{-m/T_{1/2}}`.

Uncertainty
-----------
Every parameter carries a plausible ``low`` and ``high`` (see :class:`Parameter`):

- the healthy relief size spans the point estimates of the meta-analyses (Naugle 2012
  for pain threshold and intensity, Wewege & Jones 2021), relative to the model's value;
- the site factors span the sites Johnsen 2023 measured (contralateral: interpolated);
- the half-life spans the documented time courses (effects present 5 min after, gone
  by 15-30 min);
- population sizes whose value is illustrative have wide ranges.

:meth:`Response.range` combines them: the low edge takes the smallest relief, the largest
sensitisation and the site factor and half-life that make the value lowest; the high
edge the reverse. The band is a statement of what the cited evidence allows, not a
confidence interval.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from painlab import mechanisms, studies, vocabulary
from painlab.bouts import (
    DEFAULT_MUSCLE,
    ENDURANCE_CURVES,
    KINDS,
    LIMITS,
    UNITS,
    Bout,
    check_muscle,
    endurance_time,
)

__all__ = [
    "HYPOALGESIA_THRESHOLD",
    "PARAMETERS",
    "POPULATIONS",
    "Parameter",
    "Reason",
    "Response",
    "agreement_summary",
    "agreement_table",
    "arm_bout",
    "dose_reasons",
    "effect_grid",
    "evidence_reason",
    "lowest_intensity",
    "needed_minutes",
    "predict",
    "range_verdict",
    "tested_mask",
    "tested_nearby",
]

#: Cohen's "small" effect: the smallest d counted as hypoalgesia (Cohen 1988).
HYPOALGESIA_THRESHOLD = 0.2
SITES: tuple[str, ...] = ("exercising", "contralateral", "distant")


@dataclass(frozen=True)
class Parameter:
    """A model parameter, its plausible range, unit and the evidence it was taken from.

    Attributes
    ----------
    value : float
    unit : str
    references : tuple of str
        Citation keys of :mod:`painlab.studies`.
    basis : str
        How the value was read off the references.
    low, high : float
        Plausible range (equal to ``value`` when the value is read directly).
    status : {"read", "fitted", "illustrative"}
        ``read``: a number stated by the source; ``fitted``: chosen so the model
        reproduces documented outcomes; ``illustrative``: the direction is documented but
        the size is a model assumption.
    """

    value: float
    unit: str
    references: tuple[str, ...]
    basis: str
    low: float = float("nan")
    high: float = float("nan")
    status: str = "fitted"

    def __post_init__(self) -> None:
        if np.isnan(self.low):
            object.__setattr__(self, "low", self.value)
        if np.isnan(self.high):
            object.__setattr__(self, "high", self.value)

    @property
    def assumption(self) -> bool:
        """True when the size of this parameter is a model assumption."""
        return self.status == "illustrative"


#: Every parameter of the model, keyed ``(group, name)``. ``references`` are citation
#: keys of :mod:`painlab.studies`; ``basis`` says how the value was read off them.
PARAMETERS: dict[tuple[str, str], Parameter] = {}


def _p(
    group: str,
    name: str,
    value: float,
    unit: str,
    refs: str,
    basis: str,
    low: float | None = None,
    high: float | None = None,
    status: str = "fitted",
) -> None:
    PARAMETERS[(group, name)] = Parameter(
        float(value),
        unit,
        tuple(refs.split()),
        basis,
        float(value if low is None else low),
        float(value if high is None else high),
        status,
    )


#: Populations the model covers (filled by the calibration section at the end).
POPULATIONS: tuple[str, ...] = ()

#: Marks of each kind of reason, for plain text.
REASON_MARKS = {"condition": ("✓", "✗"), "finding": "•", "assumption": "≈", "evidence": "▸"}


@dataclass(frozen=True)
class Reason:
    """One line of the readout's explanation.

    Attributes
    ----------
    met : bool
        For a ``condition``: whether the bout meets it. For ``evidence``: whether a study
        of this population tested a close dose. Not shown for findings and assumptions.
    text : str
    references : tuple of str
        Citation keys.
    interpolated : bool
        True when no study of this population tested a close dose.
    kind : {"condition", "finding", "assumption", "evidence"}
        ``condition``: a documented rule of the dose (shown with ✓ or ✗);
        ``finding``: what studies of this population found (•);
        ``assumption``: a model assumption, never ticked (≈);
        ``evidence``: which studies tested a dose close to this one (▸).
    """

    met: bool
    text: str
    references: tuple[str, ...] = ()
    interpolated: bool = False
    kind: str = "condition"

    @property
    def mark(self) -> str:
        """The symbol shown before the text."""
        if self.kind == "condition":
            return "✓" if self.met else "✗"
        return str(REASON_MARKS[self.kind])

    def __str__(self) -> str:
        prefix = "Model assumption: " if self.kind == "assumption" else ""
        return f"{self.mark} {prefix}{self.text}"


@dataclass(frozen=True)
class Bounds:
    """The plausible range of a response's parts (see the module docstring)."""

    relief: tuple[float, float]
    sensitisation: tuple[float, float]
    site_factors: Mapping[str, tuple[float, float]]
    half_life: tuple[float, float]


@dataclass(frozen=True)
class Response:
    """The predicted response to one bout in one population.

    Attributes
    ----------
    bout : Bout
    population : str
    effect_size : float
        Cohen's d at the exercising limb right after the bout (positive = less pain).
    site_factors : dict
        Site -> fraction of the exercising-limb effect found there.
    relief, sensitisation : float
        The two terms of the effect at the exercising limb (``effect_size = relief -
        sensitisation``) [Cohen's d].
    half_life : float
        Minutes for the effect to halve.
    fatigue : float or None
        Fraction of the isometric endurance time used, 0..1 (``None`` for aerobic and
        dynamic resistance exercise: no documented analogue is modelled).
    reasons : tuple of Reason
        Documented conditions (✓/✗), findings in this population, model assumptions and
        the evidence at this dose.
    mechanisms : dict
        Mechanism name -> engagement 0..1 (see :mod:`painlab.mechanisms`).
    bounds : Bounds
        Plausible ranges of the parts, used by :meth:`range`.
    """

    bout: Bout
    population: str
    effect_size: float
    site_factors: Mapping[str, float]
    relief: float
    sensitisation: float
    half_life: float
    fatigue: float | None
    reasons: tuple[Reason, ...]
    mechanisms: Mapping[str, float] = field(default_factory=dict)
    bounds: Bounds | None = None

    def at(self, site: str, minutes: float = 0.0) -> float:
        """Effect size at a body site ``minutes`` after the bout [Cohen's d].

        Parameters
        ----------
        site : {"exercising", "contralateral", "distant"}
        minutes : float, default 0
            Minutes after the end of exercise, >= 0.
        """
        _check_site(site)
        return float(_decay(self._at0(site), _minutes(minutes), self.half_life))

    def after(self, minutes: float, site: str = "exercising") -> float:
        """Effect size ``minutes`` after the bout ended (exercising limb by default)."""
        return self.at(site, minutes)

    def curve(self, site: str, minutes) -> np.ndarray:
        """Effect size at ``site`` for each of ``minutes`` (array) [Cohen's d]."""
        _check_site(site)
        return _decay(self._at0(site), _minutes(minutes), self.half_life)

    def _at0(self, site: str) -> float:
        return self.effect_size * self.site_factors[site]

    def interval(self, site: str = "exercising", minutes: float = 0.0) -> tuple[float, float]:
        """Plausible range ``(low, high)`` of d at ``site`` ``minutes`` after the bout.

        Combines the plausible ranges of the relief size, the sensitisation size, the
        site factor and the half-life (see the module docstring). It always contains
        :meth:`at`.
        """
        lo, hi = self.band(site, [minutes])
        return float(lo[0]), float(hi[0])

    #: The same as :meth:`interval`.
    range = interval

    def band(self, site: str, minutes) -> tuple[np.ndarray, np.ndarray]:
        """Plausible range of d at ``site`` for each of ``minutes`` (arrays)."""
        _check_site(site)
        m = _minutes(minutes)
        b = self.bounds
        if b is None:  # a hand-built Response: no uncertainty known
            d = self.curve(site, m)
            return d, d
        lo0, hi0 = _site_range(b, site)
        edges = [_decay(v, m, t) for v in (lo0, hi0) for t in b.half_life]
        lo = np.minimum.reduce([*edges, self.curve(site, m)])
        hi = np.maximum.reduce([*edges, self.curve(site, m)])
        return lo, hi

    @property
    def hypoalgesia(self) -> bool:
        """True exactly when the effect at the exercising limb is at least d = 0.2."""
        return self.at("exercising") >= HYPOALGESIA_THRESHOLD

    @property
    def hyperalgesia(self) -> bool:
        """True when pain sensitivity rises by at least d = 0.2 at the exercising limb."""
        return self.at("exercising") <= -HYPOALGESIA_THRESHOLD

    @property
    def outcome(self) -> str:
        """``"hypoalgesia"``, ``"none"`` or ``"hyperalgesia"`` at the exercising limb."""
        return _classify(self.at("exercising"))

    def lasts(self, site: str = "exercising") -> float:
        """Minutes after the bout during which d stays at or above 0.2 (0 if never)."""
        d0 = self._at0(site)
        if d0 < HYPOALGESIA_THRESHOLD:
            return 0.0
        return float(self.half_life * np.log2(d0 / HYPOALGESIA_THRESHOLD))

    @property
    def references(self) -> tuple[str, ...]:
        """Citation keys behind every reason, in order of first use."""
        seen: dict[str, None] = {}
        for r in self.reasons:
            for k in r.references:
                seen.setdefault(k, None)
        return tuple(seen)

    def summary(self) -> str:
        """One plain sentence: the effect at each site and how long it lasts."""
        d = {s: self.at(s) for s in self.site_factors}
        verdict = vocabulary.OUTCOME_WORDS[self.outcome]
        sites = ", ".join(f"{d[s]:+.2f} {vocabulary.site_word(s)}" for s in SITES)
        text = f"{self.bout.label}, {self.population.replace('_', ' ')}: {verdict}. d = {sites}"
        if self.hypoalgesia:
            m = self.lasts()
            text += f"; lasts about {m:.0f} min" if m >= 1 else "; lasts under a minute"
        return text + "."

    def range_text(self) -> str:
        """The plausible range at the exercising limb in words."""
        lo, hi = self.range("exercising")
        return (
            f"Plausible range at the exercising limb: d = {lo:+.2f} to {hi:+.2f} "
            f"({range_verdict(lo, hi)})."
        )


def range_verdict(lo: float, hi: float) -> str:
    """What a plausible range ``lo..hi`` of d allows, in words."""
    if lo >= HYPOALGESIA_THRESHOLD:
        return "less pain across the whole range"
    if hi <= -HYPOALGESIA_THRESHOLD:
        return "more pain across the whole range"
    if hi < HYPOALGESIA_THRESHOLD and lo > -HYPOALGESIA_THRESHOLD:
        return "no meaningful change across the whole range"
    return "the evidence allows more than one outcome here"


def _check_site(site: str) -> None:
    if site not in SITES:
        raise ValueError(f"site must be one of {', '.join(map(repr, SITES))}; got {site!r}")


def _minutes(minutes) -> np.ndarray:
    fast = type(minutes) is float or type(minutes) is int  # the common case, kept fast
    if fast and 0 <= minutes < float("inf"):
        return np.asarray(float(minutes))
    if isinstance(minutes, (bool, np.bool_)) or np.asarray(minutes).dtype == bool:
        raise TypeError(f"minutes must be a number of minutes after the bout; got {minutes!r}")
    try:
        m = np.asarray(minutes, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"minutes must be a number of minutes after the bout, 0 or more; got {minutes!r}"
        ) from None
    if np.any(~np.isfinite(m)) or np.any(m < 0):
        raise ValueError(f"minutes must be 0 or more (minutes after the bout); got {minutes!r}")
    return m


def _site_range(b: Bounds, site: str) -> tuple[float, float]:
    """Plausible (low, high) of d at a site right after the bout."""
    lo, hi = _edges(b.relief, b.sensitisation, b.site_factors[site])
    return float(lo), float(hi)


def _edges(relief, sens, factor):
    """Low and high edge of d = (relief - sensitisation) x site factor, each given as a
    (low, high) pair (scalars or arrays): the smallest relief with the largest
    sensitisation, and the reverse, at whichever site factor makes them more extreme."""
    low_d, high_d = relief[0] - sens[1], relief[1] - sens[0]
    lo = np.minimum(low_d * factor[0], low_d * factor[1])
    hi = np.maximum(high_d * factor[0], high_d * factor[1])
    return lo, hi


def _site_factors(which: str = "value") -> dict[str, float]:
    return {s: _v("site", s, which) for s in SITES}


def _classify(d):
    if d >= HYPOALGESIA_THRESHOLD:
        return "hypoalgesia"
    if d <= -HYPOALGESIA_THRESHOLD:
        return "hyperalgesia"
    return "none"


def _decay(d0, minutes, half_life):
    return d0 * np.power(2.0, -np.asarray(minutes, dtype=float) / half_life)


def _v(group: str, name: str, which: str = "value") -> float:
    return float(getattr(PARAMETERS[(group, name)], which))


def _check_population(population: str) -> None:
    if population not in POPULATIONS:
        import difflib

        close = difflib.get_close_matches(str(population), POPULATIONS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"population must be one of {', '.join(map(repr, POPULATIONS))}; "
            f"got {population!r}.{hint}"
        )


# --------------------------------------------------------------------------- the curves


def _share(intensity, minutes, muscle: str):
    """Share of the isometric endurance time held (0..1)."""
    i = np.clip(np.asarray(intensity, dtype=float), *LIMITS["isometric"]["intensity"])
    return np.asarray(minutes, dtype=float) / ENDURANCE_CURVES[muscle].minutes(i)


def _relief_healthy(kind: str, intensity, minutes, muscle: str = DEFAULT_MUSCLE, i50=None):
    """Relief of young healthy adults at the exercising limb [d] (vectorised)."""
    i = np.asarray(intensity, dtype=float)
    t = np.asarray(minutes, dtype=float)
    if kind == "isometric":
        x = _share(i, t, muscle)
        phi = _v("isometric", "phi")
        return _v("isometric", "d_max") * x**2 / (x**2 + phi**2)
    return _v(kind, "d_max") * _s_intensity(kind, i, i50) * _s_duration(kind, t)


def _s_intensity(kind: str, i, i50=None):
    mid = _v(kind, "I50") if i50 is None else i50
    return 1.0 / (1.0 + np.exp(-(np.asarray(i, dtype=float) - mid) / _v(kind, "width")))


def _s_duration(kind: str, t):
    n, t50 = _v(kind, "hill"), _v(kind, "t50")
    t = np.asarray(t, dtype=float)
    return t**n / (t**n + t50**n)


def _exposure(kind: str, population: str, intensity, minutes, muscle: str = DEFAULT_MUSCLE):
    """Sensitising exposure of a bout (0..1 scale, before the population's size)."""
    i = np.asarray(intensity, dtype=float)
    t = np.asarray(minutes, dtype=float)
    if kind == "isometric":
        return _v("sensitisation", "isometric_weight") * _share(i, t, muscle) ** 2
    onset = _v("population", f"{population}.onset")
    rise = 1.0 / (1.0 + np.exp(-(i - onset) / _v("sensitisation", "onset_width")))
    weight = 1.0 if kind == "aerobic" else _v("sensitisation", "dynamic_weight")
    t_half = _v("sensitisation", "t_half")
    return weight * rise * t / (t + t_half)


def _terms(kind, population, intensity, minutes, muscle=DEFAULT_MUSCLE, which="value"):
    """Relief and sensitisation at the exercising limb for one population.

    ``which`` picks the parameter value (``"value"``) or an edge of its plausible range
    (``"low"`` / ``"high"``) for the size parameters (relief size, population scale,
    sensitisation size).
    """
    i50 = None
    if kind == "aerobic" and ("population", f"{population}.aerobic_I50") in PARAMETERS:
        i50 = _v("population", f"{population}.aerobic_I50")
    size = _v(kind, "d_max", which) / _v(kind, "d_max")
    relief = (
        size
        * _v("population", f"{population}.scale", which)
        * _relief_healthy(kind, intensity, minutes, muscle, i50)
    )
    sens_size = _v("population", f"{population}.sensitisation", which)
    if not sens_size:
        return relief, np.zeros_like(relief)
    return relief, sens_size * _exposure(kind, population, intensity, minutes, muscle)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        import difflib

        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}.{hint}")


def _check_axis(name: str, values, lo: float, hi: float, unit: str) -> np.ndarray:
    """One axis of a grid as a 1-D float array (a scalar counts as one value)."""
    if isinstance(values, (bool, np.bool_)) or np.asarray(values).dtype == bool:
        raise TypeError(f"{name} must be numbers [{unit}], not True/False; got {values!r}")
    try:
        a = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers [{unit}]; got {values!r}") from None
    if a.ndim > 1 or a.size == 0:
        raise ValueError(f"{name} must be a number or a 1-D sequence of numbers; got {values!r}")
    a = np.atleast_1d(a)
    bad = ~np.isfinite(a) | (a < lo) | (a > hi)
    if np.any(bad):
        raise ValueError(f"{name} must be between {lo:g} and {hi:g} {unit}; got {values!r}")
    return a


def effect_grid(
    kind: str,
    population: str,
    intensities,
    durations,
    site: str = "exercising",
    *,
    muscle: str = DEFAULT_MUSCLE,
    edge: str = "value",
):
    """Effect size over an intensity x duration grid (for dose maps), vectorised.

    Parameters
    ----------
    kind : {"aerobic", "isometric", "dynamic_resistance"}
    population : str
        One of :data:`POPULATIONS`.
    intensities : array_like, shape (n,)
        Intensities [% VO2max, % MVC or % 1RM], within the kind's valid range.
    durations : array_like, shape (m,)
        Durations [min], 0 to the kind's longest duration (isometric: the longest possible
        hold of the muscle). For isometric exercise, cells whose duration exceeds the
        muscle's endurance time are ``nan`` (impossible holds). A scalar counts as one value.
    site : str, default "exercising"
    muscle : str, default "grip"
        Isometric only: the muscle group (sets the endurance time).
    edge : {"value", "low", "high"}
        The model's value, or the low or high edge of its plausible range.

    Returns
    -------
    numpy.ndarray, shape (m, n)
        Cohen's d right after the bout; rows are durations, columns intensities.
    """
    _check_kind(kind)
    _check_population(population)
    _check_site(site)
    muscle = check_muscle(muscle)
    if edge not in ("value", "low", "high"):
        raise ValueError(f"edge must be 'value', 'low' or 'high'; got {edge!r}")
    ilo, ihi = LIMITS[kind]["intensity"]
    dhi = LIMITS[kind]["duration"][1]
    if kind == "isometric":  # dose maps run up to the longest possible hold
        dhi = max(dhi, float(ENDURANCE_CURVES[muscle].minutes(ilo)))
    i = _check_axis("intensities", intensities, ilo, ihi, UNITS[kind])[None, :]
    t = _check_axis("durations", durations, 0.0, dhi, "min")[:, None]
    if edge == "value":
        relief, sens = _terms(kind, population, i, t, muscle)
        d = (relief - sens) * _v("site", site)
    else:
        r_lo, s_lo = _terms(kind, population, i, t, muscle, "low")
        r_hi, s_hi = _terms(kind, population, i, t, muscle, "high")
        factor = (_v("site", site, "low"), _v("site", site, "high"))
        lo, hi = _edges((r_lo, r_hi), (s_lo, s_hi), factor)
        d = lo if edge == "low" else hi
    d = np.broadcast_to(d, (t.shape[0], i.shape[1])).copy()
    if kind == "isometric":
        et = ENDURANCE_CURVES[muscle].minutes(i)
        d[np.broadcast_to(t > et * (1 + 1e-9), d.shape)] = np.nan
    return d


def needed_minutes(kind: str, intensity: float, muscle: str = DEFAULT_MUSCLE) -> float:
    """Shortest bout [min] that gives hypoalgesia (d >= 0.2) in healthy adults.

    Parameters
    ----------
    kind : {"aerobic", "isometric", "dynamic_resistance"}
    intensity : float
        In the kind's unit, within its valid range.
    muscle : str, default "grip"
        Isometric only: the muscle group.

    Returns ``inf`` when no duration within the valid range is enough at this intensity.
    Inverts the dose-response curve, so readouts and the model cannot disagree. Raises
    ``ValueError`` for an unknown kind or an intensity outside the kind's :data:`LIMITS`.
    """
    _check_kind(kind)
    lo, hi = LIMITS[kind]["intensity"]
    (intensity,) = _check_axis("intensity", [intensity], lo, hi, UNITS[kind])
    hi = LIMITS[kind]["duration"][1]
    d_max = _v(kind, "d_max")
    if kind == "isometric":
        x = _v("isometric", "phi") * np.sqrt(
            HYPOALGESIA_THRESHOLD / (d_max - HYPOALGESIA_THRESHOLD)
        )
        return float(x * endurance_time(intensity, muscle))
    q = HYPOALGESIA_THRESHOLD / (d_max * float(_s_intensity(kind, intensity)))
    if q >= 1:
        return float("inf")
    t = _v(kind, "t50") * (q / (1 - q)) ** (1 / _v(kind, "hill"))
    return float(t) if t <= hi else float("inf")


@functools.cache
def lowest_intensity(kind: str) -> float:
    """Lowest intensity at which some duration in range gives hypoalgesia (healthy)."""
    _check_kind(kind)
    lo, hi = LIMITS[kind]["intensity"]
    if kind == "isometric":
        return lo
    grid = np.linspace(lo, hi, 801)
    ok = [i for i in grid if np.isfinite(needed_minutes(kind, i))]
    return float(ok[0]) if ok else float("inf")


def predict(bout: Bout, population: str = "healthy") -> Response:
    """Predict the hypoalgesic response to one bout of exercise.

    Parameters
    ----------
    bout : Bout
        The exercise: kind, intensity [% VO2max | % MVC | % 1RM], duration [min] and,
        for isometric holds, the muscle group.
    population : str, default "healthy"
        One of :data:`POPULATIONS` (young healthy adults, older adults, chronic pain
        conditions).

    Returns
    -------
    Response
        ``effect_size`` (Cohen's d at the exercising limb right after the bout),
        ``at(site)``, ``after(minutes)``, ``range(site, minutes)``, ``hypoalgesia``,
        ``fatigue``, ``reasons``, ``mechanisms``.

    Examples
    --------
    >>> import painlab as pl
    >>> pl.predict(pl.Bout("aerobic", intensity=75, duration=30)).hypoalgesia
    True
    >>> pl.predict(pl.Bout("aerobic", intensity=40, duration=30)).hypoalgesia
    False
    """
    if not isinstance(bout, Bout):
        raise TypeError(
            f"bout must be a painlab.Bout, e.g. Bout('aerobic', 75, 30); got {type(bout).__name__}"
        )
    _check_population(population)
    k, i, t = bout.kind, bout.intensity, bout.minutes
    muscle = bout.muscle or DEFAULT_MUSCLE
    relief, sens = (float(x) for x in _terms(k, population, i, t, muscle))
    edges = {w: _terms(k, population, i, t, muscle, w) for w in ("low", "high")}
    bounds = Bounds(
        relief=(float(edges["low"][0]), float(edges["high"][0])),
        sensitisation=(float(edges["low"][1]), float(edges["high"][1])),
        site_factors={s: (_v("site", s, "low"), _v("site", s, "high")) for s in SITES},
        half_life=(_v("time", "half_life", "low"), _v("time", "half_life", "high")),
    )
    fatigue = None
    if k == "isometric":
        fatigue = float(min(1.0, t / endurance_time(i, muscle)))
    d0 = relief - sens
    return Response(
        bout=bout,
        population=population,
        effect_size=d0,
        site_factors=_site_factors(),
        relief=relief,
        sensitisation=sens,
        half_life=_v("time", "half_life"),
        fatigue=fatigue,
        reasons=tuple(_reasons(bout, population, d0, sens)),
        mechanisms=mechanisms.engagement(bout, population),
        bounds=bounds,
    )


# --------------------------------------------------------------------------- the readout


def _refs(*keys: tuple[str, str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for k in keys:
        for r in PARAMETERS[k].references:
            out.setdefault(r, None)
    return tuple(out)


_pop_label = vocabulary.population_label


def _reasons(bout: Bout, population: str, d0: float, sens: float) -> list[Reason]:
    out = dose_reasons(bout)
    out += _population_reasons(bout, population)
    out.append(_evidence_reason(bout, population))
    return out


def dose_reasons(bout: Bout) -> list[Reason]:
    """The readout lines that depend on the dose only (the same in every population):
    the documented conditions read off healthy adults and, for holds, the fatigue finding
    and the onset assumption."""
    k, i, t = bout.kind, bout.intensity, bout.minutes
    unit = UNITS[k]
    muscle = bout.muscle or DEFAULT_MUSCLE
    out: list[Reason] = []
    need = needed_minutes(k, i, muscle)
    who = ""  # conditions are read off healthy adults; the readout's heading says so
    if k in ("aerobic", "dynamic_resistance"):
        i_min = lowest_intensity(k)
        out.append(
            Reason(
                i >= i_min,
                f"Intensity {i:g} {unit} is {'at or above' if i >= i_min else 'below'} the lowest "
                f"intensity that eased pain{who} (about {i_min:.0f} {unit})",
                _refs((k, "I50"), (k, "width")),
            )
        )
        enough = bool(np.isfinite(need) and t >= need)
        need_txt = f"about {need:.1f} min or more" if np.isfinite(need) else "no duration is enough"
        out.append(
            Reason(
                enough,
                f"Duration {t:g} min {'is' if enough else 'is not'} long enough at this intensity"
                f"{who} ({need_txt})",
                _refs((k, "t50"), (k, "hill")),
            )
        )
    else:
        out.append(
            Reason(
                t >= need,
                f"Held {t:.1f} min; at {i:g} % MVC ({bout.muscle_label}) about {need:.1f} min or "
                f"more is needed{who} (lower intensities need longer holds)",
                _refs(("isometric", "phi"), ("endurance", f"{muscle}.b0")),
            )
        )
        et = endurance_time(i, muscle)
        out.append(
            Reason(
                True,
                f"Fatigue used: {t / et:.0%} of the endurance time ({et:.1f} min at this "
                "intensity); in healthy adults, holds stopped well short of failure still eased "
                "pain",
                ("koltyn2007", "umeda2009", "hoegerbement2008"),
                kind="finding",
            )
        )
        out.append(
            Reason(
                True,
                f"hypoalgesia begins at about {need / et:.0%} of the endurance time (follows "
                "from the fitted hold-time parameter, not measured directly)",
                _refs(("isometric", "phi")),
                kind="assumption",
            )
        )
    return out


def _population_reasons(bout: Bout, population: str) -> list[Reason]:
    out: list[Reason] = []
    if population != "healthy":
        key = ("population", f"{population}.scale")
        out.append(
            Reason(
                True,
                f"In {_pop_label(population)}: {PARAMETERS[key].basis}",
                _refs(key, ("population", f"{population}.sensitisation")),
                kind="finding",
            )
        )
        sens_key = ("population", f"{population}.sensitisation")
        text = (
            f"the size of the response in {_pop_label(population)} is illustrative "
            f"(relief x{_v(*key):.2f} of healthy adults"
        )
        if _v(*sens_key) > 0:
            text += (
                "; more pain grows with the exposure actually done: share of the endurance "
                "time for holds, intensity x minutes for other exercise"
            )
        out.append(Reason(True, text + ")", (), kind="assumption"))
    if bout.kind == "aerobic" and ("population", f"{population}.aerobic_I50") in PARAMETERS:
        p = PARAMETERS[("population", f"{population}.aerobic_I50")]
        out.append(Reason(True, p.basis, p.references, kind="assumption"))
    return out


def _evidence_reason(bout: Bout, population: str) -> Reason:
    near = tested_nearby(bout, population)
    others = [] if near else [p for p in POPULATIONS if p != population and tested_nearby(bout, p)]
    return evidence_reason(near, population, others)


def evidence_reason(
    near: list[studies.Arm], population: str, others: list[str] | tuple[str, ...] = ()
) -> Reason:
    """The readout line on the evidence at a dose.

    Parameters
    ----------
    near : list of Arm
        Arms of this population that tested a close dose (:func:`tested_nearby`).
    population : str
    others : sequence of str
        Other populations in which a close dose was tested (named when ``near`` is empty).
    """
    if near:
        seen: dict[str, list[str]] = {}
        keys: dict[str, None] = {}
        for arm in near:
            where = (
                "exercising limb" if arm.site == "exercising" else (arm.site or "site not stated")
            )
            if arm.minutes_after is not None:
                where += f" at {arm.minutes_after:g} min"
            measure = f"{arm.stimulus} {arm.pain_measure}".replace("_", " ").strip()
            item = f"{arm.outcome} ({measure}, {where})"
            if item not in seen.setdefault(arm.citation.short, []):
                seen[arm.citation.short].append(item)
            keys.setdefault(arm.citation.key, None)
        found = "; ".join(f"{s}: {', '.join(v)}" for s, v in seen.items())
        return Reason(
            True,
            f"Tested in {_pop_label(population)} at a close dose: {found}",
            tuple(keys),
            kind="evidence",
        )
    also = f" (a close dose was tested in {', '.join(map(_pop_label, others))})" if others else ""
    return Reason(
        False,
        f"No study of {_pop_label(population)} tested a dose this close: the model "
        f"interpolates here{also}",
        (),
        interpolated=True,
        kind="evidence",
    )


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


# ---------------------------------------------------------------------------- calibration


# Aerobic (% VO2max, min). 50% VO2max for 30 min and 50% HRR for 25 min gave no pressure
# hypoalgesia; 63-75% did. 10 min at 75% was not enough; 15 min was.
_p(
    "aerobic",
    "I50",
    60.0,
    "% VO2max",
    "hoffman2004 naugle2014 gurevich1994 vaegter2015",
    "midpoint between the highest ineffective (50%) and lowest effective (63-70%) intensities",
)
_p(
    "aerobic",
    "width",
    4.0,
    "% VO2max",
    "hoffman2004 naugle2014",
    "steep: the studies find a threshold rather than a gradual rise between 50% and 70%",
)
_p(
    "aerobic",
    "t50",
    13.0,
    "min",
    "hoffman2004 vaegter2015",
    "between the ineffective 10 min (Hoffman 2004) and the effective 15 min (Vaegter 2015) at 75%",
)
_p(
    "aerobic",
    "hill",
    4.0,
    "-",
    "hoffman2004 vaegter2015",
    "steep: 10 min at 75% did nothing (Hoffman 2004) while 15 min worked (Vaegter 2015)",
)
_p(
    "aerobic",
    "d_max",
    0.75,
    "Cohen's d",
    "naugle2012 wewege2021",
    "75% VO2max for 30 min gives d = 0.71, above the pooled d = 0.41 (Naugle 2012) and inside "
    "the pooled 95% CI 0.13 to 1.58 (Wewege 2021); the range spans the meta-analytic point "
    "estimates, d = 0.41 (Naugle 2012, threshold) to g = 0.85 (Wewege 2021)",
    low=0.75 * 0.41 / 0.71,
    high=0.75 * 0.85 / 0.71,
)
# Isometric (% MVC, min): low (21-25% MVC) and high (80%) holds to failure both worked;
# 25% MVC for 2 min did not (Hoeger Bement 2008); 22% to exhaustion still worked 5 min later.
_p(
    "isometric",
    "phi",
    0.7,
    "fraction of endurance time",
    "hoegerbement2008 kosek1996 kosek1995",
    "hold time (as a fraction of the endurance time) giving half the maximal effect, set so "
    "that 25% MVC for 2 min (0.35 of the endurance time) stays below d = 0.2 while holds to "
    "failure give d = 0.6",
)
_p(
    "isometric",
    "d_max",
    0.9,
    "Cohen's d",
    "naugle2012 wewege2021",
    "pooled repeated-measures d = 1.02 (Naugle 2012) against g = 0.16 in RCTs (Wewege 2021): "
    "the model follows the larger body of repeated-measures studies, below its estimate (a hold "
    "to failure gives d = 0.60); the range spans the point estimates, g = 0.16 to d = 1.02",
    low=0.9 * 0.16 / 0.60,
    high=0.9 * 1.02 / 0.60,
)
# Dynamic resistance (% 1RM, min): 3 x 10 at 75% 1RM (~45 min) worked at 5 min, not at 15.
_p(
    "dynamic_resistance",
    "I50",
    50.0,
    "% 1RM",
    "koltyn1998",
    "interpolated: only 75% 1RM was tested with a known load; midpoint set below it",
)
_p("dynamic_resistance", "width", 8.0, "% 1RM", "koltyn1998", "interpolated (one tested load)")
_p("dynamic_resistance", "t50", 10.0, "min", "koltyn1998", "interpolated (one tested duration)")
_p("dynamic_resistance", "hill", 2.0, "-", "koltyn1998", "interpolated (one tested duration)")
_p(
    "dynamic_resistance",
    "d_max",
    0.75,
    "Cohen's d",
    "naugle2012 wewege2021",
    "between pooled d = 0.83 (Naugle 2012) and g = 0.45, CI 0.22-0.69 (Wewege 2021); 75% 1RM "
    "for 45 min gives d = 0.69 and the range spans the two point estimates",
    low=0.75 * 0.45 / 0.685,
    high=0.75 * 0.83 / 0.685,
)
# Sites: Johnsen 2023 measured PPT at the exercising calf (+13.9%), lower back (+10.1%) and
# forearm (+6.0%) after cycling.
_p(
    "site",
    "exercising",
    1.0,
    "fraction of exercising-limb effect",
    "johnsen2023",
    "reference site",
    status="read",
)
_p(
    "site",
    "distant",
    0.58,
    "fraction of exercising-limb effect",
    "johnsen2023 vaegter2014",
    "mean of lower back (10.1/13.9 = 0.73) and forearm (6.0/13.9 = 0.43) relative to the "
    "exercising calf; the range spans the two sites",
    low=0.43,
    high=0.73,
)
_p(
    "site",
    "contralateral",
    0.79,
    "fraction of exercising-limb effect",
    "koltyn2007 staud2005 hoegerbement2008",
    "interpolated: these studies found contralateral hypoalgesia but their abstracts give no "
    "ratio; set midway between the exercising limb (1) and distant muscle (0.58), with a "
    "range spanning both",
    low=0.58,
    high=1.0,
    status="illustrative",
)
#: Deprecated alias: the site factors (read them from :data:`PARAMETERS`).
SITE_FACTORS: dict[str, float] = _site_factors()
# Time course: hypoalgesia present 5 min after and gone by 15 min (Micalos 2016, Koltyn &
# Arbogast 1998) or 30 min (Hoffman 2004); still present 2.5-5 min after a hold (Kosek 1996).
_p(
    "time",
    "half_life",
    10.0,
    "min",
    "micalos2016 koltyn1998 hoffman2004 kosek1996 droste1991",
    "fitted so effects present at 5 min are gone by 15-30 min; the range keeps both ends "
    "(gone by 15 min needs about 6 min, gone by 30 min allows about 15 min)",
    low=6.0,
    high=15.0,
)
# Sensitisation: how exposure is measured (shape assumptions shared by all populations).
_p(
    "sensitisation",
    "isometric_weight",
    0.6,
    "Cohen's d per unit size at task failure",
    "kosek1996 hoegerbement2011",
    "exposure of a hold is the square of the share of the endurance time held, so holding "
    "to failure is the largest exposure; weight set so that fibromyalgia lands between "
    "Kosek 1996 (more pain after holds to exhaustion) and Hoeger Bement 2011 (no change)",
    status="illustrative",
)
_p(
    "sensitisation",
    "dynamic_weight",
    0.6,
    "fraction of the aerobic exposure",
    "burrows2014",
    "no dose-response study of dynamic resistance exercise in sensitised populations was "
    "found; set like isometric exercise",
    status="illustrative",
)
_p(
    "sensitisation",
    "onset_width",
    6.0,
    "% of maximum",
    "vierck2001 newcomb2011",
    "exposure rises steeply above the population's onset intensity (moderate exercise eased "
    "pain in fibromyalgia, exhaustive exercise increased it)",
    status="illustrative",
)
_p(
    "sensitisation",
    "t_half",
    10.0,
    "min",
    "vierck2001",
    "exposure of aerobic and dynamic exercise grows with minutes and is half its ceiling "
    "after 10 min (an 11-12 min bout to exhaustion increased pain in Vierck 2001)",
    status="illustrative",
)
# Populations: relief scale (fraction of the healthy response), sensitisation size and the
# intensity above which aerobic/dynamic exposure grows. Findings are in the basis text.
_POP: dict[str, dict] = {
    "healthy": {
        "scale": (1.0, 1.0, 1.0),
        "sens": (0.0, 0.0, 0.0),
        "onset": 100.0,
        "refs": "naugle2012",
        "basis": "reference population: young healthy adults",
    },
    "older": {
        "scale": (0.5, 0.0, 1.0),
        "sens": (0.0, 0.0, 0.4),
        "onset": 100.0,
        "refs": "naugle2016 lemley2014 ohlman2018",
        "basis": "studies disagree: relief at the opposite hand after elbow-flexor holds "
        "(Lemley 2014), pressure thresholds fell after a 3-min 25% MVC handgrip (Ohlman "
        "2018), smaller EIH than in young adults (Naugle 2016)",
    },
    "knee_osteoarthritis": {
        "scale": (0.6, 0.3, 1.0),
        "sens": (0.0, 0.0, 0.3),
        "onset": 100.0,
        "refs": "burrows2014 kosek2013 toomey2025",
        "basis": "relief after upper-body exercise and quadriceps holds (Burrows 2014, "
        "Kosek 2013, Toomey 2025); no consistent change when the painful leg did "
        "resistance exercise (Burrows 2014)",
    },
    "chronic_low_back_pain": {
        "scale": (0.9, 0.4, 1.2),
        "sens": (0.0, 0.0, 0.3),
        "onset": 100.0,
        "refs": "hoffman2005 meeus2010",
        "basis": "25 min of cycling at 70% VO2peak eased pain at the finger for over 30 min "
        "(Hoffman 2005); submaximal cycling gave a normal response (Meeus 2010)",
    },
    "chronic_neck_pain": {
        "scale": (0.3, 0.0, 0.6),
        "sens": (0.5, 0.25, 1.0),
        "onset": 50.0,
        "refs": "vanoosterwijck2012 grimbyekman2020",
        "basis": "whiplash: pressure thresholds fell at most sites after submaximal and "
        "self-paced cycling (Van Oosterwijck 2012); neck-shoulder pain: more sensitivity in "
        "the painful region after light arm cycling (Grimby-Ekman 2020)",
    },
    "fibromyalgia": {
        "scale": (0.5, 0.2, 1.0),
        "sens": (1.0, 0.4, 1.5),
        "onset": 80.0,
        "refs": "newcomb2011 ellingson2016 vierck2001 kosek1996 staud2005 staud2010 "
        "hoegerbement2011",
        "basis": "moderate or self-paced cycling eased pain (Newcomb 2011, Ellingson 2016); "
        "exercise to exhaustion increased it (Vierck 2001, Kosek 1996; Staud 2005 during a "
        "handgrip), but Staud 2010 found less pressure pain after arm exercise to exhaustion "
        "and Hoeger Bement 2011 no average change; after exercise Ellingson 2016 found heat "
        "pain brought to control levels, so the relief range reaches the healthy response",
    },
    "chronic_fatigue_syndrome": {
        "scale": (0.0, 0.0, 0.3),
        "sens": (0.6, 0.3, 1.0),
        "onset": 50.0,
        "refs": "whiteside2004 meeus2010",
        "basis": "pain thresholds fell after every cycling dose tested (Whiteside 2004, "
        "Meeus 2010)",
    },
}
for _name, _q in _POP.items():
    _status = "read" if _name == "healthy" else "illustrative"
    _p(
        "population",
        f"{_name}.scale",
        _q["scale"][0],
        "fraction of healthy relief",
        _q["refs"],
        _q["basis"],
        low=_q["scale"][1],
        high=_q["scale"][2],
        status=_status,
    )
    _p(
        "population",
        f"{_name}.sensitisation",
        _q["sens"][0],
        "Cohen's d at full exposure",
        _q["refs"],
        _q["basis"],
        low=_q["sens"][1],
        high=_q["sens"][2],
        status=_status,
    )
    _p(
        "population",
        f"{_name}.onset",
        _q["onset"],
        "% of maximum",
        _q["refs"],
        "intensity above which aerobic and dynamic exercise sensitises (100: never)",
        status=_status,
    )
_p(
    "population",
    "fibromyalgia.aerobic_I50",
    45.0,
    "% VO2max",
    "newcomb2011 ellingson2016",
    "in fibromyalgia relief is assumed to start at a lower intensity than in healthy adults "
    "(self-selected cycling, below the prescribed 60-75% HRmax, eased pain: Newcomb 2011)",
    low=40.0,
    high=55.0,
    status="illustrative",
)
POPULATIONS = tuple(_POP)
# Isometric endurance curves: one per muscle group, from data/endurance_curves.csv.
for _m, _c in ENDURANCE_CURVES.items():
    _p(
        "endurance",
        f"{_m}.b0",
        _c.b0,
        "s",
        _c.reference,
        f"{_c.label}: power model, Table 2",
        status="read",
    )
    _p(
        "endurance",
        f"{_m}.b1",
        _c.b1,
        "-",
        _c.reference,
        f"{_c.label}: power model, Table 2",
        status="read",
    )
