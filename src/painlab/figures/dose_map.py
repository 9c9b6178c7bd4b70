"""The dose map (K2-K5): the model's effect over every intensity x duration, the study
arms on top, the untested doses veiled, the current bout as a star."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from painlab import hypoalgesia, studies, theme
from painlab.bouts import (
    DEFAULT_MUSCLE,
    KIND_LABELS,
    LIMITS,
    MUSCLE_LABELS,
    UNITS,
    Bout,
    endurance_time,
)
from painlab.figures._base import _RES, BOTTOM_LEGEND, UNTESTED_NAME, _current_bout_marker
from painlab.hypoalgesia import HYPOALGESIA_THRESHOLD

# --------------------------------------------------------------------------- dose map

#: Dotted lines where an edge of the 80% prediction interval crosses d = 0.2 (trace name ->
#: edge): right of/above the first, even the range's low end is relief; left of/below the
#: second, not even its high end is. The band between is uncertain.
RANGE_LINES: dict[str, str] = {
    "80% range: d = 0.2 at its low and high ends": "low",
    "80% range: high end at d = 0.2": "high",
}


def _evidence_points(
    kind: str, population: str, muscle: str = DEFAULT_MUSCLE
) -> dict[str, dict[str, list]]:
    """Study arms of a kind and population placed on the dose plane, grouped by outcome.

    An isometric arm is placed at the share of its own muscle's endurance time that it
    held, drawn on the shown muscle's time axis (a hold to failure sits on the failure
    edge of every muscle's map); its hover text gives the muscle and minutes it used.
    """
    out: dict[str, dict[str, list]] = {
        o: {"x": [], "y": [], "text": []} for o in theme.OUTCOME_STYLE
    }
    for arm in studies.arms(kind=kind, population=population):
        bout = hypoalgesia.arm_bout(arm)
        if bout is None:
            continue
        pts = out[arm.outcome]
        y = bout.minutes
        if kind == "isometric" and bout.endurance:
            y = bout.minutes / bout.endurance * float(endurance_time(bout.intensity, muscle))
        pts["x"].append(bout.intensity)
        pts["y"].append(y)
        text = arm.describe()
        if kind == "isometric":
            text += f" [{MUSCLE_LABELS[bout.muscle or DEFAULT_MUSCLE].lower()}]"
        pts["text"].append(text)
    return out


def unplaced_arms(kind: str, population: str) -> int:
    """Number of arms of this kind and population whose dose was not reported."""
    ids = {
        a.arm_id
        for a in studies.arms(kind=kind, population=population)
        if hypoalgesia.arm_bout(a) is None
    }
    return len(ids)


def dose_map_data(
    kind: str,
    population: str,
    resolution: int = _RES,
    muscle: str = DEFAULT_MUSCLE,
    ranges: bool = True,
) -> dict:
    """Model surface, hypoalgesia boundary, evidence and untested region for one map.

    ``untested`` is 1 where no study of this population tested a close dose (the model
    interpolates there) and ``None`` elsewhere.
    """
    ilo, ihi = LIMITS[kind]["intensity"]
    dlo, dhi = LIMITS[kind]["duration"]
    if kind == "isometric":
        dhi = min(dhi, float(endurance_time(ilo, muscle)))
    x = np.linspace(ilo, ihi, resolution)
    y = np.linspace(dlo, dhi, resolution)
    z = hypoalgesia.effect_grid(kind, population, x, y, muscle=muscle)
    edges = {
        e: hypoalgesia.effect_grid(kind, population, x, y, muscle=muscle, edge=e)
        if ranges
        else np.full_like(z, np.nan)
        for e in ("low", "high")
    }
    tested = hypoalgesia.tested_mask(kind, population, x, y, muscle=muscle)
    untested = [
        [None if t or np.isnan(v) else 1.0 for t, v in zip(tr, zr, strict=True)]
        for tr, zr in zip(tested.tolist(), z.tolist(), strict=True)
    ]
    # impossible holds (longer than the endurance time) are gaps; JSON has no NaN
    z = [[None if np.isnan(v) else v for v in row] for row in z.tolist()]
    low, high = (
        [[None if np.isnan(v) else v for v in row] for row in edges[e].tolist()]
        for e in ("low", "high")
    )
    # plain lists: plotly 7.1's widget update path tests `if not value` on arrays
    return {
        "x": x.tolist(),
        "y": y.tolist(),
        "z": z,
        "low": low,
        "high": high,
        "untested": untested,
        "points": _evidence_points(kind, population, muscle),
    }


def _threshold_line(
    name: str, data: dict, surface: str, width: float, dash: str, group: str, legend: bool
) -> go.Contour:
    """The line where one of the map's surfaces (``z``, ``low``, ``high``) crosses d = 0.2."""
    return go.Contour(
        name=name,
        x=data["x"],
        y=data["y"],
        z=data[surface],
        showscale=False,
        contours={
            "start": HYPOALGESIA_THRESHOLD,
            "end": HYPOALGESIA_THRESHOLD,
            "size": 1,
            "coloring": "none",
        },
        line={"color": theme.MODEL_COLOR, "width": width, "dash": dash},
        hoverinfo="skip",
        showlegend=legend,
        legendgroup=group,
    )


def _model_hover(kind: str) -> str:
    return "%{x:.0f} " + UNITS[kind] + ", %{y:.1f} min<br>model d = %{z:+.2f}<extra>model</extra>"


def _bout_hover(kind: str) -> str:
    return "current bout: %{x:.0f} " + UNITS[kind] + ", %{y:.1f} min<extra></extra>"


def _title(kind: str, population: str, muscle: str) -> str:
    what = KIND_LABELS[kind]
    if kind == "isometric":
        what += f" ({MUSCLE_LABELS[muscle].lower()})"
    return f"Dose map: {what}, {population.replace('_', ' ')}"


def plot_dose_map(
    kind: str = "aerobic",
    population: str = "healthy",
    bout: Bout | None = None,
    *,
    resolution: int = _RES,
    title: str | None = None,
    height: int = 420,
    scale: float = 1.0,
    muscle: str | None = None,
    ranges: bool = True,
) -> go.Figure:
    """The intensity x duration plane: model effect, hypoalgesia boundary, study arms.

    Parameters
    ----------
    kind : {"aerobic", "isometric", "dynamic_resistance"}
    population : str
        One of :data:`painlab.POPULATIONS`.
    bout : Bout, optional
        The current bout, drawn as an orange star.
    resolution : int
        Grid points per axis.
    title, height, scale
        Presentation (``scale`` enlarges fonts for a projector).
    muscle : str, optional
        Isometric only: the muscle group (default: the bout's, else handgrip).
    ranges : bool, default True
        Draw where the 80% range's edges cross d = 0.2 (the offline handout, which shows
        the range in its readout only, leaves them out).

    Returns
    -------
    plotly.graph_objects.Figure
        Traces, in order: ``model`` (heatmap of Cohen's d), the d = 0.2 boundary (contour),
        one marker trace per documented outcome, ``current bout``, ``untested`` (grey
        veil where no study of this population tested a close dose), and the two dotted
        lines where each edge of the 80% range crosses d = 0.2 (:data:`RANGE_LINES`): between
        them a new study could find either outcome.
    """
    if muscle is None:
        muscle = (bout.muscle if bout is not None else None) or DEFAULT_MUSCLE
    data = dose_map_data(kind, population, resolution, muscle, ranges)
    fig = go.Figure(layout=theme.layout(title or "", scale=scale, height=height))
    fig.add_trace(
        go.Heatmap(
            name="model",
            x=data["x"],
            y=data["y"],
            z=data["z"],
            zmin=-1.0,
            zmax=1.0,
            colorscale=theme.EFFECT_COLORSCALE,
            colorbar={"title": {"text": "d"}, "thickness": 12 * scale, "len": 0.8},
            hovertemplate=_model_hover(kind),
        )
    )
    fig.add_trace(
        _threshold_line("model: d = 0.2 boundary", data, "z", 2 * scale, "dash", "model", True)
    )
    for outcome, style in theme.OUTCOME_STYLE.items():
        pts = data["points"][outcome]
        fig.add_trace(
            go.Scatter(
                name=f"study: {style['label']}",
                x=pts["x"],
                y=pts["y"],
                text=pts["text"],
                mode="markers",
                marker={
                    "symbol": style["symbol"],
                    "color": style["color"],
                    "size": 11 * scale,
                    "line": {
                        "width": 1.5,
                        "color": "white" if outcome == "hypoalgesia" else style["color"],
                    },
                },
                hovertemplate="%{text}<extra></extra>",
            )
        )
    bx, by = ([bout.intensity], [bout.minutes]) if bout is not None else ([], [])
    fig.add_trace(_current_bout_marker(bx, by, scale, _bout_hover(kind)))
    fig.add_trace(
        go.Heatmap(
            name=UNTESTED_NAME,
            x=data["x"],
            y=data["y"],
            z=data["untested"],
            zmin=0,
            zmax=1,
            colorscale=[[0, "rgba(90,90,90,0.35)"], [1, "rgba(90,90,90,0.35)"]],
            showscale=False,
            showlegend=True,
            hoverongaps=False,
            hovertemplate="no study of this population near this dose: the model interpolates"
            "<extra></extra>",
        )
    )
    for name, edge in RANGE_LINES.items() if ranges else ():
        fig.add_trace(_threshold_line(name, data, edge, 1.2 * scale, "dot", "range", edge == "low"))
    fig.update_xaxes(title_text=f"Intensity ({UNITS[kind]})", range=[data["x"][0], data["x"][-1]])
    fig.update_yaxes(title_text="Duration (min)", range=[data["y"][0], data["y"][-1]])
    fig.update_layout(legend=BOTTOM_LEGEND)
    if title is None:
        fig.update_layout(title_text=_title(kind, population, muscle))
    return fig


def dose_map_update(
    kind: str,
    population: str,
    muscle: str = DEFAULT_MUSCLE,
    resolution: int = _RES,
    ranges: bool = True,
) -> dict:
    """What a dose map built by :func:`plot_dose_map` needs when the kind, population or
    muscle changes: ``{"traces": {trace name: properties}, "layout": {...}}`` (apply it
    with :func:`apply_update`; the current-bout star is not included). ``ranges`` as for
    the figure it updates."""
    data = dose_map_data(kind, population, resolution, muscle, ranges)
    xy = {"x": data["x"], "y": data["y"]}
    traces: dict[str, dict] = {
        "model": {**xy, "z": data["z"], "hovertemplate": _model_hover(kind)},
        "model: d = 0.2 boundary": {**xy, "z": data["z"]},
        UNTESTED_NAME: {**xy, "z": data["untested"]},
        **{name: {**xy, "z": data[edge]} for name, edge in RANGE_LINES.items() if ranges},
        "current bout": {"hovertemplate": _bout_hover(kind)},
    }
    for outcome, style in theme.OUTCOME_STYLE.items():
        pts = data["points"][outcome]
        traces[f"study: {style['label']}"] = {"x": pts["x"], "y": pts["y"], "text": pts["text"]}
    layout = {
        "title": {"text": _title(kind, population, muscle)},
        "xaxis": {
            "title": {"text": f"Intensity ({UNITS[kind]})"},
            "range": [data["x"][0], data["x"][-1]],
        },
        "yaxis": {"range": [data["y"][0], data["y"][-1]]},
    }
    return {"traces": traces, "layout": layout}
