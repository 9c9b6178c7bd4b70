"""The fitted acute model evaluated at doses: vectorised over grids (:func:`effect_grid`)
and for one bout (:func:`predict`).

Each value is computed for every posterior draw of the fit
(:mod:`painlab.hypoalgesia.dose_response`): the shown value is the posterior mean of
the mean effect, and the plausible range is the 80% prediction interval of the effect a
*new study* of that dose would find (every draw's mean plus that draw's between-study and
between-arm spread, :func:`~painlab.hypoalgesia.dose_response.predictive_interval`), so it
carries every parameter's uncertainty and the spread between studies.
"""

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
from painlab.hypoalgesia import dose_response as dr
from painlab.hypoalgesia.parameters import (
    HYPOALGESIA_THRESHOLD,
    SITES,
    _site_factors,
    _v,
)
from painlab.hypoalgesia.response import Bounds, Response, _check_population, _check_site

#: Central 80% of a parameter's posterior, as its range in the registry.
INTERVAL = (0.1, 0.9)
#: Posterior draws used for predictions (an even thinning of the shipped draws). The
#: ranges use the draws' exact moments (:func:`dose_response.predictive_interval`), so a
#: few hundred draws give them to about 0.01 d.
PREDICTION_DRAWS = 150
#: Points of the share-of-endurance-time axis on which holds are evaluated (then
#: interpolated linearly): isometric effects depend on the share only.
SHARE_POINTS = 4001

# Muscles whose holds load the painful region, per population (the default of
# ``painful``; aerobic and dynamic exercise are taken as leg exercise: cycling, walking).
_PAINFUL_MUSCLES = {
    "fibromyalgia": ("grip", "elbow", "knee", "shoulder", "trunk", "ankle", "pooled"),
    "knee_osteoarthritis": ("knee", "ankle"),
    "chronic_neck_pain": ("shoulder", "trunk"),
    "chronic_low_back_pain": ("trunk",),
}
_PAINFUL_LEGS = ("fibromyalgia", "knee_osteoarthritis")


def painful_region(kind: str, population: str, muscle: str | None = None) -> bool:
    """Whether a bout loads the population's painful region (model's default rule).

    Fibromyalgia: always (widespread pain). Knee osteoarthritis: leg exercise (aerobic
    and dynamic exercise, taken as cycling or walking; knee or ankle holds). Chronic neck
    pain: shoulder and trunk holds. Chronic low back pain: trunk holds. Otherwise never.
    """
    if kind == "isometric":
        return (muscle or DEFAULT_MUSCLE) in _PAINFUL_MUSCLES.get(population, ())
    return population in _PAINFUL_LEGS


def _share(intensity, minutes, muscle: str):
    """Share of the isometric endurance time held (0..1)."""
    i = np.clip(np.asarray(intensity, dtype=float), *LIMITS["isometric"]["intensity"])
    return np.minimum(np.asarray(minutes, dtype=float) / ENDURANCE_CURVES[muscle].minutes(i), 1.0)


def _col(name: str) -> np.ndarray:
    """Thinned draws of one parameter as a column ``(PREDICTION_DRAWS, 1)``."""
    return _cols()[name]


@functools.cache
def _cols() -> dict[str, np.ndarray]:
    """Every parameter's thinned draws as float32 columns (d is shown to 0.01 and stored
    to 1e-4; single precision halves the work of the handout and explorer grids)."""
    out = {}
    for name, d in dr.draws().items():
        step = max(1, len(d) // PREDICTION_DRAWS)
        out[name] = np.ascontiguousarray(d[::step][:PREDICTION_DRAWS, None], dtype=np.float32)
    return out


def _params() -> dict[str, np.ndarray]:
    return {spec.name: _col(spec.name) for spec in dr.PRIORS}


def _terms_draws(kind, population, intensity, minutes, muscle=DEFAULT_MUSCLE, painful=None):
    """Relief and sensitisation for every draw, shape ``(D, N)`` for flat dose arrays."""
    p = _params()
    i = np.atleast_1d(np.asarray(intensity, dtype=float)).ravel()
    t = np.atleast_1d(np.asarray(minutes, dtype=float)).ravel()
    i, t = np.broadcast_arrays(i, t)
    if painful is None:
        painful = painful_region(kind, population, muscle)
    if kind == "isometric":
        share = _share(i, t, muscle)
        relief = dr.relief_isometric(p, np, share)
        exposure = dr.exposure_isometric(share)
    else:  # aerobic and dynamic resistance (t = 0: log 0 = -inf, no relief)
        with np.errstate(divide="ignore", over="ignore"):
            relief = dr.relief_aerobic(p, np, i, t, kind)
        exposure = dr.exposure_aerobic(i, t)
    relief = np.broadcast_to(relief, (len(p["aerobic.A"]), i.size))
    if population == "healthy":
        return relief, np.zeros_like(relief)
    sens = p[f"population.{population}.sensitisation"] + p["region.sensitisation"] * float(painful)
    return p[f"population.{population}.scale"] * relief, sens * exposure


def _tau() -> np.ndarray:
    """Each draw's between-study plus between-arm spread (SD), shape (D, 1)."""
    return np.sqrt(_col("spread.study") ** 2 + _col("spread.arm") ** 2)


def _summaries(mu0: np.ndarray) -> dict[str, np.ndarray]:
    """The posterior mean of the mean effect, and the 80% prediction interval of a new
    study at each site (:func:`~painlab.hypoalgesia.dose_response.predictive_interval`),
    from (D, N) draws of the mean effect at the exercising limb."""
    out = {"value": mu0.mean(axis=0).astype(float)}
    tau = _tau()
    for s in SITES:
        f = np.ones_like(tau) if s == "exercising" else _col(f"site.{s}")
        _, lo, hi = dr.predictive_interval(mu0, f, tau)
        if s != "exercising":
            # every draw's site factor is at most 1, so no site is more sensitised than
            # the exercising limb; the normal approximation can miss that by ~1e-4
            ex = out["low.exercising"]
            lo = np.where(ex < 0, np.maximum(lo, ex), lo)
        out[f"low.{s}"], out[f"high.{s}"] = lo.astype(float), hi.astype(float)
    return out


@functools.lru_cache(maxsize=32)
def _share_curve(population: str, painful: bool) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Summaries of a hold on a fine share-of-endurance-time axis (holds depend on it only)."""
    x = np.linspace(0.0, 1.0, SHARE_POINTS)
    p = _params()
    relief = np.broadcast_to(dr.relief_isometric(p, np, x), (PREDICTION_DRAWS, x.size))
    if population == "healthy":
        return x, _summaries(relief)
    sens = p[f"population.{population}.sensitisation"] + p["region.sensitisation"] * float(painful)
    mu = p[f"population.{population}.scale"] * relief - sens * dr.exposure_isometric(x)
    return x, _summaries(mu)


def _point_summaries(kind, population, intensity, minutes, muscle, painful) -> dict:
    """Summaries at flat dose arrays (holds: interpolated on the share axis)."""
    if kind == "isometric":
        x, curve = _share_curve(population, bool(painful))
        share = _share(intensity, minutes, muscle)
        return {k: np.interp(share, x, v) for k, v in curve.items()}
    relief, sens = _terms_draws(kind, population, intensity, minutes, muscle, painful)
    return _summaries(relief - sens)


@functools.lru_cache(maxsize=64)
def _grid_summaries(kind, population, intensities, durations, muscle, painful):
    i = np.asarray(intensities, dtype=float)[None, :]
    t = np.asarray(durations, dtype=float)[:, None]
    ii, tt = np.broadcast_arrays(i, t)
    out = _point_summaries(kind, population, ii.ravel(), tt.ravel(), muscle, painful)
    return {k: v.reshape(ii.shape) for k, v in out.items()}


def _half_life_range() -> tuple[float, float]:
    lo, hi = dr.quantiles("time.half_life", INTERVAL)
    return lo, hi


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        import difflib

        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}.{hint}")


def _check_axis(name: str, values, lo: float, hi: float, unit: str) -> np.ndarray:
    """One axis of a grid as a 1-D float array (a scalar counts as one value)."""
    if isinstance(values, str) or (
        isinstance(values, (list, tuple)) and any(isinstance(v, str) for v in values)
    ):
        raise TypeError(f"{name} must be numbers [{unit}], not text; got {values!r}")
    if isinstance(values, (bool, np.bool_)) or np.asarray(values).dtype == bool:
        raise TypeError(f"{name} must be numbers [{unit}], not True/False; got {values!r}")
    try:
        a = np.asarray(values, dtype=float)
    except (TypeError, ValueError, OverflowError):
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
        The model's value (posterior mean), or the low or high edge of the 80%
        prediction interval for a new study.

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
    i = _check_axis("intensities", intensities, ilo, ihi, UNITS[kind])
    t = _check_axis("durations", durations, 0.0, dhi, "min")
    painful = painful_region(kind, population, muscle)
    s = _grid_summaries(kind, population, tuple(i), tuple(t), muscle, painful)
    d = np.array(s["value"] * _v("site", site) if edge == "value" else s[f"{edge}.{site}"])
    if kind == "isometric":
        et = ENDURANCE_CURVES[muscle].minutes(i)[None, :]
        d[np.broadcast_to(t[:, None] > et * (1 + 1e-9), d.shape)] = np.nan
    return d


def _crossing(x0: float, x1: float, d0: float, d1: float) -> float:
    """Where the straight line from ``(x0, d0)`` to ``(x1, d1)`` reaches d = 0.2."""
    return float(x0 + (HYPOALGESIA_THRESHOLD - d0) / (d1 - d0) * (x1 - x0))


@functools.cache
def _healthy_share_needed() -> float:
    """Share of the endurance time at which the healthy hold reaches d = 0.2 (or inf),
    exact on the interpolated share curve the predictions use."""
    x, curve = _share_curve("healthy", False)
    d = curve["value"]
    ok = np.flatnonzero(d >= HYPOALGESIA_THRESHOLD)
    if not ok.size:
        return float("inf")
    if ok[0] == 0:
        return 0.0
    k = ok[0]
    return min(_crossing(x[k - 1], x[k], d[k - 1], d[k]), float(x[k]))


def _needed_for(kind: str, intensities: np.ndarray) -> np.ndarray:
    """Shortest healthy bout [min] reaching d = 0.2 at each intensity (inf if none), in two
    vectorised passes: a 0.5-min grid, then 0.005 min inside each bracket."""
    tmax = LIMITS[kind]["duration"][1]
    t = np.linspace(0.0, tmax, int(tmax * 2) + 1)
    p = _params()

    def mean(ii, tt):
        with np.errstate(divide="ignore", over="ignore"):
            return dr.relief_aerobic(p, np, ii, tt, kind).mean(axis=0)

    i = np.asarray(intensities, dtype=float)
    d = mean(np.repeat(i, t.size), np.tile(t, i.size)).reshape(i.size, t.size)
    ok = d >= HYPOALGESIA_THRESHOLD
    first = np.where(ok.any(axis=1), ok.argmax(axis=1), -1)
    out = np.where(first == 0, 0.0, np.inf)
    rows = np.flatnonzero(first > 0)
    if rows.size:
        frac = np.linspace(0.0, 1.0, 101)
        a, b = t[first[rows] - 1], t[first[rows]]
        fine = a[:, None] + (b - a)[:, None] * frac[None, :]
        dd = mean(np.repeat(i[rows], frac.size), fine.ravel()).reshape(rows.size, frac.size)
        k = (dd >= HYPOALGESIA_THRESHOLD).argmax(axis=1)
        out[rows] = fine[np.arange(rows.size), k]
    return out


@functools.cache
def _needed_table(kind: str) -> dict[float, float]:
    """:func:`_needed_for` at every whole intensity of the kind (what the grids and the
    readouts ask for), computed once."""
    lo, hi = LIMITS[kind]["intensity"]
    i = np.arange(lo, hi + 0.5, 1.0)
    return dict(zip(i.tolist(), _needed_for(kind, i).tolist(), strict=True))


@functools.lru_cache(maxsize=4096)
def _needed_aerobic(kind: str, intensity: float) -> float:
    table = _needed_table(kind)
    if intensity in table:
        return table[intensity]
    return float(_needed_for(kind, np.array([intensity]))[0])


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
    Found on the fitted curve (to 0.1 min; holds: to 0.05% of the endurance time), so
    readouts and the model cannot disagree. Raises ``ValueError`` for an unknown kind or
    an intensity outside the kind's :data:`LIMITS`.
    """
    _check_kind(kind)
    lo, hi = LIMITS[kind]["intensity"]
    fast = type(intensity) is float or type(intensity) is int  # the readouts' case
    if not (fast and lo <= intensity <= hi):
        (intensity,) = _check_axis("intensity", [intensity], lo, hi, UNITS[kind])
    if kind == "isometric":
        return float(_healthy_share_needed() * endurance_time(intensity, check_muscle(muscle)))
    return _needed_aerobic(kind, float(intensity))


@functools.cache
def lowest_intensity(kind: str) -> float:
    """Lowest intensity at which some duration in range gives hypoalgesia (healthy)."""
    _check_kind(kind)
    lo, hi = LIMITS[kind]["intensity"]
    if kind == "isometric":
        return lo
    # relief rises with minutes, so an intensity works at some duration exactly when it
    # works at the longest one
    i = np.arange(lo, hi + 0.5, 1.0)
    t = np.full_like(i, LIMITS[kind]["duration"][1])
    d = dr.relief_aerobic(_params(), np, i, t, kind).mean(axis=0)
    ok = np.flatnonzero(d >= HYPOALGESIA_THRESHOLD)
    return float(i[ok[0]]) if ok.size else float("inf")


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
        ``effect_size`` (Cohen's d at the exercising limb right after the bout: the
        posterior mean), ``at(site)``, ``after(minutes)``,
        ``interval(site, minutes)`` (80% prediction interval for a new study),
        ``hypoalgesia``, ``fatigue``, ``reasons``, ``mechanisms``.

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
    painful = painful_region(k, population, muscle)
    s = _point_summaries(k, population, np.array([i]), np.array([t]), muscle, painful)
    d0 = float(s["value"][0])
    _, sens_d = _terms_draws(k, population, [i], [t], muscle, painful)
    sens = float(sens_d.mean())
    bounds = Bounds(
        site_range={x: (float(s[f"low.{x}"][0]), float(s[f"high.{x}"][0])) for x in SITES},
        half_life=_half_life_range(),
    )
    fatigue = None
    if k == "isometric":
        fatigue = float(min(1.0, t / endurance_time(i, muscle)))
    return Response(
        bout=bout,
        population=population,
        effect_size=d0,
        site_factors=_site_factors(),
        relief=d0 + sens,
        sensitisation=sens,
        half_life=_v("time", "half_life"),
        fatigue=fatigue,
        reasons=tuple(reasons_mod._reasons(bout, population, d0, sens)),
        mechanisms=mechanisms.engagement(bout, population),
        bounds=bounds,
        painful_region=painful,
    )


# the readout's reasons use these curves; imported last, so each module loads whole
from painlab.hypoalgesia import reasons as reasons_mod  # noqa: E402
