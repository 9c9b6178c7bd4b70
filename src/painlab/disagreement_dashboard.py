"""The "where studies disagree" dashboard: a dose map whose study markers list their studies.

Wiring only: kind and population -> :func:`painlab.figures.dose_map_data` written into the
existing traces of a dose map built once; a dose (chosen in the menu, or by clicking a
study marker: plotly ``FigureWidget.on_click``) -> :func:`painlab.disagreements.html_table`,
the measurements there with the model's verdict and why they differ. Same shape as the
other dashboards: ``.controls``, ``.figures``, ``.readout`` (the table), ``.widget``.
"""

from __future__ import annotations

import ipywidgets as W

from painlab import disagreements, figures, hypoalgesia
from painlab.bouts import DEFAULT_MUSCLE, KIND_LABELS, KINDS
from painlab.dashboards import _figure_widget
from painlab.vocabulary import POPULATION_LABELS

__all__ = ["DisagreementExplorer"]


class DisagreementExplorer:
    """Studies at a dose, the model's verdict there, and why they differ.

    Parameters
    ----------
    kind, population : str
        The starting kind of exercise and population.
    scale : float
        Font and marker scale of the dose map.
    height : int
        Height of the dose map at scale 1 [px].
    """

    def __init__(
        self,
        kind: str = "aerobic",
        population: str = "healthy",
        *,
        scale: float = 1.0,
        height: int = 420,
    ):
        hypoalgesia._check_kind(kind)
        hypoalgesia._check_population(population)
        self.controls = {
            "kind": W.Dropdown(
                options=[(KIND_LABELS[k], k) for k in KINDS], value=kind, description="Exercise"
            ),
            "population": W.Dropdown(
                options=[(POPULATION_LABELS[p], p) for p in hypoalgesia.POPULATIONS],
                value=population,
                description="Who exercises",
            ),
            "dose": W.Dropdown(options=[], description="Dose"),
        }
        self.controls[
            "dose"
        ].tooltip = "A dose with documented study arms (or click a marker on the map)"
        fig = _figure_widget(figures.plot_dose_map(kind, population, scale=scale, height=height))
        self.figures = {"dose_map": fig}
        for trace in fig.data:  # study markers, one trace per documented outcome
            if (trace.name or "").startswith("study: "):
                trace.on_click(self.on_marker_click)
        self.readout = W.HTML()
        self.readout.add_class("painlab-disagree-table")
        self.doses: tuple[disagreements.Dose, ...] = ()
        self.dose: disagreements.Dose | None = None
        self.controls["kind"].observe(self._on_structure, names="value")
        self.controls["population"].observe(self._on_structure, names="value")
        self.controls["dose"].observe(self._on_dose, names="value")
        self._on_structure()
        self.widget = W.VBox([*self.controls.values(), fig, self.readout])

    def _on_structure(self, change=None) -> None:
        kind, pop = self.controls["kind"].value, self.controls["population"].value
        self.doses = disagreements.doses(kind, pop)
        fig = self.figures["dose_map"]
        with fig.batch_update():
            figures.apply_update(fig, figures.dose_map_update(kind, pop, DEFAULT_MUSCLE))
        dose = self.controls["dose"]
        options = [(d.label, i) for i, d in enumerate(self.doses)]
        dose.options = options or [("no placed study arms", -1)]
        dose.value = 0 if options else -1
        self._on_dose()

    def _on_dose(self, change=None) -> None:
        i = self.controls["dose"].value
        d = self.doses[i] if i is not None and 0 <= i < len(self.doses) else None
        self.dose = d
        fig = self.figures["dose_map"]
        x, y = ([d.x], [d.y]) if d else ([], [])
        figures.apply_update(fig, {"traces": {"current bout": {"x": x, "y": y}}})
        self.readout.value = disagreements.html_table(d, self.controls["population"].value)

    def on_marker_click(self, trace, points, state=None) -> None:
        """A click on a study marker selects the documented dose nearest to it."""
        if not points.point_inds:
            return
        near = disagreements.nearest(
            self.controls["kind"].value,
            self.controls["population"].value,
            points.xs[0],
            points.ys[0],
        )
        if near is not None:
            self.controls["dose"].value = self.doses.index(near)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
