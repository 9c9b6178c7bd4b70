"""One bout of exercise: its kind, intensity and duration, with units and valid ranges.

Intensity is relative to the person's maximum, in the unit each kind of exercise is
prescribed in:

============================  ===================  ==========================
kind                          intensity unit       what 100 means
============================  ===================  ==========================
``"aerobic"``                 % VO2max             maximal oxygen uptake
``"isometric"``               % MVC                maximal voluntary contraction
``"dynamic_resistance"``      % 1RM                one-repetition maximum
============================  ===================  ==========================

Duration is minutes of exercise (for an isometric hold, the time the contraction is held).
An isometric hold cannot last longer than its endurance time (:func:`endurance_time`); a
hold "to task failure" lasts exactly that long.
"""

from __future__ import annotations

import difflib
import math
import reprlib
from dataclasses import dataclass

import numpy as np

from painlab import vocabulary

__all__ = [
    "DEFAULT_MUSCLE",
    "ENDURANCE_CURVES",
    "KINDS",
    "KIND_LABELS",
    "LIMITS",
    "MUSCLES",
    "MUSCLE_LABELS",
    "UNITS",
    "Bout",
    "EnduranceCurve",
    "check_muscle",
    "endurance_time",
]

#: The exercise kinds painlab models.
KINDS: tuple[str, ...] = ("aerobic", "isometric", "dynamic_resistance")
#: Intensity unit of each kind (short label for axes and readouts).
UNITS: dict[str, str] = {"aerobic": "% VO2max", "isometric": "% MVC", "dynamic_resistance": "% 1RM"}
#: Plain names for screens.
KIND_LABELS = vocabulary.KIND_LABELS  # defined in painlab.vocabulary
#: Valid (min, max) intensity [unit of the kind] and duration [min] of each kind.
#: The ranges span the doses tested in the evidence base, with a margin, so that the
#: model is never asked about doses far outside what anyone has measured.
#: Longest hold accepted, as a multiple of the muscle's average endurance time: the
#: Frey-Law & Avin (2010) curves are averages, and clinical protocols (e.g. tendon
#: isometrics) may outlast them; beyond this a hold is refused as implausible.
BEYOND_AVERAGE = 2.0
LIMITS: dict[str, dict[str, tuple[float, float]]] = {
    "aerobic": {"intensity": (20.0, 100.0), "duration": (1.0, 120.0)},
    "isometric": {"intensity": (10.0, 100.0), "duration": (0.1, 60.0)},
    "dynamic_resistance": {"intensity": (10.0, 100.0), "duration": (1.0, 90.0)},
}

# Isometric endurance time: power model ET = b0 * f ** b1, f = fraction of MVC, ET in seconds,
# one curve per muscle group (Frey-Law & Avin 2010, a meta-analysis of 194 endurance-time
# data sets), kept as evidence data in ``data/endurance_curves.csv``.


@dataclass(frozen=True)
class EnduranceCurve:
    """Isometric endurance time of one muscle group: :math:`ET = b_0 f^{b_1}` [s].

    Attributes
    ----------
    muscle : str
        Code name (``"grip"``, ``"elbow"``, ...; ``"pooled"`` for all joints together).
    label : str
        Plain name for screens, e.g. ``"Hand (handgrip)"``.
    b0 : float
        Endurance time at 100% MVC [s].
    b1 : float
        Exponent [-]; more negative = endurance falls faster with intensity.
    reference : str
        Citation key in :mod:`painlab.studies`.
    """

    muscle: str
    label: str
    b0: float
    b1: float
    reference: str

    def minutes(self, intensity):
        """Endurance time [min] at ``intensity`` % MVC (array-friendly, no checks)."""
        return self.b0 * (np.asarray(intensity, dtype=float) / 100.0) ** self.b1 / 60.0


def _load_curves() -> dict[str, EnduranceCurve]:
    import csv
    from importlib import resources

    text = resources.files("painlab").joinpath("data/endurance_curves.csv").read_text("utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines()):
        out[row["muscle"]] = EnduranceCurve(
            row["muscle"], row["label"], float(row["b0"]), float(row["b1"]), row["citation_key"]
        )
    return out


#: Endurance-time curve of each muscle group (code name -> curve), from
#: ``data/endurance_curves.csv``.
ENDURANCE_CURVES: dict[str, EnduranceCurve] = _load_curves()
#: Muscle groups an isometric hold can use, in the order screens list them.
MUSCLES: tuple[str, ...] = tuple(ENDURANCE_CURVES)
#: Handgrip is the commonest isometric protocol in EIH studies (Koltyn & Umeda 2007,
#: Staud 2005, Ohlman 2018 and others), so it is the default.
DEFAULT_MUSCLE = "grip"
#: Plain names for screens.
MUSCLE_LABELS: dict[str, str] = {m: c.label for m, c in ENDURANCE_CURVES.items()}
#: Deprecated: the pooled curve's coefficients (use :data:`ENDURANCE_CURVES`).
ENDURANCE_MODEL: dict[str, float | str] = {
    "b0": ENDURANCE_CURVES["pooled"].b0,
    "b1": ENDURANCE_CURVES["pooled"].b1,
    "reference": ENDURANCE_CURVES["pooled"].reference,
}


#: Other names accepted for a muscle group (older painlab code called handgrip "hand").
MUSCLE_ALIASES: dict[str, str] = {"hand": "grip", "handgrip": "grip"}


def check_muscle(muscle: object) -> str:
    """Return the code name of ``muscle`` (aliases accepted), else raise a ValueError with
    the valid names and a did-you-mean."""
    if isinstance(muscle, str):
        if muscle in ENDURANCE_CURVES:
            return muscle
        if muscle in MUSCLE_ALIASES:
            return MUSCLE_ALIASES[muscle]
    names = {m: m for m in MUSCLES} | MUSCLE_ALIASES
    close = difflib.get_close_matches(str(muscle).lower(), list(names), n=1)
    hint = f" Did you mean {names[close[0]]!r}?" if close else ""
    raise ValueError(
        f"muscle must be one of {', '.join(map(repr, MUSCLES))}; got {muscle!r}.{hint}"
    )


def endurance_time(intensity, muscle: str = DEFAULT_MUSCLE):
    """Minutes an isometric contraction at ``intensity`` % MVC can be held.

    Parameters
    ----------
    intensity : float or array_like
        Contraction intensity [% MVC], 10 to 100.
    muscle : str, default "grip"
        Muscle group, one of :data:`MUSCLES` (``"pooled"``: all joints together).

    Returns
    -------
    float or numpy.ndarray
        Endurance time (time to task failure) [min].

    Raises
    ------
    TypeError
        For text (``"50"``), booleans, ``None`` and other non-numbers.
    ValueError
        For an empty array, or an intensity outside 10 to 100 % MVC (NaN, infinity, huge).

    Notes
    -----
    Power model :math:`ET = b_0 f^{b_1}` with :math:`f` the fraction of MVC and
    :math:`ET` in seconds, with the joint-specific coefficients of Frey-Law & Avin (2010),
    who found that one pooled curve does not represent every joint. It is an average
    across people; individual times vary widely.

    References
    ----------
    Frey-Law LA, Avin KG (2010). Endurance time is joint-specific: a modelling and
    meta-analysis investigation. Ergonomics 53(1):109-129. doi:10.1080/00140130903389068

    Examples
    --------
    >>> round(endurance_time(25, "pooled"), 1)
    5.7
    """
    curve = ENDURANCE_CURVES[check_muscle(muscle)]
    lo, hi = LIMITS["isometric"]["intensity"]
    valid = f"a number or an array of numbers from {lo:g} to {hi:g} % MVC"
    try:
        raw = np.asarray(intensity)
    except (ValueError, OverflowError):  # a ragged list
        raw = np.asarray(None, dtype=object)
    if raw.dtype.kind == "O" and all(
        isinstance(v, int) and not isinstance(v, bool) for v in raw.ravel()
    ):  # whole numbers too large for a float, e.g. 10**400
        raise ValueError(f"intensity must be {valid}; got {_show(intensity)}")
    if raw.dtype.kind not in "iuf":  # text, booleans, None, other objects
        raise TypeError(
            f"intensity must be {valid}; got {_show(intensity)} ({type(intensity).__name__})"
        )
    if raw.size == 0:
        raise ValueError(f"intensity must be {valid}; got an empty {type(intensity).__name__}")
    x = raw.astype(float)
    if np.any(~np.isfinite(x)) or np.any((x < lo) | (x > hi)):
        bad = x[~np.isfinite(x) | (x < lo) | (x > hi)].ravel()
        got = f"{bad[0]:g}" if bad.size else repr(intensity)
        raise ValueError(
            f"intensity must be between {lo:g} and {hi:g} % MVC for an isometric hold; got {got}"
        )
    minutes = curve.minutes(x)
    return float(minutes) if minutes.ndim == 0 else minutes


@dataclass(frozen=True)
class Bout:
    """A single bout of exercise.

    Parameters
    ----------
    kind : {"aerobic", "isometric", "dynamic_resistance"}
    intensity : float
        Relative intensity in the kind's unit (see :data:`UNITS`).
    duration : float, optional
        Minutes of exercise. Required unless ``to_failure`` is true.
    to_failure : bool, default False
        Isometric only: hold until task failure (duration = :func:`endurance_time`);
        then give no duration.
    muscle : str, optional
        Isometric only: the muscle group holding the contraction, one of :data:`MUSCLES`
        (default :data:`DEFAULT_MUSCLE`, handgrip). It sets the endurance time.

    Raises
    ------
    ValueError
        Naming the parameter, its valid range and unit; also for ``to_failure=True``
        together with a duration (a contradiction).
    TypeError
        If ``to_failure`` is not True or False.

    Examples
    --------
    >>> Bout("aerobic", intensity=75, duration=30).label
    'Aerobic 75% VO2max for 30 min'
    >>> Bout("isometric", 25, to_failure=True, muscle="knee").muscle
    'knee'
    """

    kind: str
    intensity: float
    duration: float | None = None
    to_failure: bool = False
    muscle: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or self.kind not in KINDS:
            close = difflib.get_close_matches(str(self.kind), KINDS, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"kind must be one of {', '.join(map(repr, KINDS))}; got {self.kind!r}.{hint}"
            )
        lo, hi = LIMITS[self.kind]["intensity"]
        unit = UNITS[self.kind]
        if not _is_number(self.intensity) or not lo <= self.intensity <= hi:
            raise ValueError(
                f"intensity must be between {lo:g} and {hi:g} {unit} for {self.kind} exercise; "
                f"got {_show(self.intensity)}"
            )
        if self.kind == "isometric":
            muscle = DEFAULT_MUSCLE if self.muscle is None else check_muscle(self.muscle)
            object.__setattr__(self, "muscle", muscle)
        elif self.muscle is not None:
            raise ValueError(
                f"muscle applies to isometric holds only; got muscle={self.muscle!r} for "
                f"{self.kind} exercise"
            )
        if not isinstance(self.to_failure, (bool, np.bool_)):
            raise TypeError(
                f"to_failure must be True or False (hold until task failure); got "
                f"{self.to_failure!r}"
            )
        if self.to_failure:
            if self.duration is not None:
                raise ValueError(
                    "to_failure=True and a duration contradict each other: a hold to task "
                    "failure lasts the endurance time. Give duration=None, or to_failure=False"
                )
            if self.kind != "isometric":
                raise ValueError(
                    "to_failure applies to isometric holds only; give a duration in minutes"
                )
            return
        dlo, dhi = LIMITS[self.kind]["duration"]
        if self.duration is None:
            raise ValueError(f"duration is required: minutes of exercise, {dlo:g} to {dhi:g} min")
        if not _is_number(self.duration) or not dlo <= self.duration <= dhi:
            raise ValueError(
                f"duration must be between {dlo:g} and {dhi:g} min for {self.kind} exercise; "
                f"got {_show(self.duration)}"
            )
        if self.kind == "isometric":
            et = endurance_time(self.intensity, self.muscle or DEFAULT_MUSCLE)
            if self.duration > BEYOND_AVERAGE * et * (1 + 1e-9):
                raise ValueError(
                    f"duration must be at most {BEYOND_AVERAGE:g} x the average endurance time "
                    f"of the {self.muscle_label} at {self.intensity:g} % MVC ({et:.2f} min, so "
                    f"{BEYOND_AVERAGE * et:.2f} min); got {self.duration:g} min. The curve is an "
                    "average and people vary, but not that much. Use to_failure=True to hold "
                    "until task failure"
                )

    @property
    def minutes(self) -> float:
        """Duration of exercise [min] (the endurance time for a hold to task failure)."""
        if self.to_failure or self.duration is None:
            return float(endurance_time(self.intensity, self.muscle or DEFAULT_MUSCLE))
        return float(self.duration)

    @property
    def beyond_average(self) -> bool:
        """True for a hold longer than the muscle's average endurance time (possible for
        people who outlast the average curve; the model treats it as a hold to failure)."""
        if self.kind != "isometric" or self.to_failure or self.duration is None:
            return False
        return bool(self.duration > float(self.endurance or 0.0) * (1 + 1e-9))

    @property
    def endurance(self) -> float | None:
        """Endurance time [min] of this hold's muscle at its intensity (``None`` if not isometric)."""
        if self.kind != "isometric":
            return None
        return float(endurance_time(self.intensity, self.muscle or DEFAULT_MUSCLE))

    @property
    def unit(self) -> str:
        """The intensity unit of this kind, e.g. ``"% VO2max"``."""
        return UNITS[self.kind]

    @property
    def muscle_label(self) -> str:
        """Plain name of the muscle group (``""`` when not isometric)."""
        return MUSCLE_LABELS[self.muscle].lower() if self.muscle else ""

    @property
    def label(self) -> str:
        """Plain description, e.g. ``"Isometric 25% MVC (handgrip) held to task failure (7.5 min)"``."""
        name = self.kind.replace("_", " ").capitalize()  # "Dynamic resistance"
        unit = self.unit.replace("% ", "")
        head = f"{name} {self.intensity:g}% {unit}"
        if self.kind == "isometric":
            head += f" ({self.muscle_label})"
        if self.to_failure:
            return f"{head} held to task failure ({self.minutes:.1f} min)"
        return f"{head} for {round(self.minutes, 1):g} min"


def _is_number(x: object) -> bool:
    """A finite real number: not text, not a boolean, not an array, not beyond a float."""
    if not isinstance(x, (int, float, np.integer, np.floating)) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:  # an int too large for a float, e.g. 10**400
        return False


def _show(value: object) -> str:
    """A short repr for error messages, safe for any value (huge ints, arrays, objects)."""
    try:
        return reprlib.repr(value)
    except Exception:
        return f"<{type(value).__name__}>"
