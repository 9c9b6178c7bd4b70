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
from dataclasses import dataclass

import numpy as np

__all__ = ["KINDS", "KIND_LABELS", "LIMITS", "UNITS", "Bout", "endurance_time"]

#: The exercise kinds painlab models.
KINDS: tuple[str, ...] = ("aerobic", "isometric", "dynamic_resistance")
#: Intensity unit of each kind (short label for axes and readouts).
UNITS: dict[str, str] = {"aerobic": "% VO2max", "isometric": "% MVC", "dynamic_resistance": "% 1RM"}
#: Plain names for screens.
KIND_LABELS: dict[str, str] = {
    "aerobic": "Aerobic (e.g. cycling)",
    "isometric": "Isometric hold",
    "dynamic_resistance": "Dynamic resistance",
}
#: Valid (min, max) intensity [unit of the kind] and duration [min] of each kind.
#: The ranges span the doses tested in the evidence base, with a margin, so that the
#: model is never asked about doses far outside what anyone has measured.
LIMITS: dict[str, dict[str, tuple[float, float]]] = {
    "aerobic": {"intensity": (20.0, 100.0), "duration": (1.0, 120.0)},
    "isometric": {"intensity": (10.0, 100.0), "duration": (0.1, 60.0)},
    "dynamic_resistance": {"intensity": (10.0, 100.0), "duration": (1.0, 90.0)},
}

# Isometric endurance time: power model ET = b0 * f ** b1, f = fraction of MVC, ET in seconds.
# Pooled ("all joints") parameters of Frey-Law & Avin (2010), a meta-analysis of 194
# endurance-time data sets. See :func:`endurance_time`.
ENDURANCE_MODEL: dict[str, float | str] = {
    "b0": 21.92,  # [s]
    "b1": -1.98,  # [-]
    "reference": "freylaw2010",
}


def endurance_time(intensity):
    """Minutes an isometric contraction at ``intensity`` % MVC can be held.

    Parameters
    ----------
    intensity : float or array_like
        Contraction intensity [% MVC], 10 to 100.

    Returns
    -------
    float or numpy.ndarray
        Endurance time (time to task failure) [min].

    Notes
    -----
    Power model :math:`ET = b_0 f^{b_1}` with :math:`f` the fraction of MVC and
    :math:`ET` in seconds, using the pooled parameters in ``ENDURANCE_MODEL``. It is an
    average across people and muscles; individual times vary widely.

    References
    ----------
    Frey-Law LA, Avin KG (2010). Endurance time is joint-specific: a modelling and
    meta-analysis investigation. Ergonomics 53(1):109-129. doi:10.1080/00140130903389068

    Examples
    --------
    >>> round(endurance_time(25), 1)
    5.7
    """
    x = np.asarray(intensity, dtype=float)
    lo, hi = LIMITS["isometric"]["intensity"]
    if np.any(~np.isfinite(x)) or np.any((x < lo) | (x > hi)):
        bad = x[~np.isfinite(x) | (x < lo) | (x > hi)].ravel()[0]
        raise ValueError(
            f"intensity must be between {lo:g} and {hi:g} % MVC for an isometric hold; got {bad:g}"
        )
    seconds = float(ENDURANCE_MODEL["b0"]) * (x / 100.0) ** float(ENDURANCE_MODEL["b1"])
    minutes = seconds / 60.0
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
    """

    kind: str
    intensity: float
    duration: float | None = None
    to_failure: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
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
                f"got {self.intensity!r}"
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
                f"got {self.duration!r}"
            )
        if self.kind == "isometric":
            et = endurance_time(self.intensity)
            if self.duration > et * (1 + 1e-9):
                raise ValueError(
                    f"duration must be at most the endurance time at {self.intensity:g} % MVC "
                    f"({et:.2f} min); got {self.duration:g} min. Use to_failure=True to hold "
                    "until task failure"
                )

    @property
    def minutes(self) -> float:
        """Duration of exercise [min] (the endurance time for a hold to task failure)."""
        if self.to_failure:
            return float(endurance_time(self.intensity))
        return float(self.duration)  # type: ignore[arg-type]

    @property
    def unit(self) -> str:
        """The intensity unit of this kind, e.g. ``"% VO2max"``."""
        return UNITS[self.kind]

    @property
    def label(self) -> str:
        """Plain description, e.g. ``"Isometric 25% MVC held to task failure (5.7 min)"``."""
        name = self.kind.replace("_", " ").capitalize()  # "Dynamic resistance"
        unit = self.unit.replace("% ", "")
        head = f"{name} {self.intensity:g}% {unit}"
        if self.to_failure:
            return f"{head} held to task failure ({self.minutes:.1f} min)"
        return f"{head} for {round(self.minutes, 1):g} min"


def _is_number(x: object) -> bool:
    return (
        isinstance(x, (int, float, np.integer, np.floating))
        and not isinstance(x, bool)
        and math.isfinite(x)
    )
