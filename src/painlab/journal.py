"""The student's journal: predictions, what actually happened, self-check answers and notes.

Each lesson asks the student to *predict* before a demo, to *record* what the demo showed,
to *check* themselves with a question afterwards, and to write short *notes*. The
:class:`Journal` keeps all of these in one file, by default ``painlab-journal.sqlite`` in
the current working directory (the notebooks folder when the lessons run). :func:`export`
turns it into a single offline HTML lab report, or a JSON file, to hand in.

Safety of the student's work is the point of this module, and why the file is an SQLite
database (the standard library's :mod:`sqlite3`; still one file a student can hand in):

- Every entry is one SQLite transaction, committed (``synchronous=FULL``) before the call
  returns. A kernel killed at any moment leaves the journal with or without that entry,
  never a torn file; SQLite's rollback journal (``<name>-journal``) is replayed and
  removed by the next open. No other temporary files are made.
- Several notebooks, kernels and threads may write at once: writers take SQLite's lock
  (``BEGIN IMMEDIATE``) and wait up to a minute for it (``busy_timeout``), so no entry
  is lost.
- ``journal_mode=DELETE``, not WAL: WAL needs shared memory between processes, which a
  network file system does not provide. **On a network home directory (NFS, SMB) of a
  course server** SQLite relies on the file system's POSIX locks; these are unreliable on
  some NFS setups, so two kernels on *different machines* writing the same journal at the
  same instant could corrupt it. Kernels on one server (the usual JupyterHub case) are
  safe. If a damaged file is ever found it is moved aside, not overwritten (below).
- A file that is not a readable painlab journal is never overwritten: it is moved aside
  unchanged (``<name>.corrupt-<time>.sqlite`` or ``<name>.foreign-<time>.sqlite``), a
  :class:`JournalWarning` says where it went, and a new journal starts. Two kernels
  finding the same damaged file move it once (under a lock).
- In a read-only folder (e.g. a lecturer's shared folder) the journal opens read-only
  with a :class:`JournalWarning`; saving then raises :class:`JournalReadOnlyError` (an
  ``OSError``), which the quiz widgets show as a message instead of failing.
- A journal written by a newer painlab (a higher ``version`` in its ``meta`` table) opens
  read-only with a :class:`JournalWarning` and is never written by this one.
- A journal file deleted (or moved) while a lesson runs is started again, with a
  :class:`JournalWarning`, by the next save, which is kept in it.
- Any locale and any folder name work: the file is handed to SQLite as the bytes the file
  system holds (``LC_ALL=C``, a Latin-9 locale, a folder ``çalışma``).
- An old JSON journal (``painlab-journal.json``, painlab up to 0.x) beside the file is
  copied into it on first open, exactly once, and kept as
  ``painlab-journal.migrated-<time>.json``.
- New files follow the user's umask; a journal reached through a symbolic link of one's
  own is written through the link, which is kept. A link someone else may have planted
  (owned by another user, or in a sticky world-writable folder such as ``/tmp``) is never
  followed: the journal opens read-only with a :class:`JournalWarning`, and exports to
  such a path raise :class:`UnsafeLinkError` (see :mod:`painlab._files`).
- Values are stored as JSON text; values that cannot be stored (NaN, objects, more than
  :data:`MAX_VALUE_CHARS` characters, nesting deeper than :data:`MAX_DEPTH`) are refused
  with a ``TypeError``/``ValueError`` naming the parameter, and nothing is saved.

Each entry is one :class:`Entry` with the keys ``kind``, ``lesson``, ``question_id``,
``value``, ``result``, ``correct`` and ``timestamp``. The JSON export has the form::

    {"format": "painlab-journal", "version": 1, "entries": [{...}, ...]}

Examples
--------
>>> import painlab.journal as pj
>>> j = pj.Journal(tmp_path / "painlab-journal.sqlite")  # doctest: +SKIP
>>> j.predict("01-eih", "dose", "more pain relief after a harder bout")  # doctest: +SKIP
>>> j.record_result("01-eih", "dose", {"effect_size": 0.6})  # doctest: +SKIP
>>> j.export("lab-report.html")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import reprlib
import sqlite3
import stat
import threading
import urllib.parse
import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from painlab._files import UnsafeLinkError, _real_target, atomic_write, check_target

__all__ = [
    "CONFIDENCE",
    "DEFAULT_FILENAME",
    "FORMAT",
    "KINDS",
    "MAX_DEPTH",
    "MAX_VALUE_CHARS",
    "VERSION",
    "Entry",
    "Journal",
    "JournalError",
    "JournalReadOnlyError",
    "JournalWarning",
    "UnsafeLinkError",
    "default_journal",
    "export",
    "reset_default",
]

#: File name of the journal in the working directory.
DEFAULT_FILENAME = "painlab-journal.sqlite"
#: Value of the ``"format"`` key that marks a file as a painlab journal.
FORMAT = "painlab-journal"
#: Version of the journal file written by this module (2: SQLite; 1 was one JSON file,
#: still the format of :meth:`Journal.export_json`).
VERSION = 2
#: Largest value (prediction, result, choice or note) stored, in characters of JSON.
MAX_VALUE_CHARS = 1_000_000
#: Deepest nesting of lists and dicts stored in one value.
MAX_DEPTH = 100
#: Entry kinds and what each records.
KINDS: dict[str, str] = {
    "prediction": "a prediction made before a demo; `result` is what was then observed",
    "result": "an observed result for which no prediction had been recorded",
    "answer": "the option chosen in a self-check question; `correct` says if it was right",
    "note": "free text written by the student",
}


#: How sure a student says they are of a self-check answer, least to most.
CONFIDENCE = ("guess", "fairly sure", "certain")


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


def _show(value: Any) -> str:
    """A short repr for error messages, safe for any value (huge ints, odd objects)."""
    try:
        return reprlib.repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def _depth(value: Any, name: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` without recursion."""
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (list, tuple, dict)):
            if d > MAX_DEPTH:
                raise ValueError(
                    f"{name} is nested deeper than {MAX_DEPTH} levels of lists/dicts; "
                    "store something flatter"
                )
            items = v.values() if isinstance(v, dict) else v
            stack.extend((x, d + 1) for x in items)


def _jsonable(value: Any, name: str) -> Any:
    """Return `value` as plain JSON data (lists, dicts, str, numbers, bool, None).

    Raises ``TypeError`` or ``ValueError`` naming the parameter when the value cannot be
    stored.
    """
    _depth(value, name)
    try:
        text = json.dumps(value, default=_to_plain, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError) as err:
        raise TypeError(
            f"{name} must be JSON-serialisable (text, numbers, True/False, None, lists or "
            f"dicts of these, without NaN or infinity); got {_show(value)}: "
            f"{_show(str(err))}"
        ) from None
    if len(text) > MAX_VALUE_CHARS:
        raise ValueError(
            f"{name} is {len(text):,} characters as JSON, above the limit of "
            f"{MAX_VALUE_CHARS:,}; store a summary instead"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"{name} contains characters that are not valid Unicode text (a lone surrogate); "
            f"got {_show(value)}"
        ) from None
    return json.loads(text)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string; got {_show(value)}")
    if len(value) > MAX_VALUE_CHARS:
        raise ValueError(f"{name} is {len(value):,} characters, above {MAX_VALUE_CHARS:,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{name} contains a lone surrogate, not valid Unicode text") from None
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


_SQLITE_MAGIC = b"SQLite format 3\x00"
#: ``PRAGMA application_id`` of a painlab journal (the bytes ``"PLJ1"``).
APPLICATION_ID = 0x504C4A31
_BUSY_TIMEOUT_MS = 60_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    lesson TEXT NOT NULL,
    question_id TEXT,
    value TEXT NOT NULL,
    result TEXT NOT NULL,
    correct INTEGER,
    timestamp TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class JournalError(OSError):
    """An entry could not be saved or read; the message says why and what to do.

    A subclass of :class:`OSError`, so code that guards file access (the quiz widgets)
    shows the message instead of failing.
    """


class JournalReadOnlyError(JournalError, PermissionError):
    """The journal can be read but not written (read-only folder or file)."""


def _aside_path(path: Path, label: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = path.suffix or ".sqlite"
    candidate = path.with_name(f"{path.stem}.{label}-{stamp}{suffix}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{suffix}")
        n += 1
    return candidate


def _uri(path: Path, mode: str) -> str:
    """An SQLite ``file:`` URI for `path`, right in any locale and for any folder name.

    The path is quoted as the bytes the file system holds (:func:`os.fsencode`), not as
    UTF-8: under a Latin-9 locale ``çalışma`` is other bytes than in UTF-8, and under a
    plain ASCII locale an undecodable name holds surrogates that UTF-8 cannot encode.
    SQLite turns the escapes back into exactly those bytes.
    """
    return f"file:{urllib.parse.quote(os.fsencode(path))}?mode={mode}"


def _read_json_journal(raw: bytes) -> list[Entry]:
    """Entries of a version-1 JSON journal; ``ValueError("corrupt: ...")`` or ``"foreign: ..."``."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise ValueError(f"corrupt: is not valid JSON ({err})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f'foreign: is JSON but not a painlab journal (no "format": "{FORMAT}")')
    if data.get("version") != 1:
        raise ValueError(
            f"foreign: is a painlab journal of version {data.get('version')!r}, "
            "which this painlab cannot read"
        )
    try:
        records = data["entries"]
        if not isinstance(records, list):
            raise ValueError('"entries" must be a list')
        return [Entry.from_record(r) for r in records]
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"corrupt: has damaged entries ({err})") from None


def _db_problem(err: sqlite3.Error, what: str) -> str | None:
    """Classify an SQLite error met while checking a file (see ``Journal._problem``).

    Only a file SQLite itself calls damaged is "corrupt" (and may be moved aside). A lock
    held by another kernel is no problem of the file; an I/O or permission error (a flaky
    network folder, a hot journal in a read-only folder) leaves the file alone.
    """
    text = str(err)
    if "locked" in text or "busy" in text:
        return None  # another kernel is writing; saving will wait for it or say so
    if isinstance(err, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text
    ):
        return f"corrupt: {what} ({text})"
    if isinstance(err, sqlite3.OperationalError):
        return f"unreadable: cannot be checked here ({text})"
    return f"corrupt: {what} ({text})"


def _from_row(row: tuple) -> Entry:
    kind, lesson, qid, value, result, correct, timestamp = row
    return Entry(
        kind,
        lesson,
        qid,
        json.loads(value),
        result=json.loads(result),
        correct=None if correct is None else bool(correct),
        timestamp=timestamp,
    )


def _row(e: Entry) -> tuple:
    # ensure_ascii: any text, even lone surrogates, is stored as plain ASCII JSON
    return (
        e.kind,
        e.lesson,
        e.question_id,
        json.dumps(e.value, ensure_ascii=True, allow_nan=False),
        json.dumps(e.result, ensure_ascii=True, allow_nan=False),
        None if e.correct is None else int(e.correct),
        e.timestamp,
    )


_COLUMNS = "kind, lesson, question_id, value, result, correct, timestamp"
_WARNED: set[tuple[str, str]] = set()


def _warn_once(path: Path, message: str) -> None:
    key = (str(path), message)
    if key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(message, JournalWarning, stacklevel=4)


class Journal:
    """The student's saved predictions, results, self-check answers and notes.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The journal file. Default: ``painlab-journal.sqlite`` in the current working
        directory. A path ending in ``.json`` (the file of painlab up to 0.x) means the
        ``.sqlite`` file beside it, into which the JSON journal is migrated.

    Attributes
    ----------
    path : pathlib.Path
        The journal file, absolute (a symbolic link is kept and written through).
    read_only : bool
        True when entries cannot be saved here (read-only folder or file, or a damaged
        file that could not be moved aside); a :class:`JournalWarning` said why.

    Raises
    ------
    TypeError
        If `path` is not a path.
    ValueError
        If `path` is a folder.

    Notes
    -----
    Every method that adds to the journal commits one SQLite transaction before it
    returns; see the module docstring for what that guarantees, and for read-only
    folders, damaged files and network home directories. Saving raises
    :class:`JournalError` (an ``OSError``) when it cannot be done, e.g.
    :class:`JournalReadOnlyError` in a read-only folder.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        if path is not None and (
            not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes)
        ):
            raise TypeError(f"path must be a file path (str or pathlib.Path); got {path!r}")
        given = Path(path) if path is not None else Path.cwd() / DEFAULT_FILENAME
        given = Path(os.path.abspath(given))
        if given.suffix.lower() == ".json":
            self.legacy_path: Path | None = given
            given = given.with_suffix(".sqlite")
        else:
            self.legacy_path = given.with_suffix(".json") if given.suffix else None
        #: The journal file (as given; a symbolic link is followed when writing).
        self.path = given
        #: True when entries cannot be saved (read-only folder or file, unusable file).
        self.read_only = False
        self._unusable = False  # a damaged file that could not be moved aside
        self._pending_create = False  # the file was locked when opened
        self._legacy_entries: list[Entry] = []
        self._lock = threading.Lock()
        self._open()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    @property
    def _db(self) -> Path:
        return Path(os.path.realpath(self.path))

    # -- opening ----------------------------------------------------------------------

    def _connect(self, mode: str = "rw") -> sqlite3.Connection:
        con = sqlite3.connect(
            _uri(self._db, mode),
            uri=True,
            timeout=_BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            con.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            if mode == "rw":
                # DELETE (not WAL): WAL needs shared memory, which network file systems
                # do not provide; see the module docstring.
                con.execute("PRAGMA journal_mode = DELETE")
                con.execute("PRAGMA synchronous = FULL")
        except BaseException:
            con.close()
            raise
        return con

    def _problem(self) -> str | None:
        """``None`` if the file is a usable journal (or empty), else "label: why"."""
        try:
            with self._db.open("rb") as fh:
                head = fh.read(len(_SQLITE_MAGIC))
        except FileNotFoundError:
            return None
        except OSError as err:
            return f"unreadable: cannot be read ({err.strerror or err})"
        if head == b"":
            return None
        if head != _SQLITE_MAGIC:
            if head.lstrip()[:1] in (b"{", b"["):
                return "foreign: is JSON, not a painlab SQLite journal"
            return "corrupt: is not an SQLite database"
        try:
            con = self._connect("rw")
        except sqlite3.Error:
            try:
                con = self._connect("ro")
            except sqlite3.Error as err:
                return _db_problem(err, "cannot be opened as a database")
        try:
            app = con.execute("PRAGMA application_id").fetchone()[0]
            check = con.execute("PRAGMA quick_check").fetchone()[0]
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.Error as err:
            return _db_problem(err, "is a damaged database")
        finally:
            con.close()
        if check != "ok":
            return f"corrupt: is a damaged database ({check})"
        if app == 0 and not (tables - {"sqlite_sequence"}):
            return None  # an empty database: made a journal below
        if app != APPLICATION_ID or not {"entries", "meta"} <= tables:
            return "foreign: is a database, but not a painlab journal"
        return None

    def _move_aside(self, problem: str) -> bool:
        """Move the unusable file aside under a lock; False if another kernel did it first."""
        label, why = problem.split(": ", 1)
        db = self._db
        try:
            fd = os.open(db, os.O_RDONLY)
        except FileNotFoundError:
            return False
        except OSError as err:
            raise JournalError(f"The journal file {db} cannot be read: {err}") from None
        try:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise JournalError(f"The journal path {db} is not a regular file")
            try:
                if os.stat(db).st_ino != os.fstat(fd).st_ino:
                    return False  # someone else moved it (and maybe started a new one)
            except FileNotFoundError:
                return False
            if self._problem() is None:
                return False  # repaired or replaced meanwhile
            aside = _aside_path(db, label)
            try:
                os.rename(db, aside)
            except OSError as err:
                self.read_only = True
                self._unusable = True
                _warn_once(
                    db,
                    f"The journal file {db} {why}. It could not be moved aside ({err.strerror}),"
                    " so it is left untouched and this journal is READ-ONLY: answers and "
                    "predictions are shown but not saved. Copy the lessons to a folder of "
                    "your own to keep your work.",
                )
                return True
            for extra in ("-journal",):
                with contextlib.suppress(OSError):
                    os.rename(f"{db}{extra}", f"{aside}{extra}")
            warnings.warn(
                f"The journal file {db} {why}. It was NOT overwritten: it was moved, "
                f"unchanged, to {aside}. A new, empty journal has been started at {db}.",
                JournalWarning,
                stacklevel=4,
            )
            return True
        finally:
            os.close(fd)

    def _open(self) -> None:
        try:
            _real_target(self.path, "path")
        except UnsafeLinkError as err:
            # never read, move aside or write a file someone else's link points to
            self.read_only = self._unusable = True
            _warn_once(
                self.path,
                f"The journal {self.path} is READ-ONLY: answers and predictions are shown "
                f"but not saved. {err.strerror}.",
            )
            return
        if self._db.is_dir():
            raise ValueError(
                f"path {str(self.path)!r} is a folder; give the journal file inside it, e.g. "
                f"{str(self.path / DEFAULT_FILENAME)!r}"
            )
        for _ in range(20):
            problem = self._problem()
            if problem is None:
                break
            if problem.startswith("unreadable"):  # not ours to move: e.g. no permission
                self.read_only = self._unusable = True
                _warn_once(
                    self._db,
                    f"The journal file {self._db} {problem.split(': ', 1)[1]}. It is left "
                    "untouched and this journal is READ-ONLY: answers and predictions are "
                    "shown but not saved.",
                )
                return
            if self._move_aside(problem) and self.read_only:
                return
        newer = self._newer_version()
        if newer is not None:
            self.read_only = True
            _warn_once(
                self._db,
                f"The journal {self._db} was written by a newer painlab (journal version "
                f"{newer}; this painlab writes version {VERSION}). It is opened READ-ONLY so "
                "that nothing in it is changed: answers and predictions are shown but not "
                "saved. Update painlab (pip install -U painlab) to keep saving to it.",
            )
            self._migrate()  # read-only: an old JSON journal beside it is only shown
            return
        try:
            self._create()
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                self._pending_create = True  # another kernel is writing: finish on first save
            else:
                self._open_failed(err)
        except (OSError, sqlite3.Error) as err:
            self._open_failed(err)
        self._migrate()

    def _newer_version(self) -> str | None:
        """The journal version of the file if a newer painlab wrote it, else ``None``."""
        if not self._db.is_file():
            return None
        try:
            con = self._connect("ro")
        except sqlite3.Error:
            return None
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        except sqlite3.Error:
            return None  # no meta table yet: a new or empty journal
        finally:
            con.close()
        if row is None:
            return None
        text = str(row[0]).strip()
        if text.isdecimal() and text.isascii() and int(text) <= VERSION:
            return None
        return text  # a higher number, or one this painlab cannot read

    def _open_failed(self, err: BaseException) -> None:
        """The file cannot be made or written: read-only from now on, with a warning."""
        self.read_only = True
        where = self._db if self._db.exists() else self._db.parent
        _warn_once(
            self._db,
            f"The journal {self._db} cannot be written ({where} is read-only or "
            f"unavailable: {err}). Existing entries can be read, but new answers and "
            "predictions are NOT saved. Copy the lessons to a folder of your own (e.g. "
            "your home directory) to keep your work.",
        )

    def _create(self) -> None:
        db = self._db
        if not db.exists():
            db.parent.mkdir(parents=True, exist_ok=True)
            # 0o666: the kernel applies the user's umask, as for any new file.
            with contextlib.suppress(FileExistsError):
                os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        con = self._connect("rw")
        try:
            if con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
                self._sweep(con)
                return
            con.execute("BEGIN IMMEDIATE")
            try:
                for stmt in _SCHEMA.split(";"):
                    if stmt.strip():
                        con.execute(stmt)
                con.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('format', ?), ('version', ?)",
                    (FORMAT, str(VERSION)),
                )
                con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    con.execute("ROLLBACK")
                raise
        finally:
            con.close()

    def _sweep(self, con: sqlite3.Connection) -> None:
        """Remove a stale rollback journal left by a kernel killed as it began a write.

        A *hot* journal is replayed by SQLite on the first read. One killed before its
        header was written is not hot and would stay forever; under an exclusive lock, after
        that first read, any ``-journal`` file left is such a stale one.
        """
        stale = Path(f"{self._db}-journal")
        if not stale.exists():
            return
        con.execute("PRAGMA busy_timeout = 0")
        try:
            con.execute("BEGIN EXCLUSIVE")
        except sqlite3.Error:
            return  # someone is writing: their journal, not litter
        finally:
            con.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        try:
            con.execute("SELECT count(*) FROM entries").fetchone()
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        finally:
            con.execute("COMMIT")

    def _migrate(self) -> None:
        """Copy a version-1 JSON journal beside the file into it, once, then keep it as a backup."""
        legacy = self.legacy_path
        if legacy is None or not legacy.is_file():
            return
        try:
            raw = legacy.read_bytes()
        except OSError:
            return
        try:
            old = _read_json_journal(raw)
        except ValueError as err:
            why = str(err).split(": ", 1)[1]
            not_ours = why.startswith(("is not valid JSON", "is JSON but not"))
            if not_ours and not legacy.name.startswith(Path(DEFAULT_FILENAME).stem):
                return  # some other file that shares the journal's stem: leave it be
            _warn_once(
                legacy,
                f"The old journal file {legacy} {why}; it was not migrated and is left "
                f"untouched. New entries go to {self.path}.",
            )
            return
        digest = hashlib.sha256(raw).hexdigest()
        key = f"migrated:{digest}"
        if self.read_only:
            self._legacy_entries = old
            return
        try:
            with self._transaction() as con:
                if con.execute("SELECT 1 FROM meta WHERE key = ?", (key,)).fetchone() is None:
                    con.executemany(
                        f"INSERT INTO entries ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [_row(e) for e in old],
                    )
                    con.execute("INSERT INTO meta VALUES (?, ?)", (key, str(legacy)))
                    migrated = True
                else:
                    migrated = False
        except JournalError:
            self._legacy_entries = old
            return
        backup = _aside_path(legacy, "migrated")
        backup = backup.with_suffix(".json")
        with contextlib.suppress(OSError):
            os.rename(legacy, backup)
            if migrated:
                warnings.warn(
                    f"Your journal {legacy} ({len(old)} entries) was copied into {self.path}; "
                    f"the old file is kept, unchanged, as {backup}.",
                    JournalWarning,
                    stacklevel=4,
                )

    @contextlib.contextmanager
    def _transaction(self):
        """One write transaction; SQLite and file errors become :class:`JournalError`."""
        if self.read_only:
            raise JournalReadOnlyError(
                errno.EROFS,
                f"Not saved: the journal {self.path} is read-only (see the warning shown when "
                "it was opened). Copy the lessons to a folder of your own to keep your work.",
            )
        try:
            if not self._pending_create and not os.path.lexists(self._db):
                self._recreate()
            if self._pending_create:
                self._create()
                self._pending_create = False
            con = self._connect("rw")
        except sqlite3.Error as err:
            raise self._error(err) from None
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    con.execute("ROLLBACK")
                raise
        except sqlite3.Error as err:
            raise self._error(err) from None
        finally:
            con.close()

    def _recreate(self) -> None:
        """The file was deleted (or moved) while the journal was open: start it again."""
        self._pending_create = True
        warnings.warn(
            f"The journal file {self._db} was deleted or moved while in use; a new journal "
            "has been started there, and this entry is saved in it. Entries saved before "
            "are only in the old file, if it still exists (e.g. in the bin): put it back to "
            "keep them.",
            JournalWarning,
            stacklevel=5,
        )

    def _error(self, err: sqlite3.Error) -> JournalError:
        text = str(err)
        if "readonly" in text.replace(" ", "").replace("-", "") or "read-only" in text:
            return JournalReadOnlyError(
                errno.EROFS,
                f"Not saved: the journal {self.path} or its folder is read-only ({text}). "
                "Copy the lessons to a folder of your own to keep your work.",
            )
        if "full" in text:
            return JournalError(
                errno.ENOSPC, f"Not saved: the disk holding {self.path} is full ({text})."
            )
        if "locked" in text:
            return JournalError(
                errno.EBUSY,
                f"Not saved: another notebook or kernel kept the journal {self.path} locked "
                f"for over {_BUSY_TIMEOUT_MS / 1000:g} s ({text}). Try again.",
            )
        return JournalError(f"The journal {self.path} could not be used: {text}")

    # -- reading ----------------------------------------------------------------------

    def _load(self) -> list[Entry]:
        if self._unusable or not self._db.exists():
            return list(self._legacy_entries)
        try:
            con = self._connect("ro")
        except sqlite3.Error as err:
            raise self._error(err) from None
        try:
            rows = con.execute(f"SELECT {_COLUMNS} FROM entries ORDER BY id").fetchall()
        except sqlite3.Error as err:
            if "no such table" in str(err):
                rows = []
            else:
                raise self._error(err) from None
        finally:
            con.close()
        return [*self._legacy_entries, *map(_from_row, rows)]

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

    def _append(self, entry: Entry) -> Entry:
        with self._lock, self._transaction() as con:
            con.execute(
                f"INSERT INTO entries ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", _row(entry)
            )
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

        Raises
        ------
        TypeError, ValueError
            For a value that cannot be stored (see :data:`MAX_VALUE_CHARS`).
        JournalError
            An :class:`OSError` if it could not be saved (read-only folder, full disk).
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
        stored = json.dumps(result, ensure_ascii=True, allow_nan=False)
        with self._lock, self._transaction() as con:
            row = con.execute(
                f"SELECT id, {_COLUMNS} FROM entries WHERE kind = 'prediction' AND lesson = ? "
                "AND question_id = ? ORDER BY id DESC LIMIT 1",
                (lesson, question_id),
            ).fetchone()
            if row is not None:
                con.execute("UPDATE entries SET result = ? WHERE id = ?", (stored, row[0]))
                return Entry(**{**_from_row(row[1:]).to_record(), "result": result})
            entry = Entry("result", lesson, question_id, None, result=result, timestamp=_now())
            con.execute(
                f"INSERT INTO entries ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", _row(entry)
            )
            return entry

    def answer(
        self,
        lesson: str,
        question_id: str,
        choice: Any,
        correct: bool,
        *,
        confidence: str | None = None,
    ) -> Entry:
        """Record the option chosen in a self-check question and whether it was right.

        Every attempt is kept. The entry's ``result`` holds ``{"attempt": n, "confidence":
        c}``: ``n`` counts this student's attempts at the question (1 = first attempt, also
        across sessions) and ``c`` is how sure they said they were (one of
        :data:`CONFIDENCE`, or ``None`` if not said).

        Parameters
        ----------
        confidence : str, optional
            ``"guess"``, ``"fairly sure"`` or ``"certain"``.

        Raises
        ------
        ValueError
            For another confidence value.
        """
        lesson = _text(lesson, "lesson")
        question_id = _text(question_id, "question_id")
        if confidence is not None and confidence not in CONFIDENCE:
            raise ValueError(
                f"confidence must be one of {', '.join(map(repr, CONFIDENCE))} or None; "
                f"got {confidence!r}"
            )
        value = _jsonable(choice, "choice")
        right = _bool(correct, "correct")
        with self._lock, self._transaction() as con:
            # Counted and written in one transaction, so two kernels cannot both write
            # "attempt 1".
            (done,) = con.execute(
                "SELECT COUNT(*) FROM entries WHERE kind = 'answer' AND lesson = ? "
                "AND question_id = ?",
                (lesson, question_id),
            ).fetchone()
            entry = Entry(
                kind="answer",
                lesson=lesson,
                question_id=question_id,
                value=value,
                result={"attempt": int(done) + 1, "confidence": confidence},
                correct=right,
                timestamp=_now(),
            )
            con.execute(
                f"INSERT INTO entries ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", _row(entry)
            )
        return entry

    def first_attempts(self, lesson: str | None = None) -> dict[tuple[str, str], Entry]:
        """The first recorded answer to each self-check question, keyed by (lesson, id).

        The first attempt is what a lecturer reads: retries are allowed and kept, but only
        the first shows what the student knew before the feedback.
        """
        first: dict[tuple[str, str], Entry] = {}
        for e in self.entries(lesson, "answer"):
            first.setdefault((e.lesson, e.question_id or ""), e)
        return first

    def note(self, lesson: str, text: str) -> Entry:
        """Record a free-text note for a lesson."""
        return self._append(
            Entry(
                kind="note",
                lesson=_text(lesson, "lesson"),
                question_id=None,
                value=_jsonable(_text(text, "text"), "text"),
                timestamp=_now(),
            )
        )

    def export(self, path: str | os.PathLike[str]) -> Path:
        """Write this journal as an HTML lab report or a JSON file; see :func:`export`."""
        return export(path, self)

    def export_json(self, path: str | os.PathLike[str]) -> Path:
        """Write this journal as a JSON file (format version 1); see :func:`export`."""
        check_target(path, "path", suffixes=(".json",), protect=self._protected())
        return atomic_write(path, _json_document(self.entries()))

    def _protected(self) -> list[Path]:
        protected = [self.path, Path(f"{self._db}-journal"), Path(f"{self._db}-wal")]
        if self.legacy_path is not None:
            protected.append(self.legacy_path)  # would be migrated again on the next open
        return protected


def _json_document(entries: Iterable[Entry]) -> str:
    document = {
        "format": FORMAT,
        "version": 1,
        "entries": [e.to_record() for e in entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


# -- the HTML lab report ------------------------------------------------------------------


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


# the report builds on this module; imported last so both load whole
from painlab.lab_report import export  # noqa: E402
