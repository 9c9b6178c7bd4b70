"""Self-checks, predictions and reveals for the lessons, read from a question bank.

The questions live in data, not in notebook code: one JSON file per lesson in
``painlab/data/questions/`` (format in ``painlab/data/README.md``), loaded and validated by
:func:`bank`. A lesson cell is one line:

- ``quiz.predict("01-three-doses")`` asks for a prediction before a demo and saves it;
- ``quiz.reveal("01-three-doses")`` after the demo shows "You predicted X -- the studies
  found Y (refs)", explains the difference and saves the result beside the prediction;
- ``quiz.ask("01-gentle-walk")`` asks a self-check question. The options are shuffled
  per student with a stable seed (same order on reopening), the student says how sure
  they are (guess / fairly sure / certain), "Check" marks the answer "✓ Right" or
  "✗ Not quite" in words, explains the chosen option, and saves every attempt with its
  number and confidence, so the lab report can show the *first* attempt. Retries are
  allowed; after a check every option's feedback can be read.

:func:`export_bank` writes the whole bank as Moodle XML or GIFT for a course platform.

A :class:`Question` is data: a prompt, two or more :class:`Option` s of which exactly one
is right, and feedback on *every* option. Building a Question in a notebook and passing it
to :func:`ask` still works, but is deprecated: put the question in the bank.

All widgets are :class:`QuizWidget` s whose ``radio``, ``button`` and ``feedback``
attributes let tests drive them: set ``widget.radio.value`` and call
``widget.button.click()``.

Examples
--------
>>> from painlab import quiz
>>> q = quiz.question("01-gentle-walk")
>>> q.item_type, q.claims
('vignette', ('K3',))
>>> sum(o.correct for o in q.options)
1
>>> quiz.ask("01-gentle-walk")  # doctest: +SKIP
"""

from __future__ import annotations

import html
import os
import textwrap
import warnings
from typing import Any

import ipywidgets as widgets

from painlab.journal import CONFIDENCE, Journal, default_journal
from painlab.lms_export import export_bank
from painlab.question_bank import (
    ITEM_TYPES,
    BankError,
    Option,
    Prediction,
    Question,
    _bank,
    _identity,
    _lookup,
    _nonempty,
    _said,
    bank,
    load_bank,
    order,
    prediction,
    question,
)

__all__ = [
    "ITEM_TYPES",
    "BankError",
    "Option",
    "Prediction",
    "Question",
    "QuizWidget",
    "RevealWidget",
    "ask",
    "bank",
    "export_bank",
    "load_bank",
    "order",
    "predict",
    "prediction",
    "question",
    "reveal",
]
# the question bank's loader, used by the journal's report
_ = _bank

_WIDTH = 96  # characters per line of plain-text output


class QuizWidget(widgets.VBox):
    """A prompt, radio buttons, a button and a feedback area, stacked.

    Attributes
    ----------
    radio : ipywidgets.RadioButtons
        The choices; ``value`` is the chosen option's index, ``None`` before a choice.
    button : ipywidgets.Button
        "Check" or "Commit my prediction".
    feedback : ipywidgets.HTML
        What the student sees after pressing the button.
    """

    def __init__(
        self, prompt: str, choices: list[str], label: str, button: str, **kwargs: Any
    ) -> None:
        self.radio = widgets.RadioButtons(
            options=[(text, i) for i, text in enumerate(choices)],
            value=None,
            description=label,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.button = widgets.Button(description=button, tooltip=button)
        self.feedback = widgets.HTML(value="")
        prompt_html = widgets.HTML(value=f"<p><strong>{html.escape(prompt)}</strong></p>")
        super().__init__(children=[prompt_html, self.radio, self.button, self.feedback], **kwargs)
        self.prompt, self.choices, self.label = prompt, list(choices), label
        #: The question asked (set by :func:`ask`; ``None`` for a prediction).
        self.question: Question | None = None
        #: How sure the student is (set by :func:`ask`; ``None`` for a prediction).
        self.confidence: widgets.ToggleButtons | None = None

    def static_html(self) -> str:
        """The question readable without a kernel: prompt and options; for a self-check
        question the answer and the feedback on every option behind "Show answer"."""
        items = "".join(f"<li>{html.escape(c)}</li>" for c in self.choices)
        kind = "Prediction" if self.question is None else "Check yourself"
        parts = [
            f'<div class="painlab-quiz" role="group" aria-label="{kind}">',
            f"<p><strong>{html.escape(self.prompt)}</strong></p>",
            f'<ol type="A">{items}</ol>',
        ]
        if self.question is None:
            parts.append("<p><em>Make your prediction before you read on.</em></p>")
        else:
            right = self.question.answer_index
            feedback = "".join(
                f"<li><strong>{'✓ Right' if o.correct else '✗ Not quite'}:</strong> "
                f"{html.escape(_said(o.feedback) if o.correct else o.feedback)}</li>"
                for o in self.question.options
            )
            parts.append(
                "<details><summary>Show answer</summary>"
                f"<p>Answer: <strong>{chr(65 + right)}. "
                f"{html.escape(self.choices[right])}</strong></p>"
                f'<ol type="A">{feedback}</ol></details>'
            )
        parts.append("</div>")
        return "".join(parts)

    def static_text(self) -> str:
        """The prompt and the lettered options as plain text (the answer is not given)."""
        lines = textwrap.wrap(f"{self.label} {self.prompt}", _WIDTH)
        for i, c in enumerate(self.choices):
            lines += textwrap.wrap(
                c, _WIDTH, initial_indent=f"  {chr(65 + i)}. ", subsequent_indent="     "
            )
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        """The live widget, plus the question as HTML and text for viewers with no kernel."""
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/html"] = self.static_html()
        data["text/plain"] = self.static_text()
        return bundle

    def show(self, message_html: str) -> None:
        """Put `message_html` in the feedback area, announced politely to screen readers."""
        self.feedback.value = f'<div role="status" aria-live="polite">{message_html}</div>'


# -- the question bank ---------------------------------------------------------------------


# -- widgets --------------------------------------------------------------------------------


def _journal(journal: object) -> Journal:
    """The journal a widget saves to: a :class:`Journal`, a path to one, or the default."""
    if journal is None:
        return default_journal()
    if isinstance(journal, Journal):
        return journal
    if isinstance(journal, (str, os.PathLike)) and not isinstance(journal, bytes):
        return Journal(journal)
    raise TypeError(
        "journal must be a painlab.journal.Journal or the path of a journal file (str or "
        f"pathlib.Path), or None for the default; got {journal!r:.60} ({type(journal).__name__})"
    )


def ask(
    question: Question | str,
    journal: Journal | str | os.PathLike[str] | None = None,
    *,
    identity: str | None = None,
) -> QuizWidget:
    """A self-check question: shuffled options, a confidence rating, feedback, saved attempts.

    Parameters
    ----------
    question : str or Question
        A bank id such as ``"01-gentle-walk"``. Passing a :class:`Question` built in a
        notebook still works (options in the order given, not shuffled) but is deprecated.
    journal : Journal or path, optional
        Where answers are saved: a :class:`~painlab.journal.Journal` or the path of its
        file. Default: :func:`painlab.journal.default_journal`.
    identity : str, optional
        Seeds the option order. Default: ``$PAINLAB_STUDENT`` or the journal's file.

    Returns
    -------
    QuizWidget
        With ``radio`` (options in the shuffled order), ``confidence``, ``button`` and
        ``feedback``; ``widget.question`` holds the question in the order shown.
    """
    if isinstance(question, Question):
        warnings.warn(
            "passing a Question to quiz.ask is deprecated; put it in the question bank "
            "(painlab/data/questions) and call quiz.ask('<id>')",
            DeprecationWarning,
            stacklevel=2,
        )
        q = question
    else:
        q = _lookup(_bank().questions, question, "question")
    journal = _journal(journal)
    if isinstance(question, Question):
        shown = tuple(range(len(q.options)))  # the old behaviour: options as given
    else:
        shown = order(q, identity if identity is not None else _identity(journal))
    q = Question(
        q.qid,
        q.prompt,
        tuple(q.options[i] for i in shown),
        q.lesson,
        q.claim,
        q.item_type,
        q.claims,
    )
    w = QuizWidget(q.prompt, [o.text for o in q.options], "Your answer:", "Check")
    w.question = q
    w.confidence = sure = widgets.ToggleButtons(
        options=list(CONFIDENCE),
        value=None,
        description="How sure are you?",
        style={"description_width": "initial"},
    )
    w.children = (*w.children[:2], w.confidence, *w.children[2:])

    def on_check(_: widgets.Button) -> None:
        if w.radio.value is None:
            w.show("Choose an answer first.")
            return
        option = q.check(w.radio.value)
        mark = "✓ Right." if option.correct else "✗ Not quite. Try again if you like."
        said = _said(option.feedback) if option.correct else option.feedback
        message = f"<p><strong>{mark}</strong> {html.escape(said)}</p>"
        try:
            entry = journal.answer(
                q.lesson, q.qid, option.text, option.correct, confidence=sure.value
            )
            if entry.result and entry.result.get("attempt") == 1:
                message += "<p><em>Your first attempt is saved in your journal.</em></p>"
        except OSError as err:
            message += f"<p>(Your answer could not be saved: {html.escape(str(err))})</p>"
        if option.correct:
            others = "".join(
                f"<li>{html.escape(o.text)}: {html.escape(o.feedback)}</li>"
                for o in q.options
                if not o.correct
            )
            message += f"<details><summary>Why the others are wrong</summary><ul>{others}</ul>"
            message += "</details>"
        w.show(message)

    w.button.on_click(on_check)
    return w


def predict(
    lesson: str,
    qid: str | None = None,
    prompt: str | None = None,
    options: list[str] | None = None,
    journal: Journal | str | os.PathLike[str] | None = None,
) -> QuizWidget:
    """A widget that asks for a prediction and saves it on "Commit my prediction".

    ``quiz.predict("01-three-doses")`` reads the prediction from the bank; pass the same
    id to :func:`reveal` after the demo. The older form ``predict(lesson, qid, prompt,
    options)`` still works.

    Parameters
    ----------
    lesson : str
        A bank prediction id, or (older form) the lesson, e.g. ``"01_aerobic_dose"``.
    qid, prompt, options : optional
        Older form only: the id within the lesson, the question and at least two choices.
    journal : Journal or path, optional
        Where the prediction is saved: a :class:`~painlab.journal.Journal` or the path of
        its file. Default: :func:`painlab.journal.default_journal`.

    Returns
    -------
    QuizWidget
        With ``radio``, ``button`` and ``feedback`` attributes.
    """
    if qid is None and prompt is None and options is None:
        p = _lookup(_bank().predictions, lesson, "prediction")
        lesson, qid, prompt, choices = p.lesson, p.pid, p.prompt, list(p.options)
    else:
        _nonempty(lesson, "lesson")
        _nonempty(qid, "qid")
        _nonempty(prompt, f"prediction {qid!r}: prompt")
        if isinstance(options, (str, bytes)) or not isinstance(options, (list, tuple)):
            raise TypeError(
                f"prediction {qid!r}: options must be a list of at least 2 texts, e.g. "
                f"['more relief', 'less relief']; got {options!r}"
            )
        choices = list(options)
        if len(choices) < 2:
            raise ValueError(
                f"prediction {qid!r} has {len(choices)} option(s); it needs at least 2"
            )
        for text in choices:
            _nonempty(text, f"prediction {qid!r}: option")
        if len(set(choices)) != len(choices):
            raise ValueError(f"prediction {qid!r} has duplicate options: {choices}")
    assert qid is not None and prompt is not None
    journal = _journal(journal)
    w = QuizWidget(prompt, choices, "Your prediction:", "Commit my prediction")
    the_lesson, the_id = lesson, qid

    def on_commit(_: widgets.Button) -> None:
        if w.radio.value is None:
            w.show("Choose a prediction first.")
            return
        choice = choices[w.radio.value]
        try:
            journal.predict(the_lesson, the_id, choice)
        except OSError as err:
            w.show(f"<p>Your prediction could not be saved: {html.escape(str(err))}</p>")
            return
        w.show(
            f"<p><strong>Prediction saved:</strong> {html.escape(choice)}. "
            "After the demo, compare it with the evidence.</p>"
        )

    w.button.on_click(on_commit)
    return w


class RevealWidget(widgets.VBox):
    """ "Show what the studies found" for one prediction; see :func:`reveal`.

    Attributes
    ----------
    button : ipywidgets.Button
    feedback : ipywidgets.HTML
        "You predicted X -- the studies found Y (refs)" after the click.
    prediction : Prediction
    """

    def __init__(self, p: Prediction) -> None:
        self.prediction = p
        self.button = widgets.Button(
            description="Show what the studies found", tooltip="Compare with the evidence"
        )
        self.button.layout.width = "auto"
        self.feedback = widgets.HTML(value="")
        super().__init__(children=[self.button, self.feedback])

    def _found_html(self) -> str:
        p = self.prediction
        refs = f" ({html.escape(p.citations())})" if p.refs else " (the teaching model)"
        return f"<p><strong>The studies found:</strong> {html.escape(p.found)}{refs}</p>"

    def static_html(self) -> str:
        """For viewers with no kernel: the evidence behind a "Show" toggle."""
        return (
            '<div class="painlab-reveal" role="group" aria-label="Compare with the evidence">'
            "<details><summary>Show what the studies found</summary>"
            f"{self._found_html()}<p>{html.escape(self.prediction.explain)}</p>"
            "</details></div>"
        )

    def static_text(self) -> str:
        """One line that does not give the result away."""
        return f"Compare your prediction with the evidence: {self.prediction.pid}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/html"] = self.static_html()
        data["text/plain"] = self.static_text()
        return bundle


def reveal(pid: str, journal: Journal | str | os.PathLike[str] | None = None) -> RevealWidget:
    """After a demo: the student's prediction beside what the studies found, saved.

    On "Show what the studies found" the widget reads the student's latest prediction
    for `pid` from the journal, shows "You predicted X -- the studies found Y (refs)",
    says whether they match and explains the difference, and saves
    ``{"found": ..., "refs": ..., "matched": true/false/null}`` as the prediction's
    result (:meth:`painlab.journal.Journal.record_result`). The text comes from the
    bank; citation keys are resolved to short citations with DOI or PMID.

    Parameters
    ----------
    pid : str
        A bank prediction id, e.g. ``"01-three-doses"``.
    journal : Journal or path, optional
        A :class:`~painlab.journal.Journal` or the path of its file. Default:
        :func:`painlab.journal.default_journal`.
    """
    p = _lookup(_bank().predictions, pid, "prediction")
    journal = _journal(journal)
    w = RevealWidget(p)

    def on_show(_: widgets.Button) -> None:
        try:
            made = [e for e in journal.entries(p.lesson, "prediction") if e.question_id == p.pid]
        except OSError:
            made = []
        guess = made[-1].value if made else None
        matched = None if p.answer is None or guess is None else guess == p.answer
        if guess is None:
            start = "<p>You did not commit a prediction above.</p>"
        else:
            start = f"<p><strong>You predicted:</strong> {html.escape(str(guess))}</p>"
        if matched is True:
            verdict = "<p><strong>✓ Your prediction matches the evidence.</strong></p>"
        elif matched is False:
            verdict = (
                "<p><strong>✗ Your prediction differs from the evidence</strong> "
                f"(it supports: {html.escape(str(p.answer))}).</p>"
            )
        else:
            verdict = ""
        message = start + w._found_html() + verdict + f"<p>{html.escape(p.explain)}</p>"
        try:
            journal.record_result(
                p.lesson,
                p.pid,
                {"found": p.found, "refs": p.citations(), "matched": matched},
            )
        except OSError as err:
            message += f"<p>(Could not be saved: {html.escape(str(err))})</p>"
        w.feedback.value = f'<div role="status" aria-live="polite">{message}</div>'

    w.button.on_click(on_show)
    return w


# -- export for course platforms ------------------------------------------------------------
