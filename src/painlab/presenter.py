"""The lecturer's app: the 50-minute lecture as segments, one screen each.

Wiring only. A navigator (Previous, the segment menu, Next; the Voilà template adds the
keys → / PageDown and ← / PageUp) switches the stage between views built from the other
dashboards: the student explorer (dose map, sites, time course), the A/B comparison with
a population and muscle per side, the condition forest plot, the programme simulator,
"where studies disagree" (:mod:`painlab.disagreement_dashboard`) and the mechanisms. Each segment
comes from ``data/lecture.toml`` (:mod:`painlab.lecture`) and starts with its result
hidden until "Reveal"; "ConcepTest" shows its question full-screen with hand counts.

The explorer segments, the two A/B sides and the mechanisms are page explorers, the front
end of ``pl.explore()`` (:mod:`painlab.explorer_page`): a slider move is drawn in the
browser from values the kernel computed in advance, then the kernel catches up. Every view
is built when the app opens, so figures are drawn once at their full width. Sizes are set
for a projector at 1920x1080 (the stylesheet ``assets/lecture.css`` zooms the page to fit
1280x720).
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W
import traitlets

from painlab import comparison, dashboards, figures, lecture_markup, theme
from painlab import lecture as lecture_mod
from painlab.bouts import Bout
from painlab.conceptest import ConcepTest
from painlab.disagreement_dashboard import DisagreementExplorer
from painlab.explorer_page import ExplorerView
from painlab.program_dashboard import ProgramExplorer
from painlab.vocabulary import CONTROL_LABELS

__all__ = ["Presenter"]

ASSETS = Path(__file__).parent / "assets"
_NO_PRESET = "(choose a classic study)"
_HIDDEN_NOTE = (
    "<p class='painlab-hidden-note'>Result hidden: ask the room to predict, then press "
    "<b>Reveal</b> (key R).</p>"
)

#: The page explorers' look in the lecture (see :class:`painlab.dashboards.Explorer`).
_PAGE = {"layout": "lecture", "reveal": True, "hidden_note": _HIDDEN_NOTE}


def _stylesheet(scale: float) -> W.HTML:
    css = (ASSETS / "lecture.css").read_text(encoding="utf-8")
    style = W.HTML(f"<style>:root {{ --painlab-scale: {scale}; }}\n{css}</style>")
    style.add_class("painlab-style")
    return style


def _box(children: list, cls: str, **layout) -> W.Box:
    b = W.VBox(children, layout=W.Layout(**layout))
    b.add_class(cls)
    return b


class Presenter:
    """The lecturer's app: segment navigator, predict-then-reveal, ConcepTest, A/B.

    Parameters
    ----------
    scale : float, default 1.6
        Font and marker scale for a projector at 1920x1080.
    lecture : painlab.lecture.Lecture, optional
        The lecture (default: :func:`painlab.lecture.load`).

    Attributes
    ----------
    segments : tuple of painlab.lecture.Segment
        In order; each with ``.title``, ``.minutes``, ``.claims``, ``.notes``.
    controls, figures : dict
        Every control and figure of every view (all are built when the app opens); those
        of the other views carry a prefix: ``a.``, ``b.``, ``mechanisms.``, ``programme.``,
        ``disagree.``, ``votes.``.
    explorer : painlab.dashboards.Explorer
        The explorer segments' page explorer (``pl.explore()``'s front end).
    mechanisms : painlab.dashboards.Explorer
        The mechanisms segment's own page explorer (mechanisms figure only).
    comparison : painlab.comparison.Comparison
        The A/B segment's two page explorers.
    widget : ipywidgets.Widget
        The whole app.
    """

    def __init__(self, scale: float = 1.6, lecture: lecture_mod.Lecture | None = None):
        scale = theme.check_scale(scale)
        self.scale = scale
        self.lecture = lecture or lecture_mod.load()
        self.segments = self.lecture.segments
        self.controls: dict[str, W.Widget] = {}
        self.figures: dict[str, W.Widget] = {}
        self.views: dict[str, W.Widget] = {}
        self.results: dict[str, list[W.Widget]] = {}  # view -> what Reveal shows
        self.comparison: comparison.Comparison | None = None
        self.program: ProgramExplorer | None = None
        self._in_preset = False

        # explorer (built now: the first segment uses it), drawn in the page like
        # pl.explore(): controls and readout on the left, figures beside them
        self.explorer = dashboards.Explorer(
            scale=scale,
            figures=("dose_map", "sites", "time_course"),
            heights=self._heights(scale, dose_map=420, sites=380, time_course=380),
            page=True,
            page_options={
                **_PAGE,
                "readout": "why",
                "presets": [[n, n] for n in (_NO_PRESET, *dashboards.PRESETS)],
            },
        )
        self.controls.update(self.explorer.controls)
        self.figures.update(self.explorer.figures)
        self.readout = self.explorer.readout
        self.mechanisms: dashboards.Explorer | None = None
        # the preset menu is drawn by the page; this kernel-side copy follows it both ways
        self.controls["preset"] = W.Dropdown(
            options=[_NO_PRESET, *dashboards.PRESETS],
            value=_NO_PRESET,
            description=CONTROL_LABELS["preset"],
        )
        view = self.explorer.view
        assert view is not None  # a page explorer
        view.preset = _NO_PRESET
        traitlets.link((self.controls["preset"], "value"), (view, "preset"))
        self.controls["preset"].observe(self._on_preset, names="value")

        # navigator
        self.controls["previous"] = W.Button(
            description="◀ Previous", tooltip="Previous segment (← or PageUp)"
        )
        self.controls["next"] = W.Button(
            description="Next ▶", tooltip="Next segment (→ or PageDown)"
        )
        self.controls["previous"].add_class("painlab-previous")
        self.controls["next"].add_class("painlab-next")
        starts = self.lecture.starts()
        self.controls["segment"] = W.Dropdown(
            options=[
                (f"{i + 1}/{len(self.segments)} · {s.title} · {t:g}–{t + s.minutes:g} min", i)
                for i, (s, t) in enumerate(zip(self.segments, starts, strict=True))
            ],
            value=0,
            description="Segment",
            style={"description_width": "initial"},
            layout=W.Layout(width="760px"),
        )
        self.controls["reveal"] = W.ToggleButton(
            value=False, description="Reveal", tooltip="Show or hide the result (R)"
        )
        self.controls["reveal"].add_class("painlab-reveal")
        self.controls["conceptest"] = W.ToggleButton(
            value=False, description="ConcepTest", tooltip="Question full-screen (Q)"
        )
        self.controls["conceptest"].add_class("painlab-conceptest-toggle")
        self.controls["previous"].on_click(lambda _b: self.previous())
        self.controls["next"].on_click(lambda _b: self.next())
        self.controls["segment"].observe(self._on_segment, names="value")
        self.controls["reveal"].observe(self._on_reveal, names="value")
        self.controls["conceptest"].observe(self._on_conceptest, names="value")
        self.claims = W.HTML()
        self.claims.add_class("painlab-claims")
        nav = W.HBox(
            [
                self.controls["previous"],
                self.controls["segment"],
                self.controls["next"],
                self.controls["reveal"],
                self.controls["conceptest"],
                self.claims,
            ]
        )
        nav.add_class("painlab-nav")

        self.conceptest = ConcepTest(self.segments[0].question, scale=scale)
        self.controls.update({f"votes.{k}": w for k, w in self.conceptest.controls.items()})
        self.figures["votes"] = self.conceptest.figures["votes"]

        self.ask = W.HTML()
        self.ask.add_class("painlab-ask")
        self.details = W.HTML()
        self.details.add_class("painlab-details")
        self.index = 0
        # Every view is built now and stacked in one grid cell; only the current one is
        # visible. Figures are then drawn once, at their full width, while the page loads,
        # and switching segments moves no figure in or out of the page.
        for name in dict.fromkeys(s.view for s in self.segments):
            self._view(name)
        layers = [*self.views_by_name().values(), self.conceptest.widget]
        for w in layers:
            w.add_class("painlab-layer")
            w.layout.visibility = "hidden"
        self.stage = W.Box(layers)
        self.stage.add_class("painlab-stage")
        header = W.HTML("<h1 class='painlab-title'>Exercise and pain: a live lecture</h1>")
        self.widget = W.VBox([_stylesheet(scale), header, nav, self.stage, self.details])
        self.widget.add_class("painlab-present")
        self.widget.add_class("painlab-lecture")
        self._show(0)

    @staticmethod
    def _heights(scale: float, **px: int) -> dict[str, int]:
        """Figure heights on screen [px] -> the builders' ``height`` (at scale 1)."""
        return {name: round(v / scale) for name, v in px.items()}

    # -- navigation -------------------------------------------------------------------
    @property
    def segment(self) -> lecture_mod.Segment:
        """The segment on screen."""
        return self.segments[self.index]

    def next(self) -> None:
        """Go to the next segment (stays on the last)."""
        self.controls["segment"].value = min(self.index + 1, len(self.segments) - 1)

    def previous(self) -> None:
        """Go to the previous segment (stays on the first)."""
        self.controls["segment"].value = max(self.index - 1, 0)

    def go(self, segment: int | str) -> None:
        """Go to a segment by position (0-based) or id."""
        if isinstance(segment, str):
            segment = [s.id for s in self.segments].index(self.lecture[segment].id)
        if not isinstance(segment, int) or not 0 <= segment < len(self.segments):
            raise ValueError(
                f"segment must be a position 0-{len(self.segments) - 1} or a segment id; "
                f"got {segment!r}"
            )
        self.controls["segment"].value = segment

    def _on_segment(self, change) -> None:
        self._show(change["new"])

    def _show(self, i: int) -> None:
        self.index = i
        seg = self.segments[i]
        self.controls["previous"].disabled = i == 0
        self.controls["next"].disabled = i == len(self.segments) - 1
        self._setup(seg)
        self.controls["conceptest"].value = False
        self.conceptest.set_question(seg.question)
        self.controls["reveal"].value = False
        self._on_reveal()
        self._on_conceptest()
        self.ask.value = (
            f"<p class='painlab-ask-label'>Ask the room</p><p>{html.escape(seg.ask)}</p>"
        )
        for e in (self.explorer, self.mechanisms):  # the page explorers draw it themselves
            if e is not None and e.view is not None:
                e.view.lead = self.ask.value
        self.claims.value = (
            f"<span>{lecture_markup.ranges(seg.claims)} · {seg.minutes:g} min</span>"
        )
        self.details.value = lecture_markup.details(seg)

    # -- reveal and ConcepTest --------------------------------------------------------
    def views_by_name(self) -> dict[str, W.Widget]:
        """The views built so far (name -> widget), in the order first shown."""
        return {k: v for k, v in self.views.items() if not k.endswith(".note")}

    def _on_reveal(self, change=None) -> None:
        shown = bool(self.controls["reveal"].value)
        self.controls["reveal"].description = "Hide result" if shown else "Reveal"
        current = None if self.controls["conceptest"].value else self.segment.view
        # A result is visible only in the current view, once revealed (an explicitly
        # visible child would show through a hidden view).
        for name, results in self.results.items():
            for w in results:
                _show_result(w, shown and name == current)
        note = self.views.get(f"{self.segment.view}.note")
        if note is not None:
            note.value = "" if shown else _HIDDEN_NOTE

    @property
    def revealed(self) -> bool:
        """True when the current segment's result is on screen."""
        return all(_result_shown(w) for w in self.results[self.segment.view])

    @property
    def active(self) -> W.Widget:
        """The layer on screen: the current segment's view, or the ConcepTest."""
        if self.controls["conceptest"].value:
            return self.conceptest.widget
        return self.views[self.segment.view]

    def _on_conceptest(self, change=None) -> None:
        active = self.active
        for w in self.stage.children:
            w.layout.visibility = "visible" if w is active else "hidden"
        self._on_reveal()

    # -- views ------------------------------------------------------------------------
    def _view(self, name: str) -> W.Widget:
        if name not in self.views:
            self.views[name] = getattr(self, f"_build_{name}")()
        return self.views[name]

    def _note(self, name: str) -> W.HTML:
        note = W.HTML(_HIDDEN_NOTE)
        note.add_class("painlab-hidden-note-box")
        self.views[f"{name}.note"] = note
        return note

    def _left(self, children: list) -> W.Box:
        return _box([self.ask, *children], "painlab-left")

    def _build_explorer(self) -> W.Widget:
        view = self.explorer.view
        assert view is not None  # a page explorer
        self.results["explorer"] = [view]
        self.explorer.static_lead = [self.ask, self.controls["preset"], self._note("explorer")]
        return _box([view], "painlab-row")

    def _build_ab(self) -> W.Widget:
        seg = next(s for s in self.segments if s.view == "ab")
        bout = lecture_mod.segment_bout(seg) or Bout("aerobic", 75, 30)
        cmp = comparison.Comparison(
            bout,
            bout,
            lecture_mod.segment_population(seg, "a"),
            scale=1.2,
            heights=self._heights(1.2, sites=350, time_course=350),
            page_options={"layout": "column", "columns": 2, "readout": "verdict", "reveal": True},
        )
        self.comparison = cmp
        self.controls.update(cmp.controls)
        self.figures.update(cmp.figures)
        cols = []
        for side, e in (("A", cmp.a), ("B", cmp.b)):
            head = W.HTML(f"<h2 class='painlab-side'>{side}</h2>")
            cols.append(_box([head, e.widget], "painlab-ab-side"))
        self.results["ab"] = [cmp.a.view, cmp.b.view]
        return _box(
            [_box([self.ask, self._note("ab")], "painlab-top"), _box(cols, "painlab-ab")],
            "painlab-column",
        )

    def _build_forest(self) -> W.Widget:
        fig = dashboards._figure_widget(
            figures.plot_condition_effects(scale=self.scale, height=round(760 / self.scale))
        )
        self.figures["condition_effects"] = fig
        text = W.HTML(
            "<p class='painlab-figure-text'>Each row is a published pooled estimate of exercise "
            "versus control on pain, with its 95% interval; left: standardised mean "
            "differences, right: points on a 0-100 scale. Hover a row for its source.</p>"
        )
        result = _box([fig, text], "painlab-result")
        self.results["forest"] = [result]
        return _box(
            [self._left([self._note("forest")]), _box([result], "painlab-main")], "painlab-row"
        )

    def _build_programme(self) -> W.Widget:
        s = self.scale * 0.75
        p = ProgramExplorer(
            scale=s, heights=self._heights(s, course=420, early_late=360, comparison=360)
        )
        self.program = p
        self.controls.update({f"programme.{k}": w for k, w in p.controls.items()})
        self.figures.update({f"programme.{k}": w for k, w in p.figures.items()})
        for w in p.controls.values():
            w.style.description_width = "250px"
            w.layout.width = "100%"
            if isinstance(w, W.ToggleButtons):
                w.style.button_width = "auto"
        figs = _box(
            [
                p.figures["course"],
                W.GridBox(
                    [p.figures["early_late"], p.figures["comparison"]],
                    layout=W.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))"),
                ),
            ],
            "painlab-result",
        )
        p.readout.add_class("painlab-readout")
        p.readout.add_class("painlab-programme-readout")
        readout = _box([p.readout], "painlab-result")
        self.results["programme"] = [figs, readout]
        c = p.controls
        left = self._left(
            [
                c["condition"],
                c["weeks"],
                c["sessions_per_week"],
                c["intensity"],
                c["supervised"],
                c["adjunct"],
                self._note("programme"),
                readout,
            ]
        )
        return _box([left, _box([figs], "painlab-main")], "painlab-row")

    def _build_disagreements(self) -> W.Widget:
        d = DisagreementExplorer(scale=self.scale * 0.8, height=round(400 / self.scale / 0.8))
        self.disagree = d
        self.disagree_table = d.readout
        for w in d.controls.values():
            w.style.description_width = "220px"
            w.layout.width = "100%"
        self.controls.update({f"disagree.{k}": w for k, w in d.controls.items()})
        self.figures["disagree.dose_map"] = d.figures["dose_map"]
        result = _box([d.readout], "painlab-result")
        self.results["disagreements"] = [result]
        hint = W.HTML(
            "<p class='painlab-figure-text'>Click a study marker on the map, or choose a "
            "dose, to list every study there.</p>"
        )
        c = d.controls
        left = self._left(
            [c["kind"], c["population"], c["dose"], hint, self._note("disagreements")]
        )
        return _box([left, _box([d.figures["dose_map"], result], "painlab-main")], "painlab-row")

    def _build_mechanisms(self) -> W.Widget:
        seg = next(s for s in self.segments if s.view == "mechanisms")
        bout = lecture_mod.segment_bout(seg) or Bout("aerobic", 75, 30)
        e = self.mechanisms = dashboards.Explorer.of(
            bout,
            lecture_mod.segment_population(seg),
            scale=self.scale,
            figures=("mechanisms",),
            heights=self._heights(self.scale, mechanisms=500),
            page=True,
            page_options={**_PAGE, "readout": "none", "hide": ["population", "muscle"]},
        )
        self.controls.update({f"mechanisms.{k}": w for k, w in e.controls.items()})
        self.figures["mechanisms"] = e.figures["mechanisms"]
        points = _box([W.HTML(lecture_markup.mechanism_points(self.lecture))], "painlab-result")
        assert e.view is not None  # a page explorer
        self.results["mechanisms"] = [e.view, points]
        e.static_lead = [self.ask, self._note("mechanisms")]
        return _box([e.view, points], "painlab-column")

    def _build_summary(self) -> W.Widget:
        result = _box([W.HTML(lecture_markup.keypoints_table(self.lecture))], "painlab-result")
        self.results["summary"] = [result]
        return _box(
            [_box([self.ask, self._note("summary")], "painlab-top"), result], "painlab-column"
        )

    # -- segment set-up ---------------------------------------------------------------
    def _setup(self, seg: lecture_mod.Segment) -> None:
        bout = lecture_mod.segment_bout(seg)
        if seg.view == "explorer":
            if bout is not None:
                self.explorer.set_bout(bout, lecture_mod.segment_population(seg))
            if not self._in_preset:
                self.controls["preset"].value = _NO_PRESET
        elif seg.view == "mechanisms" and self.mechanisms is not None:
            if bout is not None:
                self.mechanisms.set_bout(bout, lecture_mod.segment_population(seg))
        elif seg.view == "ab" and self.comparison is not None:
            for side, e in (("a", self.comparison.a), ("b", self.comparison.b)):
                if bout is not None:
                    e.set_bout(bout, lecture_mod.segment_population(seg, side))
        elif seg.view == "programme" and self.program is not None:
            cond = seg.setup.get("condition")
            if cond:
                self.program.controls["condition"].value = cond
        elif seg.view == "disagreements":
            for key in ("kind", "population"):
                if key in seg.setup:
                    self.controls[f"disagree.{key}"].value = seg.setup[key]

    # -- presets (kept from the earlier presenter) ------------------------------------
    def apply_preset(self, name: str) -> None:
        """Set the explorer to a named classic protocol (see :data:`dashboards.PRESETS`)."""
        if name not in dashboards.PRESETS:
            raise ValueError(
                f"preset must be one of: {'; '.join(dashboards.PRESETS)}; got {name!r}"
            )
        p = dashboards.PRESETS[name]
        self._in_preset = True
        try:
            if self.segment.view != "explorer":  # show it on the first explorer segment
                self.go(next(i for i, s in enumerate(self.segments) if s.view == "explorer"))
            self.explorer.set_bout(p.bout, p.population)
        finally:
            self._in_preset = False

    def _on_preset(self, change) -> None:
        if change["new"] in dashboards.PRESETS:
            self.apply_preset(change["new"])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _show_result(w: W.Widget, shown: bool) -> None:
    """Show or hide one result: a page explorer's (its ``revealed``) or a box."""
    if isinstance(w, ExplorerView):
        w.revealed = shown
    else:
        w.layout.visibility = "visible" if shown else "hidden"


def _result_shown(w: W.Widget) -> bool:
    return bool(w.revealed) if isinstance(w, ExplorerView) else w.layout.visibility == "visible"
