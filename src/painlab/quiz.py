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

import functools
import hashlib
import html
import json
import os
import random
import re
import textwrap
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import ipywidgets as widgets

from painlab._files import atomic_write, check_target
from painlab.journal import CONFIDENCE, Journal, default_journal

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

#: Kinds of self-check item, and what each asks of the student.
ITEM_TYPES: dict[str, str] = {
    "vignette": "a patient, a dose, a decision: apply the evidence to a case",
    "estimate": "a number read off the evidence or the model (about how many minutes...?)",
    "ordering": "put doses, sites or studies in order",
    "reason": "an answer together with the reason for it",
    "recall": "a fact from the lesson (kept few: retrieval practice across lessons)",
}
_WIDTH = 96  # characters per line of plain-text output
_CLAIM = re.compile(r"^K(1[0-8]|[0-9])$")
_QUESTIONS = Path(__file__).parent / "data" / "questions"


def _said(feedback: str) -> str:
    """Feedback without a leading "Right." or "Right:", which the mark already says."""
    return re.sub(r"^Right[.:!]?\s+", "", feedback.strip()) or feedback


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
        The id of the key point in ``CLAIMS.md`` the question checks (deprecated: use
        `claims`).
    item_type : str, optional
        One of :data:`ITEM_TYPES` (bank questions always have one).
    claims : tuple of str, optional
        The key points (``"K0"`` .. ``"K18"``) the question checks.

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
    item_type: str = ""
    claims: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        _nonempty(self.qid, "qid")
        _nonempty(self.prompt, f"question {self.qid!r}: prompt")
        _nonempty(self.lesson, f"question {self.qid!r}: lesson")
        if not isinstance(self.claim, str):
            raise ValueError(f"question {self.qid!r}: claim must be text; got {self.claim!r}")
        # A list is accepted for convenience and stored as a tuple (the class is frozen).
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(
            self, "claims", tuple(self.claims) or ((self.claim,) if self.claim else ())
        )
        if self.item_type and self.item_type not in ITEM_TYPES:
            raise ValueError(
                f"question {self.qid!r}: item_type {self.item_type!r} is not one of "
                f"{', '.join(ITEM_TYPES)}"
            )
        for claim in self.claims:
            if not isinstance(claim, str) or not _CLAIM.match(claim):
                raise ValueError(
                    f"question {self.qid!r}: claim {claim!r} is not a key point K0 .. K18"
                )
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


class BankError(ValueError):
    """A question-bank file is malformed; the message names the file, item and field."""


@dataclass(frozen=True)
class Prediction:
    """A prediction asked before a demo, with what the studies found.

    Parameters
    ----------
    pid : str
        Identifier, e.g. ``"01-three-doses"``; the lesson files it under this id.
    lesson : str
        The lesson, e.g. ``"01_aerobic_dose"``.
    prompt : str
        The question.
    options : tuple of str
        The choices (at least 2, distinct), shown in this order (a prediction has no
        right answer to hide).
    found : str
        What the studies (or the model, when `refs` is empty) found, in plain words.
    explain : str
        Why the result may differ from what a student expects.
    refs : tuple of str
        Citation keys in ``data/citations.csv``.
    answer : str or None
        The option the evidence supports, or ``None`` if the evidence leaves it open.
    claims : tuple of str
        Key points the demo after it shows.
    """

    pid: str
    lesson: str
    prompt: str
    options: tuple[str, ...]
    found: str
    explain: str
    refs: tuple[str, ...] = ()
    answer: str | None = None
    claims: tuple[str, ...] = ()

    def citations(self) -> str:
        """The references as short citations with DOI or PMID, e.g.
        ``"Hoffman et al. 2004, doi:10.1016/j.apmr.2003.09.010"``."""
        return "; ".join(_cite(key) for key in self.refs)


def _cite(key: str) -> str:
    from painlab import studies

    c = studies.cite(key)
    return f"{c.short}, " + (f"doi:{c.doi}" if c.doi else f"PMID {c.pmid}")


@dataclass(frozen=True)
class _Bank:
    questions: dict[str, Question]
    predictions: dict[str, Prediction]
    files: dict[str, str]  # item id -> file name


def _field(where: str, name: str) -> str:
    return f"{where}, field {name!r}"


def _need_text(obj: dict, name: str, where: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BankError(f"{_field(where, name)}: must be non-empty text; got {value!r}")
    return value.strip()


def _need_list(obj: dict, name: str, where: str, least: int = 0) -> list:
    value = obj.get(name, [] if least == 0 else None)
    if not isinstance(value, list) or len(value) < least:
        raise BankError(f"{_field(where, name)}: must be a list of at least {least}; got {value!r}")
    return value


def _claims(obj: dict, where: str) -> tuple[str, ...]:
    claims = _need_list(obj, "claims", where)
    for c in claims:
        if not isinstance(c, str) or not _CLAIM.match(c):
            raise BankError(f"{_field(where, 'claims')}: {c!r} is not a key point K0 .. K18")
    return tuple(claims)


def _refs(obj: dict, where: str) -> tuple[str, ...]:
    from painlab import studies

    refs = _need_list(obj, "refs", where)
    known = studies.citations()
    for key in refs:
        if key not in known:
            raise BankError(f"{_field(where, 'refs')}: {key!r} is not in data/citations.csv")
    return tuple(refs)


def _load_question(obj: Any, lesson: str, where: str) -> Question:
    if not isinstance(obj, dict):
        raise BankError(f"{where}: a question must be an object; got {obj!r}")
    qid = _need_text(obj, "id", where)
    where = f"{where.split(',')[0]}, question {qid!r}"
    item_type = _need_text(obj, "type", where)
    if item_type not in ITEM_TYPES:
        raise BankError(
            f"{_field(where, 'type')}: {item_type!r} is not one of {', '.join(ITEM_TYPES)}"
        )
    claims = _claims(obj, where)
    if not claims:
        raise BankError(f"{_field(where, 'claims')}: name at least one key point (K0 .. K18)")
    options = []
    for i, o in enumerate(_need_list(obj, "options", where, least=2)):
        at = f"{where}, option {i}"
        if not isinstance(o, dict):
            raise BankError(f"{at}: must be an object with text, correct, feedback")
        if not isinstance(o.get("correct"), bool):
            raise BankError(f"{_field(at, 'correct')}: must be true or false")
        options.append(
            Option(_need_text(o, "text", at), o["correct"], _need_text(o, "feedback", at))
        )
    try:
        return Question(
            qid,
            _need_text(obj, "prompt", where),
            tuple(options),
            lesson,
            item_type=item_type,
            claims=claims,
        )
    except ValueError as err:
        raise BankError(f"{where}: {err}") from None


def _load_prediction(obj: Any, lesson: str, where: str) -> Prediction:
    if not isinstance(obj, dict):
        raise BankError(f"{where}: a prediction must be an object; got {obj!r}")
    pid = _need_text(obj, "id", where)
    where = f"{where.split(',')[0]}, prediction {pid!r}"
    options = _need_list(obj, "options", where, least=2)
    for o in options:
        if not isinstance(o, str) or not o.strip():
            raise BankError(f"{_field(where, 'options')}: every option must be non-empty text")
    if len(set(options)) != len(options):
        raise BankError(f"{_field(where, 'options')}: duplicate options {options}")
    answer = obj.get("answer")
    if answer is not None and answer not in options:
        raise BankError(f"{_field(where, 'answer')}: {answer!r} is not one of the options")
    return Prediction(
        pid,
        lesson,
        _need_text(obj, "prompt", where),
        tuple(options),
        _need_text(obj, "found", where),
        _need_text(obj, "explain", where),
        _refs(obj, where),
        answer,
        _claims(obj, where),
    )


def load_bank(folder: str | os.PathLike[str] = _QUESTIONS) -> _Bank:
    """Read and validate every ``*.json`` question file in `folder`.

    Raises
    ------
    BankError
        Naming the file, the question or prediction id and the field at fault: bad JSON,
        a missing or empty field, an unknown item type, claim or citation key, not exactly
        one right option, an option without feedback, a duplicate id, or an id that does
        not start with the lesson's number (``"01-"`` in ``01_aerobic_dose.json``).
    """
    questions: dict[str, Question] = {}
    predictions: dict[str, Prediction] = {}
    files: dict[str, str] = {}
    paths = sorted(Path(folder).glob("*.json"))
    if not paths:
        raise BankError(f"no question files (*.json) in {folder}")
    for path in paths:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise BankError(f"{path.name}: not valid JSON ({err})") from None
        if not isinstance(doc, dict):
            raise BankError(f"{path.name}: must hold one JSON object")
        lesson = _need_text(doc, "lesson", path.name)
        if lesson != path.stem:
            raise BankError(f"{_field(path.name, 'lesson')}: {lesson!r} must equal {path.stem!r}")
        prefix = lesson[:2] + "-"
        items: list[Question | Prediction] = [
            _load_question(q, lesson, f"{path.name}, questions[{i}]")
            for i, q in enumerate(_need_list(doc, "questions", path.name))
        ]
        items += [
            _load_prediction(q, lesson, f"{path.name}, predictions[{i}]")
            for i, q in enumerate(_need_list(doc, "predictions", path.name))
        ]
        for item in items:
            iid = item.qid if isinstance(item, Question) else item.pid
            if not iid.startswith(prefix):
                raise BankError(f"{path.name}, id {iid!r}: must start with {prefix!r}")
            if iid in files:
                raise BankError(f"{path.name}, id {iid!r}: already used in {files[iid]}")
            files[iid] = path.name
            if isinstance(item, Question):
                questions[iid] = item
            else:
                predictions[iid] = item
    return _Bank(questions, predictions, files)


@functools.cache
def _bank() -> _Bank:
    return load_bank()


def bank() -> dict[str, Question]:
    """Every self-check question in the bank, keyed by id (e.g. ``"01-gentle-walk"``)."""
    return dict(_bank().questions)


def _lookup(table: dict, key: Any, what: str) -> Any:
    if not isinstance(key, str):
        raise TypeError(f"{what} id must be text such as '01-gentle-walk'; got {key!r}")
    if key not in table:
        import difflib

        close = difflib.get_close_matches(key, table, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"no {what} {key!r} in the question bank{hint}")
    return table[key]


def question(qid: str) -> Question:
    """The bank question with this id; the error lists close matches."""
    return _lookup(_bank().questions, qid, "question")


def prediction(pid: str) -> Prediction:
    """The bank prediction with this id; the error lists close matches."""
    return _lookup(_bank().predictions, pid, "prediction")


def _identity(journal: Journal) -> str:
    """Who is answering: ``$PAINLAB_STUDENT`` if set, else the journal's file."""
    return os.environ.get("PAINLAB_STUDENT") or str(Path(journal.path).absolute())


def order(q: Question, identity: str) -> tuple[int, ...]:
    """The order in which `identity` sees the options of `q` (indices into its options).

    Seeded by a hash of the identity and the question id, so a student sees the same order
    every time they open the lesson, and different students see different orders.
    """
    digest = hashlib.sha256(f"{identity}\n{q.qid}".encode()).digest()
    idx = list(range(len(q.options)))
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(idx)
    return tuple(idx)


# -- widgets --------------------------------------------------------------------------------


def ask(
    question: Question | str, journal: Journal | None = None, *, identity: str | None = None
) -> QuizWidget:
    """A self-check question: shuffled options, a confidence rating, feedback, saved attempts.

    Parameters
    ----------
    question : str or Question
        A bank id such as ``"01-gentle-walk"``. Passing a :class:`Question` built in a
        notebook still works (options in the order given, not shuffled) but is deprecated.
    journal : Journal, optional
        Where answers are saved. Default: :func:`painlab.journal.default_journal`.
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
    journal = journal if journal is not None else default_journal()
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
    journal: Journal | None = None,
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
    journal : Journal, optional
        Where the prediction is saved. Default: :func:`painlab.journal.default_journal`.

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
    journal = journal if journal is not None else default_journal()
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


def reveal(pid: str, journal: Journal | None = None) -> RevealWidget:
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
    journal : Journal, optional
        Default: :func:`painlab.journal.default_journal`.
    """
    p = _lookup(_bank().predictions, pid, "prediction")
    journal = journal if journal is not None else default_journal()
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

_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def _gift(text: str) -> str:
    return _GIFT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _moodle(questions: list[Question]) -> str:
    root = ET.Element("quiz")
    for lesson in dict.fromkeys(q.lesson for q in questions):
        cat = ET.SubElement(root, "question", type="category")
        ET.SubElement(ET.SubElement(cat, "category"), "text").text = f"$course$/painlab/{lesson}"
        for q in (q for q in questions if q.lesson == lesson):
            el = ET.SubElement(root, "question", type="multichoice")
            ET.SubElement(ET.SubElement(el, "name"), "text").text = q.qid
            qt = ET.SubElement(el, "questiontext", format="html")
            ET.SubElement(qt, "text").text = f"<p>{html.escape(q.prompt)}</p>"
            tags = ET.SubElement(el, "tags")
            for t in (q.item_type, *q.claims):
                ET.SubElement(ET.SubElement(tags, "tag"), "text").text = t
            for name, value in (
                ("defaultgrade", "1"),
                ("penalty", "0.3333333"),
                ("single", "true"),
                ("shuffleanswers", "1"),
                ("answernumbering", "abc"),
            ):
                ET.SubElement(el, name).text = value
            for o in q.options:
                a = ET.SubElement(el, "answer", fraction="100" if o.correct else "0", format="html")
                ET.SubElement(a, "text").text = html.escape(o.text)
                fb = ET.SubElement(a, "feedback", format="html")
                ET.SubElement(fb, "text").text = html.escape(o.feedback)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _gift_document(questions: list[Question]) -> str:
    out = []
    for lesson in dict.fromkeys(q.lesson for q in questions):
        out.append(f"$CATEGORY: $course$/painlab/{lesson}\n")
        for q in (q for q in questions if q.lesson == lesson):
            answers = "\n".join(
                f"\t{'=' if o.correct else '~'}{_gift(o.text)}#{_gift(o.feedback)}"
                for o in q.options
            )
            out.append(f"::{_gift(q.qid)}::{_gift(q.prompt)} {{\n{answers}\n}}\n")
    return "\n".join(out)


_FORMATS = {"moodle": (".xml",), "gift": (".gift", ".txt")}


def export_bank(path: str | os.PathLike[str], format: str = "moodle", lessons: Any = None) -> Path:
    """Write the self-check questions for a course platform (Moodle XML or GIFT).

    Every question becomes a single-answer multiple-choice question with feedback on each
    option; the platform shuffles the options. Questions are grouped in one category per
    lesson (``$course$/painlab/<lesson>``) and tagged with their item type and key points.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write: ``.xml`` for ``format="moodle"``, ``.gift`` or ``.txt`` for
        ``format="gift"``. Written atomically (a failed write leaves an older file whole).
    format : {"moodle", "gift"}
    lessons : iterable of str, optional
        Only these lessons (e.g. ``["01_aerobic_dose"]``). Default: all.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        For an unknown format, a suffix that does not fit it, a folder, or an unknown
        lesson -- checked before anything is written.
    """
    if format not in _FORMATS:
        raise ValueError(f"format must be one of {', '.join(map(repr, _FORMATS))}; got {format!r}")
    check_target(path, "path", suffixes=_FORMATS[format])
    questions = list(_bank().questions.values())
    if lessons is not None:
        wanted = [lessons] if isinstance(lessons, str) else list(lessons)
        known = {q.lesson for q in questions}
        unknown = [x for x in wanted if x not in known]
        if unknown:
            raise ValueError(f"lessons: {unknown} not in the bank; known: {sorted(known)}")
        questions = [q for q in questions if q.lesson in wanted]
    text = _moodle(questions) if format == "moodle" else _gift_document(questions)
    return atomic_write(path, text)
