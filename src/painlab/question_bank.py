"""The question bank: questions and predictions as data (one JSON file per lesson in
``data/questions/``), validated on load, and the stable per-student order of options."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from painlab.journal import Journal

#: Kinds of self-check item, and what each asks of the student.
ITEM_TYPES: dict[str, str] = {
    "vignette": "a patient, a dose, a decision: apply the evidence to a case",
    "estimate": "a number read off the evidence or the model (about how many minutes...?)",
    "ordering": "put doses, sites or studies in order",
    "reason": "an answer together with the reason for it",
    "recall": "a fact from the lesson (kept few: retrieval practice across lessons)",
}
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
    # surrogateescape: a folder name undecodable in the locale (ASCII) still seeds the order
    digest = hashlib.sha256(f"{identity}\n{q.qid}".encode("utf-8", "surrogateescape")).digest()
    idx = list(range(len(q.options)))
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(idx)
    return tuple(idx)
