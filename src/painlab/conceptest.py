"""ConcepTest for a lecture hall: one question, options A-D, a show of hands, twice.

Peer instruction (Mazur): the room answers alone, discusses with neighbours, answers
again. The lecturer counts hands and types the counts; the bar chart shows the class
distribution before and after discussion. Nothing about any student is asked, stored or
sent anywhere: the counts live only in the widgets and are reset with the next question.

Wiring only: the chart is built once by :func:`painlab.figures.plot_votes` and its bars are
updated in place from :func:`painlab.figures.votes_data`.
"""

from __future__ import annotations

import html

import ipywidgets as W

from painlab import figures
from painlab.dashboards import _figure_widget
from painlab.lecture import LETTERS, Question

__all__ = ["ConcepTest"]

ROUNDS = ("before", "after")
ROUND_LABELS = {"before": "Hands before discussion", "after": "Hands after discussion"}
MAX_HANDS = 2000  # a large lecture hall


class ConcepTest:
    """One question full-screen with large options A-D and two rounds of hand counts.

    Parameters
    ----------
    question : painlab.lecture.Question
    scale : float, default 1.6
        Font scale of the chart (the options' size is set by the lecture stylesheet).

    Attributes
    ----------
    controls : dict
        ``"before.A"`` ... ``"after.D"`` (counts, 0-2000 hands) and ``"answer"`` (show
        the correct option).
    figures : dict
        ``{"votes": FigureWidget}``.
    """

    def __init__(self, question: Question, *, scale: float = 1.6):
        self.scale = scale
        self.controls: dict[str, W.Widget] = {}
        rows = []
        for rnd in ROUNDS:
            boxes = []
            for letter in LETTERS:
                box = W.BoundedIntText(
                    value=0,
                    min=0,
                    max=MAX_HANDS,
                    description=letter,
                    style={"description_width": "initial"},
                )
                box.tooltip = f"{ROUND_LABELS[rnd]}: hands up for option {letter}"
                box.observe(self._on_count, names="value")
                self.controls[f"{rnd}.{letter}"] = box
                boxes.append(box)
            label = W.HTML(f"<b>{ROUND_LABELS[rnd]}</b>", layout=W.Layout(width="330px"))
            rows.append(W.HBox([label, *boxes], layout=W.Layout(align_items="center")))
        self.controls["answer"] = W.ToggleButton(
            value=False, description="Show answer", tooltip="Show the correct option (A)"
        )
        self.controls["answer"].observe(self._on_answer, names="value")
        self.controls["reset"] = W.Button(description="Clear counts", tooltip="Set all counts to 0")
        self.controls["reset"].on_click(lambda _b: self.reset())
        self.figures = {
            "votes": _figure_widget(figures.plot_votes(scale=scale, height=round(320 / scale))),
        }
        self.stem = W.HTML()
        self.options = W.HTML()
        self.why = W.HTML()
        self.summary = W.HTML()  # the counts in words, for screen readers and tests
        self.summary.add_class("painlab-votes-text")
        self.question = question
        self.widget = W.VBox(
            [
                self.stem,
                self.options,
                W.HBox(
                    [
                        W.VBox([*rows, W.HBox([self.controls["answer"], self.controls["reset"]])]),
                        self.why,
                    ]
                ),
                self.figures["votes"],
                self.summary,
            ]
        )
        self.widget.add_class("painlab-conceptest")
        self.set_question(question)

    # -- state ---------------------------------------------------------------------------
    def counts(self, rnd: str) -> tuple[int, ...]:
        """Hands for A-D in round ``"before"`` or ``"after"``."""
        if rnd not in ROUNDS:
            raise ValueError(f"round must be 'before' or 'after'; got {rnd!r}")
        return tuple(int(self.controls[f"{rnd}.{L}"].value) for L in LETTERS)

    def set_question(self, question: Question) -> None:
        """Show another question; counts are cleared and the answer hidden."""
        self.question = question
        self.stem.value = f"<p class='painlab-stem'>{html.escape(question.stem)}</p>"
        self.controls["answer"].value = False
        self.reset()
        self._render_options()

    def reset(self) -> None:
        """All counts back to 0 (nothing is kept)."""
        for rnd in ROUNDS:
            for letter in LETTERS:
                self.controls[f"{rnd}.{letter}"].value = 0
        self._on_count()

    # -- callbacks -----------------------------------------------------------------------
    def _render_options(self) -> None:
        show = self.controls["answer"].value
        items = "".join(
            f"<li class='painlab-option{' painlab-correct' if show and self.question.answer == L else ''}'>"
            f"<span class='painlab-letter'>{L}</span> {html.escape(o)}"
            f"{' <b>(correct)</b>' if show and self.question.answer == L else ''}</li>"
            for L, o in zip(LETTERS, self.question.options, strict=True)
        )
        self.options.value = f"<ol class='painlab-options' type='A'>{items}</ol>"
        self.why.value = (
            f"<p class='painlab-why'><b>Answer {self.question.answer}.</b> "
            f"{html.escape(self.question.why)}</p>"
            if show
            else ""
        )

    def _on_answer(self, change=None) -> None:
        self._render_options()

    def _on_count(self, change=None) -> None:
        fig = self.figures["votes"]
        parts = []
        with fig.batch_update():
            for trace, rnd in zip(fig.data, ROUNDS, strict=True):
                counts = self.counts(rnd)
                d = figures.votes_data(counts)
                trace.y, trace.text = d["y"], d["text"]
                total = sum(counts)
                if total:
                    parts.append(
                        f"{ROUND_LABELS[rnd]} ({total}): "
                        + ", ".join(f"{L} {t}" for L, t in zip(LETTERS, d["text"], strict=True))
                    )
        self.summary.value = (
            "<p>" + html.escape("; ".join(parts) or "No hands counted yet.") + "</p>"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
