"""The curves of the acute model: relief minus sensitisation over intensity and duration,
vectorised over grids (:func:`effect_grid`) and for one bout (:func:`predict`)."""

from __future__ import annotations

import functools

import numpy as np

from painlab import mechanisms
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
from painlab.hypoalgesia.parameters import (
    HYPOALGESIA_THRESHOLD,
    PARAMETERS,
    SITES,
    _site_factors,
    _v,
)
from painlab.hypoalgesia.response import Bounds, Response, _check_population, _check_site, _edges

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
        reasons=tuple(reasons_mod._reasons(bout, population, d0, sens)),
        mechanisms=mechanisms.engagement(bout, population),
        bounds=bounds,
    )


# the readout's reasons use these curves; imported last, so each module loads whole
from painlab.hypoalgesia import reasons as reasons_mod  # noqa: E402
