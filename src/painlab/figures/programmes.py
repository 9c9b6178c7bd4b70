"""Exercise programmes: versus control by condition (K6, forest plot) and simulated week
by week (K9-K12)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from painlab import studies, theme

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
