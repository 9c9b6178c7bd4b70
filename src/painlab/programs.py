"""Multi-week exercise programmes: adherence and pain over the weeks (key points K6-K12).

A :class:`Program` prescribes exercise for one chronic pain condition: how many weeks,
how many sessions a week, how hard, whether sessions are supervised, and whether a
motivational or cognitive-behavioural adjunct is added. :func:`simulate` follows a cohort
of simulated patients week by week and returns a :class:`ProgramResult`:

- **adherence** -- the fraction of the week's prescribed sessions each patient did;
- **pain change** -- each patient's change in pain from baseline (negative = less pain),
  made of a benefit that grows with the sessions actually done, an early flare in some
  patients, and week-to-week fluctuation.

This is an **illustrative simulation calibrated to published estimates, not a clinical
prediction tool.** At full adherence to the reference programme (12 weeks, 3 sessions a
week) the cohort's mean benefit equals the cited exercise-versus-control estimate for the
condition (:func:`target_effect`). Adherence starts and declines at rates read from
cohort and trial data, and supervision slows the decline. Where the evidence gives only a
direction (adjuncts, flare size, spread between patients) the size is illustrative;
every parameter, with its unit, source and basis, is in :data:`PARAMETERS`, and each
result lists in ``notes`` which parts are cited and which are illustrative.

Model
-----
For patient :math:`i` in week :math:`t = 1 \\ldots W`:

.. math::

    a_{i,t} &= \\operatorname{clip}\\big(A_i\\, e^{-k_i (t-1)} + \\varepsilon_{i,t},\\ 0,\\ 1\\big)
    \\qquad k_i = k_{sup}\\, f_{home}^{[\\text{not supervised}]}\\, f_{adjunct}\\, L_i \\\\
    S_{i,t} &= n_{wk} \\sum_{u \\le t} a_{i,u} \\\\
    D_{i,t} &= R_i\\, E\\, \\frac{1 - e^{-S_{i,t}/S_c}}{1 - e^{-S_{ref}/S_c}} \\\\
    \\Delta p_{i,t} &= -D_{i,t} + F_i\\, e^{-(t-1)/\\tau} + N_{i,t}

with :math:`A_i` the patient's starting adherence, :math:`k_i` the weekly decline rate,
:math:`n_{wk}` sessions per week, :math:`S` cumulative sessions done, :math:`E` the cited
effect (:math:`S_{ref}` = 36 sessions), :math:`R_i \\ge 0` the patient's responsiveness
(mean 1), :math:`F_i \\ge 0` the early flare (zero in most patients) and :math:`N` an
AR(1) week-to-week fluctuation. Because :math:`D` only grows with :math:`S` and
:math:`R_i \\ge 0`, doing more sessions never gives less benefit. Random draws do not
depend on the programme settings, so two programmes simulated with the same seed follow
the same patients and can be compared patient by patient.

Units: the benefit is in the unit of the cited estimate -- an SMD (pain standard
deviations) for most conditions; for a condition whose only estimate is a mean difference
(knee osteoarthritis: points on a 0-100 pain scale) the result stays in those points and
is labelled so (:attr:`ProgramResult.unit`).

References
----------
Every citation key below resolves with :func:`painlab.studies.cite`; the numbers are rows
of ``condition_effects.csv`` and ``program_evidence.csv``.

- Andersen LL et al. (2008) -- ``andersen2008b``: participation 54% -> 35%.
- Zebis MK et al. (2011) -- ``zebis2011``: 85% weekly adherence.
- Mannion AF et al. (2009) -- ``mannion2009``: adherence index 85%.
- Hayden JA et al. (2005) -- ``hayden2005b``: supervised vs home 5.9 of 100 points.
- Juhl C et al. (2014) -- ``juhl2014``: supervised >= 3/week SMD 0.68 vs 0.41.
- Boyer KA, Hafer JF (2019) -- ``boyer2019``: 8 of 19 flared after one walk.
- Friedrich M et al. (1998), Vong SK et al. (2011), Jordan JL et al. (2010): adjuncts.
"""

from __future__ import annotations

import math
import reprlib
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy as np

from painlab import studies

__all__ = [
    "ADJUNCTS",
    "CONDITIONS",
    "INTENSITIES",
    "LIMITS",
    "PARAMETERS",
    "Parameter",
    "Program",
    "ProgramResult",
    "Target",
    "describe",
    "simulate",
    "target_effect",
]

#: Exercise intensity of a programme, as prescribed (relative to the patient's maximum).
INTENSITIES: tuple[str, ...] = ("low", "moderate", "high")
#: Adjuncts added to the exercise programme to support adherence (K12).
ADJUNCTS: tuple[str, ...] = ("none", "motivational", "cognitive_behavioural")
#: Valid (min, max) of the numeric programme settings and their units.
LIMITS: dict[str, tuple[int, int, str]] = {
    "weeks": (1, 52, "weeks"),
    "sessions_per_week": (1, 7, "sessions per week"),
    "n_patients": (2, 10_000, "patients"),
}


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Parameter:
    """A simulation parameter: value, unit, sources and how the value was obtained.

    ``illustrative`` is True when the evidence gives only a direction (or nothing) and
    the size was chosen for teaching; such values are listed in every result's notes.
    """

    value: float
    unit: str
    references: tuple[str, ...]
    basis: str
    illustrative: bool = False


#: Every parameter of the simulation, keyed by name. ``references`` are citation keys of
#: :mod:`painlab.studies`; ``basis`` says how the value was read off them.
PARAMETERS: dict[str, Parameter] = {}


def _p(name: str, value: float, unit: str, refs: str, basis: str, illustrative: bool = False):
    PARAMETERS[name] = Parameter(float(value), unit, tuple(refs.split()), basis, illustrative)


# -- dose: benefit grows with cumulative sessions done
_p(
    "reference_sessions",
    36,
    "sessions",
    "juhl2014 jan2008 sandal2016 andersen2011 verbrugghe2020 zebis2011",
    "Dose at which the cited exercise-vs-control estimate is reached: 12 weeks (middle of the "
    "8-20 week programmes in program_evidence.csv) x 3 sessions a week (Juhl 2014: supervised "
    "exercise >= 3 times a week gave the larger effect, SMD 0.68 vs 0.41).",
)
_p(
    "saturation_sessions",
    24,
    "sessions",
    "hayden2005b polaski2019",
    "Sessions over which the benefit approaches its ceiling (1 - 1/e of it). Size "
    "illustrative; chosen to give diminishing returns beyond the reference programme, in line "
    "with the small, uncertain dose effects found (Hayden 2005b: high vs low dose only 1.8 of "
    "100 points; Polaski 2019: little evidence of a dose-response).",
    illustrative=True,
)
for _level in INTENSITIES:
    _p(
        f"benefit_scale.{_level}",
        1.0,
        "x cited effect",
        "juhl2014 messier2021 jan2008",
        "Benefit per session is the same at every intensity: intensity showed no detectable "
        "impact (Juhl 2014); 18 months of high- vs low-intensity strength training did not "
        "differ in pain (Messier 2021); high and low resistance both helped and did not differ "
        "significantly (Jan 2008).",
    )

# -- adherence
_p(
    "initial_adherence",
    0.85,
    "fraction of prescribed sessions",
    "zebis2011 mannion2009",
    "Mean adherence in week 1: 85% of trained workers followed the programme weekly "
    "(Zebis 2011); mean adherence index 85% in a 9-week programme (Mannion 2009).",
)
_p(
    "initial_adherence_concentration",
    12,
    "-",
    "smith2023",
    "Concentration of the beta distribution of week-1 adherence between patients "
    "(SD about 0.10). Size illustrative; reported adherence varies widely (Smith 2023: "
    "3.7-100% across trials).",
    illustrative=True,
)
_p(
    "decline_rate.supervised",
    math.log(54 / 35) / 26,
    "per week",
    "andersen2008b",
    "Weekly decline rate of adherence in supervised programmes: regular participation in "
    "supervised specific resistance training fell from 54% in the first half-year to 35% in "
    "the second (Andersen 2008b), ln(54/35) / 26 weeks = 0.0167 per week.",
)
_p(
    "decline_rate_spread",
    0.5,
    "SD of log",
    "smith2023",
    "Between-patient spread (lognormal SD) of the decline rate. Size illustrative; adherence "
    "differs enormously between people and trials (Smith 2023).",
    illustrative=True,
)
_p(
    "adherence_noise",
    0.08,
    "fraction of prescribed sessions",
    "",
    "SD of week-to-week variation in each patient's adherence (illness, holidays). Illustrative.",
    illustrative=True,
)
_p(
    "decline_factor.home",
    10.0,
    "x supervised decline rate",
    "jordan2010 hayden2005b juhl2014",
    "Home (unsupervised) programmes lose adherence faster. Direction: supervision improved "
    "adherence in 5 of 6 delivery trials (Jordan 2010). Size calibrated, assuming the whole "
    "supervision effect works through adherence: at default settings a home programme then "
    "earns 0.68 of the supervised benefit, matching 1 - 5.9/18.1 = 0.67 from Hayden 2005b "
    "(individually supervised exercise gave 5.9, 2.1-9.8, of 100 points more relief than home "
    "exercise, against 18.1 for the best-featured programme); less frequent supervision gave "
    "SMD 0.41 instead of 0.68 (ratio 0.60, Juhl 2014).",
)
_p(
    "decline_factor.none",
    1.0,
    "x decline rate",
    "",
    "No adjunct: the decline rate is unchanged.",
)
_p(
    "decline_factor.motivational",
    0.5,
    "x decline rate",
    "friedrich1998 vong2011 henschke2010",
    "A motivational programme halves the decline rate. Direction: adding motivation improved "
    "attendance (Friedrich 1998, P = .0005) and motivational enhancement improved compliance "
    "(Vong 2011, P = .002); neither abstract gives adherence percentages, so the size is "
    "illustrative. For comparison, pain at 4 months was 32.7 vs 39.8 of 100 with vs without "
    "the motivation programme (Friedrich 1998 as tabulated by Henschke 2010).",
    illustrative=True,
)
_p(
    "decline_factor.cognitive_behavioural",
    0.75,
    "x decline rate",
    "jordan2010",
    "A cognitive-behavioural adjunct slows the decline by a quarter. Direction: "
    "self-management techniques improved adherence in 6 of 8 trials, CBT only in whiplash "
    "(Jordan 2010), so the effect is set smaller than the motivational one. Size illustrative.",
    illustrative=True,
)

# -- between-patient response and week-to-week pain fluctuation
_p(
    "responsiveness_cv",
    0.5,
    "coefficient of variation",
    "",
    "Spread of how much patients benefit per session (gamma distribution, mean 1, never "
    "negative, so more sessions never mean less benefit). Illustrative.",
    illustrative=True,
)
_p(
    "fluctuation_sd",
    0.3,
    "pain SD",
    "",
    "SD of week-to-week pain fluctuation around each patient's course. Illustrative.",
    illustrative=True,
)
_p(
    "fluctuation_autocorrelation",
    0.5,
    "-",
    "",
    "Correlation of the fluctuation from one week to the next (AR(1)). Illustrative.",
    illustrative=True,
)
_p(
    "points_per_sd",
    20,
    "points on a 0-100 pain scale per pain SD",
    "",
    "Converts the illustrative flare and fluctuation sizes (set in pain SDs) into points "
    "for conditions whose cited estimate is a mean difference on a 0-100 scale. The cited "
    "estimate itself is never converted. Illustrative (no SD basis in the evidence files).",
    illustrative=True,
)

# -- early flare (K9)
_p(
    "flare_probability",
    8 / 19,
    "fraction of patients",
    "boyer2019 sandal2016",
    "Share of patients whose pain rises when the programme starts: 8 of 19 people with knee "
    "osteoarthritis had a clinically significant flare after one 20-minute walk (Boyer 2019); "
    "Sandal 2016 tracked such flares session by session. Applied to every condition.",
)
_p(
    "flare_size",
    0.4,
    "pain SD",
    "boyer2019 smith2017",
    "Mean size of the week-1 pain rise in patients who flare (exponentially distributed "
    "between them). Size illustrative: Boyer 2019 reports flares as clinically significant "
    "without a size; pain during exercise did not worsen outcomes (Smith 2017).",
    illustrative=True,
)
_p(
    "flare_decay_weeks",
    1.0,
    "weeks",
    "sandal2016",
    "e-folding time of the flare (to 37% by week 2, 5% by week 4). Size illustrative; "
    "Sandal 2016 found pain falling steadily over 8 weeks (about 0.04 of 10 NRS points per "
    "session) despite session flares.",
    illustrative=True,
)
for _level, _scale in zip(INTENSITIES, (0.5, 1.0, 1.5), strict=True):
    _p(
        f"flare_scale.{_level}",
        _scale,
        "x flare size",
        "boyer2019 messier2021",
        "Harder exercise provokes bigger early flares. Size illustrative: high-intensity "
        "training did not worsen symptoms over 18 months (Messier 2021), so the difference is "
        "confined to the first weeks.",
        illustrative=True,
    )
del _level, _scale


def _v(name: str) -> float:
    return PARAMETERS[name].value


# --------------------------------------------------------------------------- the target


@dataclass(frozen=True)
class Target:
    """The cited exercise-versus-control effect a programme is calibrated to.

    Attributes
    ----------
    condition : str
    effect_size : float
        Benefit of exercise over control (positive = less pain) [``unit``].
    ci_low, ci_high : float
        Its 95% confidence interval [``unit``].
    metric : {"smd", "md"}
    unit : str
        ``"SMD"`` or e.g. ``"points (0-100 pain)"``.
    citation : painlab.studies.Citation
    timepoint : str
        When the source measured it (may be empty).
    comparison : str
    """

    condition: str
    effect_size: float
    ci_low: float
    ci_high: float
    metric: str
    unit: str
    citation: studies.Citation
    timepoint: str
    comparison: str

    @property
    def citation_key(self) -> str:
        """Citation key of the source, e.g. ``"verville2023"``."""
        return self.citation.key

    @property
    def sd_units(self) -> float:
        """Size of one pain SD in ``unit`` (1 for SMD; ``points_per_sd`` for points)."""
        return 1.0 if self.metric == "smd" else _v("points_per_sd")

    def label(self) -> str:
        """E.g. ``"Verville et al. 2023: 0.33 SMD (95% CI 0.08 to 0.58)"``."""
        f = _fmt(self.metric)
        return (
            f"{self.citation.short}: {f(self.effect_size)} {self.unit} "
            f"(95% CI {f(self.ci_low)} to {f(self.ci_high)})"
        )


def _fmt(metric: str):
    return (lambda x: f"{x:.2f}") if metric == "smd" else (lambda x: f"{x:.1f}")


def _usable(rec: studies.ConditionEffect) -> bool:
    if rec.effect_size is None or rec.ci_low is None or rec.ci_high is None:
        return False
    return rec.effect_metric == "smd" or (rec.effect_metric == "md" and "0-100" in rec.scale)


def _target_from(rec: studies.ConditionEffect) -> Target:
    unit = "SMD" if rec.effect_metric == "smd" else f"points ({rec.scale})"
    return Target(
        condition=rec.condition,
        effect_size=float(rec.effect_size),  # type: ignore[arg-type]
        ci_low=float(rec.ci_low),  # type: ignore[arg-type]
        ci_high=float(rec.ci_high),  # type: ignore[arg-type]
        metric=rec.effect_metric,
        unit=unit,
        citation=rec.citation,
        timepoint=rec.timepoint,
        comparison=rec.comparison,
    )


@cache
def _targets() -> dict[str, Target]:
    out: dict[str, Target] = {}
    for condition in studies.CONDITIONS:
        rows = [r for r in studies.condition_effects(condition) if _usable(r)]
        if not rows:
            continue
        # SMD rows first (one unit across conditions), then the most precise (narrowest CI).
        best = min(rows, key=lambda r: (r.effect_metric != "smd", r.ci_high - r.ci_low))
        out[condition] = _target_from(best)
    return out


#: Conditions with a usable numeric exercise-vs-control estimate in condition_effects.csv.
CONDITIONS: tuple[str, ...] = tuple(_targets())


def target_effect(condition: str) -> Target:
    """The cited exercise-versus-control effect on pain for ``condition``.

    Of the condition's rows in ``condition_effects.csv`` with an estimate and a 95% CI,
    an SMD row is preferred (one unit across conditions); a mean difference is used only
    when no SMD exists and only on a 0-100 scale, and stays in points. Among the rows
    left, the most precise (narrowest CI) is chosen.

    Parameters
    ----------
    condition : str
        One of :data:`CONDITIONS`.

    Returns
    -------
    Target

    Raises
    ------
    ValueError
        If ``condition`` is not one of :data:`CONDITIONS`.
    """
    _check_condition(condition)
    return _targets()[condition]


def _check_condition(condition: str) -> None:
    if condition not in CONDITIONS:
        raise ValueError(
            f"condition must be one of {', '.join(CONDITIONS)} (conditions with a cited "
            f"exercise-vs-control estimate); got {condition!r}"
        )


# --------------------------------------------------------------------------- programme


def _whole(name: str, value) -> int:
    lo, hi, unit = LIMITS[name]
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not ok and isinstance(value, float) and value.is_integer():
        ok = True
    if not ok or not lo <= value <= hi:
        raise ValueError(f"{name} must be a whole number from {lo} to {hi} {unit}; got {value!r}")
    return int(value)


def check_week(week: object, last: int, name: str = "week") -> int:
    """Return `week` as an int if it is a whole number of weeks from 0 (baseline) to `last`.

    Integer-valued floats (``2.0``, ``np.float64(2.0)``) are accepted; negative weeks are
    refused rather than read from the end.

    Raises
    ------
    TypeError
        For text, booleans, ``None``, arrays and other non-numbers.
    ValueError
        For a fraction, NaN, infinity or a week outside 0..`last`.
    """
    valid = f"a whole number of weeks from 0 (baseline) to {last}"
    if isinstance(week, (bool, np.bool_)) or not isinstance(
        week, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{name} must be {valid}; got {_show(week)} ({type(week).__name__})")
    if isinstance(week, (float, np.floating)) and not (
        math.isfinite(week) and float(week).is_integer()
    ):
        raise ValueError(f"{name} must be {valid}; got {_show(week)}")
    if not 0 <= week <= last:
        raise ValueError(f"{name} must be {valid}; got {_show(week)}")
    return int(week)


def _show(value: object) -> str:
    """A short repr for error messages, safe for huge ints and odd objects."""
    try:
        return reprlib.repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


@dataclass(frozen=True)
class Program:
    """An exercise programme prescribed for one chronic pain condition.

    Parameters
    ----------
    condition : str
        One of :data:`CONDITIONS`, e.g. ``"knee_osteoarthritis"``.
    weeks : int, default 12
        Length of the programme [weeks], 1 to 52.
    sessions_per_week : int, default 3
        Prescribed sessions [sessions per week], 1 to 7.
    intensity : {"low", "moderate", "high"}, default "moderate"
    supervised : bool, default True
        True for sessions supervised by a therapist; False for a home programme.
    adjunct : {"none", "motivational", "cognitive_behavioural"}, default "none"

    Raises
    ------
    ValueError
        Naming the parameter, its valid range or values and the unit.

    Examples
    --------
    >>> Program("chronic_low_back_pain", weeks=8, supervised=False).label
    'home 8-week moderate-intensity programme, 3 sessions/week'
    """

    condition: str
    weeks: int = 12
    sessions_per_week: int = 3
    intensity: str = "moderate"
    supervised: bool = True
    adjunct: str = "none"

    def __post_init__(self) -> None:
        _check_condition(self.condition)
        object.__setattr__(self, "weeks", _whole("weeks", self.weeks))
        object.__setattr__(
            self, "sessions_per_week", _whole("sessions_per_week", self.sessions_per_week)
        )
        if self.intensity not in INTENSITIES:
            raise ValueError(
                f"intensity must be one of {', '.join(INTENSITIES)}; got {self.intensity!r}"
            )
        if not isinstance(self.supervised, (bool, np.bool_)):
            raise ValueError(
                f"supervised must be True (supervised sessions) or False (home programme); "
                f"got {self.supervised!r}"
            )
        object.__setattr__(self, "supervised", bool(self.supervised))
        if self.adjunct not in ADJUNCTS:
            raise ValueError(f"adjunct must be one of {', '.join(ADJUNCTS)}; got {self.adjunct!r}")

    @property
    def label(self) -> str:
        """Plain description, e.g. ``'supervised 12-week moderate-intensity programme, ...'``."""
        mode = "supervised" if self.supervised else "home"
        text = (
            f"{mode} {self.weeks}-week {self.intensity}-intensity programme, "
            f"{self.sessions_per_week} session{'s' if self.sessions_per_week > 1 else ''}/week"
        )
        if self.adjunct != "none":
            text += f", with a {self.adjunct.replace('_', '-')} adjunct"
        return text

    @property
    def prescribed_sessions(self) -> int:
        """Sessions prescribed over the whole programme [sessions]."""
        return self.weeks * self.sessions_per_week


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False)
class ProgramResult:
    """A simulated cohort following one programme.

    Sign convention: ``pain_change`` is the change in pain from baseline, **negative =
    less pain**; ``benefit = -pain_change`` (positive = less pain, the sign of the
    evidence files).

    Attributes
    ----------
    program : Program
    weeks : numpy.ndarray, shape (W + 1,)
        Week numbers 0 (baseline) to W.
    adherence : numpy.ndarray, shape (n_patients, W)
        Fraction of the week's prescribed sessions each patient did, weeks 1..W
        (x axis ``weeks[1:]``) [0-1].
    sessions : numpy.ndarray, shape (n_patients, W + 1)
        Cumulative sessions done by the end of each week [sessions].
    pain_change : numpy.ndarray, shape (n_patients, W + 1)
        Change in pain from baseline [``unit``]; 0 in week 0; negative = less pain.
    dose_benefit : numpy.ndarray, shape (n_patients, W + 1)
        The part of the benefit earned by the sessions done, without flare and
        fluctuation [``unit``]; never decreases over the weeks.
    flare : numpy.ndarray, shape (n_patients, W + 1)
        The early pain rise [``unit``]; 0 in most patients.
    early_change, late_change : numpy.ndarray, shape (n_patients,)
        Pain change in week 1 and in the final week [``unit``].
    early_late_r : float
        Pearson r between ``early_change`` and ``late_change`` across patients (1 when the
        programme lasts one week).
    target : Target
        The cited estimate the benefit is calibrated to.
    unit : str
        ``"SMD"`` (pain standard deviations) or ``"points (0-100 pain)"``.
    notes : tuple of str
        What is cited and what is illustrative, in plain sentences for screens.
    full_adherence : bool
        True when every patient was made to do every session.
    """

    program: Program
    weeks: np.ndarray
    adherence: np.ndarray
    sessions: np.ndarray
    pain_change: np.ndarray
    dose_benefit: np.ndarray
    flare: np.ndarray
    early_change: np.ndarray
    late_change: np.ndarray
    early_late_r: float
    target: Target
    unit: str
    notes: tuple[str, ...] = field(default=())
    full_adherence: bool = False

    @property
    def pain(self) -> np.ndarray:
        """Alias of :attr:`pain_change` (negative = less pain) [``unit``]."""
        return self.pain_change

    @property
    def benefit(self) -> np.ndarray:
        """``-pain_change``: less pain than at baseline is positive [``unit``]."""
        return -self.pain_change

    @property
    def n_patients(self) -> int:
        """Number of simulated patients."""
        return int(self.pain_change.shape[0])

    def median_pain(self) -> np.ndarray:
        """Median pain change across patients for each week 0..W [``unit``]."""
        return np.median(self.pain_change, axis=0)

    def band(self, q: tuple[float, float] = (0.25, 0.75)) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper quantiles of pain change for each week 0..W [``unit``].

        Parameters
        ----------
        q : (float, float), default (0.25, 0.75)
            Quantiles between 0 and 1 (the default gives the interquartile range).
        """
        lo, hi = q
        if not 0.0 <= lo <= hi <= 1.0:
            raise ValueError(f"q must be two quantiles with 0 <= low <= high <= 1; got {q!r}")
        out = np.quantile(self.pain_change, [lo, hi], axis=0)
        return out[0], out[1]

    def mean_adherence(self) -> np.ndarray:
        """Mean fraction of prescribed sessions done in each week 1..W [0-1]."""
        return self.adherence.mean(axis=0)

    def mean_benefit(self, week: int | None = None) -> float:
        """Cohort mean benefit (positive = less pain) in ``week`` (default: last) [``unit``].

        Parameters
        ----------
        week : int, optional
            A whole number of weeks from 0 (baseline, benefit 0) to the programme's
            weeks; default: the last week.

        Raises
        ------
        TypeError, ValueError
            For anything else (see :func:`check_week`), naming the valid weeks.
        """
        last = int(self.pain_change.shape[1]) - 1
        col = last if week is None else check_week(week, last)
        return float(self.benefit[:, col].mean())


# --------------------------------------------------------------------------- simulation

_MAX_WEEKS = LIMITS["weeks"][1]


@lru_cache(maxsize=4)
def _ar1_matrix(rho: float, n: int) -> np.ndarray:
    """K such that ``z @ K`` turns iid N(0,1) rows into a stationary AR(1) with unit SD."""
    t = np.arange(n)
    lag = t[None, :] - t[:, None]
    K = np.where(lag >= 0, rho ** np.clip(lag, 0, None), 0.0) * math.sqrt(1 - rho**2)
    K[0, :] = rho**t  # the first innovation starts the process at its stationary SD
    K.flags.writeable = False
    return K


def _draws(n: int, seed: int) -> dict[str, np.ndarray]:
    """All random numbers of a cohort, in a fixed order that never depends on settings."""
    rng = np.random.default_rng(seed)
    a0 = _v("initial_adherence")
    kappa = _v("initial_adherence_concentration")
    s = _v("decline_rate_spread")
    cv = _v("responsiveness_cv")
    shape = 1.0 / cv**2
    return {
        "start": rng.beta(a0 * kappa, (1 - a0) * kappa, n),
        "decline": rng.lognormal(-(s**2) / 2, s, n),
        "adherence_noise": rng.standard_normal((n, _MAX_WEEKS)),
        "responsiveness": rng.gamma(shape, 1.0 / shape, n),
        "flares": rng.random(n),
        "flare_size": rng.exponential(1.0, n),
        "fluctuation": rng.standard_normal((n, _MAX_WEEKS)),
    }


def simulate(
    program: Program, n_patients: int = 200, seed: int = 0, full_adherence: bool = False
) -> ProgramResult:
    """Simulate a cohort following ``program`` week by week.

    Parameters
    ----------
    program : Program
    n_patients : int, default 200
        Cohort size [patients], 2 to 10 000.
    seed : int, default 0
        Seed of the random generator (:func:`numpy.random.default_rng`); the same seed
        gives the same cohort, and programmes simulated with one seed share patients.
    full_adherence : bool, default False
        If True, every patient does every prescribed session (adherence 1): the
        calibration case, where the mean benefit of the reference programme equals the
        cited estimate. Must be True or False (``TypeError`` otherwise).

    Returns
    -------
    ProgramResult

    Notes
    -----
    See the module docstring for the equations and :data:`PARAMETERS` for every value,
    its unit and source. Vectorised over patients and weeks: 200 patients x 52 weeks take
    about a millisecond, fast enough to recompute on every slider move.

    References
    ----------
    .. [1] Andersen LL et al. (2008). Med Sci Sports Exerc. (``andersen2008b``)
    .. [2] Hayden JA, van Tulder MW, Tomlinson G (2005). Ann Intern Med 142(9):776-785.
       doi:10.7326/0003-4819-142-9-200505030-00014 (``hayden2005b``)
    .. [3] Boyer KA, Hafer JF (2019). BMC Musculoskelet Disord 20:107.
       doi:10.1186/s12891-019-2493-4 (``boyer2019``)

    Examples
    --------
    >>> r = simulate(Program("fibromyalgia"), seed=1)
    >>> r.pain_change.shape
    (200, 13)
    """
    if not isinstance(program, Program):
        raise TypeError(f"program must be a painlab.programs.Program; got {type(program).__name__}")
    if not isinstance(full_adherence, (bool, np.bool_)):
        raise TypeError(f"full_adherence must be True or False; got {full_adherence!r}")
    n = _whole("n_patients", n_patients)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0; got {seed!r}")
    W = program.weeks
    target = target_effect(program.condition)
    sd = target.sd_units
    r = _draws(n, int(seed))

    # adherence: fraction of the week's prescribed sessions done, weeks 1..W
    if full_adherence:
        adherence = np.ones((n, W))
    else:
        k = _v("decline_rate.supervised") * _v(f"decline_factor.{program.adjunct}")
        if not program.supervised:
            k *= _v("decline_factor.home")
        t = np.arange(W)
        trend = r["start"][:, None] * np.exp(-(k * r["decline"])[:, None] * t[None, :])
        noise = _v("adherence_noise") * r["adherence_noise"][:, :W]
        adherence = np.clip(trend + noise, 0.0, 1.0)

    # cumulative sessions and the benefit they earn
    sessions = np.zeros((n, W + 1))
    sessions[:, 1:] = program.sessions_per_week * np.cumsum(adherence, axis=1)
    s_c = _v("saturation_sessions")
    norm = 1.0 - math.exp(-_v("reference_sessions") / s_c)
    gain = target.effect_size * _v(f"benefit_scale.{program.intensity}") / norm
    dose_benefit = r["responsiveness"][:, None] * gain * (1.0 - np.exp(-sessions / s_c))

    # early flare: weeks 1.., fading
    flares = r["flares"] < _v("flare_probability")
    size = _v("flare_size") * _v(f"flare_scale.{program.intensity}") * sd
    weeks = np.arange(W + 1)
    shape_t = np.where(weeks >= 1, np.exp(-(weeks - 1) / _v("flare_decay_weeks")), 0.0)
    flare = (flares * r["flare_size"] * size)[:, None] * shape_t[None, :]

    # week-to-week fluctuation (AR(1)), none at baseline
    K = _ar1_matrix(_v("fluctuation_autocorrelation"), _MAX_WEEKS)
    fluct = np.zeros((n, W + 1))
    fluct[:, 1:] = _v("fluctuation_sd") * sd * (r["fluctuation"][:, :W] @ K[:W, :W])

    pain_change = -dose_benefit + flare + fluct
    early, late = pain_change[:, 1].copy(), pain_change[:, W].copy()
    for arr in (adherence, sessions, dose_benefit, flare, weeks, pain_change, early, late):
        arr.flags.writeable = False
    r_el = 1.0 if W == 1 else float(np.corrcoef(early, late)[0, 1])

    return ProgramResult(
        program=program,
        weeks=weeks,
        adherence=adherence,
        sessions=sessions,
        pain_change=pain_change,
        dose_benefit=dose_benefit,
        flare=flare,
        early_change=early,
        late_change=late,
        early_late_r=r_el,
        target=target,
        unit=target.unit,
        notes=_notes(program, target, full_adherence),
        full_adherence=bool(full_adherence),
    )


def _notes(program: Program, target: Target, full_adherence: bool) -> tuple[str, ...]:
    f = _fmt(target.metric)
    when = f", {target.timepoint}" if target.timepoint else ""
    notes = [
        "Illustrative simulation of a cohort, calibrated to published estimates; not a "
        "prediction for any one patient.",
        f"Cited: at full adherence to 36 sessions (12 weeks x 3) the mean benefit equals "
        f"{target.citation.short}'s exercise-vs-control estimate for "
        f"{target.condition.replace('_', ' ')}, {f(target.effect_size)} {target.unit} "
        f"(95% CI {f(target.ci_low)} to {f(target.ci_high)}{when}).",
    ]
    if target.metric == "md":
        notes.append(
            f"Benefit is in {target.unit} because the cited estimate is a mean difference; it "
            f"is not converted to an SMD."
        )
    if full_adherence:
        notes.append("Every patient was set to do every session (full adherence).")
    else:
        notes.append(
            "Cited: adherence starts near 85% (Zebis 2011, Mannion 2009) and, when supervised, "
            "declines as participation did from 54% to 35% over a year (Andersen 2008b)."
        )
        if not program.supervised:
            notes.append(
                f"Cited direction, calibrated size: home programmes lose adherence "
                f"{_v('decline_factor.home'):g}x faster than supervised ones, giving about a "
                f"third less benefit (Jordan 2010; Hayden 2005b: 5.9 of 100 points)."
            )
        if program.adjunct != "none":
            p = PARAMETERS[f"decline_factor.{program.adjunct}"]
            refs = ", ".join(studies.cite(k).short for k in p.references[:2])
            notes.append(
                f"Cited direction, illustrative size: the {program.adjunct.replace('_', '-')} "
                f"adjunct multiplies the adherence decline by {p.value:g} ({refs})."
            )
    notes.append(
        "Cited: intensity does not change the benefit per session (Juhl 2014, Messier 2021, "
        "Jan 2008) or, in the model, adherence."
    )
    notes.append(
        "Cited share, illustrative size: about 8 in 19 patients flare at the start (Boyer "
        "2019); the flare size, its fading over 1-3 weeks and its growth with intensity "
        "are illustrative."
    )
    notes.append(
        "Illustrative: the spread between patients, week-to-week fluctuation and the "
        "diminishing return beyond 36 sessions."
    )
    return tuple(notes)


def describe(result: ProgramResult) -> str:
    """One readout sentence: adherence at the end, median pain change, early-vs-late r, source.

    Parameters
    ----------
    result : ProgramResult

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If `result` is not a :class:`ProgramResult`.
    """
    if not isinstance(result, ProgramResult):
        raise TypeError(
            "result must be a painlab.programs.ProgramResult (from programs.simulate); "
            f"got {_show(result)} ({type(result).__name__})"
        )
    p = result.program
    t = result.target
    f = _fmt(t.metric)
    W = p.weeks
    med = float(result.median_pain()[-1])
    adh = float(result.mean_adherence()[-1])
    condition = p.condition.replace("_", " ")
    first = f"{condition.capitalize()}, {p.label}, {result.n_patients} simulated patients: "
    if result.full_adherence:
        first += "every session done (full adherence); "
    else:
        first += f"in week {W} patients did {adh:.0%} of prescribed sessions on average; "
    text = f"{first}median pain change {f(med)} {result.unit} by week {W} (negative = less pain)"
    if W > 1:
        text += f"; week-1 change vs week-{W} change r = {result.early_late_r:.2f}"
        if abs(result.early_late_r) < 0.3:
            text += " (early response barely predicts the outcome)"
    text += f". Benefit calibrated to {t.label()}; adherence, flare and spread partly illustrative."
    return text
