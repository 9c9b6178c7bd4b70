"""The student's journal: predictions, what actually happened, self-check answers and notes.

Each lesson asks the student to *predict* before a demo, to *record* what the demo showed,
to *check* themselves with a question afterwards, and to write short *notes*. The
:class:`Journal` keeps all of these in one JSON file, by default ``painlab-journal.json``
in the current working directory (the notebooks folder when the lessons run), and
:func:`export` turns it into a single offline HTML lab report.

Safety of the student's work is the point of this module:

- Every change is saved at once, and atomically: the whole journal is written to a
  temporary file in the same folder, flushed and ``fsync``-ed, then moved over the old file
  with :func:`os.replace`. A kernel killed mid-write leaves either the old or the new
  journal, never a truncated one.
- Before each change the file is read again, so two notebooks writing to the same folder
  add to each other's entries instead of overwriting them.
- A file that is not valid JSON, or is JSON but not a painlab journal, is never
  overwritten. It is moved aside unchanged (``<name>.corrupt-<time>.json`` or
  ``<name>.foreign-<time>.json``), a :class:`JournalWarning` says where it went, and a new
  journal starts.

File format::

    {"format": "painlab-journal", "version": 1, "entries": [{...}, ...]}

Each entry is one :class:`Entry` with the keys ``kind``, ``lesson``, ``question_id``,
``value``, ``result``, ``correct`` and ``timestamp``.

Examples
--------
>>> import painlab.journal as pj
>>> j = pj.Journal(tmp_path / "painlab-journal.json")  # doctest: +SKIP
>>> j.predict("01-eih", "dose", "more pain relief after a harder bout")  # doctest: +SKIP
>>> j.record_result("01-eih", "dose", {"effect_size": 0.6})  # doctest: +SKIP
>>> j.export("lab-report.html")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_FILENAME",
    "FORMAT",
    "KINDS",
    "VERSION",
    "Entry",
    "Journal",
    "JournalWarning",
    "default_journal",
    "export",
    "reset_default",
]

#: File name of the journal in the working directory.
DEFAULT_FILENAME = "painlab-journal.json"
#: Value of the ``"format"`` key that marks a file as a painlab journal.
FORMAT = "painlab-journal"
#: Version of the file format written by this module.
VERSION = 1
#: Entry kinds and what each records.
KINDS: dict[str, str] = {
    "prediction": "a prediction made before a demo; `result` is what was then observed",
    "result": "an observed result for which no prediction had been recorded",
    "answer": "the option chosen in a self-check question; `correct` says if it was right",
    "note": "free text written by the student",
}

_TMP_SUFFIX = ".tmp"


class JournalWarning(UserWarning):
    """A journal file could not be used as it was; the warning says where it was moved."""


def _now() -> str:
    """The current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _to_plain(obj: Any) -> Any:
    """``json.dumps`` fallback for numpy scalars and arrays (``.item()``, ``.tolist()``)."""
    for method in ("item", "tolist"):
        convert = getattr(obj, method, None)
        if callable(convert):
            with contextlib.suppress(TypeError, ValueError):
                return convert()
    raise TypeError(f"{type(obj).__name__} is not JSON-serialisable")


def _jsonable(value: Any, name: str) -> Any:
    """Return `value` as plain JSON data (lists, dicts, str, numbers, bool, None).

    Raises ``TypeError`` naming the parameter when the value cannot be stored.
    """
    try:
        return json.loads(json.dumps(value, default=_to_plain, allow_nan=False))
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"{name} must be JSON-serialisable (text, numbers, True/False, None, lists or "
            f"dicts of these, without NaN or infinity); got {value!r}: {err}"
        ) from None


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string; got {value!r}")
    return value


def _bool(value: Any, name: str) -> bool:
    # numpy.bool_ is not a bool subclass but is a fine answer to "was it correct?"
    if isinstance(value, bool) or type(value).__name__ in {"bool_", "bool"}:
        return bool(value)
    raise TypeError(f"{name} must be True or False; got {value!r}")


@dataclass(frozen=True)
class Entry:
    """One line of the journal.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`: ``"prediction"``, ``"result"``, ``"answer"`` or ``"note"``.
    lesson : str
        The lesson the entry belongs to, e.g. ``"01-eih"``.
    question_id : str or None
        The prediction or question it answers; ``None`` for notes.
    value : JSON value
        The prediction, the chosen option's text, or the note's text.
    result : JSON value
        For predictions: what was observed (``None`` until recorded).
    correct : bool or None
        For answers: whether the chosen option was right; otherwise ``None``.
    timestamp : str
        When the entry was made, ISO 8601 in UTC.
    """

    kind: str
    lesson: str
    question_id: str | None
    value: Any
    result: Any = None
    correct: bool | None = None
    timestamp: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {self.kind!r}")
        _text(self.lesson, "lesson")
        if self.question_id is not None:
            _text(self.question_id, "question_id")
        elif self.kind != "note":
            raise ValueError(f"a {self.kind} entry needs a question_id")
        if self.correct is not None and not isinstance(self.correct, bool):
            raise ValueError(f"correct must be True, False or None; got {self.correct!r}")
        if self.kind == "answer" and self.correct is None:
            raise ValueError("an answer entry needs correct=True or correct=False")
        if not isinstance(self.timestamp, str):
            raise ValueError(f"timestamp must be an ISO 8601 string; got {self.timestamp!r}")

    @classmethod
    def from_record(cls, record: Any) -> Entry:
        """Build an entry from one decoded JSON object of the journal file.

        Raises ``ValueError`` when keys are missing, unknown or invalid.
        """
        if not isinstance(record, dict):
            raise ValueError(f"an entry must be a JSON object; got {record!r}")
        names = {f.name for f in fields(cls)}
        missing = sorted(names - record.keys())
        unknown = sorted(record.keys() - names)
        if missing or unknown:
            raise ValueError(f"entry {record!r}: missing keys {missing}, unknown keys {unknown}")
        return cls(**record)

    def to_record(self) -> dict[str, Any]:
        """The entry as a JSON-ready ``dict``."""
        return asdict(self)


def _aside_path(path: Path, label: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.stem}.{label}-{stamp}.json")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{label}-{stamp}-{n}.json")
        n += 1
    return candidate


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable on POSIX; a no-op where folders cannot be opened (Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so that `path` holds either the old or the new text, whole.

    The text goes to a temporary file in the same folder (same file system, so the final
    rename is atomic), is flushed and fsync-ed, and then replaces `path`. On any error the
    temporary file is removed and `path` is untouched.
    """
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TMP_SUFFIX, dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


class Journal:
    """The student's saved predictions, results, self-check answers and notes.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The journal file. Default: ``painlab-journal.json`` in the current working
        directory. Prior entries are loaded if it exists; it is created on the first entry.

    Notes
    -----
    Every method that adds to the journal saves the whole file atomically before it
    returns (see the module docstring). If the file exists but is not a readable painlab
    journal it is moved aside, unchanged, and a :class:`JournalWarning` names the new
    location.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else Path.cwd() / DEFAULT_FILENAME
        self.path = self.path.absolute()
        self._load()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # -- reading ----------------------------------------------------------------------

    def _load(self) -> list[Entry]:
        """Read the entries from disk, moving an unusable file aside (with a warning)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            self._move_aside("corrupt", f"is not valid JSON ({err})")
            return []
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            self._move_aside(
                "foreign", f'is JSON but not a painlab journal (no "format": "{FORMAT}")'
            )
            return []
        if data.get("version") != VERSION:
            self._move_aside(
                "foreign",
                f"is a painlab journal of version {data.get('version')!r}, "
                f"which this painlab (version {VERSION} files) cannot read",
            )
            return []
        try:
            records = data["entries"]
            if not isinstance(records, list):
                raise ValueError('"entries" must be a list')
            return [Entry.from_record(r) for r in records]
        except (KeyError, TypeError, ValueError) as err:
            self._move_aside("corrupt", f"has damaged entries ({err})")
            return []

    def _move_aside(self, label: str, problem: str) -> None:
        aside = _aside_path(self.path, label)
        os.replace(self.path, aside)
        warnings.warn(
            f"The journal file {self.path} {problem}. It was NOT overwritten: it was moved, "
            f"unchanged, to {aside}. A new, empty journal has been started at {self.path}.",
            JournalWarning,
            stacklevel=4,
        )

    def entries(self, lesson: str | None = None, kind: str | None = None) -> list[Entry]:
        """All entries in the order they were made, as saved on disk.

        Parameters
        ----------
        lesson : str, optional
            Only entries of this lesson.
        kind : str, optional
            Only entries of this kind (one of :data:`KINDS`).

        Returns
        -------
        list of Entry
        """
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
        return [
            e
            for e in self._load()
            if (lesson is None or e.lesson == lesson) and (kind is None or e.kind == kind)
        ]

    def __len__(self) -> int:
        return len(self._load())

    # -- writing ----------------------------------------------------------------------

    def _save(self, entries: Iterable[Entry]) -> None:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "entries": [e.to_record() for e in entries],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")

    def _append(self, entry: Entry) -> Entry:
        self._save([*self._load(), entry])
        return entry

    def predict(
        self, lesson: str, question_id: str, prediction: Any, *, result: Any = None
    ) -> Entry:
        """Record a prediction, made before running a demo.

        Parameters
        ----------
        lesson : str
            The lesson, e.g. ``"01-eih"``.
        question_id : str
            Which prediction this is, unique within the lesson.
        prediction : JSON value
            What the student expects (text, a number, a list, ...). numpy scalars are
            stored as plain numbers.
        result : JSON value, optional
            What was observed, if already known; usually added later with
            :meth:`record_result`.

        Returns
        -------
        Entry
            The saved entry.
        """
        return self._append(
            Entry(
                kind="prediction",
                lesson=_text(lesson, "lesson"),
                question_id=_text(question_id, "question_id"),
                value=_jsonable(prediction, "prediction"),
                result=_jsonable(result, "result"),
                timestamp=_now(),
            )
        )

    def record_result(self, lesson: str, question_id: str, result: Any) -> Entry:
        """Attach what was observed to the latest prediction for `question_id`.

        If no prediction was recorded for it, the result is saved on its own (kind
        ``"result"``), so nothing the student found is lost.

        Returns
        -------
        Entry
            The updated prediction, or the new result entry.
        """
        _text(lesson, "lesson")
        _text(question_id, "question_id")
        result = _jsonable(result, "result")
        entries = self._load()
        for i in range(len(entries) - 1, -1, -1):
            e = entries[i]
            if e.kind == "prediction" and e.lesson == lesson and e.question_id == question_id:
                entries[i] = Entry(**{**e.to_record(), "result": result})
                self._save(entries)
                return entries[i]
        entry = Entry("result", lesson, question_id, None, result=result, timestamp=_now())
        self._save([*entries, entry])
        return entry

    def answer(self, lesson: str, question_id: str, choice: Any, correct: bool) -> Entry:
        """Record the option chosen in a self-check question and whether it was right."""
        return self._append(
            Entry(
                kind="answer",
                lesson=_text(lesson, "lesson"),
                question_id=_text(question_id, "question_id"),
                value=_jsonable(choice, "choice"),
                correct=_bool(correct, "correct"),
                timestamp=_now(),
            )
        )

    def note(self, lesson: str, text: str) -> Entry:
        """Record a free-text note for a lesson."""
        return self._append(
            Entry(
                kind="note",
                lesson=_text(lesson, "lesson"),
                question_id=None,
                value=_text(text, "text"),
                timestamp=_now(),
            )
        )

    def export(self, path: str | os.PathLike[str]) -> Path:
        """Write this journal as one offline HTML lab report; see :func:`export`."""
        return export(path, self)


# -- the HTML lab report ------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5;
       color: #1a1a1a; background: #ffffff; }
h1 { margin-bottom: 0.2rem; }
h2 { border-bottom: 2px solid #0072B2; padding-bottom: 0.2rem; margin-top: 2.5rem; }
.meta { color: #555555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbbbbb; padding: 0.35rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f0f0f0; }
td.when, span.when { color: #555555; white-space: nowrap; font-size: 0.9em; }
.right { color: #005a8c; font-weight: bold; }
.wrong { color: #a34700; font-weight: bold; }
.missing { color: #555555; font-style: italic; }
.note { border-left: 4px solid #E69F00; padding: 0.2rem 0.8rem; margin: 0.5rem 0;
        white-space: pre-wrap; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
"""


def _e(value: Any) -> str:
    """Escape any value for HTML; non-text values are shown as JSON."""
    if value is None:
        return '<span class="missing">not recorded</span>'
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return html.escape(text, quote=True)


def _when(timestamp: str) -> str:
    return html.escape(timestamp.replace("T", " ").replace("+00:00", " UTC"), quote=True)


def _lesson_html(lesson: str, entries: list[Entry]) -> list[str]:
    out = [f"<h2>Lesson {html.escape(lesson, quote=True)}</h2>"]
    predictions = [e for e in entries if e.kind in ("prediction", "result")]
    answers = [e for e in entries if e.kind == "answer"]
    notes = [e for e in entries if e.kind == "note"]
    if predictions:
        out += [
            "<h3>Predictions and results</h3>",
            "<table><thead><tr><th scope='col'>Question</th><th scope='col'>I predicted</th>"
            "<th scope='col'>What happened</th><th scope='col'>When</th></tr></thead><tbody>",
        ]
        out += [
            f"<tr><td>{_e(e.question_id)}</td><td>{_e(e.value)}</td><td>{_e(e.result)}</td>"
            f"<td class='when'>{_when(e.timestamp)}</td></tr>"
            for e in predictions
        ]
        out.append("</tbody></table>")
    if answers:
        n_right = sum(bool(e.correct) for e in answers)
        out += [
            "<h3>Self-check answers</h3>",
            f"<p>{n_right} of {len(answers)} answers right.</p>",
            "<table><thead><tr><th scope='col'>Question</th><th scope='col'>My answer</th>"
            "<th scope='col'>Right or wrong</th><th scope='col'>When</th></tr></thead><tbody>",
        ]
        for e in answers:
            mark = (
                '<span class="right">✓ right</span>'
                if e.correct
                else '<span class="wrong">✗ wrong</span>'
            )
            out.append(
                f"<tr><td>{_e(e.question_id)}</td><td>{_e(e.value)}</td><td>{mark}</td>"
                f"<td class='when'>{_when(e.timestamp)}</td></tr>"
            )
        out.append("</tbody></table>")
    if notes:
        out.append("<h3>Notes</h3>")
        out += [
            f"<div class='note'>{_e(e.value)}<br><span class='when'>{_when(e.timestamp)}</span>"
            "</div>"
            for e in notes
        ]
    return out


def export(path: str | os.PathLike[str], journal: Journal | None = None) -> Path:
    """Write the journal as one self-contained HTML lab report.

    The report groups entries by lesson: predictions beside what happened, self-check
    answers marked "✓ right" or "✗ wrong" (in words, not by colour alone), and notes. It
    has inline CSS only -- no scripts, fonts, images or links -- so it opens offline in any
    browser and can be printed or handed in. All student text is HTML-escaped.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write the report, e.g. ``"lab-report.html"``. Written atomically.
    journal : Journal, optional
        The journal to export. Default: :func:`default_journal`.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    journal = journal if journal is not None else default_journal()
    entries = journal.entries()
    by_lesson: dict[str, list[Entry]] = {}
    for e in entries:
        by_lesson.setdefault(e.lesson, []).append(e)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>painlab lab report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>painlab lab report</h1>",
        f"<p class='meta'>Generated {html.escape(generated)} from "
        f"{html.escape(journal.path.name, quote=True)} ({len(entries)} entries).</p>",
    ]
    if not by_lesson:
        parts.append("<p class='missing'>The journal has no entries yet.</p>")
    for lesson in sorted(by_lesson):
        parts += _lesson_html(lesson, by_lesson[lesson])
    parts.append("</body></html>\n")
    out = Path(path)
    _atomic_write(out, "\n".join(parts))
    return out


# -- the process-wide journal -------------------------------------------------------------

_DEFAULT: dict[Path, Journal] = {}


def default_journal() -> Journal:
    """The journal for the current working directory, shared by all lesson widgets.

    Returns the same :class:`Journal` for every call from the same directory.
    """
    folder = Path.cwd().absolute()
    if folder not in _DEFAULT:
        _DEFAULT[folder] = Journal(folder / DEFAULT_FILENAME)
    return _DEFAULT[folder]


def reset_default() -> None:
    """Forget the process-wide journals (for tests); files on disk are untouched."""
    _DEFAULT.clear()
