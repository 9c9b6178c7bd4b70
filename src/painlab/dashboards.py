"""Dashboards: controls wired to the model, figures and a spoken readout.

Wiring only. Each dashboard builds its figures once from :mod:`painlab.figures`, wraps them
in ``FigureWidget``s, and on every control change recomputes through the library
(:func:`painlab.predict`) and writes the new numbers into the existing traces inside
``batch_update()``. Moving the intensity or duration only moves the current-bout marker and
the small figures; the dose map's surface is recomputed only when the kind or population
changes.

Every dashboard exposes ``.controls`` (name -> widget), ``.figures`` (name ->
``FigureWidget``), ``.readout`` (an ``HTML`` widget whose value is the readout) and
``.widget`` (the whole layout); displaying the dashboard displays ``.widget``.
"""

from __future__ import annotations

import html
import sys
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from painlab import figures as figures_mod  # `figures` is also an Explorer argument
from painlab import hypoalgesia, studies
from painlab.bouts import (
    DEFAULT_MUSCLE,
    UNITS,
    Bout,
)
from painlab.controls import BoutControls
from painlab.hypoalgesia import Response
from painlab.readout import readout_html, readout_text
from painlab.vocabulary import (
    CONTROL_LABELS,
)

if TYPE_CHECKING:
    from painlab.explorer_page import ExplorerView

__all__ = ["Explorer", "explore", "present", "show"]  # also, lazily: Comparison, compare, PRESETS


def _fast_figurewidget_import() -> None:
    """Import plotly's FigureWidget without jsonschema's optional IRI checker.

    plotly's widget imports its renderers, which import nbformat -> jsonschema. jsonschema
    registers an "iri" format checker only if ``rfc3987_syntax`` imports, and that import
    compiles a grammar (about 1.3 s on a 2-core machine). Nothing in a notebook kernel
    validates IRIs, so we let that one optional import fail the way jsonschema expects
    (``ImportError``, which it suppresses), then restore it. First figure: 1.7 s -> 0.5 s.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import -> ImportError
    try:
        import jsonschema._format  # noqa: F401
    except ImportError:  # pragma: no cover - jsonschema absent: nothing to speed up
        pass
    finally:
        del sys.modules["rfc3987_syntax"]


def _figure_widget(fig):
    _fast_figurewidget_import()
    import plotly.graph_objects as go

    return go.FigureWidget(fig)


# --------------------------------------------------------------------------- readout


# --------------------------------------------------------------------------- explorer


class Explorer:
    """The student dashboard: kind, intensity, duration, population -> live figures.

    Parameters
    ----------
    kind, intensity, duration, population
        The starting bout and population.
    scale : float
        Font and marker scale (1.6 for a projector).
    figures : tuple of str
        Which figures to show: any of ``"dose_map"``, ``"sites"``, ``"time_course"``,
        ``"mechanisms"``, ``"fatigue"``.
    heights : dict, optional
        Figure name -> height at scale 1 [px] (the builders' defaults otherwise); a
        presenter fitting a screen sets them before the figures are first drawn.
    page : bool, default False
        Draw with the page-side front end (:mod:`painlab.explorer_page`): slider moves are
        redrawn in the browser from values the kernel computed for every control step, then
        sent to the kernel. ``.controls``, ``.readout`` and ``.figures`` (plain plotly
        figures then) follow as before. False: ipywidgets controls and ``FigureWidget``s,
        each move a round trip to the kernel (the 0.1 design, kept as the benchmarks'
        baseline).
    page_options : dict, optional
        The page's look, for the lecture app and the A/B comparison (``layout``,
        ``readout``, ``hide``, ``reveal``, ``presets``, ``hidden_note``, ``columns``; see
        :class:`painlab.explorer_page.ExplorerView`), checked by
        :func:`painlab.explorer_page.checked_options`.
    """

    ALL_FIGURES = ("dose_map", "sites", "time_course", "mechanisms", "fatigue")
    #: The order in which every front end lays out the explorer's controls.
    CONTROL_ORDER = BoutControls.ORDER

    def __init__(
        self,
        kind: str = "aerobic",
        intensity: float = 75,
        duration: float = 30,
        population: str = "healthy",
        *,
        to_failure: bool = False,
        scale: float = 1.0,
        figures: tuple[str, ...] = ("dose_map", "sites", "time_course", "mechanisms"),
        muscle: str | None = None,
        heights: dict[str, int] | None = None,
        page: bool = False,
        page_options: dict[str, Any] | None = None,
    ):
        if isinstance(figures, str):
            figures = (figures,)
        figures = tuple(figures)
        bad = [f for f in figures if f not in self.ALL_FIGURES]
        if bad or not figures:
            raise ValueError(
                f"figures must be among {', '.join(self.ALL_FIGURES)} (at least one); "
                f"got {list(figures)!r}"
            )
        if kind != "isometric" and muscle is not None:
            raise ValueError("muscle applies to isometric holds only")
        bout = Bout(
            kind, intensity, None if to_failure else duration, to_failure, muscle
        )  # validates
        from painlab.explorer_page import checked_options

        self._page_options = checked_options(page_options, page=page)
        hypoalgesia._check_population(population)  # painlab's message, not a widget's
        self.scale = scale
        self._busy = False
        self.controls = BoutControls(bout, population, scale=scale)
        r = hypoalgesia.predict(bout, population)
        self._response = r
        h: dict[str, dict[str, Any]] = {n: {"height": v} for n, v in (heights or {}).items()}
        builders = {
            "dose_map": lambda: figures_mod.plot_dose_map(
                kind, population, bout, scale=scale, **h.get("dose_map", {})
            ),
            "sites": lambda: figures_mod.plot_sites(r, scale=scale, **h.get("sites", {})),
            "time_course": lambda: figures_mod.plot_time_course(
                r, scale=scale, **h.get("time_course", {})
            ),
            "mechanisms": lambda: figures_mod.plot_mechanisms(
                r, scale=scale, **h.get("mechanisms", {})
            ),
            "fatigue": lambda: figures_mod.plot_fatigue(
                population=population, current=bout, scale=scale, **h.get("fatigue", {})
            ),
        }
        self._page = bool(page)
        wrap = (lambda f: f) if self._page else _figure_widget
        self.figures = {name: wrap(builders[name]()) for name in figures}
        self.readout = W.HTML(value=readout_html(r), description="", layout=W.Layout(width="100%"))
        self.readout.add_class("painlab-readout")
        self.figure_text = W.HTML(value=self._figure_text(r))
        for name in ("kind", "population", "muscle"):
            self.controls[name].observe(self._on_structure, names="value")
        for name in ("intensity", "duration", "to_failure"):
            self.controls[name].observe(self._on_dose, names="value")
        self._pushing = False
        self._from_view = False
        self.view: ExplorerView | None = None
        #: Kernel-side widgets a saved notebook's text view lists before the explorer's own
        #: (the lecture's question, preset menu and "result hidden" note, which the page draws).
        self.static_lead: list[W.Widget] = []
        self.widget = self._page_view() if self._page else self._layout()

    # -- construction ---------------------------------------------------------------
    def _layout(self) -> W.Widget:
        c = self.controls
        # the controls keep their width (scaled with the fonts); the readout takes the rest
        controls = W.VBox(
            [c[name] for name in self.CONTROL_ORDER],
            layout=W.Layout(flex="0 0 auto", width=f"{int(520 * self.scale)}px"),
        )
        self.readout.layout.flex = "1 1 0%"
        figs = list(self.figures.values())
        grid = (
            W.GridBox(figs[1:], layout=W.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))"))
            if len(figs) > 1
            else W.VBox()
        )
        return W.VBox([W.HBox([controls, self.readout]), figs[0], self.figure_text, grid])

    def _page_view(self) -> W.Widget:
        from painlab.explorer_page import ExplorerView
        from painlab.handout.grid import GRID_STEP
        from painlab.mechanisms import MECHANISMS

        c = self.controls
        options: dict[str, Any] = {
            name: [[label, value] for label, value in c[name].options]
            for name in ("kind", "population")
        }
        options["muscles"] = [[label, value] for label, value in c["muscle"].options]
        options["kinds"], options["populations"] = options.pop("kind"), options.pop("population")
        options["units"] = dict(UNITS)
        options["steps"] = GRID_STEP
        options["tooltips"] = {name: w.tooltip for name, w in c.items()}
        options["mechanism_labels"] = [m.label for m in MECHANISMS.values()]
        options["mechanism_marker"] = list(figures_mod.acute.MARKER_SIZE)
        options["site_labels"] = dict(figures_mod.SITE_LABELS)
        options["labels"] = dict(CONTROL_LABELS)
        options.update(self._page_options)
        # the first slice goes with the widget itself, so the page never renders one without
        # its data (a view can be shown before a later update reaches the page)
        view = self.view = ExplorerView(
            scale=self.scale, options=options, rev=1, **self._view_state(structure=True)
        )
        figs = list(self.figures.values())
        view.static_parts = (
            lambda: [  # what a saved notebook describes, in page order
                *self.static_lead,
                *(c[name] for name in self.CONTROL_ORDER),
                self.readout,
                figs[0],
                self.figure_text,
                *figs[1:],
            ]
        )
        view.observe(
            self._on_view,
            names=["kind", "population", "muscle", "intensity", "duration", "to_failure"],
        )
        return view

    def _view_state(self, structure: bool) -> dict[str, Any]:
        """The kernel's state as the page's traits (with the new slice, ``data``, after a
        kind, population or muscle change)."""
        from painlab.explorer_page import page_data

        b, pop = self.bout, self.population
        state: dict[str, Any] = {}
        if structure:
            sentence = self._figure_sentence(b.kind, pop)
            state["data"] = page_data(
                b.kind,
                pop,
                b.muscle if b.kind == "isometric" else None,
                self.figures,
                {"figure_text": [sentence, sentence + self._INTERPOLATES]},
            )
        state.update(
            kind=b.kind,
            population=pop,
            muscle=self.controls["muscle"].value,
            intensity=b.intensity,
            duration=b.minutes,
            to_failure=b.to_failure,
        )
        return state

    def _push_view(self, structure: bool) -> None:
        """Send the kernel's state to the page; ``rev`` tells the page to take every value
        from the kernel."""
        v = self.view
        assert v is not None  # only page explorers push
        state = self._view_state(structure)
        self._pushing = True
        try:
            with v.hold_sync():
                for name, value in state.items():
                    setattr(v, name, value)
                v.rev += 1
        finally:
            self._pushing = False

    def _on_view(self, change) -> None:
        """The page moved a control: the kernel catches up (figures, readout)."""
        if self._pushing:
            return
        name, new = change["name"], change["new"]
        c = self.controls[name]
        if name == "duration":
            new = min(max(new, c.min), c.max)
        self._from_view = True
        try:
            c.value = new
        finally:
            self._from_view = False

    @classmethod
    def of(cls, bout: Bout, population: str = "healthy", **kwargs: Any) -> Explorer:
        """An explorer starting at ``bout`` (kind, intensity, duration or until failure,
        muscle) in ``population``; other keywords as for :class:`Explorer`."""
        return cls(
            bout.kind,
            bout.intensity,
            bout.duration or 1,  # ignored when the hold runs until failure
            population,
            to_failure=bout.to_failure,
            muscle=bout.muscle,
            **kwargs,
        )

    # -- state ------------------------------------------------------------------------
    @property
    def bout(self) -> Bout:
        """The bout the controls describe."""
        return self.controls.bout

    @property
    def population(self) -> str:
        return self.controls.population

    @property
    def response(self) -> Response:
        """The model's response to the current bout."""
        return self._response

    # -- callbacks --------------------------------------------------------------------
    def set_bout(self, bout: Bout, population: str | None = None) -> None:
        """Set every control to ``bout`` (and ``population``) at once, as a program would
        (lecture segments, presets); see :meth:`painlab.controls.BoutControls.set`."""
        self._busy = True
        try:
            self.controls.set(bout, population)
        finally:
            self._busy = False
        self._update(structure=True)

    def _on_structure(self, change=None) -> None:
        """Kind or population changed: re-range the sliders, rebuild the dose surface."""
        if self._busy:
            return
        self._busy = True
        try:
            with self.controls.held():
                self.controls.rerange()
                self.controls.sync_duration()
            self._update(structure=True)
        finally:
            self._busy = False

    def _on_dose(self, change=None) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            with self.controls.held():
                self.controls.sync_duration()
            self._update(structure=False)
        finally:
            self._busy = False

    def _update(self, structure: bool) -> None:
        bout, pop = self.bout, self.population
        r = hypoalgesia.predict(bout, pop)
        self._response = r
        f = self.figures
        if "dose_map" in f:
            fig = f["dose_map"]
            with fig.batch_update():
                if structure:
                    muscle = bout.muscle or DEFAULT_MUSCLE
                    figures_mod.apply_update(
                        fig, figures_mod.dose_map_update(bout.kind, pop, muscle)
                    )
                figures_mod.apply_update(
                    fig, {"traces": {"current bout": {"x": [bout.intensity], "y": [bout.minutes]}}}
                )
        if "sites" in f:
            with f["sites"].batch_update():
                figures_mod.apply_update(f["sites"], figures_mod.sites_update(r))
        if "time_course" in f:
            with f["time_course"].batch_update():
                figures_mod.apply_update(
                    f["time_course"], figures_mod.time_course_update(r, studies=structure)
                )
        if "mechanisms" in f:
            with f["mechanisms"].batch_update():
                figures_mod.apply_update(
                    f["mechanisms"], figures_mod.mechanisms_update(r, self.scale)
                )
        if "fatigue" in f:
            with f["fatigue"].batch_update():
                figures_mod.apply_update(f["fatigue"], figures_mod.fatigue_update(r))
        self.readout.value = readout_html(r)
        self.figure_text.value = self._figure_text(r)
        if self.view is not None and (structure or not self._from_view):
            self._push_view(structure)

    _INTERPOLATES = " No study tested a dose this close: here the model interpolates."

    @classmethod
    def _figure_text(cls, r: Response) -> str:
        text = cls._figure_sentence(r.bout.kind, r.population)
        if any(x.interpolated for x in r.reasons):
            text += cls._INTERPOLATES
        return f"<p class='painlab-figure-text' style='font-size:0.9em'>{html.escape(text)}</p>"

    @staticmethod
    def _figure_sentence(kind: str, pop: str) -> str:
        n_un = figures_mod.unplaced_arms(kind, pop)
        n_all = len({a.arm_id for a in studies.arms(kind=kind, population=pop)})
        text = (
            f"Dose map: the model's effect for every {kind.replace('_', ' ')} dose in "
            f"{pop.replace('_', ' ')} (blue = less pain, orange = more pain); the dashed line is "
            f"d = 0.2. Markers: {n_all} documented study arm(s)"
        )
        if n_un:
            text += f", {n_un} of them not placed because their dose was not reported"
        return text + ". The star is your bout."

    def readout_text(self) -> str:
        """The readout as plain text."""
        return readout_text(self._response)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def explore(
    kind: str = "aerobic",
    intensity: float = 75,
    duration: float = 30,
    population: str = "healthy",
    *,
    to_failure: bool = False,
    muscle: str | None = None,
    scale: float = 1.0,
    figures: tuple[str, ...] = ("dose_map", "sites", "time_course", "mechanisms"),
) -> Explorer:
    """The student dashboard: move kind, intensity, duration and population, watch the
    dose map, the effect at each body site, the time course and the mechanisms.

    Parameters
    ----------
    kind : {"aerobic", "isometric", "dynamic_resistance"}
    intensity : float
        In the kind's unit: % VO2max, % MVC or % 1RM.
    duration : float
        Minutes of exercise (ignored when ``to_failure``).
    population : str
        One of :data:`painlab.POPULATIONS`.
    to_failure : bool
        Isometric only: hold until task failure.
    muscle : str, optional
        Isometric only: the muscle group (default handgrip), see :data:`painlab.bouts.MUSCLES`.
    scale : float
        Font and marker scale (1.6 for a projector).
    figures : tuple of str
        Any of ``"dose_map"``, ``"sites"``, ``"time_course"``, ``"mechanisms"``, ``"fatigue"``.

    Returns
    -------
    Explorer
        ``.controls``, ``.figures``, ``.readout``; displays itself in a notebook.

    Examples
    --------
    >>> import painlab as pl
    >>> e = pl.explore("isometric", 25, 2, muscle="elbow")
    >>> e.bout.label
    'Isometric 25% MVC (elbow flexors) for 2 min'
    """
    return Explorer(
        kind,
        intensity,
        duration,
        population,
        to_failure=to_failure,
        scale=scale,
        figures=figures,
        muscle=muscle,
        page=True,
    )


# --------------------------------------------------------------------------- presenter


def __getattr__(name: str):
    """``dashboards.Presenter``, ``.Comparison``, ``.compare``, ``.PRESETS``, ``.Preset``: they
    live in :mod:`painlab.presenter`, :mod:`painlab.comparison` and :mod:`painlab.presets`,
    which build on this module (imported on first use to keep the import one-way)."""
    if name == "Presenter":
        from painlab.presenter import Presenter

        return Presenter
    if name in ("Comparison", "compare"):
        from painlab import comparison

        return getattr(comparison, name)
    if name in ("PRESETS", "Preset"):
        from painlab import presets

        return getattr(presets, name)
    raise AttributeError(f"module 'painlab.dashboards' has no attribute {name!r}")


def present(scale: float = 1.6, lecture=None):
    """The lecturer's app: the lecture as timed segments with a navigator, predict-then-
    reveal, ConcepTest votes, A/B comparison and a view for every key point; also served
    as a Voilà app by ``make present``.

    Parameters
    ----------
    scale : float, default 1.6
        Font and marker scale for a projector at 1920x1080.
    lecture : painlab.lecture.Lecture, optional
        The segments to present (default: ``painlab.lecture.load()``).

    Returns
    -------
    painlab.presenter.Presenter
        ``.segments``, ``.controls``, ``.figures``; displays itself in a notebook.
    """
    from painlab.presenter import Presenter

    return Presenter(scale, lecture)


def show(fig) -> None:
    """Display a figure from :mod:`painlab.figures` as a live widget.

    Widgets render from the locally installed extension (no CDN, works offline in
    JupyterLab and Voilà) and keep the saved notebook small. Returns nothing, so a trailing
    call leaves no changing text behind.
    """
    from IPython.display import display

    display(_figure_widget(fig))
