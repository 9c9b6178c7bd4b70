"""What every figure builder shares: trace names, the current-bout star, the threshold
line, and :func:`apply_update`, which changes a figure by trace name."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from painlab import theme, vocabulary
from painlab.hypoalgesia import HYPOALGESIA_THRESHOLD

#: Name of the time course's trace of documented outcomes.
STUDIES_NAME = "studies (outcome at time measured)"
#: Name of the dose map's veil over doses no study of the population tested.
UNTESTED_NAME = "grey: untested in this population (model interpolates)"
SITE_LABELS = vocabulary.SITE_LABELS  # defined in painlab.vocabulary
#: A horizontal legend at the figure's bottom edge, under the x-axis title: anchored to the
#: container, so it cannot slide onto the axis title or the plot when fonts grow (scale
#: 1.6), whichever plotly.js draws it (the widgets' 3.x or the page's 4.x).
#: Entries packed (short symbols, no gap between groups) so a small figure keeps its plot.
BOTTOM_LEGEND = {
    "orientation": "h",
    "x": 0,
    "y": 0,
    "yref": "container",
    "yanchor": "bottom",
    "itemwidth": 30,
    "tracegroupgap": 0,
}
_RES = 60  # dose-map grid points per axis (60 x 60 is smooth and cheap to redraw)


def apply_update(fig, update: dict) -> None:
    """Write an update (trace name -> properties, plus layout) into a figure in place.

    ``fig`` is a plotly figure or ``FigureWidget`` (wrap the call in ``batch_update()``
    for a widget), or a figure's JSON dict (``fig.to_plotly_json()``). Traces are found by
    name, never by position, so adding a trace to a builder cannot break an update.
    """
    if isinstance(fig, dict):
        by_name = {t.get("name"): t for t in fig["data"]}
        for name, props in update.get("traces", {}).items():
            _merge(by_name[name], props)
        _merge(fig.setdefault("layout", {}), update.get("layout", {}))
        return
    by_name = {t.name: t for t in fig.data}
    for name, props in update.get("traces", {}).items():
        if name not in by_name:
            raise KeyError(f"figure has no trace named {name!r}")
        trace = by_name[name]
        for key, value in props.items():
            if isinstance(value, dict):
                trace[key].update(value)
            else:
                trace[key] = value
    if update.get("layout"):
        fig.update_layout(update["layout"])


def _merge(into: dict, new: dict) -> None:
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = v


def _current_bout_marker(x: list, y: list, scale: float, hover: str | None = None) -> go.Scatter:
    """The orange star that marks the student's current bout on any figure."""
    return go.Scatter(
        name="current bout",
        x=x,
        y=y,
        mode="markers",
        marker={
            "symbol": "star",
            "size": 20 * scale,
            "color": theme.CURRENT_BOUT_COLOR,
            "line": {"width": 2, "color": "black"},
        },
        hovertemplate=hover,
    )


def _threshold_line(x: Sequence[float], name: str) -> go.Scatter:
    return go.Scatter(
        name=name,
        x=list(x),
        y=[HYPOALGESIA_THRESHOLD] * len(x),
        mode="lines",
        line={"color": theme.MODEL_COLOR, "dash": "dot", "width": 1.5},
        hoverinfo="name",
    )


_MINUTES = np.linspace(0, 60, 61).tolist()
