"""Two bouts side by side (A/B): each with its own controls, figures and readout.

Each side is a page-side explorer (:mod:`painlab.explorer_page`) in the ``"column"``
layout: a slider move is drawn in the browser, then the kernel catches up."""

from __future__ import annotations

import html

import ipywidgets as W

from painlab import theme
from painlab.bouts import Bout
from painlab.dashboards import Explorer

__all__ = ["Comparison", "compare"]


class Comparison:
    """Two bouts side by side: each with its own controls, sites figure and readout.

    Parameters
    ----------
    a, b : Bout
        The two bouts.
    population : str
        The starting population of both sides.
    scale : float
        Font and marker scale.
    heights : dict, optional
        Figure name -> height at scale 1 [px].
    page_options : dict, optional
        The sides' look (see :class:`painlab.dashboards.Explorer`); default: one column,
        the readout's reasons folded under "Why".
    """

    def __init__(
        self,
        a: Bout,
        b: Bout,
        population: str = "healthy",
        *,
        scale: float = 1.0,
        heights: dict[str, int] | None = None,
        page_options: dict | None = None,
    ):
        for arg, value in (("a", a), ("b", b)):
            if not isinstance(value, Bout):
                raise TypeError(
                    f"{arg} must be a painlab.Bout, e.g. pl.Bout('aerobic', 75, 30); got "
                    f"{value!r:.60} ({type(value).__name__})"
                )
        scale = theme.check_scale(scale)
        # one column per side; the verdict and range first, the reasons folded under "Why",
        # so the two sides can be read across
        options = {"layout": "column", "columns": 1, "readout": "why", **(page_options or {})}

        def side(bout: Bout) -> Explorer:
            return Explorer.of(
                bout,
                population,
                scale=scale,
                figures=("sites", "time_course"),
                heights=heights,
                page=True,
                page_options=options,
            )

        self.a, self.b = side(a), side(b)
        self.controls = {
            **{f"a.{k}": w for k, w in self.a.controls.items()},
            **{f"b.{k}": w for k, w in self.b.controls.items()},
        }
        self.figures = {
            **{f"a.{k}": w for k, w in self.a.figures.items()},
            **{f"b.{k}": w for k, w in self.b.figures.items()},
        }
        self.readout = W.HTML()
        for e in (self.a, self.b):
            e.readout.observe(self._sync_readout, names="value")
        self._sync_readout()
        head = "<h3 style='margin:0'>{}</h3>"
        self.widget = W.HBox(
            [
                W.VBox(
                    [W.HTML(head.format(name)), e.widget],
                    layout=W.Layout(width="50%", padding="0 10px"),
                )
                for name, e in (("A", self.a), ("B", self.b))
            ]
        )

    def _sync_readout(self, change=None) -> None:
        ra, rb = self.a.response, self.b.response
        self.readout.value = (  # each summary names its bout and population
            f"<p><b>A</b>: {html.escape(ra.summary())}<br><b>B</b>: {html.escape(rb.summary())}</p>"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def compare(a: Bout, b: Bout, population: str = "healthy", *, scale: float = 1.0) -> Comparison:
    """Two bouts side by side, each with its own controls, sites figure, time course and
    readout (see :class:`Comparison`).

    Parameters
    ----------
    a, b : Bout
        The two bouts.
    population : str
        One of :data:`painlab.POPULATIONS` (each side has its own population control).
    scale : float
        Font and marker scale (1.6 for a projector).
    """
    return Comparison(a, b, population, scale=scale)
