"""What the model returns: :class:`Response` (the effect at each site over time, its
plausible range, the reasons), :class:`Reason`, and the rules they share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from painlab import vocabulary
from painlab.bouts import (
    Bout,
)
from painlab.hypoalgesia.parameters import HYPOALGESIA_THRESHOLD, POPULATIONS, SITES

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
    """The plausible range of a response.

    Attributes
    ----------
    site_range : dict
        Site -> ``(low, high)``: the 80% prediction interval of d right after the bout
        for a new study of this dose (posterior draws plus the between-study spread).
    half_life : tuple of float
        Central 80% of the fitted half-life [min]; later minutes take the range at 0
        decayed by either end.
    """

    site_range: Mapping[str, tuple[float, float]]
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
        Plausible ranges, used by :meth:`range`.
    painful_region : bool
        Whether the bout loads the population's painful region (the model's default
        rule, :func:`painlab.hypoalgesia.model.painful_region`).
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
    painful_region: bool = False

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

        The 80% prediction interval for a new study of this dose: every posterior draw
        of the fit plus the between-study spread, at the site; later minutes decay it by
        either end of the half-life's range. It always contains :meth:`at`.
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
        lo0, hi0 = b.site_range[site]
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
            f"Plausible range at the exercising limb: d = {lo:+.1f} to {hi:+.1f} "
            f"({range_verdict(lo, hi, self.at('exercising'))})."
        )


def range_verdict(lo: float, hi: float, d: float | None = None) -> str:
    """What an 80% prediction interval ``lo..hi`` of d allows, in words.

    With the model's value ``d``, a range that spans more than one outcome is worded by
    the most likely one first ("most likely less pain; a new study could also find no
    change"); without it, by the outcomes the range allows."""
    t = HYPOALGESIA_THRESHOLD
    if lo >= t:
        return "less pain across the whole 80% range"
    if hi <= -t:
        return "more pain across the whole 80% range"
    if hi < t and lo > -t:
        return "no meaningful change across the whole 80% range"
    allowed = [
        o for o, ok in (("hypoalgesia", hi >= t), ("none", True), ("hyperalgesia", lo <= -t)) if ok
    ]
    if d is None:
        return "the range allows " + " or ".join(vocabulary.RANGE_OUTCOME_WORDS[o] for o in allowed)
    likely = _classify(d)
    others = [vocabulary.RANGE_OUTCOME_WORDS[o] for o in allowed if o != likely]
    return (
        f"most likely {vocabulary.RANGE_OUTCOME_WORDS[likely]}; a new study could also find "
        + " or ".join(others)
    )


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


def _classify(d):
    if d >= HYPOALGESIA_THRESHOLD:
        return "hypoalgesia"
    if d <= -HYPOALGESIA_THRESHOLD:
        return "hyperalgesia"
    return "none"


def _decay(d0, minutes, half_life):
    return d0 * np.power(2.0, -np.asarray(minutes, dtype=float) / half_life)


def _check_population(population: str) -> None:
    if population not in POPULATIONS:
        import difflib

        close = difflib.get_close_matches(str(population), POPULATIONS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"population must be one of {', '.join(map(repr, POPULATIONS))}; "
            f"got {population!r}.{hint}"
        )
