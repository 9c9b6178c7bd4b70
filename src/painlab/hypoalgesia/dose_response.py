"""The fitted dose-response meta-regression: its equations, its priors and its draws.

The model's mean effect is written once, here, for any array library with ``exp`` and
``log`` (numpy for predictions, PyTensor for the fit in ``scripts/fit_model.py``), so the
curves the sliders move and the curves that were fitted are the same code.

Equations
---------
For one bout in population :math:`p`, the mean effect at the exercising limb right after
exercise, on pain threshold, is

.. math::

    \\mu_0 = s_p \\, R_k(\\text{dose}) - (\\sigma_p + \\sigma_r\\,r)\\, E_k(\\text{dose})

- relief of healthy adults, aerobic and dynamic resistance: :math:`R = A_k\\,
  L(I; I_{50}, w)\\, t^h / (t^h + t_{50}(I)^h)` with a logistic :math:`L` in intensity and
  a duration curve whose midpoint may shorten at higher intensity,
  :math:`t_{50}(I) = t_{50} e^{-\\beta (I - 75)/25}` (:math:`\\beta = 0`: no trade-off);
- relief, isometric: :math:`R = A\\, x^h/(x^h + \\phi^h)` with :math:`x` the share of the
  muscle's endurance time held (Frey-Law & Avin 2010 curves);
- sensitisation grows with the exposure done: :math:`E = (I/100)^2\\, t/(t + 10)` for
  aerobic and dynamic exercise, :math:`E = x^2` for holds (a **fixed assumption** of
  shape; its size :math:`\\sigma` is fitted per population, and :math:`\\sigma_r` when the
  exercised region is the painful one, :math:`r = 1`);
- :math:`s_p \\in (0, 1)` scales the healthy relief (healthy: 1), :math:`\\sigma_p \\ge 0`
  (healthy: 0).

A study's true effect at a site, ``m`` minutes after, with pain measure ``q``:
:math:`\\theta = (\\mu_0 + u_{study} + e_{arm})\\, f_{site}\\, g_q\\, 2^{-m/T}`, with
between-study and between-arm spreads :math:`u \\sim N(0, \\tau_s)`,
:math:`e \\sim N(0, \\tau_a)`. The 80% prediction interval for a new study takes
:math:`\\mu_0` from every posterior draw plus that draw's spread, so it includes every
parameter's uncertainty, thresholds and shapes included.

Likelihood: an arm with an effect size contributes :math:`N(\\hat d; \\theta, se)`; an arm
that reports only a direction contributes the probability of that verdict given
:math:`\\theta` and its ``n`` (a two-sided within-subject test at 5%), so a null result from
12 people weighs less than one from 80.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np

#: Populations other than healthy adults, each with a fitted relief scale and sensitisation.
CLINICAL: tuple[str, ...] = (
    "older",
    "knee_osteoarthritis",
    "chronic_low_back_pain",
    "chronic_neck_pain",
    "fibromyalgia",
    "chronic_fatigue_syndrome",
)
#: Pain measures; the threshold is the reference (factor 1).
MEASURES: tuple[str, ...] = ("threshold", "tolerance", "rating", "temporal_summation")
#: Centre of the intensity trade-off of the aerobic duration curve [% VO2max].
BETA_CENTRE = 75.0
#: Minutes at which aerobic and dynamic exposure reaches half its ceiling (assumption).
EXPOSURE_HALF_MINUTES = 10.0


@dataclass(frozen=True)
class Prior:
    """The prior of one fitted parameter.

    Attributes
    ----------
    name : str
        Parameter name in the draws file.
    dist : {"normal", "lognormal", "beta", "halfnormal"}
    a, b : float
        ``normal``: mean and sd; ``lognormal``: median and sd of the log; ``beta``:
        alpha and beta; ``halfnormal``: sd (``b`` unused).
    unit : str
    label : str
        What it is, in words.
    basis : str
        Why this prior, in words.
    references : tuple of str
        Citation keys of :mod:`painlab.studies` behind the prior's centre (may be empty).
    """

    name: str
    dist: str
    a: float
    b: float
    unit: str
    label: str
    basis: str
    references: tuple[str, ...] = ()

    def describe(self) -> str:
        """The prior in words, e.g. ``"log-normal, median 0.6, sd(log) 0.5"``."""
        if self.dist == "normal":
            return f"normal, mean {self.a:g}, sd {self.b:g}"
        if self.dist == "lognormal":
            return f"log-normal, median {self.a:g}, sd(log) {self.b:g}"
        if self.dist == "beta":
            return f"beta({self.a:g}, {self.b:g})"
        return f"half-normal, sd {self.a:g}"


_WEAK = "weakly informative: spans the doses the studies tested"
_SITE_BASIS = (
    "assumption: bounded by the exercising limb's effect (no site gains more than the "
    "exercising limb, as the studies that measured both found); the fit sets the size, and "
    "so the order of contralateral and distant sites"
)
_META = "naugle2012 wewege2021"


def _pr(name, dist, a, b, unit, label, basis, refs=""):
    return Prior(name, dist, float(a), float(b), unit, label, basis, tuple(refs.split()))


#: Every fitted parameter with its prior. The fit writes one column of draws per name.
PRIORS: tuple[Prior, ...] = (
    _pr(
        "aerobic.A",
        "lognormal",
        0.6,
        0.5,
        "Cohen's d",
        "largest aerobic relief (healthy, exercising limb, threshold)",
        "centred between the pooled estimates d = 0.41 (Naugle 2012) and g = 0.85 (Wewege 2021)",
        _META,
    ),
    _pr(
        "aerobic.I50",
        "normal",
        60,
        12,
        "% VO2max",
        "aerobic intensity at half the relief",
        _WEAK,
    ),
    _pr("aerobic.width", "lognormal", 6, 0.5, "% VO2max", "steepness of the intensity rise", _WEAK),
    _pr("aerobic.t50", "lognormal", 12, 0.6, "min", "aerobic minutes for half the relief", _WEAK),
    _pr("aerobic.hill", "lognormal", 2.5, 0.4, "-", "steepness of the duration rise", _WEAK),
    _pr(
        "aerobic.beta",
        "normal",
        0,
        1,
        "-",
        "how much harder bouts shorten the minutes needed",
        "centred on no trade-off (0); the data decide its sign",
    ),
    _pr(
        "dynamic_resistance.A",
        "lognormal",
        0.6,
        0.5,
        "Cohen's d",
        "largest dynamic-resistance relief",
        "between the pooled d = 0.83 (Naugle 2012) and g = 0.45 (Wewege 2021)",
        _META,
    ),
    _pr(
        "dynamic_resistance.I50",
        "normal",
        50,
        15,
        "% 1RM",
        "dynamic intensity at half the relief",
        _WEAK,
    ),
    _pr(
        "dynamic_resistance.t50",
        "lognormal",
        10,
        0.7,
        "min",
        "dynamic minutes for half the relief",
        _WEAK,
    ),
    _pr(
        "isometric.A",
        "lognormal",
        0.6,
        0.6,
        "Cohen's d",
        "largest isometric relief",
        "between g = 0.16 in RCTs (Wewege 2021) and d = 1.02 in repeated-measures studies "
        "(Naugle 2012)",
        _META,
    ),
    _pr(
        "isometric.phi",
        "lognormal",
        0.4,
        0.6,
        "share of endurance time",
        "share of the endurance time held for half the relief",
        _WEAK,
    ),
    _pr("isometric.hill", "lognormal", 2, 0.4, "-", "steepness of the hold-time rise", _WEAK),
    _pr(
        "site.contralateral",
        "beta",
        3,
        1.5,
        "fraction of exercising-limb effect",
        "effect at the contralateral limb relative to the exercising limb",
        _SITE_BASIS,
        "vaegter2014 johnsen2023",
    ),
    _pr(
        "site.distant",
        "beta",
        3,
        1.5,
        "fraction of exercising-limb effect",
        "effect at a distant resting muscle relative to the exercising limb",
        _SITE_BASIS,
        "vaegter2014 johnsen2023",
    ),
    _pr(
        "measure.tolerance",
        "lognormal",
        1,
        0.4,
        "fraction of the threshold effect",
        "pain tolerance relative to threshold",
        "centred on no difference",
    ),
    _pr(
        "measure.rating",
        "lognormal",
        1,
        0.4,
        "fraction of the threshold effect",
        "pain ratings relative to threshold",
        "centred on no difference; Naugle 2012 pooled threshold and intensity effects of "
        "similar size",
        "naugle2012",
    ),
    _pr(
        "measure.temporal_summation",
        "lognormal",
        1,
        0.4,
        "fraction of the threshold effect",
        "temporal summation relative to threshold",
        "centred on no difference",
    ),
    _pr(
        "time.half_life",
        "lognormal",
        10,
        0.6,
        "min",
        "minutes for the effect to halve after the bout",
        "weakly informative: minutes to tens of minutes",
    ),
    *(
        _pr(
            f"population.{p}.scale",
            "beta",
            2,
            2,
            "fraction of healthy relief",
            f"relief in {p.replace('_', ' ')} relative to healthy adults",
            "between none and the healthy response (assumption: relief in a clinical "
            "population never exceeds the healthy response at the same dose; no study in "
            "the data found more)",
        )
        for p in CLINICAL
    ),
    *(
        _pr(
            f"population.{p}.sensitisation",
            "halfnormal",
            0.4,
            0,
            "Cohen's d at full exposure",
            f"more pain with exposure in {p.replace('_', ' ')}",
            "none to moderate; the data decide",
        )
        for p in CLINICAL
    ),
    _pr(
        "region.sensitisation",
        "halfnormal",
        0.4,
        0,
        "Cohen's d at full exposure",
        "extra sensitisation when the exercised region is the painful one",
        "none to moderate; the data decide",
    ),
    _pr(
        "spread.study",
        "halfnormal",
        0.25,
        0,
        "Cohen's d",
        "between-study spread (SD) of the true effect",
        "weakly informative",
    ),
    _pr(
        "spread.arm",
        "halfnormal",
        0.15,
        0,
        "Cohen's d",
        "between-arm spread within a study (SD)",
        "weakly informative",
    ),
)
PRIOR_BY_NAME: dict[str, Prior] = {p.name: p for p in PRIORS}


# --------------------------------------------------------------------------- the curves


def _logistic(xp: Any, z):
    return 1.0 / (1.0 + xp.exp(-z))


def relief_aerobic(p: dict, xp: Any, intensity, minutes, kind: str = "aerobic"):
    """Healthy relief of aerobic (or dynamic resistance) exercise [d], any array library.

    ``p`` maps parameter names to values (scalars or arrays that broadcast against the
    dose); dynamic resistance shares the aerobic width, hill and trade-off."""
    a, i50, t50 = p[f"{kind}.A"], p[f"{kind}.I50"], p[f"{kind}.t50"]
    s_i = _logistic(xp, (intensity - i50) / p["aerobic.width"])
    # t^h / (t^h + t50(I)^h) written as a logistic in log t (one exp instead of three
    # powers), with log t50(I) = log t50 - beta (I - 75) / 25
    log_t50 = xp.log(t50) - p["aerobic.beta"] * (intensity - BETA_CENTRE) / 25.0
    s_t = _logistic(xp, p["aerobic.hill"] * (xp.log(minutes) - log_t50))
    return a * s_i * s_t


def relief_isometric(p: dict, xp: Any, share):
    """Healthy relief of an isometric hold [d] from the share of the endurance time."""
    h = p["isometric.hill"]
    return p["isometric.A"] * share**h / (share**h + p["isometric.phi"] ** h)


def exposure_aerobic(intensity, minutes):
    """Sensitising exposure of aerobic or dynamic exercise, 0..1 (assumed shape)."""
    return (intensity / 100.0) ** 2 * minutes / (minutes + EXPOSURE_HALF_MINUTES)


def exposure_isometric(share):
    """Sensitising exposure of a hold, 0..1 (assumed shape)."""
    return share**2


def mean_effect(p: dict, xp: Any, kind: str, population: str, dose: dict, painful=0.0):
    """Mean effect at the exercising limb right after the bout, on threshold [d].

    ``dose`` holds ``intensity`` and ``minutes`` (and ``share`` for holds); ``painful`` is
    1 when the exercised region is the painful one (clinical populations)."""
    if kind == "isometric":
        relief = relief_isometric(p, xp, dose["share"])
        exposure = exposure_isometric(dose["share"])
    else:
        relief = relief_aerobic(p, xp, dose["intensity"], dose["minutes"], kind)
        exposure = exposure_aerobic(dose["intensity"], dose["minutes"])
    if population == "healthy":
        return relief
    sens = p[f"population.{population}.sensitisation"] + p["region.sensitisation"] * painful
    return p[f"population.{population}.scale"] * relief - sens * exposure


# --------------------------------------------------------------------------- the draws

_FIT = files("painlab").joinpath("data", "model_fit")
#: Evidence files the fit reads; their checksum is stored with the draws.
FIT_INPUTS: tuple[str, ...] = ("acute_arms.csv", "endurance_curves.csv")


def data_checksum() -> str:
    """SHA-256 of the evidence files the fit reads (:data:`FIT_INPUTS`), in order."""
    h = hashlib.sha256()
    for name in FIT_INPUTS:
        h.update(files("painlab").joinpath("data", name).read_bytes())
    return h.hexdigest()


class FitMissingError(RuntimeError):
    """The fitted draws are not installed (run ``make fit``)."""


@functools.cache
def draws() -> dict[str, np.ndarray]:
    """Posterior draws of every parameter (``name -> array (D,)``)."""
    path = _FIT.joinpath("draws.csv")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FitMissingError(
            "painlab/data/model_fit/draws.csv is missing: run `make fit` to fit the model"
        ) from None
    lines = text.strip().splitlines()
    names = lines[0].split(",")
    values = np.array([[float(v) for v in ln.split(",")] for ln in lines[1:]], dtype=float)
    out = {n: values[:, j] for j, n in enumerate(names)}
    missing = [p.name for p in PRIORS if p.name not in out]
    if missing:
        raise FitMissingError(f"draws.csv lacks {', '.join(missing)}: run `make fit` again")
    return out


@functools.cache
def fit_info() -> dict:
    """What the fit recorded: settings, diagnostics, data checksum, library versions."""
    return json.loads(_FIT.joinpath("fit.json").read_text(encoding="utf-8"))


def column(name: str) -> np.ndarray:
    """Draws of one parameter as a column ``(D, 1)``, ready to broadcast over a dose axis."""
    return draws()[name][:, None]


def median(name: str) -> float:
    """Posterior median of one parameter."""
    return float(np.median(draws()[name]))


def quantiles(name: str, q=(0.1, 0.9)) -> tuple[float, ...]:
    """Posterior quantiles of one parameter (default: the central 80%)."""
    return tuple(float(v) for v in np.quantile(draws()[name], q))


# --------------------------------------------------------------------------- prediction

#: Central share of a new study's predictive distribution shown as the plausible range.
INTERVAL_MASS = 0.8
#: Standard-normal quantile of the range's upper edge (the 90th percentile for 80%).
Z_INTERVAL = 1.2815515655446004


def predictive_interval(mu0, factor, tau):
    """Mean and 80% prediction interval of a new study's effect, over posterior draws.

    A new study's effect is ``(mu0 + u) * factor`` with ``u ~ N(0, tau)`` for each draw
    (axis 0). Its predictive distribution is the mixture over draws; the interval is the
    normal one with the mixture's mean and variance (``var(mu0 * factor) + mean(factor**2
    * tau**2)``), as a random-effects meta-analysis states its prediction interval. Exact
    moments from every draw: no Monte Carlo noise at the edges.

    Returns
    -------
    mean, low, high : numpy.ndarray
    """
    m = mu0 * factor
    mean = m.mean(axis=0)
    var = m.var(axis=0) + (factor**2 * tau**2).mean(axis=0)
    half = Z_INTERVAL * np.sqrt(var)
    return mean, mean - half, mean + half


# --------------------------------------------------------------------------- study rows


_ERF = np.vectorize(math.erf, otypes=[float])  # numpy has no erf; PyTensor has


def _norm_cdf(xp: Any, x):
    erf = getattr(xp, "erf", None) or _ERF
    return 0.5 * (1.0 + erf(x / np.sqrt(2.0)))


def row_mean(p: dict, xp: Any, rows: dict):
    """Mean effect of each study row at its site, measure and delay [d] (any library).

    ``rows`` is the design of :func:`painlab.hypoalgesia.fitdata.design`: one-hot masks
    for kind, population, site and measure, the dose, ``painful`` and ``minutes_after``.
    Returns ``(mu0, factor)``: the mean effect at the exercising limb right after the
    bout, and the factor of site, measure and decay that turns it into the row's effect.
    """
    relief = 0.0
    exposure = 0.0
    for kind in ("aerobic", "dynamic_resistance"):
        relief = relief + rows[f"kind.{kind}"] * relief_aerobic(
            p, xp, rows["intensity"], rows["minutes"], kind
        )
        exposure = exposure + rows[f"kind.{kind}"] * exposure_aerobic(
            rows["intensity"], rows["minutes"]
        )
    relief = relief + rows["kind.isometric"] * relief_isometric(p, xp, rows["share"])
    exposure = exposure + rows["kind.isometric"] * exposure_isometric(rows["share"])
    scale = rows["population.healthy"]
    sens = 0.0
    for pop in CLINICAL:
        scale = scale + rows[f"population.{pop}"] * p[f"population.{pop}.scale"]
        sens = sens + rows[f"population.{pop}"] * p[f"population.{pop}.sensitisation"]
    sens = sens + rows["painful"] * p["region.sensitisation"]
    mu0 = scale * relief - sens * exposure
    fc, fd = p["site.contralateral"], p["site.distant"]
    site = (
        rows["site.exercising"]
        + rows["site.contralateral"] * fc
        + rows["site.distant"] * fd
        + rows["site.unknown"] * (1.0 + fc + fd) / 3.0
    )
    measure = rows["measure.threshold"]
    for q in MEASURES[1:]:
        measure = measure + rows[f"measure.{q}"] * p[f"measure.{q}"]
    decay = 2.0 ** (-rows["minutes_after"] / p["time.half_life"])
    return mu0, site * measure * decay


def verdict_logp(xp: Any, theta, n, outcome):
    """Log-probability of each row's reported verdict (0 hypoalgesia, 1 none, 2
    hyperalgesia) given its true effect ``theta`` and ``n``: a two-sided within-subject
    test at 5% (SE of a within-subject d, Becker 1988)."""
    se = xp.sqrt(1.0 / n + theta**2 / (2.0 * n))
    hypo = _norm_cdf(xp, theta / se - 1.96)
    hyper = _norm_cdf(xp, -theta / se - 1.96)
    none = 1.0 - hypo - hyper
    eps = 1e-9
    pr = (outcome == 0) * hypo + (outcome == 1) * none + (outcome == 2) * hyper
    return xp.log(pr + eps)
