"""The controls of a bout: one class for the explorer, the A/B comparison and the lecture.

:class:`BoutControls` is a dict (control name -> ipywidget, in
:data:`BoutControls.ORDER`) that also knows the rules between its controls: the
intensity range and unit follow the kind, the duration range follows the kind, the
intensity and the muscle (an isometric hold cannot outlast its endurance time), "until
failure" is for holds only, and a bout set by a program reaches the browser as one
message per slider. Labels and tooltips come from :mod:`painlab.vocabulary`.
"""

from __future__ import annotations

import contextlib

import ipywidgets as W

from painlab import hypoalgesia
from painlab.bouts import (
    DEFAULT_MUSCLE,
    KIND_LABELS,
    KINDS,
    LIMITS,
    MUSCLE_LABELS,
    MUSCLES,
    UNITS,
    Bout,
    endurance_time,
)
from painlab.vocabulary import CONTROL_LABELS, CONTROL_TIPS, POPULATION_LABELS

__all__ = ["BoutControls"]


class BoutControls(dict):
    """Kind, population, intensity, duration, muscle and "until failure" as ipywidgets.

    Parameters
    ----------
    bout : Bout
        The bout the controls start at.
    population : str
        One of :data:`painlab.POPULATIONS`.
    scale : float, default 1
        Label and control widths grow with the presenter's font scale.
    """

    #: The order in which every front end lays the controls out.
    ORDER = ("kind", "population", "intensity", "duration", "muscle", "to_failure")

    def __init__(self, bout: Bout, population: str, *, scale: float = 1.0):
        self.scale = scale
        super().__init__(self._build(bout, population))

    def _build(self, bout: Bout, population: str) -> dict[str, W.Widget]:
        lo, hi = LIMITS[bout.kind]["intensity"]
        # label and control widths grow with the presenter scale so labels never truncate
        style = {"description_width": f"{int(180 * self.scale)}px"}
        wide = W.Layout(width=f"{int(500 * self.scale)}px")
        kind = W.Dropdown(
            options=[(KIND_LABELS[k], k) for k in KINDS],
            value=bout.kind,
            description=CONTROL_LABELS["kind"],
            style=style,
            layout=wide,
        )
        inten = W.FloatSlider(
            value=bout.intensity,
            min=lo,
            max=hi,
            step=1,
            description=f"{CONTROL_LABELS['intensity']} ({UNITS[bout.kind]})",
            continuous_update=True,
            readout_format=".0f",
            style=style,
            layout=wide,
        )
        dlo, dhi = self.duration_range(bout.kind, bout.intensity, bout.muscle)
        dur = W.FloatSlider(
            value=min(bout.minutes, dhi),
            min=dlo,
            max=dhi,
            step=0.1 if bout.kind == "isometric" else 1,
            description=CONTROL_LABELS["duration"],
            continuous_update=True,
            readout_format=".1f",
            style=style,
            layout=wide,
            disabled=bout.to_failure,
        )
        pop = W.Dropdown(
            options=[(POPULATION_LABELS[p], p) for p in hypoalgesia.POPULATIONS],
            value=population,
            description=CONTROL_LABELS["population"],
            style=style,
            layout=wide,
        )
        fail = W.Checkbox(
            value=bout.to_failure,
            description=CONTROL_LABELS["to_failure"],
            disabled=bout.kind != "isometric",
            indent=False,
        )
        muscle = W.Dropdown(
            options=[(MUSCLE_LABELS[m], m) for m in MUSCLES],
            value=bout.muscle or DEFAULT_MUSCLE,
            description=CONTROL_LABELS["muscle"],
            disabled=bout.kind != "isometric",
            style=style,
            layout=wide,
        )
        controls = {
            "kind": kind,
            "intensity": inten,
            "duration": dur,
            "population": pop,
            "to_failure": fail,
            "muscle": muscle,
        }
        for name, w in controls.items():
            w.tooltip = CONTROL_TIPS[name]
        return controls

    @staticmethod
    def duration_range(
        kind: str, intensity: float, muscle: str | None = None
    ) -> tuple[float, float]:
        lo, hi = LIMITS[kind]["duration"]
        if kind == "isometric":
            hi = min(hi, float(endurance_time(intensity, muscle or DEFAULT_MUSCLE)))
        return lo, hi

    # -- state ------------------------------------------------------------------------
    @property
    def bout(self) -> Bout:
        """The bout the controls describe."""
        c = self
        if c["kind"].value == "isometric":
            m = c["muscle"].value
            if c["to_failure"].value:
                return Bout("isometric", c["intensity"].value, to_failure=True, muscle=m)
            return Bout("isometric", c["intensity"].value, c["duration"].value, muscle=m)
        return Bout(c["kind"].value, c["intensity"].value, c["duration"].value)

    @property
    def population(self) -> str:
        return self["population"].value

    @contextlib.contextmanager
    def held(self):
        """Send each control's new state to the browser once, after all changes are made.

        Without it a slider's new range and value travel as separate messages, and the
        browser can echo a stale value back in between, which then overwrites the new one
        (seen in Voilà when a preset changes kind, intensity and duration at once).
        """
        with contextlib.ExitStack() as stack:
            for w in self.values():
                stack.enter_context(w.hold_sync())
            yield

    def set(self, bout: Bout, population: str | None = None) -> None:
        """Set every control to ``bout`` (and ``population``) at once, as a program would.

        Each slider's new range and value reach the browser in one message. Sent apart,
        the browser applies the range to the value it still shows, and the slider then
        echoes that stale value back, which overwrites the new one (seen in Voilà when a
        segment switched the kind: 25% MVC arrived as 75%).
        """
        if not isinstance(bout, Bout):
            raise TypeError(f"bout must be a painlab.Bout; got {type(bout).__name__}")
        population = self.population if population is None else population
        hypoalgesia._check_population(population)
        c = self
        muscle = bout.muscle or c["muscle"].value
        ilo, ihi = LIMITS[bout.kind]["intensity"]
        dlo, dhi = self.duration_range(bout.kind, bout.intensity, muscle)
        duration = dhi if bout.to_failure else bout.minutes
        sliders = {"intensity": (ilo, ihi, bout.intensity), "duration": (dlo, dhi, duration)}
        with self.held():
            for name, (lo, hi, v) in sliders.items():
                s = c[name]
                # widen first, so the kernel never clamps the new value to the old range
                s.min, s.max = min(lo, s.min), max(hi, s.max)
                s.value = v
                s.min, s.max = lo, hi
            c["kind"].value = bout.kind
            c["population"].value = population
            c["muscle"].value = muscle
            c["to_failure"].value = bout.to_failure
            self.rerange()
            self.sync_duration()

    def rerange(self) -> None:
        """The kind changed: set the intensity range and unit, and what holds only use."""
        c = self
        kind = c["kind"].value
        lo, hi = LIMITS[kind]["intensity"]
        s = c["intensity"]
        with s.hold_trait_notifications():
            s.min, s.max = min(lo, s.min), max(hi, s.max)
            s.value = min(max(s.value, lo), hi)
            s.min, s.max = lo, hi
        s.description = f"{CONTROL_LABELS['intensity']} ({UNITS[kind]})"
        c["to_failure"].disabled = kind != "isometric"
        c["muscle"].disabled = kind != "isometric"
        if kind != "isometric":
            c["to_failure"].value = False

    def sync_duration(self) -> None:
        """Fit the duration slider to the kind, intensity and muscle (and "until failure")."""
        c = self
        kind, inten = c["kind"].value, c["intensity"].value
        lo, hi = self.duration_range(kind, inten, c["muscle"].value)
        d = c["duration"]
        failure = c["to_failure"].value and kind == "isometric"
        value = hi if failure else min(max(d.value, lo), hi)
        with d.hold_trait_notifications():
            d.max = max(hi, d.min)
            d.min = lo
            d.max = hi
            d.step = 0.1 if kind == "isometric" else 1
            d.value = value
        d.disabled = failure
