"""The programme dashboard: weeks, frequency, intensity, supervision, support -> cohort.

Wiring only: controls -> :func:`painlab.programs.simulate` -> existing traces of figures
built once by :mod:`painlab.figures`, updated inside ``batch_update()``. Same shape as the
other dashboards: ``.controls``, ``.figures``, ``.readout``, ``.widget``.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from painlab import figures, programs
from painlab.dashboards import _figure_widget

__all__ = ["ProgramExplorer", "explore_program", "variants"]

ADJUNCT_LABELS = {
    "none": "None",
    "motivational": "Motivational programme",
    "cognitive_behavioural": "Cognitive-behavioural",
}


def variants(program: programs.Program, seed: int = 0) -> dict:
    """The same programme home vs supervised, without and with support (same patients)."""
    from dataclasses import replace

    out = {}
    for supervised, where in ((False, "home"), (True, "supervised")):
        for adjunct in ("none", "motivational", "cognitive_behavioural"):
            label = f"{where}, {'no support' if adjunct == 'none' else ADJUNCT_LABELS[adjunct].split()[0].lower()}"
            out[label] = programs.simulate(
                replace(program, supervised=supervised, adjunct=adjunct), seed=seed
            )
    return out


class ProgramExplorer:
    """Multi-week programme explorer for one condition (see :mod:`painlab.programs`)."""

    def __init__(
        self,
        condition: str = "knee_osteoarthritis",
        *,
        weeks: int = 12,
        sessions_per_week: int = 3,
        intensity: str = "moderate",
        supervised: bool = True,
        adjunct: str = "none",
        seed: int = 0,
        scale: float = 1.0,
        heights: dict[str, int] | None = None,
    ):
        program = programs.Program(
            condition, weeks, sessions_per_week, intensity, supervised, adjunct
        )  # validates
        self.seed = seed
        style = {"description_width": "150px"}
        wide = W.Layout(width="440px")
        lo_w, hi_w, _ = programs.LIMITS["weeks"]
        lo_s, hi_s, _ = programs.LIMITS["sessions_per_week"]
        self.controls = {
            "condition": W.Dropdown(
                options=[(c.replace("_", " ").capitalize(), c) for c in programs.CONDITIONS],
                value=condition,
                description="Condition",
                style=style,
                layout=wide,
            ),
            "weeks": W.IntSlider(
                value=weeks, min=lo_w, max=hi_w, description="Weeks", style=style, layout=wide
            ),
            "sessions_per_week": W.IntSlider(
                value=sessions_per_week,
                min=lo_s,
                max=hi_s,
                description="Sessions per week",
                style=style,
                layout=wide,
            ),
            "intensity": W.ToggleButtons(
                options=list(programs.INTENSITIES),
                value=intensity,
                description="Intensity",
                style=style,
            ),
            "supervised": W.ToggleButtons(
                options=[("Supervised", True), ("At home", False)],
                value=supervised,
                description="Where",
                style=style,
            ),
            "adjunct": W.Dropdown(
                options=[(v, k) for k, v in ADJUNCT_LABELS.items()],
                value=adjunct,
                description="Support for adherence",
                style=style,
                layout=wide,
            ),
        }
        for name, w in self.controls.items():
            w.tooltip = {
                "condition": "Chronic pain condition",
                "weeks": "Programme length in weeks",
                "sessions_per_week": "Sessions per week (1-7)",
                "intensity": "Programme intensity",
                "supervised": "Supervised by a clinician or done at home",
                "adjunct": "Motivational or cognitive-behavioural support",
            }[name]
        result = programs.simulate(program, seed=seed)
        self._result = result
        h: dict[str, dict[str, Any]] = {
            n: {"height": v} for n, v in (heights or {}).items()
        }  # [px] at scale 1
        self.figures = {
            "course": _figure_widget(
                figures.plot_program(result, scale=scale, **h.get("course", {}))
            ),
            "early_late": _figure_widget(
                figures.plot_early_late(result, scale=scale, **h.get("early_late", {}))
            ),
            "comparison": _figure_widget(
                figures.plot_program_comparison(
                    variants(program, seed), scale=scale, **h.get("comparison", {})
                )
            ),
        }
        self.readout = W.HTML(value=self._readout(result))
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        c = self.controls
        self.widget = W.VBox(
            [
                W.HBox(
                    [
                        W.VBox(
                            [
                                c["condition"],
                                c["weeks"],
                                c["sessions_per_week"],
                                c["intensity"],
                                c["supervised"],
                                c["adjunct"],
                            ]
                        ),
                        self.readout,
                    ]
                ),
                self.figures["course"],
                W.GridBox(
                    [self.figures["early_late"], self.figures["comparison"]],
                    layout=W.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))"),
                ),
            ]
        )

    @property
    def program(self) -> programs.Program:
        c = self.controls
        return programs.Program(
            c["condition"].value,
            c["weeks"].value,
            c["sessions_per_week"].value,
            c["intensity"].value,
            c["supervised"].value,
            c["adjunct"].value,
        )

    @property
    def result(self):
        return self._result

    @staticmethod
    def _readout(result) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
        return (
            f"<div class='painlab-readout' role='status' aria-live='polite'><p><b>{html.escape(programs.describe(result))}</b></p>"
            f"<details><summary>What is cited and what is illustrative</summary><ul>{notes}</ul></details></div>"
        )

    def readout_text(self) -> str:
        """The readout as plain text."""
        return programs.describe(self._result)

    def _on_change(self, change=None) -> None:
        program = self.program
        r = programs.simulate(program, seed=self.seed)
        self._result = r
        d = figures.program_course_data(r)
        f = self.figures["course"]
        with f.batch_update():
            for trace, key in zip(f.data[:3], ("lo", "hi", "median"), strict=True):
                trace.x, trace.y = d["weeks"], d[key]
            for trace, y in zip(f.data[3 : 3 + len(d["patients"])], d["patients"], strict=True):
                trace.x, trace.y = d["weeks"], y
            f.data[-1].x, f.data[-1].y = d["adherence_weeks"], d["adherence"]
            f.layout.yaxis.title.text = f"Pain change<br>({r.unit})"
        e = figures.early_late_data(r)
        g = self.figures["early_late"]
        with g.batch_update():
            g.data[0].x, g.data[0].y = e["x"], e["y"]
            g.data[1].y = [min(min(e["y"]), 0.0), max(max(e["y"]), 0.0)]
            g.layout.title.text = f"Does week 1 predict the end? r = {e['r']:+.2f}"
        cmp = figures.program_comparison_data(variants(program, self.seed))
        h = self.figures["comparison"]
        with h.batch_update():
            h.data[0].y, h.data[0].text = cmp["adherence"], [f"{v:.0f}%" for v in cmp["adherence"]]
            h.data[1].y, h.data[1].text = cmp["benefit"], [f"{v:.2f}" for v in cmp["benefit"]]
        self.readout.value = self._readout(r)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def explore_program(
    condition: str = "knee_osteoarthritis",
    *,
    weeks: int = 12,
    sessions_per_week: int = 3,
    intensity: str = "moderate",
    supervised: bool = True,
    adjunct: str = "none",
    seed: int = 0,
    scale: float = 1.0,
) -> ProgramExplorer:
    """The programme dashboard: adherence and pain over the weeks of a programme.

    Parameters
    ----------
    condition : str
        One of :data:`painlab.programs.CONDITIONS`.
    weeks : int
        Length of the programme [weeks].
    sessions_per_week : int
        Prescribed sessions per week.
    intensity : {"low", "moderate", "high"}
    supervised : bool
        Supervised sessions (True) or a home programme (False).
    adjunct : str
        Adherence support, e.g. ``"none"``, ``"motivational"``, ``"cbt"``.
    seed : int
        Seed of the simulated cohort (same seed, same patients).
    scale : float
        Font and marker scale (1.6 for a projector).

    Returns
    -------
    ProgramExplorer
        ``.controls``, ``.figures``, ``.readout``; displays itself in a notebook.
    """
    return ProgramExplorer(
        condition,
        weeks=weeks,
        sessions_per_week=sessions_per_week,
        intensity=intensity,
        supervised=supervised,
        adjunct=adjunct,
        seed=seed,
        scale=scale,
    )
