"""The figures of one bout: the effect by body site (K1), how long it lasts (K7), the
mechanisms it engages (K13-K18) and the fatigue it used (K5)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from painlab import hypoalgesia, studies, theme
from painlab.bouts import (
    Bout,
    endurance_time,
)
from painlab.figures._base import (
    _MINUTES,
    BOTTOM_LEGEND,
    SITE_LABELS,
    STUDIES_NAME,
    _current_bout_marker,
    _threshold_line,
)
from painlab.hypoalgesia import Response
from painlab.mechanisms import MECHANISMS

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
    # two lines: a small figure's plot is shorter than the one-line title at projector scale
    fig.update_yaxes(title_text="Cohen's d<br>(+ = less pain)", range=[-1.0, 1.2])
    fig.update_xaxes(range=[-0.5, 2.5])
    fig.update_layout(showlegend=False, margin={"l": 72 * scale})
    return fig


def _range_custom(data: dict) -> list[str]:
    return [
        f"{v - m:+.2f} to {v + p:+.2f}"
        for v, m, p in zip(data["y"], data["minus"], data["plus"], strict=True)
    ]


# --------------------------------------------------------------------------- time course


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
    fig.update_yaxes(title_text="Cohen's d", range=[-1.0, 1.0])
    fig.update_layout(legend=BOTTOM_LEGEND)
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


#: Mechanism marker size [px at scale 1]: (size at no engagement, added at full engagement).
MARKER_SIZE = (14, 36)


def mechanisms_style(response: Response, scale: float = 1.0) -> dict:
    """Marker sizes, fills and labels of the mechanisms trace for a response."""
    names = list(MECHANISMS)
    e = [response.mechanisms[n] for n in names]
    return {
        "text": [f"{MECHANISMS[n].label}: {v:.0%}" for n, v in zip(names, e, strict=True)],
        "marker": {
            "size": [(MARKER_SIZE[0] + MARKER_SIZE[1] * v) * scale for v in e],
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


def mechanisms_update(response: Response, scale: float = 1.0) -> dict:
    """What a mechanisms figure built by :func:`plot_mechanisms` needs for a new response."""
    style = mechanisms_style(response, scale)
    marker = style["marker"]
    return {
        "traces": {
            "mechanisms": {
                "text": style["text"],
                "marker": {"size": marker["size"], "color": marker["color"]},
            }
        }
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
    fig.update_yaxes(title_text="Cohen's d", range=[-0.6, 1.0])
    fig.update_layout(legend=BOTTOM_LEGEND)
    return fig


def fatigue_update(response: Response) -> dict:
    """What a fatigue figure built by :func:`plot_fatigue` needs for a new response: the
    current bout's point (none for a kind other than isometric holds)."""
    if response.bout.kind != "isometric":
        return {"traces": {"current bout": {"x": [], "y": []}}}
    x, y = [100 * (response.fatigue or 0)], [response.effect_size]
    return {"traces": {"current bout": {"x": x, "y": y}}}
