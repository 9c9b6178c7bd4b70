"""The explorer's page side: the model on the control grid, looked up in the browser.

:func:`painlab.explore` draws its controls, figures and readout with one front end,
``assets/explorer.js`` (an `anywidget <https://anywidget.dev>`_ module). A slider move is
handled in the page: the script finds the grid point of the new dose, reads the values the
kernel computed in advance for every point (:func:`page_data`) and restyles the figures
and the readout at once, with no round trip to the kernel. The new control values are then
sent to the kernel, which stays the source of truth: :class:`painlab.dashboards.Explorer`
updates ``.controls``, ``.readout`` and its plotly ``.figures`` from the model.

The grid and its encoding are the offline handout's (:mod:`painlab.handout.grid`,
:mod:`painlab.handout.readout`), for one kind, population and muscle at a time: a kind,
population or muscle change asks the kernel for that slice (about 0.1-0.6 s). The page's
arithmetic is the model's documented decay of the time course and of its plausible range
(half-life range of :data:`painlab.hypoalgesia.PARAMETERS`), the mechanisms figure's marker
sizes, and the error bars of the sites figure; ``tests/browser/test_explorer_page.py``
checks what the page draws against the kernel's figures and readout.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import anywidget
import numpy as np
import traitlets

from painlab import hypoalgesia, mechanisms
from painlab.handout.grid import QUANTUM, SITES, _Grid, _quantised, _Table, _typed
from painlab.handout.readout import _population_data, dose_part
from painlab.hypoalgesia import HYPOALGESIA_THRESHOLD

__all__ = ["PAGE_OPTIONS", "ExplorerView", "checked_options", "page_data"]

_ASSETS = files("painlab").joinpath("assets")

#: What an explorer's ``page_options`` may set (the view's ``options``, see :class:`ExplorerView`).
PAGE_OPTIONS = ("layout", "readout", "hide", "reveal", "presets", "hidden_note", "columns")
_PAGE_CHOICES = {
    "layout": ("notebook", "lecture", "column"),
    "readout": ("full", "why", "verdict", "none"),
    "hide": ("kind", "population", "intensity", "duration", "muscle"),
    "columns": (1, 2, 3),
}


def checked_options(options: dict[str, Any] | None, *, page: bool = True) -> dict[str, Any]:
    """An explorer's ``page_options``, checked: known names, allowed values, and only for a
    page-side explorer (``page=True``); raises ``ValueError`` naming the option."""
    options = dict(options or {})
    if options and not page:
        raise ValueError("page_options applies to the page-side explorer only (page=True)")
    unknown = sorted(set(options) - set(PAGE_OPTIONS))
    if unknown:
        raise ValueError(
            f"page_options: unknown {', '.join(unknown)}; valid: {', '.join(PAGE_OPTIONS)}"
        )
    for name, allowed in _PAGE_CHOICES.items():
        if name not in options:
            continue
        values = options[name] if name == "hide" else [options[name]]
        if isinstance(values, str) or not all(v in allowed for v in values):
            raise ValueError(
                f"page_options[{name!r}] must be {'a list of ' if name == 'hide' else ''}one of "
                f"{', '.join(map(repr, allowed))}; got {options[name]!r}"
            )
    return options


def page_data(
    kind: str, population: str, muscle: str | None, figures: dict[str, Any], texts: dict
) -> dict:
    """Everything the page needs for one kind, population and muscle.

    Parameters
    ----------
    kind, population, muscle
        The slice (``muscle`` for isometric holds only, else ``None``).
    figures : dict
        Figure name -> plotly figure as drawn at the current bout (the page restyles it).
    texts : dict
        ``{"figure_text": (plain, interpolated)}``: the line under the dose map without and
        with its "the model interpolates here" ending.

    Returns
    -------
    dict
        In the handout's shape for one kind and population (``grid``, ``values``,
        ``readout``, ``display``; see :mod:`painlab.handout`), plus ``extra`` (the
        plausible-range edges per site, the engagement of each mechanism, the
        interpolated flag per point), ``model`` (half-life and its range), ``figures``
        and ``texts``.
    """
    import plotly.io as pio

    grid, g, li, dose_interp = dose_part(kind, muscle)
    display = _Table()
    values, layouts = _population_data(grid, population, li, display)
    eff = grid.effects(population)
    lo = grid.effects(population, SITES, "low")
    hi = grid.effects(population, SITES, "high")
    # the evidence line and the population's findings can also say "interpolated"
    sample = hypoalgesia.predict(grid.bout(0), population)
    constant = any(x.interpolated for x in sample.reasons if x.kind == "finding")
    evidence = _evidence_interpolated(grid, population)
    interp = (dose_interp.astype(bool) | evidence | constant).astype(np.uint8)
    names = list(mechanisms.MECHANISMS)
    level = np.zeros((len(names), grid.size))
    for p in range(grid.size):
        e = mechanisms.engagement(grid.bout(p), population)
        level[:, p] = [e[n] for n in names]
    bounds = sample.bounds
    half_life = sample.half_life
    hl = (half_life, half_life) if bounds is None else tuple(bounds.half_life)
    return {
        "kind": kind,
        "population": population,
        "muscle": muscle,
        "grid": {kind: g},
        "values": {kind: {population: values}},
        "readout": {kind: {population: layouts}},
        "display": display.items,
        "extra": {
            "low": {s: _quantised(np.minimum(lo[s], eff[s])) for s in SITES},
            "high": {s: _quantised(np.maximum(hi[s], eff[s])) for s in SITES},
            "mechanisms": names,
            "level": [_typed(np.rint(row / QUANTUM).astype(np.uint16)) for row in level],
            "percent": [_typed(np.array([round(100 * v) for v in row], np.uint8)) for row in level],
            "interpolated": _typed(interp),
            "fatigue": None
            if grid.endurance is None
            else _typed(_fatigue(grid).astype(np.float32)),
        },
        "model": {
            "half_life": half_life,
            "half_life_range": list(hl),
            "threshold": HYPOALGESIA_THRESHOLD,
            "quantum": QUANTUM,
        },
        "figures": {n: json.loads(pio.to_json(f, validate=False)) for n, f in figures.items()},
        "texts": texts,
    }


def _fatigue(grid: _Grid) -> np.ndarray:
    """Share of the endurance time each isometric point holds (1 at failure)."""
    t = np.where(
        grid.t_index == len(grid.duration),
        grid.endurance[grid.i_index],
        grid.duration[np.minimum(grid.t_index, len(grid.duration) - 1)],
    )
    return np.minimum(1.0, t / grid.endurance[grid.i_index])


def _evidence_interpolated(grid: _Grid, population: str) -> np.ndarray:
    """Per point, whether the readout's evidence line says the model interpolates (no
    study of this population at a close dose)."""
    from painlab.handout.readout import _near_points

    near = _near_points(grid, population)
    return np.array([not x for x in near], dtype=bool)


class ExplorerView(anywidget.AnyWidget):
    """The explorer's front end (``assets/explorer.js``): controls, figures and readout.

    Traits mirror the controls (``kind``, ``population``, ``muscle``, ``intensity`` [unit
    of the kind], ``duration`` [min], ``to_failure``); ``data`` is :func:`page_data` for the
    current kind, population and muscle; ``rev`` counts changes the kernel made (the page
    then takes every value from the kernel), ``options`` holds the control labels and the
    look (``layout``: ``"notebook"``, ``"lecture"`` or ``"column"``; ``readout``: ``"full"``,
    ``"why"``, ``"verdict"`` or ``"none"``; ``hide``: controls not shown; ``reveal``: the
    result can be hidden; ``presets``: a preset menu). For the lecture app, ``revealed``
    shows or hides the result, ``lead`` is the question above the controls (HTML) and
    ``preset`` the classic study chosen in the page.
    """

    _esm = _ASSETS.joinpath("explorer.js")
    _css = _ASSETS.joinpath("explorer.css")
    kind = traitlets.Unicode("aerobic").tag(sync=True)
    population = traitlets.Unicode("healthy").tag(sync=True)
    muscle = traitlets.Unicode("grip").tag(sync=True)
    intensity = traitlets.Float(75.0).tag(sync=True)
    duration = traitlets.Float(30.0).tag(sync=True)
    to_failure = traitlets.Bool(False).tag(sync=True)
    data = traitlets.Dict().tag(sync=True)
    rev = traitlets.Int(0).tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    scale = traitlets.Float(1.0).tag(sync=True)
    revealed = traitlets.Bool(True).tag(sync=True)
    lead = traitlets.Unicode("").tag(sync=True)
    preset = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._on_custom)

    def _on_custom(self, _widget, content, _buffers) -> None:
        # the page has no plotly.js yet (no other figure loaded it): send the bundled one,
        # once per page, instead of fetching it from a CDN
        if isinstance(content, dict) and content.get("type") == "plotly.js":
            import plotly.offline

            self.send({"type": "plotly.js", "source": plotly.offline.get_plotlyjs()})
