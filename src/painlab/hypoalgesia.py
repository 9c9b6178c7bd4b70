"""Exercise-induced hypoalgesia (EIH) after a single bout: a teaching model.

Given one bout of exercise and a population, :func:`predict` returns the change in pain
sensitivity as a standardised effect size (Cohen's d on pain threshold; positive = less
pain), where in the body (exercising limb, contralateral limb, distant resting muscle), how
it fades over the minutes after exercise, and which documented conditions of the dose
were met.

The model is a small set of smooth curves whose shape follows the documented rules and
whose parameters were read off the studies in :mod:`painlab.studies`. It is a
**teaching model, not a clinical tool**: it interpolates between a few dozen tested doses.

Model
-----
Effect at the exercising limb right after the bout:

.. math::

    d_0 = P_{scale} \\cdot D_{max,k} \\cdot S_I(I) \\cdot S_t(t) - P_{flare} \\cdot I/100

- aerobic: :math:`S_I` is a logistic curve in intensity (midpoint ``I50``, width ``w``),
  :math:`S_t = t^2 / (t^2 + t_{50}^2)` a saturating curve in duration;
- isometric: :math:`S_I = 1` (high and low intensities both work) and
  :math:`S_t` saturates in the hold time relative to the time needed at that intensity,
  :math:`t_{req}(I) = \\phi \\cdot ET(I)`, where :math:`ET` is the endurance time;
- dynamic resistance: as aerobic, with its own parameters.

Site: :math:`d_{site} = d_0 \\cdot f_{site}` for the documented site factors (populations
with a flare term keep it at every site). Time: :math:`d(m) = d_0 \\cdot 2^{-m/T_{1/2}}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from painlab import studies
from painlab.bouts import KINDS, LIMITS, UNITS, Bout, endurance_time

__all__ = [
    "HYPOALGESIA_THRESHOLD",
    "PARAMETERS",
    "POPULATIONS",
    "Parameter",
    "Reason",
    "Response",
    "effect_grid",
    "predict",
]

#: Cohen's "small" effect: the smallest d counted as hypoalgesia (Cohen 1988).
HYPOALGESIA_THRESHOLD = 0.2


@dataclass(frozen=True)
class Parameter:
    """A model parameter, its unit and the evidence it was taken from."""

    value: float
    unit: str
    references: tuple[str, ...]
    basis: str


#: Every parameter of the model, keyed ``(group, name)``. ``references`` are citation
#: keys of :mod:`painlab.studies`; ``basis`` says how the value was read off them.
PARAMETERS: dict[tuple[str, str], Parameter] = {}


def _p(group: str, name: str, value: float, unit: str, refs: str, basis: str) -> None:
    PARAMETERS[(group, name)] = Parameter(float(value), unit, tuple(refs.split()), basis)


# ---- filled by the calibration section at the end of this module -------------------------

#: Populations the model covers: name -> (scale on the healthy effect, flare term).
POPULATIONS: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """A documented condition checked for this bout."""

    met: bool
    text: str
    references: tuple[str, ...] = ()
    interpolated: bool = False

    def __str__(self) -> str:
        mark = "✓" if self.met else "✗"
        return f"{mark} {self.text}"


@dataclass(frozen=True)
class Response:
    """The predicted response to one bout in one population.

    Attributes
    ----------
    bout : Bout
    population : str
    effect_size : float
        Cohen's d at the exercising limb right after the bout (positive = less pain).
    fatigue : float or None
        Fraction of the isometric endurance time used, 0..1 (``None`` for aerobic and
        dynamic resistance exercise: no documented analogue is modelled).
    reasons : tuple of Reason
        The documented conditions checked, each with ``met``, ``text``, ``references``.
    mechanisms : dict
        Mechanism name -> engagement 0..1 (see :mod:`painlab.mechanisms`).
    """

    bout: Bout
    population: str
    effect_size: float
    site_factors: Mapping[str, float]
    flare: float
    half_life: float
    fatigue: float | None
    reasons: tuple[Reason, ...]
    mechanisms: Mapping[str, float] = field(default_factory=dict)

    def at(self, site: str, minutes: float = 0.0) -> float:
        """Effect size at a body site ``minutes`` after the bout [Cohen's d].

        Parameters
        ----------
        site : {"exercising", "contralateral", "distant"}
        minutes : float, default 0
            Minutes after the end of exercise, >= 0.
        """
        if site not in self.site_factors:
            raise ValueError(f"site must be one of {', '.join(map(repr, self.site_factors))}; got {site!r}")
        return float(_decay(self._at0(site), minutes, self.half_life))

    def after(self, minutes: float, site: str = "exercising") -> float:
        """Effect size ``minutes`` after the bout ended (exercising limb by default)."""
        return self.at(site, minutes)

    def _at0(self, site: str) -> float:
        relief = self.effect_size + self.flare
        return relief * self.site_factors[site] - self.flare

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
        verdict = {
            "hypoalgesia": "less pain (hypoalgesia)",
            "none": "no meaningful change",
            "hyperalgesia": "MORE pain (hyperalgesia)",
        }[self.outcome]
        text = (
            f"{self.bout.label}, {self.population.replace('_', ' ')}: {verdict}. "
            f"d = {d['exercising']:+.2f} exercising limb, {d['contralateral']:+.2f} contralateral, "
            f"{d['distant']:+.2f} distant"
        )
        if self.hypoalgesia:
            text += f"; lasts about {self.lasts():.0f} min"
        return text + "."


def _classify(d):
    if d >= HYPOALGESIA_THRESHOLD:
        return "hypoalgesia"
    if d <= -HYPOALGESIA_THRESHOLD:
        return "hyperalgesia"
    return "none"


def _decay(d0, minutes, half_life):
    m = np.asarray(minutes, dtype=float)
    if np.any(~np.isfinite(m)) or np.any(m < 0):
        raise ValueError(f"minutes must be 0 or more (minutes after the bout); got {minutes!r}")
    return d0 * np.power(2.0, -m / half_life)


def _v(group: str, name: str) -> float:
    return PARAMETERS[(group, name)].value


def _check_population(population: str) -> None:
    if population not in POPULATIONS:
        raise ValueError(f"population must be one of {', '.join(map(repr, POPULATIONS))}; got {population!r}")


def _dose(kind: str, intensity, minutes):
    """Dose response of healthy young adults, exercising limb (vectorised)."""
    i = np.asarray(intensity, dtype=float)
    t = np.asarray(minutes, dtype=float)
    if kind == "isometric":
        t_req = _v("isometric", "phi") * endurance_time(np.clip(i, *LIMITS["isometric"]["intensity"]))
        x = t / t_req
        s_t = x**2 / (x**2 + 1.0)
        return _v("isometric", "d_max") * s_t
    g = kind
    s_i = 1.0 / (1.0 + np.exp(-(i - _v(g, "I50")) / _v(g, "width")))
    t50 = _v(g, "t50")
    s_t = t**2 / (t**2 + t50**2)
    return _v(g, "d_max") * s_i * s_t


def _population_terms(population: str, kind: str, intensity):
    scale = _v("population", f"{population}.scale")
    flare = _v("population", f"{population}.flare") * np.asarray(intensity, dtype=float) / 100.0
    return scale, flare


def effect_grid(kind: str, population: str, intensities, durations, site: str = "exercising"):
    """Effect size over an intensity x duration grid (for dose maps), vectorised.

    Parameters
    ----------
    kind : {"aerobic", "isometric", "dynamic_resistance"}
    population : str
        One of :data:`POPULATIONS`.
    intensities : array_like, shape (n,)
        Intensities [% VO2max, % MVC or % 1RM].
    durations : array_like, shape (m,)
        Durations [min]. For isometric exercise, cells whose duration exceeds the
        endurance time are ``nan`` (that hold is impossible).
    site : str, default "exercising"

    Returns
    -------
    numpy.ndarray, shape (m, n)
        Cohen's d right after the bout; rows are durations, columns intensities.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}")
    _check_population(population)
    if site not in SITE_FACTORS:
        raise ValueError(f"site must be one of {', '.join(map(repr, SITE_FACTORS))}; got {site!r}")
    i = np.asarray(intensities, dtype=float)[None, :]
    t = np.asarray(durations, dtype=float)[:, None]
    scale, flare = _population_terms(population, kind, i)
    d = (scale * _dose(kind, i, t)) * SITE_FACTORS[site] - flare
    d = np.broadcast_to(d, (t.shape[0], i.shape[1])).copy()
    if kind == "isometric":
        et = endurance_time(np.clip(i, *LIMITS["isometric"]["intensity"]))
        d[np.broadcast_to(t > et, d.shape)] = np.nan
    return d


def predict(bout: Bout, population: str = "healthy") -> Response:
    """Predict the hypoalgesic response to one bout of exercise.

    Parameters
    ----------
    bout : Bout
        The exercise: kind, intensity [% VO2max | % MVC | % 1RM], duration [min].
    population : str, default "healthy"
        One of :data:`POPULATIONS` (young healthy adults, older adults, chronic pain
        conditions).

    Returns
    -------
    Response
        ``effect_size`` (Cohen's d at the exercising limb right after the bout),
        ``at(site)``, ``after(minutes)``, ``hypoalgesia``, ``fatigue``, ``reasons``,
        ``mechanisms``.

    Examples
    --------
    >>> import painlab as pl
    >>> pl.predict(pl.Bout("aerobic", intensity=75, duration=30)).hypoalgesia
    True
    >>> pl.predict(pl.Bout("aerobic", intensity=40, duration=30)).hypoalgesia
    False
    """
    if not isinstance(bout, Bout):
        raise TypeError(f"bout must be a painlab.Bout, e.g. Bout('aerobic', 75, 30); got {type(bout).__name__}")
    _check_population(population)
    from painlab import mechanisms  # late import: mechanisms reads Response fields

    t = bout.minutes
    healthy = float(_dose(bout.kind, bout.intensity, t))
    scale, flare = _population_terms(population, bout.kind, bout.intensity)
    d0 = float(scale * healthy - flare)
    fatigue = None
    if bout.kind == "isometric":
        fatigue = float(min(1.0, t / endurance_time(bout.intensity)))
    reasons = _reasons(bout, population, healthy, d0)
    resp = Response(
        bout=bout,
        population=population,
        effect_size=d0,
        site_factors=dict(SITE_FACTORS),
        flare=float(flare),
        half_life=_v("time", "half_life"),
        fatigue=fatigue,
        reasons=tuple(reasons),
    )
    return _with_mechanisms(resp, mechanisms.engagement(bout, population))


def _with_mechanisms(resp: Response, mech: Mapping[str, float]) -> Response:
    object.__setattr__(resp, "mechanisms", dict(mech))
    return resp


def _refs(*keys: tuple[str, str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for k in keys:
        for r in PARAMETERS[k].references:
            out.setdefault(r, None)
    return tuple(out)


def _reasons(bout: Bout, population: str, healthy: float, d0: float) -> list[Reason]:
    k, i, t = bout.kind, bout.intensity, bout.minutes
    unit = UNITS[k]
    out: list[Reason] = []
    if k in ("aerobic", "dynamic_resistance"):
        i50, t50 = _v(k, "I50"), _v(k, "t50")
        out.append(
            Reason(
                i >= i50,
                f"Intensity {i:g} {unit} {'reaches' if i >= i50 else 'is below'} the documented "
                f"threshold region (about {i50:g} {unit} and above)",
                _refs((k, "I50")),
            )
        )
        out.append(
            Reason(
                t >= t50,
                f"Duration {t:g} min {'is' if t >= t50 else 'is not'} long enough "
                f"(about {t50:g} min or more at that intensity)",
                _refs((k, "t50")),
            )
        )
    else:
        t_req = _v("isometric", "phi") * endurance_time(i)
        out.append(
            Reason(
                True,
                "Isometric holds at low and at high intensity can both reduce pain",
                _refs(("isometric", "d_max")),
            )
        )
        out.append(
            Reason(
                t >= t_req,
                f"Held {t:.1f} min; at {i:g} % MVC about {t_req:.1f} min or more is needed "
                "(lower intensities need longer holds)",
                _refs(("isometric", "phi")),
            )
        )
        fat = t / endurance_time(i)
        out.append(
            Reason(
                True,
                f"Fatigue used: {fat:.0%} of the endurance time. Hypoalgesia does not need a hold "
                "to failure",
                _refs(("isometric", "phi"), ("endurance", "b0")),
            )
        )
    if population != "healthy":
        scale = _v("population", f"{population}.scale")
        flare = _v("population", f"{population}.flare")
        text = f"In {population.replace('_', ' ')} the healthy response is scaled by {scale:.2f}"
        if flare > 0:
            text += " and harder exercise can increase pain (a flare term grows with intensity)"
        out.append(
            Reason(
                d0 >= HYPOALGESIA_THRESHOLD,
                text,
                _refs(("population", f"{population}.scale"), ("population", f"{population}.flare")),
            )
        )
    tested = _near_tested_dose(bout, population)
    out.append(
        Reason(
            tested,
            "A study tested a dose close to this one"
            if tested
            else "No study tested a dose this close: the model interpolates between studies here",
            (),
            interpolated=not tested,
        )
    )
    return out


def _near_tested_dose(bout: Bout, population: str) -> bool:
    """Whether an evidence arm of this kind lies within 10 units and 50% duration."""
    t = bout.minutes
    for arm in studies.arms(kind=bout.kind):
        if arm.intensity is None:
            continue
        dur = arm.duration_min
        if dur is None and arm.to_failure and bout.kind == "isometric":
            dur = float(endurance_time(max(arm.intensity, 10)))
        if dur is None:
            continue
        if abs(arm.intensity - bout.intensity) <= 10 and abs(dur - t) <= 0.5 * max(dur, t):
            return True
    return False


# ---------------------------------------------------------------------------- calibration

SITE_FACTORS: dict[str, float] = {}
