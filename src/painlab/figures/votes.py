"""ConcepTest votes: hand counts before and after discussion."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from painlab import theme

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
