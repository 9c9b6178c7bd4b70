"""Self-check questions with feedback, and prediction prompts, for the lessons.

A :class:`Question` is data: a prompt, two or more :class:`Option` s of which exactly one
is right, and feedback on *every* option -- a wrong option's feedback explains why it is
wrong, so a mistake teaches something. :meth:`Question.check` gives the chosen option.

Two small widgets wire these to the student's :mod:`~painlab.journal`:

- :func:`ask` shows a question; "Check" marks the answer "✓ Right" or "✗ Not quite"
  (in words, not colour alone), shows the feedback and saves the answer.
- :func:`predict` asks for a prediction before a demo; "Commit my prediction" saves it.

Both return a :class:`QuizWidget` whose ``radio``, ``button`` and ``feedback`` attributes
let tests drive them: set ``widget.radio.value`` and call ``widget.button.click()``.

Examples
--------
>>> from painlab.quiz import Option, Question, ask
>>> q = Question(
...     "eih-dose",
...     "After which bout is exercise-induced hypoalgesia most likely?",
...     (
...         Option("5 min of easy walking", False, "Too short and light to engage EIH."),
...         Option("30 min of running at 75% VO2max", True, "Longer, harder bouts help."),
...     ),
...     lesson="01-eih",
... )
>>> q.check(1).correct
True
>>> ask(q)  # doctest: +SKIP
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from painlab.journal import Journal, default_journal

__all__ = ["Option", "Question", "QuizWidget", "ask", "predict"]


def _nonempty(value: Any, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be non-empty text; got {value!r}")


@dataclass(frozen=True)
class Option:
    """One answer option of a :class:`Question`.

    Parameters
    ----------
    text : str
        The option as the student sees it.
    correct : bool
        Whether this is the right answer.
    feedback : str
        Shown after the student checks this option. For a wrong option, why it is wrong;
        for the right one, why it is right.
    """

    text: str
    correct: bool
    feedback: str

    def __post_init__(self) -> None:
        _nonempty(self.text, "option text")
        if not isinstance(self.correct, bool):
            raise ValueError(f"option {self.text!r}: correct must be True or False")
        if not isinstance(self.feedback, str) or not self.feedback.strip():
            why = "why it is right" if self.correct else "why it is wrong"
            raise ValueError(
                f"option {self.text!r} has no feedback; give feedback that explains {why}"
            )


@dataclass(frozen=True)
class Question:
    """A self-check question with feedback on every option.

    Parameters
    ----------
    qid : str
        Identifier, unique within the lesson; used in the journal.
    prompt : str
        The question, as plain text (it is HTML-escaped when shown).
    options : tuple of Option
        At least two, exactly one of them correct, each with feedback.
    lesson : str
        The lesson the question belongs to, e.g. ``"01-eih"``.
    claim : str, optional
        The id of the key point in ``CLAIMS.md`` the question checks.

    Raises
    ------
    ValueError
        Naming the problem: too few options, not exactly one correct, missing feedback,
        duplicate option texts or empty identifiers.
    """

    qid: str
    prompt: str
    options: tuple[Option, ...]
    lesson: str
    claim: str = ""

    def __post_init__(self) -> None:
        _nonempty(self.qid, "qid")
        _nonempty(self.prompt, f"question {self.qid!r}: prompt")
        _nonempty(self.lesson, f"question {self.qid!r}: lesson")
        if not isinstance(self.claim, str):
            raise ValueError(f"question {self.qid!r}: claim must be text; got {self.claim!r}")
        # A list is accepted for convenience and stored as a tuple (the class is frozen).
        object.__setattr__(self, "options", tuple(self.options))
        if len(self.options) < 2:
            raise ValueError(
                f"question {self.qid!r} has {len(self.options)} option(s); it needs at least 2"
            )
        for i, opt in enumerate(self.options):
            if not isinstance(opt, Option):
                raise ValueError(
                    f"question {self.qid!r}: option {i} must be an Option; got {opt!r}"
                )
            if not opt.feedback.strip():
                raise ValueError(
                    f"question {self.qid!r}: option {i} ({opt.text!r}) has no feedback"
                )
        n_correct = sum(opt.correct for opt in self.options)
        if n_correct != 1:
            raise ValueError(
                f"question {self.qid!r} has {n_correct} correct options; exactly one must be "
                "correct"
            )
        texts = [opt.text for opt in self.options]
        if len(set(texts)) != len(texts):
            raise ValueError(f"question {self.qid!r} has duplicate option texts: {texts}")

    @property
    def answer_index(self) -> int:
        """Position of the correct option."""
        return next(i for i, opt in enumerate(self.options) if opt.correct)

    def check(self, index: int) -> Option:
        """The option at position `index` (0-based), with its ``correct`` and ``feedback``.

        Raises
        ------
        ValueError
            If `index` is not a whole number in ``0 .. len(options) - 1``.
        """
        last = len(self.options) - 1
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= last:
            raise ValueError(
                f"question {self.qid!r}: index must be a whole number from 0 to {last}; "
                f"got {index!r}"
            )
        return self.options[index]


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
                f"{html.escape(o.feedback)}</li>"
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
        lines = [f"{self.label} {self.prompt}"]
        lines += [f"  {chr(65 + i)}. {c}" for i, c in enumerate(self.choices)]
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


def ask(question: Question, journal: Journal | None = None) -> QuizWidget:
    """A widget that asks `question` and, on "Check", gives feedback and saves the answer.

    Parameters
    ----------
    question : Question
        The self-check question.
    journal : Journal, optional
        Where the answer is saved. Default: :func:`painlab.journal.default_journal`.

    Returns
    -------
    QuizWidget
        With ``radio``, ``button`` and ``feedback`` attributes.
    """
    journal = journal if journal is not None else default_journal()
    w = QuizWidget(question.prompt, [o.text for o in question.options], "Your answer:", "Check")
    w.question = question

    def on_check(_: widgets.Button) -> None:
        if w.radio.value is None:
            w.show("Choose an answer first.")
            return
        option = question.check(w.radio.value)
        mark = "✓ Right." if option.correct else "✗ Not quite."
        message = f"<p><strong>{mark}</strong> {html.escape(option.feedback)}</p>"
        try:
            journal.answer(question.lesson, question.qid, option.text, option.correct)
        except OSError as err:
            message += f"<p>(Your answer could not be saved: {html.escape(str(err))})</p>"
        w.show(message)

    w.button.on_click(on_check)
    return w


def predict(
    lesson: str,
    qid: str,
    prompt: str,
    options: list[str],
    journal: Journal | None = None,
) -> QuizWidget:
    """A widget that asks for a prediction and saves it on "Commit my prediction".

    Parameters
    ----------
    lesson : str
        The lesson, e.g. ``"01-eih"``.
    qid : str
        Identifier of the prediction within the lesson; pass the same one to
        :meth:`painlab.journal.Journal.record_result` after the demo.
    prompt : str
        The question, as plain text.
    options : list of str
        At least two distinct choices.
    journal : Journal, optional
        Where the prediction is saved. Default: :func:`painlab.journal.default_journal`.

    Returns
    -------
    QuizWidget
        With ``radio``, ``button`` and ``feedback`` attributes.
    """
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
        raise ValueError(f"prediction {qid!r} has {len(choices)} option(s); it needs at least 2")
    for text in choices:
        _nonempty(text, f"prediction {qid!r}: option")
    if len(set(choices)) != len(choices):
        raise ValueError(f"prediction {qid!r} has duplicate options: {choices}")
    journal = journal if journal is not None else default_journal()
    w = QuizWidget(prompt, choices, "Your prediction:", "Commit my prediction")

    def on_commit(_: widgets.Button) -> None:
        if w.radio.value is None:
            w.show("Choose a prediction first.")
            return
        choice = choices[w.radio.value]
        try:
            journal.predict(lesson, qid, choice)
        except OSError as err:
            w.show(f"<p>Your prediction could not be saved: {html.escape(str(err))}</p>")
            return
        w.show(f"<p><strong>Prediction saved:</strong> {html.escape(choice)}</p>")

    w.button.on_click(on_commit)
    return w
