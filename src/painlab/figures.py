"""Figure builders: model results and evidence in, :class:`plotly.graph_objects.Figure` out.

Every builder is pure (no widgets, no ``.show()``) and returns a figure whose traces have
fixed names and order, so a dashboard can build a figure once and later update its traces
in place (see :mod:`painlab.dashboards`). The ``update_*`` companions compute the new trace
data for a figure built by the matching ``plot_*``; they never add or remove traces.

Study markers carry their citation (study, dose, measure, outcome, DOI) in hover text.
Outcome is shown by marker symbol *and* colour *and* legend label, never colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from painlab import hypoalgesia, studies, theme, vocabulary
from painlab.bouts import (
    DEFAULT_MUSCLE,
    KIND_LABELS,
    LIMITS,
    MUSCLE_LABELS,
    UNITS,
    Bout,
    endurance_time,
)
from painlab.hypoalgesia import HYPOALGESIA_THRESHOLD, Response
from painlab.mechanisms import MECHANISMS

__all__ = [
    "apply_update",
    "dose_map_data",
    "dose_map_update",
    "plot_condition_effects",
    "plot_dose_map",
    "plot_fatigue",
    "plot_mechanisms",
    "plot_sites",
    "plot_time_course",
    "sites_data",
    "sites_update",
    "time_course_data",
    "time_course_update",
    "time_points_data",
]

#: Name of the time course's trace of documented outcomes.
STUDIES_NAME = "studies (outcome at time measured)"
#: Name of the dose map's veil over doses no study of the population tested.
UNTESTED_NAME = "grey: untested in this population (model interpolates)"
SITE_LABELS = vocabulary.SITE_LABELS  # defined in painlab.vocabulary
_RES = 60  # dose-map grid points per axis (60 x 60 is smooth and cheap to redraw)


# --------------------------------------------------------------------------- dose map


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
    kind: str, population: str, resolution: int = _RES, muscle: str = DEFAULT_MUSCLE
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
    tested = hypoalgesia.tested_mask(kind, population, x, y, muscle=muscle)
    untested = [
        [None if t or np.isnan(v) else 1.0 for t, v in zip(tr, zr, strict=True)]
        for tr, zr in zip(tested.tolist(), z.tolist(), strict=True)
    ]
    # impossible holds (longer than the endurance time) are gaps; JSON has no NaN
    z = [[None if np.isnan(v) else v for v in row] for row in z.tolist()]
    # plain lists: plotly 7.1's widget update path tests `if not value` on arrays
    return {
        "x": x.tolist(),
        "y": y.tolist(),
        "z": z,
        "untested": untested,
        "points": _evidence_points(kind, population, muscle),
    }


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

    Returns
    -------
    plotly.graph_objects.Figure
        Traces, in order: ``model`` (heatmap of Cohen's d), the d = 0.2 boundary (contour),
        one marker trace per documented outcome, ``current bout``, and ``untested`` (grey
        veil where no study of this population tested a close dose).
    """
    if muscle is None:
        muscle = (bout.muscle if bout is not None else None) or DEFAULT_MUSCLE
    data = dose_map_data(kind, population, resolution, muscle)
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
        go.Contour(
            name="model: d = 0.2 boundary",
            x=data["x"],
            y=data["y"],
            z=data["z"],
            showscale=False,
            contours={
                "start": HYPOALGESIA_THRESHOLD,
                "end": HYPOALGESIA_THRESHOLD,
                "size": 1,
                "coloring": "none",
            },
            line={"color": theme.MODEL_COLOR, "width": 2 * scale, "dash": "dash"},
            hoverinfo="skip",
            showlegend=True,
            legendgroup="model",
        )
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
    fig.update_xaxes(title_text=f"Intensity ({UNITS[kind]})", range=[data["x"][0], data["x"][-1]])
    fig.update_yaxes(title_text="Duration (min)", range=[data["y"][0], data["y"][-1]])
    fig.update_layout(legend={"orientation": "h", "y": -0.22, "x": 0})
    if title is None:
        fig.update_layout(title_text=_title(kind, population, muscle))
    return fig


def dose_map_update(
    kind: str, population: str, muscle: str = DEFAULT_MUSCLE, resolution: int = _RES
) -> dict:
    """What a dose map built by :func:`plot_dose_map` needs when the kind, population or
    muscle changes: ``{"traces": {trace name: properties}, "layout": {...}}`` (apply it
    with :func:`apply_update`; the current-bout star is not included)."""
    data = dose_map_data(kind, population, resolution, muscle)
    xy = {"x": data["x"], "y": data["y"]}
    traces: dict[str, dict] = {
        "model": {**xy, "z": data["z"], "hovertemplate": _model_hover(kind)},
        "model: d = 0.2 boundary": {**xy, "z": data["z"]},
        UNTESTED_NAME: {**xy, "z": data["untested"]},
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


# --------------------------------------------------------------------------- sites


def sites_data(response: Response) -> dict:
    """Effect size at each body site right after the bout, with its plausible range."""
    names = list(SITE_LABELS)
    y = [round(response.at(s), 3) for s in names]
    ranges = [response.range(s) for s in names]
    return {
        "x": [SITE_LABELS[s] for s in names],
        "y": y,
        "plus": [round(hi - v, 3) for v, (_lo, hi) in zip(y, ranges, strict=True)],
        "minus": [round(v - lo, 3) for v, (lo, _hi) in zip(y, ranges, strict=True)],
    }


def _error_bars(data: dict) -> dict:
    return {
        "type": "data",
        "symmetric": False,
        "array": data["plus"],
        "arrayminus": data["minus"],
        "color": "rgba(0,0,0,0.45)",
        "thickness": 1.5,
        "width": 14,
    }


def plot_sites(
    response: Response,
    *,
    title: str = "Where pain eases: effect by body site",
    height: int = 320,
    scale: float = 1.0,
    ranges: bool = True,
) -> go.Figure:
    """Bars of Cohen's d at the exercising limb, opposite limb and a distant muscle.

    Traces: ``effect`` (bars with values and, unless ``ranges=False``, the plausible range
    as error bars), ``threshold`` (d = 0.2 line).
    """
    data = sites_data(response)
    if ranges:
        extra = {
            "error_y": _error_bars(data),
            "customdata": _range_custom(data),
            "hovertemplate": "%{x}: d = %{y:+.2f} (plausible %{customdata})<extra></extra>",
        }
    else:
        extra = {"hovertemplate": "%{x}: d = %{y:+.2f}<extra></extra>"}
    fig = go.Figure(layout=theme.layout(title, scale=scale, height=height))
    fig.add_trace(
        go.Bar(
            name="effect",
            x=data["x"],
            y=data["y"],
            marker={
                "color": [theme.SITE_COLORS[s] for s in SITE_LABELS],
                "pattern": {"shape": ["", "/", "."], "fgcolor": "white"},
            },
            text=[f"{v:+.2f}" for v in data["y"]],
            textposition="outside",
            cliponaxis=False,
            **extra,
        )
    )
    fig.add_trace(_threshold_line([-0.5, 2.5], "threshold: d = 0.2 (small effect)"))
    fig.update_yaxes(title_text="Cohen's d (+ = less pain)", range=[-1.0, 1.2])
    fig.update_xaxes(range=[-0.5, 2.5])
    fig.update_layout(showlegend=False)
    return fig


def _range_custom(data: dict) -> list[str]:
    return [
        f"{v - m:+.2f} to {v + p:+.2f}"
        for v, m, p in zip(data["y"], data["minus"], data["plus"], strict=True)
    ]


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


# --------------------------------------------------------------------------- time course

_MINUTES = np.linspace(0, 60, 61).tolist()


def time_course_data(response: Response, minutes=_MINUTES) -> dict[str, list[float]]:
    """Effect at each site over the minutes after the bout."""
    # plain lists: plotly 7.1's widget echo handler tests `if not value` and fails on arrays
    return {s: response.curve(s, minutes).round(4).tolist() for s in SITE_LABELS}


def time_band_data(response: Response, minutes=_MINUTES) -> dict[str, dict[str, list]]:
    """Plausible range at each site over the minutes after the bout, as closed polygons."""
    m = list(minutes)
    out = {}
    for s in SITE_LABELS:
        lo, hi = response.band(s, m)
        out[s] = {"x": m + m[::-1], "y": hi.round(4).tolist() + lo[::-1].round(4).tolist()}
    return out


def time_points_data(kind: str, population: str) -> dict[str, list]:
    """Documented outcomes of a kind and population at the minutes they were measured."""
    pts: dict[str, list] = {"x": [], "y": [], "symbol": [], "text": []}
    y_of = {"hypoalgesia": 0.5, "none": 0.0, "hyperalgesia": -0.5}
    for arm in studies.arms(kind=kind, population=population):
        if arm.minutes_after is None:
            continue
        pts["x"].append(arm.minutes_after)
        pts["y"].append(y_of[arm.outcome])
        pts["symbol"].append(theme.OUTCOME_STYLE[arm.outcome]["symbol"])
        pts["text"].append(arm.describe())
    return pts


def time_course_update(response: Response, ranges: bool = True, studies: bool = True) -> dict:
    """What a time course built by :func:`plot_time_course` needs for a new response:
    the lines, the bands (unless ``ranges=False``) and the studies of its kind and
    population (unless ``studies=False``: they change only with the kind or population;
    see :func:`apply_update`)."""
    traces: dict[str, dict] = {
        SITE_LABELS[s]: {"y": y} for s, y in time_course_data(response).items()
    }
    if ranges:
        for s, band in time_band_data(response).items():
            traces[f"plausible range: {SITE_LABELS[s].lower()}"] = {"y": band["y"]}
    if not studies:
        return {"traces": traces}
    pts = time_points_data(response.bout.kind, response.population)
    traces[STUDIES_NAME] = {
        "x": pts["x"],
        "y": pts["y"],
        "text": pts["text"],
        "marker": {"symbol": pts["symbol"]},
    }
    return {"traces": traces}


def sites_update(response: Response) -> dict:
    """What a sites figure built by :func:`plot_sites` needs for a new response."""
    d = sites_data(response)
    return {
        "traces": {
            "effect": {
                "y": d["y"],
                "text": [f"{v:+.2f}" for v in d["y"]],
                "error_y": {"array": d["plus"], "arrayminus": d["minus"]},
                "customdata": _range_custom(d),
            }
        }
    }


def plot_time_course(
    response: Response,
    *,
    title: str = "How long it lasts",
    height: int = 320,
    scale: float = 1.0,
    ranges: bool = True,
) -> go.Figure:
    """Effect versus minutes after the bout, with documented measurement times.

    Traces: one line per site (exercising, contralateral, distant), ``threshold``,
    ``studies`` (documented outcomes of this kind and population at the times measured;
    y is the outcome category, not an effect size), then, unless ``ranges=False``, one
    shaded band per site (``plausible range: <site>``), drawn beneath the lines.
    """
    data = time_course_data(response)
    fig = go.Figure(layout=theme.layout(title, scale=scale, height=height))
    dashes = {"exercising": "solid", "contralateral": "dash", "distant": "dot"}
    for site, y in data.items():
        fig.add_trace(
            go.Scatter(
                name=SITE_LABELS[site],
                x=_MINUTES,
                y=y,
                mode="lines",
                line={"color": theme.SITE_COLORS[site], "width": 3 * scale, "dash": dashes[site]},
                hovertemplate="%{x:.0f} min after: d = %{y:+.2f}<extra>"
                + SITE_LABELS[site]
                + "</extra>",
            )
        )
    fig.add_trace(_threshold_line([0, 60], "threshold: d = 0.2"))
    pts = time_points_data(response.bout.kind, response.population)
    fig.add_trace(
        go.Scatter(
            name=STUDIES_NAME,
            x=pts["x"],
            y=pts["y"],
            text=pts["text"],
            mode="markers",
            marker={
                "symbol": pts["symbol"],
                "size": 10 * scale,
                "color": theme.OKABE_ITO["reddish_purple"],
            },
            hovertemplate="%{text}<extra></extra>",
        )
    )
    for site, band in time_band_data(response).items() if ranges else ():
        fig.add_trace(
            go.Scatter(
                name=f"plausible range: {SITE_LABELS[site].lower()}",
                x=band["x"],
                y=band["y"],
                fill="toself",
                fillcolor=theme.band_color(site),
                line={"width": 0},
                mode="lines",
                hoverinfo="skip",
                legendgroup=site,
                showlegend=site == "exercising",
                zorder=-1,
            )
        )
    fig.update_xaxes(title_text="Minutes after the bout", range=[0, 60])
    fig.update_yaxes(title_text="Effect (Cohen's d)", range=[-1.0, 1.0])
    fig.update_layout(legend={"orientation": "h", "y": -0.3, "x": 0})
    return fig


# --------------------------------------------------------------------------- mechanisms

#: Where each mechanism sits on the pathway diagram (x: periphery -> cortex; y: lane).
_MECH_POS = {
    "gate_control": (1.0, 1.0),
    "plasma_beta_endorphin": (1.0, 0.0),
    "central_opioid": (2.0, 0.0),
    "cross_tolerance": (2.0, -0.8),
    "descending_inhibition": (3.0, 1.0),
    "biopsychosocial": (3.0, 0.0),
}
_STAGES = [
    (0.0, "Muscle &\nperiphery"),
    (1.0, "Spinal cord /\nblood"),
    (2.0, "Brainstem"),
    (3.0, "Cortex"),
]


def plot_mechanisms(
    response: Response,
    *,
    title: str = "Mechanisms engaged by this bout",
    height: int = 360,
    scale: float = 1.0,
) -> go.Figure:
    """Pathway diagram: how strongly the bout engages each mechanism (0..1, illustrative).

    Traces: ``pathway`` (stage labels and arrows), ``mechanisms`` (one marker per
    mechanism; size and fill show engagement, text gives the value).
    """
    fig = go.Figure(layout=theme.layout(title, scale=scale, height=height))
    fig.add_trace(
        go.Scatter(
            name="pathway",
            x=[s[0] for s in _STAGES],
            y=[1.8] * len(_STAGES),
            text=[s[1].replace("\n", "<br>") for s in _STAGES],
            mode="text+lines",
            line={"color": theme.OKABE_ITO["grey"], "width": 2},
            textfont={"size": 12 * scale},
            hoverinfo="skip",
        )
    )
    names = list(MECHANISMS)
    fig.add_trace(
        go.Scatter(
            name="mechanisms",
            x=[_MECH_POS[n][0] for n in names],
            y=[_MECH_POS[n][1] for n in names],
            customdata=[MECHANISMS[n].summary for n in names],
            mode="markers+text",
            textposition="bottom center",
            textfont={"size": 11 * scale},
            hovertemplate="%{text}<br>%{customdata}<extra></extra>",
            **mechanisms_style(response, scale),
        )
    )
    fig.update_xaxes(visible=False, range=[-0.5, 3.6])
    fig.update_yaxes(visible=False, range=[-1.5, 2.2])
    fig.update_layout(showlegend=False)
    return fig


def mechanisms_style(response: Response, scale: float = 1.0) -> dict:
    """Marker sizes, fills and labels of the mechanisms trace for a response."""
    names = list(MECHANISMS)
    e = [response.mechanisms[n] for n in names]
    return {
        "text": [f"{MECHANISMS[n].label}: {v:.0%}" for n, v in zip(names, e, strict=True)],
        "marker": {
            "size": [(14 + 36 * v) * scale for v in e],
            "color": e,
            "cmin": 0,
            "cmax": 1,
            "colorscale": [[0, "#F2F2F2"], [1, theme.OKABE_ITO["blue"]]],
            "line": {
                "width": 2,
                "color": [
                    theme.OKABE_ITO["vermillion"]
                    if MECHANISMS[n].family == "opioid"
                    else theme.OKABE_ITO["bluish_green"]
                    for n in names
                ],
            },
            "symbol": ["diamond" if MECHANISMS[n].family == "opioid" else "circle" for n in names],
        },
    }


# --------------------------------------------------------------------------- fatigue (K5)


def plot_fatigue(
    intensities: Sequence[float] = (25, 50, 80),
    population: str = "healthy",
    *,
    current: Bout | None = None,
    title: str = "Fatigue is not required: effect vs fraction of endurance time",
    height: int = 340,
    scale: float = 1.0,
) -> go.Figure:
    """For isometric holds: effect at the exercising limb versus the fatigue used.

    Traces: one line per intensity (``25% MVC`` ...), ``threshold``, ``current bout``.
    """
    fig = go.Figure(layout=theme.layout(title, scale=scale, height=height))
    frac = np.linspace(0.02, 1.0, 50)
    colors = [theme.OKABE_ITO[c] for c in ("sky_blue", "blue", "reddish_purple", "orange")]
    for i, (inten, col) in enumerate(zip(intensities, colors, strict=False)):
        et = endurance_time(inten)
        d = [
            hypoalgesia.predict(
                Bout("isometric", inten, min(et, max(0.1, f * et))), population
            ).effect_size
            for f in frac
        ]
        fig.add_trace(
            go.Scatter(
                name=f"{inten:g}% MVC (fails at {et:.1f} min)",
                x=(frac * 100).tolist(),
                y=d,
                mode="lines",
                line={
                    "color": col,
                    "width": 3 * scale,
                    "dash": ["solid", "dash", "dot", "dashdot"][i % 4],
                },
                hovertemplate="%{x:.0f}% of endurance time: d = %{y:+.2f}<extra></extra>",
            )
        )
    fig.add_trace(_threshold_line([0, 100], "threshold: d = 0.2"))
    cx, cy = [], []
    if current is not None and current.kind == "isometric":
        r = hypoalgesia.predict(current, population)
        cx, cy = [100 * (r.fatigue or 0)], [r.effect_size]
    fig.add_trace(_current_bout_marker(cx, cy, scale))
    fig.update_xaxes(
        title_text="Fatigue used (% of endurance time; 100 = task failure)", range=[0, 100]
    )
    fig.update_yaxes(title_text="Effect (Cohen's d)", range=[-0.6, 1.0])
    fig.update_layout(legend={"orientation": "h", "y": -0.3, "x": 0})
    return fig


# --------------------------------------------------------------------------- K6 forest


def plot_condition_effects(
    *,
    title: str = "Exercise programmes vs control, by condition",
    height: int = 420,
    scale: float = 1.0,
) -> go.Figure:
    """Forest plot of exercise versus control on pain for the conditions of K6.

    Standardised mean differences (SMD) share one axis; estimates reported as a mean
    difference on a 0-100 scale are listed in hover text and marked on a second panel.
    Traces: ``SMD`` (points with 95% CIs), ``MD (0-100)``, and ``no estimate``.
    """
    from plotly.subplots import make_subplots

    recs = studies.condition_effects()
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.62, 0.38],
        shared_yaxes=True,
        horizontal_spacing=0.03,
        subplot_titles=("Standardised (SMD)", "Points on a 0-100 scale (MD)"),
    )
    fig.update_layout(**theme.layout(title, scale=scale, height=height))

    repeated = {
        (r.condition, r.citation.key)
        for r in recs
        if sum((q.condition, q.citation.key) == (r.condition, r.citation.key) for q in recs) > 1
    }

    def label(r):
        when = (
            f", {r.timepoint}" if (r.condition, r.citation.key) in repeated and r.timepoint else ""
        )
        return f"{r.condition.replace('_', ' ')} ({r.citation.short}{when})"

    for metric, col, name in (("smd", 1, "SMD"), ("md", 2, "MD (0-100)")):
        sel = [r for r in recs if r.effect_metric == metric and r.effect_size is not None]
        fig.add_trace(
            go.Scatter(
                name=name,
                x=[r.effect_size for r in sel],
                y=[label(r) for r in sel],
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [
                        (r.ci_high - r.effect_size) if r.ci_high is not None else 0 for r in sel
                    ],
                    "arrayminus": [
                        (r.effect_size - r.ci_low) if r.ci_low is not None else 0 for r in sel
                    ],
                },
                mode="markers",
                marker={"symbol": "square", "size": 11 * scale, "color": theme.OKABE_ITO["blue"]},
                text=[
                    f"{r.comparison}; {r.timepoint or 'time not stated'}; k = {r.k or '?'}; "
                    f"{r.citation.short}, doi:{r.citation.doi or '-'} PMID {r.citation.pmid or '-'}"
                    for r in sel
                ],
                hovertemplate="%{y}: %{x:+.2f}<br>%{text}<extra></extra>",
            ),
            row=1,
            col=col,
        )
    none = [r for r in recs if r.effect_size is None]
    fig.add_trace(
        go.Scatter(
            name="no pooled estimate",
            x=[0] * len(none),
            y=[label(r) for r in none],
            mode="markers",
            marker={"symbol": "circle-open", "size": 10 * scale, "color": theme.OKABE_ITO["grey"]},
            text=[r.notes for r in none],
            hovertemplate="%{y}: no pooled estimate<br>%{text}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_vline(x=0, line={"color": "black", "width": 1}, row=1, col=1)
    fig.add_vline(x=0, line={"color": "black", "width": 1}, row=1, col=2)
    fig.update_xaxes(title_text="favours exercise →", row=1, col=1)
    fig.update_xaxes(title_text="favours exercise →", row=1, col=2)
    fig.update_layout(showlegend=False, margin={"l": 260 * scale})
    return fig


# --------------------------------------------------------------------------- programmes (K9-K12)

_N_SHOWN = 5  # individual simulated patients drawn over the cohort band


def program_course_data(result) -> dict:
    """Median, interquartile band and a few individual patients of a programme result."""
    lo, hi = result.band((0.25, 0.75))
    weeks = result.weeks
    return {
        "weeks": weeks.tolist(),
        "median": result.median_pain().tolist(),
        "lo": lo.tolist(),
        "hi": hi.tolist(),
        "patients": [result.pain[i].tolist() for i in range(min(_N_SHOWN, result.n_patients))],
        "adherence_weeks": weeks[1:].tolist(),
        "adherence": (result.mean_adherence() * 100).tolist(),
    }


def plot_program(
    result, *, title: str = "A programme, week by week", height: int = 460, scale: float = 1.0
) -> go.Figure:
    """Pain change and adherence over the weeks of a programme (simulated cohort).

    Top panel: pain change from baseline (negative = less pain): the cohort's median and
    interquartile band, and a few individual patients. Bottom panel: mean adherence (% of
    prescribed sessions done). Traces, in order: ``band low``, ``band high`` (filled),
    ``median``, ``patient 1`` ... ``patient 5``, ``adherence``.
    """
    from plotly.subplots import make_subplots

    d = program_course_data(result)
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.08
    )
    fig.update_layout(**theme.layout(title, scale=scale, height=height))
    fig.add_trace(
        go.Scatter(
            name="band low",
            x=d["weeks"],
            y=d["lo"],
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            name="middle half of patients",
            x=d["weeks"],
            y=d["hi"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(86,180,233,0.35)",
            hoverinfo="skip",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            name="median patient",
            x=d["weeks"],
            y=d["median"],
            mode="lines+markers",
            line={"color": theme.OKABE_ITO["blue"], "width": 3 * scale},
        ),
        row=1,
        col=1,
    )
    for i, y in enumerate(d["patients"]):
        fig.add_trace(
            go.Scatter(
                name="individual patients" if i == 0 else f"patient {i + 1}",
                x=d["weeks"],
                y=y,
                mode="lines",
                showlegend=i == 0,
                legendgroup="patients",
                line={"color": theme.OKABE_ITO["grey"], "width": 1.2, "dash": "dot"},
                hovertemplate=f"patient {i + 1}, week %{{x}}: %{{y:+.2f}}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Scatter(
            name="adherence",
            x=d["adherence_weeks"],
            y=d["adherence"],
            mode="lines+markers",
            line={"color": theme.OKABE_ITO["orange"], "width": 3 * scale},
            marker={"symbol": "square"},
        ),
        row=2,
        col=1,
    )
    fig.add_hline(y=0, line={"color": "black", "width": 1}, row=1, col=1)
    fig.update_yaxes(title_text=f"Pain change<br>({result.unit})", row=1, col=1)
    fig.update_yaxes(title_text="Sessions<br>done (%)", range=[0, 105], row=2, col=1)
    fig.update_xaxes(title_text="Week", row=2, col=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.15, "x": 0})
    return fig


def early_late_data(result) -> dict:
    """Week-1 versus final-week pain change of every simulated patient."""
    return {
        "x": np.asarray(result.early_change).tolist(),
        "y": np.asarray(result.late_change).tolist(),
        "r": float(result.early_late_r),
    }


def plot_early_late(
    result, *, title: str = "Does week 1 predict the end?", height: int = 380, scale: float = 1.0
) -> go.Figure:
    """Scatter of each patient's week-1 change against their final-week change (K9).

    Traces: ``patients`` (markers), ``no change`` (zero line on x). The title carries r.
    """
    d = early_late_data(result)
    fig = go.Figure(layout=theme.layout(f"{title} r = {d['r']:+.2f}", scale=scale, height=height))
    fig.add_trace(
        go.Scatter(
            name="patients",
            x=d["x"],
            y=d["y"],
            mode="markers",
            marker={"color": theme.OKABE_ITO["blue"], "size": 7 * scale, "opacity": 0.6},
            hovertemplate="week 1: %{x:+.2f}<br>end: %{y:+.2f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            name="no change in week 1",
            x=[0, 0],
            y=[min(min(d["y"]), 0.0), max(max(d["y"]), 0.0)],
            mode="lines",
            line={"color": "black", "dash": "dot", "width": 1},
        )
    )
    fig.update_xaxes(title_text=f"Change in week 1 ({result.unit}; + = more pain)")
    fig.update_yaxes(title_text=f"Change at the end ({result.unit})")
    fig.update_layout(showlegend=False)
    return fig


def program_comparison_data(results: dict) -> dict:
    """Final-week adherence and benefit of several programme variants."""
    names = list(results)
    return {
        "names": names,
        "adherence": [float(results[n].mean_adherence()[-1] * 100) for n in names],
        "benefit": [float(results[n].mean_benefit()) for n in names],
    }


def plot_program_comparison(
    results: dict,
    *,
    title: str = "Supervision and support: same exercise, different outcome",
    height: int = 380,
    scale: float = 1.0,
) -> go.Figure:
    """Bars of final-week adherence and mean benefit for named programme variants (K11, K12).

    ``results`` maps a label (e.g. "home, no support") to a programme result. Traces:
    ``adherence`` (left axis), ``benefit`` (right axis).
    """
    from plotly.subplots import make_subplots

    d = program_comparison_data(results)
    unit = next(iter(results.values())).unit
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("Sessions done in the last week (%)", f"Mean benefit, {unit}"),
    )
    fig.update_layout(**theme.layout(title, scale=scale, height=height))
    fig.add_trace(
        go.Bar(
            name="adherence",
            x=d["names"],
            y=d["adherence"],
            marker={"color": theme.OKABE_ITO["orange"]},
            text=[f"{v:.0f}%" for v in d["adherence"]],
            textposition="outside",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            name="benefit",
            x=d["names"],
            y=d["benefit"],
            marker={"color": theme.OKABE_ITO["blue"], "pattern": {"shape": "/"}},
            text=[f"{v:.2f}" for v in d["benefit"]],
            textposition="outside",
        ),
        row=1,
        col=2,
    )
    fig.update_yaxes(range=[0, 110], row=1, col=1)
    fig.update_layout(showlegend=False)
    return fig


# --------------------------------------------------------------------------- ConcepTest votes

VOTE_ROUNDS = ("before discussion", "after discussion")


def votes_data(counts: Sequence[int]) -> dict[str, list]:
    """Bar heights (% of hands in the round) and labels ("12 (40%)") for counts A-D."""
    total = sum(counts)
    pct = [100.0 * c / total if total else 0.0 for c in counts]
    return {
        "y": pct,
        "text": [f"{c} ({p:.0f}%)" if total else "" for c, p in zip(counts, pct, strict=True)],
    }


def plot_votes(
    before: Sequence[int] = (0, 0, 0, 0),
    after: Sequence[int] = (0, 0, 0, 0),
    *,
    letters: Sequence[str] = ("A", "B", "C", "D"),
    title: str = "How the room voted",
    height: int = 300,
    scale: float = 1.0,
) -> go.Figure:
    """Grouped bars of a show of hands for options A-D, before and after peer discussion.

    Bars are percentages of the hands counted in each round, labelled with the count; the
    rounds differ by fill pattern and legend label as well as colour. Traces:
    ``before discussion``, ``after discussion``.
    """
    fig = go.Figure(layout=theme.layout(title, scale=scale, height=height))
    styles = (
        {"color": theme.OKABE_ITO["sky_blue"], "pattern": {"shape": "/"}},
        {"color": theme.OKABE_ITO["blue"]},
    )
    for name, counts, marker in zip(VOTE_ROUNDS, (before, after), styles, strict=True):
        d = votes_data(counts)
        fig.add_trace(
            go.Bar(
                name=name,
                x=list(letters),
                y=d["y"],
                text=d["text"],
                textposition="outside",
                marker=marker,
                hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": 1.12, "x": 0.3})
    fig.update_yaxes(title_text="% of hands", range=[0, 115])
    return fig
