"""Reliability: the fault catalogue of issue 14, replayed so it cannot come back.

Nothing a student writes may be lost (concurrent kernels and threads, kill -9, a full
disk, read-only and damaged files), every export is atomic and checks its target first,
and every wrong input gets a named error. Real processes, real signals and real resource
limits are used; as root, read-only folders are checked in a forked child that drops to
the user ``nobody`` (root ignores file permissions), and the check first proves that the
folder really refuses writes.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing as mp
import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from pathlib import Path

import numpy as np
import pytest

import painlab as pl
from painlab import hypoalgesia, programs, quiz, studies
from painlab import journal as pj
from painlab.bouts import Bout
from painlab.journal import Journal, JournalReadOnlyError, JournalWarning

PY = sys.executable


pytestmark = pytest.mark.usefixtures("fresh_default_journal")


@pytest.fixture
def shared_dir():
    """A folder the user ``nobody`` can reach (pytest's tmp_path is private to root)."""
    d = Path(tempfile.mkdtemp(prefix="painlab-rel-"))
    os.chmod(d, 0o755)
    yield d
    for p in [d, *d.rglob("*")]:
        if p.is_dir() and not p.is_symlink():
            os.chmod(p, 0o755)
    shutil.rmtree(d, ignore_errors=True)


def _quiet(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args)


def _values(path: Path) -> list:
    return [e.value for e in _quiet(Journal, path).entries()]


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- concurrency --------------------------------------------------------------------------


def _append_notes(path: str, tag: str, n: int) -> None:
    j = Journal(path)
    for i in range(n):
        j.note("conc", f"{tag}-{i}")


def test_four_processes_lose_no_entry(tmp_path):
    path = tmp_path / "painlab-journal.sqlite"
    Journal(path)
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_append_notes, args=(str(path), f"p{k}", 50)) for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    values = _values(path)
    assert len(values) == 200
    assert set(values) == {f"p{k}-{i}" for k in range(4) for i in range(50)}
    # each writer's entries stay in the order it made them
    for k in range(4):
        mine = [v for v in values if v.startswith(f"p{k}-")]
        assert mine == [f"p{k}-{i}" for i in range(50)]
    assert _names(tmp_path) == [path.name]


@pytest.mark.parametrize("shared", [True, False], ids=["one-journal", "journal-per-thread"])
def test_four_threads_lose_no_entry(tmp_path, shared):
    path = tmp_path / "painlab-journal.sqlite"
    one = Journal(path)
    errors: list[BaseException] = []

    def run(k: int) -> None:
        j = one if shared else Journal(path)
        try:
            for i in range(50):
                j.note("t", f"{k}-{i}")
                if i % 10 == 0:
                    j.predict("t", f"q{k}", i)
                    j.record_result("t", f"q{k}", i + 1)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = Journal(path).entries()
    assert len([e for e in entries if e.kind == "note"]) == 200
    predictions = [e for e in entries if e.kind == "prediction"]
    assert len(predictions) == 20
    assert all(e.result == e.value + 1 for e in predictions)


# -- kill -9 ------------------------------------------------------------------------------

KILL_WRITER = """
import sys, warnings
warnings.simplefilter("error")  # a torn or moved-aside journal would be a warning
from painlab.journal import Journal
j = Journal(sys.argv[1])
i = int(sys.argv[2])
print("ready", flush=True)
while True:
    j.note("k", f"entry-{i}-" + "x" * 2000)
    print(i, flush=True)  # printed only after the commit returned
    i += 1
"""


def test_kill_9_in_a_loop_keeps_every_confirmed_entry_and_leaves_no_litter(tmp_path):
    path = tmp_path / "painlab-journal.sqlite"
    confirmed: set[int] = set()
    start = 0
    for k in range(20):
        p = subprocess.Popen(
            [PY, "-c", KILL_WRITER, str(path), str(start)], stdout=subprocess.PIPE, text=True
        )
        assert p.stdout.readline() == "ready\n"  # kill during writes, not during imports
        time.sleep(0.05 + 0.023 * k)  # at varying points of a write
        os.kill(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        got = [int(x) for x in out.split()]
        confirmed.update(got)
        start = max(got) + 1 if got else start + 10_000
    assert len(confirmed) > 20, "the writer never got going; the test would prove nothing"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no torn file, nothing moved aside
        values = [e.value for e in Journal(path).entries()]
    present = {int(v.split("-")[1]) for v in values}
    assert confirmed <= present
    # at most one unconfirmed entry per kill (committed, killed before printing)
    assert len(present - confirmed) <= 20
    assert _names(tmp_path) == [path.name]  # SQLite's hot journal was replayed and removed


def test_kill_9_during_export_leaves_the_old_report_and_no_litter(tmp_path):
    j = Journal(tmp_path / "painlab-journal.sqlite")
    for i in range(400):
        j.note("01", f"note {i} " + "z" * 400)
    report = tmp_path / "report.html"
    report.write_text("<html>the good old report</html>", encoding="utf-8")
    code = (
        "import sys; from painlab.journal import Journal, export\n"
        "j = Journal(sys.argv[1])\n"
        "print('ready', flush=True)\n"
        "while True: export(sys.argv[2], j)\n"
    )
    for k in range(8):
        p = subprocess.Popen([PY, "-c", code, str(j.path), str(report)], stdout=subprocess.PIPE)
        assert p.stdout.readline() == b"ready\n"
        time.sleep(0.05 + 0.03 * k)
        p.kill()
        p.wait()
        text = report.read_text(encoding="utf-8")
        assert text == "<html>the good old report</html>" or text.rstrip().endswith("</html>")
    j.export(report)  # the next export sweeps what the killed writers left
    assert _names(tmp_path) == sorted([j.path.name, report.name])


# -- full disk (RLIMIT_FSIZE) -------------------------------------------------------------

FULL_DISK = """
import resource, signal, sys, warnings
warnings.simplefilter("ignore")
import painlab as pl
from painlab import journal
what, target, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death: a disk full
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    if what == "handout":
        pl.export_handout(target, populations=("healthy",), verbose=False)
    elif what == "report":
        journal.export(target, journal.Journal(sys.argv[4]))
    elif what == "append":
        j = journal.Journal(target)
        for i in range(100_000):
            j.note("01", f"{i}-" + "y" * 1000)
            print(i, flush=True)
except OSError as err:
    print("OSError", err, file=sys.stderr)
    sys.exit(3)
"""


def _full_disk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-c", FULL_DISK, *args], capture_output=True, text=True, timeout=120)


def test_full_disk_during_export_handout_keeps_the_old_handout(tmp_path):
    handout = tmp_path / "handout.html"
    handout.write_text("<html>the good old handout</html>", encoding="utf-8")
    p = _full_disk("handout", str(handout), "100000")
    assert p.returncode == 3, p.stderr  # a clear OSError (file too large), not a crash
    assert "File too large" in p.stderr or "No space" in p.stderr
    assert handout.read_text(encoding="utf-8") == "<html>the good old handout</html>"
    assert _names(tmp_path) == ["handout.html"]


def test_full_disk_during_report_export_keeps_the_old_report(tmp_path):
    j = Journal(tmp_path / "painlab-journal.sqlite")
    for i in range(300):
        j.note("01", f"note {i} " + "z" * 500)
    report = tmp_path / "report.html"
    report.write_text("<html>the good old report</html>", encoding="utf-8")
    p = _full_disk("report", str(report), "50000", str(j.path))
    assert p.returncode == 3, p.stderr
    assert report.read_text(encoding="utf-8") == "<html>the good old report</html>"
    assert _names(tmp_path) == sorted([j.path.name, "report.html"])


def test_full_disk_during_appends_keeps_every_confirmed_entry(tmp_path):
    path = tmp_path / "painlab-journal.sqlite"
    p = _full_disk("append", str(path), "300000")
    assert p.returncode == 3, p.stderr
    assert "full" in p.stderr or "too large" in p.stderr.lower()
    confirmed = {int(x) for x in p.stdout.split()}
    assert len(confirmed) > 50
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        present = {int(v.split("-")[0]) for v in _values(path)}
    assert confirmed <= present <= confirmed | {max(confirmed) + 1}
    Journal(path).note("01", "space again")  # usable once there is room
    assert _names(tmp_path) == [path.name]


# -- read-only folders (as root: a forked child that becomes nobody) ---------------------


def _as_user_without_write_access(fn):
    """Run `fn()` in a forked child that cannot write where root could; return its result."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(r)
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            result = ("ok", fn())
        except BaseException as err:
            result = ("raised", f"{type(err).__name__}: {err}\n{traceback.format_exc()}")
        with os.fdopen(w, "wb") as fh:
            pickle.dump(result, fh)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    status, value = pickle.loads(data)
    assert status == "ok", value
    return value


def _writes_fail(folder: Path) -> bool:
    try:
        (folder / "probe").write_text("x")
    except PermissionError:
        return True
    return False


def _click_quiz(path: Path) -> dict:
    """What a student's quiz cell does in that folder; must not raise."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _writes_fail(path.parent), "folder is writable: the check would prove nothing"
        j = Journal(path)
        q = quiz.Question(
            "q", "Which?", (quiz.Option("a", True, "yes"), quiz.Option("b", False, "no")), "01"
        )
        w = quiz.ask(q, j)
        w.radio.value = 0
        w.button.click()
        p = quiz.predict("01", "p", "Which?", ["a", "b"], j)
        p.radio.value = 1
        p.button.click()
        try:
            j.note("01", "x")
            raised = None
        except OSError as err:
            raised = type(err).__name__
        return {
            "feedback": w.feedback.value,
            "predicted": p.feedback.value,
            "warnings": [str(x.message) for x in caught if issubclass(x.category, JournalWarning)],
            "read_only": j.read_only,
            "entries": [e.value for e in j.entries()],
            "raised": raised,
        }


def test_good_journal_in_a_read_only_folder_opens_read_only(shared_dir):
    path = shared_dir / "painlab-journal.sqlite"
    Journal(path).note("01", "written by the lecturer")
    before = path.read_bytes()
    os.chmod(shared_dir, 0o555)
    os.chmod(path, 0o444)
    out = _as_user_without_write_access(lambda: _click_quiz(path))
    assert "✓ Right." in out["feedback"]
    assert "could not be saved" in out["feedback"]
    assert "could not be saved" in out["predicted"]
    assert out["raised"] == "JournalReadOnlyError"
    assert out["entries"] == ["written by the lecturer"]
    assert path.read_bytes() == before
    assert _names(shared_dir) == [path.name]


def test_corrupt_journal_in_a_read_only_folder_does_not_break_quiz_cells(shared_dir):
    path = shared_dir / "painlab-journal.sqlite"
    garbage = b"\x00not a journal" * 50
    path.write_bytes(garbage)
    os.chmod(shared_dir, 0o555)
    out = _as_user_without_write_access(lambda: _click_quiz(path))
    assert "✓ Right." in out["feedback"]
    assert "could not be saved" in out["feedback"]
    assert out["read_only"] is True
    assert any("READ-ONLY" in w for w in out["warnings"])
    assert out["entries"] == []
    assert path.read_bytes() == garbage
    assert _names(shared_dir) == [path.name]


def test_new_journal_in_a_read_only_folder_warns_and_shows_a_message(shared_dir):
    os.chmod(shared_dir, 0o555)
    out = _as_user_without_write_access(lambda: _click_quiz(shared_dir / "painlab-journal.sqlite"))
    assert out["read_only"] is True
    assert any("cannot be written" in w for w in out["warnings"])
    assert "could not be saved" in out["feedback"]
    assert _names(shared_dir) == []


def test_export_to_a_read_only_folder_fails_before_computing(shared_dir):
    os.chmod(shared_dir, 0o555)

    def attempt():
        assert _writes_fail(shared_dir)
        t0 = time.perf_counter()
        try:
            pl.export_handout(shared_dir / "h.html", verbose=False)
        except PermissionError as err:
            return str(err), time.perf_counter() - t0
        return "no error", 0.0

    message, took = _as_user_without_write_access(attempt)
    assert "not writable" in message
    assert took < 1.0


def test_readonly_error_is_an_oserror_and_says_what_to_do():
    assert issubclass(JournalReadOnlyError, PermissionError)
    assert issubclass(JournalReadOnlyError, OSError)


# -- damaged files -------------------------------------------------------------------------

OPEN_AND_NOTE = """
import sys, warnings
warnings.simplefilter("ignore")
from painlab.journal import Journal
Journal(sys.argv[1]).note("01", sys.argv[2])
"""


def test_two_kernels_opening_one_corrupt_journal_both_work(tmp_path):
    for rnd in range(6):
        d = tmp_path / f"r{rnd}"
        d.mkdir()
        path = d / "painlab-journal.sqlite"
        garbage = b"\x00garbage" * 1000
        path.write_bytes(garbage)
        procs = [
            subprocess.Popen([PY, "-c", OPEN_AND_NOTE, str(path), f"k{k}"], stderr=subprocess.PIPE)
            for k in range(2)
        ]
        errs = [p.communicate()[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], errs
        asides = sorted(d.glob("painlab-journal.corrupt-*"))
        assert [a.read_bytes() for a in asides] == [garbage]  # moved once, unchanged
        assert sorted(_values(path)) == ["k0", "k1"]


def test_two_kernels_migrate_an_old_json_journal_exactly_once(tmp_path):
    old = tmp_path / "painlab-journal.json"
    record = {
        "kind": "note",
        "lesson": "01",
        "question_id": None,
        "value": "old",
        "result": None,
        "correct": None,
        "timestamp": "2025-01-01T00:00:00+00:00",
    }
    entries = [{**record, "value": f"old-{i}"} for i in range(30)]
    old.write_text(json.dumps({"format": "painlab-journal", "version": 1, "entries": entries}))
    procs = [subprocess.Popen([PY, "-c", OPEN_AND_NOTE, str(old), f"new-{k}"]) for k in range(3)]
    assert [p.wait() for p in procs] == [0, 0, 0]
    values = _values(tmp_path / "painlab-journal.sqlite")
    assert values[:30] == [f"old-{i}" for i in range(30)]
    assert sorted(values[30:]) == ["new-0", "new-1", "new-2"]
    (backup,) = tmp_path.glob("painlab-journal.migrated-*.json")
    assert json.loads(backup.read_text())["entries"] == entries


def test_a_journal_damaged_while_open_gives_a_named_oserror(tmp_path):
    j = Journal(tmp_path / "painlab-journal.sqlite")
    j.note("01", "x")
    j.path.write_bytes(b"\x00" * 4096)
    with pytest.raises(OSError, match=r"painlab-journal\.sqlite"):
        j.note("01", "y")


# -- hostile values ------------------------------------------------------------------------


def _deep(n: int) -> list:
    v: list = []
    for _ in range(n):
        v = [v]
    return v


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (_deep(100_000), ValueError, "nested deeper than"),
        ("x" * (pj.MAX_VALUE_CHARS + 1), ValueError, "above the limit"),
        ({"a": float("inf")}, TypeError, "without NaN or infinity"),
        ("a\ud800b", ValueError, "lone surrogate"),
        (10**5000, TypeError, "JSON-serialisable"),
    ],
    ids=["deep", "huge", "inf", "surrogate", "bigint"],
)
def test_hostile_values_get_a_named_error_and_nothing_is_saved(tmp_path, value, error, message):
    j = Journal(tmp_path / "painlab-journal.sqlite")
    with pytest.raises(error, match=message):
        j.predict("01", "q", value)
    assert j.entries() == []


def test_odd_but_valid_text_round_trips(tmp_path):
    j = Journal(tmp_path / "painlab-journal.sqlite")
    odd = ["a\x00b", "\u202eevil", "emoji 🦵", "<script>x</script>", "x" * 500_000]
    for text in odd:
        j.note("01", text)
    j.predict("01", "q", _deep(pj.MAX_DEPTH - 1))
    assert _values(j.path)[: len(odd)] == odd
    out = j.export(tmp_path / "r.json")
    assert json.loads(out.read_text(encoding="utf-8"))["entries"][0]["value"] == "a\x00b"


# -- permissions and links -----------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o077, 0o027, 0o002])
def test_new_files_follow_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        j = Journal(tmp_path / "painlab-journal.sqlite")
        j.note("01", "x")
        report = j.export(tmp_path / "report.html")
        dump = j.export(tmp_path / "journal.json")
    finally:
        os.umask(old)
    for p in (j.path, report, dump):
        assert p.stat().st_mode & 0o777 == 0o666 & ~umask, p


def test_replaced_report_keeps_its_mode(tmp_path):
    j = Journal(tmp_path / "painlab-journal.sqlite")
    report = tmp_path / "report.html"
    report.write_text("old")
    os.chmod(report, 0o640)
    j.export(report)
    assert report.stat().st_mode & 0o777 == 0o640


def test_symlinked_journal_and_report_stay_links(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link_dir = tmp_path / "course"
    link_dir.mkdir()
    target = real / "painlab-journal.sqlite"
    Journal(target).note("01", "first")
    (link_dir / "painlab-journal.sqlite").symlink_to(target)
    j = Journal(link_dir / "painlab-journal.sqlite")
    j.note("01", "through the link")
    assert (link_dir / "painlab-journal.sqlite").is_symlink()
    assert _values(target) == ["first", "through the link"]
    assert _names(link_dir) == ["painlab-journal.sqlite"]  # no -journal left beside the link
    (real / "report.html").write_text("old")
    (link_dir / "report.html").symlink_to(real / "report.html")
    j.export(link_dir / "report.html")
    assert (link_dir / "report.html").is_symlink()
    assert "through the link" in (real / "report.html").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="must not overwrite"):
        j.export(link_dir / "painlab-journal.json")  # the old-format name beside the link


# -- exports check their target first -----------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "dir.html", "is a folder"),
        (lambda d: d / "file" / "h.html", "not a folder"),
        (lambda d: d / "h.txt", "must end in"),
    ],
    ids=["folder", "below-a-file", "suffix"],
)
def test_export_handout_refuses_bad_targets_at_once(tmp_path, make, message):
    (tmp_path / "dir.html").mkdir()
    (tmp_path / "file").write_text("a file")
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=message):
        pl.export_handout(make(tmp_path), verbose=False)
    assert time.perf_counter() - t0 < 1.0


def test_export_figures_refuses_a_file_as_folder_before_drawing(tmp_path):
    (tmp_path / "slides").write_text("not a folder")
    with pytest.raises(ValueError, match="not a folder"):
        pl.export_figures(tmp_path / "slides", formats=("svg",), browser_path="/nonexistent")


def test_export_handout_refuses_duplicate_and_string_populations(tmp_path):
    with pytest.raises(ValueError, match="more than once"):
        pl.export_handout(tmp_path / "h.html", populations=("healthy", "older", "healthy"))
    with pytest.raises(TypeError, match="list or tuple"):
        pl.export_handout(tmp_path / "h.html", populations="healthy")
    assert _names(tmp_path) == []


# -- named errors for what used to be silently wrong ---------------------------------------

_PROGRAM = programs.Program("knee_osteoarthritis")
_RESPONSE = hypoalgesia.predict(Bout("aerobic", 75, 30))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: Bout("isometric", 30, 2, to_failure="no"), TypeError, "to_failure must be True"),
        (lambda: Bout("isometric", 30, to_failure=1), TypeError, "to_failure must be True"),
        (lambda: Bout("isometric", 30, 2, to_failure=True), ValueError, "contradict"),
        (lambda: Bout("isometric", 30, "x", to_failure=True), ValueError, "contradict"),
        (lambda: programs.simulate(_PROGRAM, full_adherence="no"), TypeError, "full_adherence"),
        (lambda: programs.simulate(_PROGRAM, full_adherence=np.nan), TypeError, "full_adherence"),
        (lambda: _RESPONSE.after(True), TypeError, "minutes must be a number"),
        (
            lambda: hypoalgesia.effect_grid("aerobic", "healthy", [75], [-30]),
            ValueError,
            "durations must be between 0 and 120 min",
        ),
        (
            lambda: hypoalgesia.effect_grid("aerobic", "healthy", [150], [30]),
            ValueError,
            "intensities must be between 20 and 100 % VO2max",
        ),
        (
            lambda: hypoalgesia.effect_grid("aerobic", "healthy", [[75]], [30]),
            ValueError,
            "1-D",
        ),
        (
            lambda: hypoalgesia.effect_grid("aerobic", "healthy", ["hard"], [30]),
            TypeError,
            "intensities must be numbers",
        ),
        (lambda: hypoalgesia.needed_minutes("aerobic", 500), ValueError, "% VO2max"),
        (lambda: hypoalgesia.needed_minutes("run", 50), ValueError, "kind must be one of"),
        (
            lambda: hypoalgesia.agreement_table("shoulder_myalgia"),
            ValueError,
            "population must be None",
        ),
        (lambda: hypoalgesia.agreement_table("helthy"), ValueError, "Did you mean 'healthy'"),
        (lambda: studies.program_findings(claim="K99"), ValueError, "K0 to K18"),
        (lambda: studies.program_findings(claim="k8"), ValueError, "Did you mean 'K8'"),
        (lambda: studies.program_findings(claim=8), TypeError, "claim must be"),
        (lambda: studies.mechanism_findings(claim=["K1"]), TypeError, "claim must be"),
        (lambda: studies.mechanism_findings(topic=["x"]), TypeError, "topic must be text"),
        (lambda: quiz.predict("01", "q", "Which?", "yes"), TypeError, "options must be a list"),
        (lambda: pl.explore(figures=()), ValueError, "at least one"),
        (lambda: pl.explore(population="bogus"), ValueError, "population must be one of"),
    ],
)
def test_silently_wrong_inputs_now_get_named_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_effect_grid_takes_scalars_as_one_value():
    grid = hypoalgesia.effect_grid("aerobic", "healthy", 75, 30)
    assert grid.shape == (1, 1)
    expected = hypoalgesia.predict(Bout("aerobic", 75, 30)).effect_size
    assert grid[0, 0] == pytest.approx(expected)


# -- the evidence loader: encodings and hostile cells --------------------------------------


@pytest.fixture
def data_copy(tmp_path):
    d = tmp_path / "data"
    shutil.copytree(studies.DATA_DIR, d)
    return d


def _edit(path: Path, column: str, value: str, row: int = 0) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row + 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "column", "value"),
    [
        ("pooled.csv", "effect_size", "nan"),
        ("acute_arms.csv", "intensity", "inf"),
        ("acute_arms.csv", "minutes_after", "nan"),
        ("acute_arms.csv", "n", "-inf"),
        ("acute_arms.csv", "effect_size", "NaN"),
    ],
)
def test_loader_refuses_nan_and_inf(data_copy, file, column, value):
    _edit(data_copy / file, column, value)
    with pytest.raises(studies.EvidenceError, match=rf"{file}, line 2, column '{column}'.*finite"):
        studies.load(data_copy)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_loader_names_file_line_and_column_of_a_non_utf8_byte(data_copy, encoding):
    path = data_copy / "acute_arms.csv"
    _edit(path, "notes", "Café study at 5°C", row=3)
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding, "replace"))
    with pytest.raises(studies.EvidenceError, match=r"acute_arms.csv, line 5, column \d+.*UTF-8"):
        studies.load(data_copy)


def test_loader_accepts_a_utf8_bom(data_copy):
    path = data_copy / "acute_arms.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(studies.load(data_copy).arms) == len(studies.load().arms)


@pytest.mark.parametrize(
    ("file", "mutate", "message"),
    [
        (
            "acute_arms.csv",
            lambda p: _edit(p, "notes", "x" * 200_000),
            r"acute_arms.csv, line 2: not valid CSV",
        ),
        (
            "acute_arms.csv",
            lambda p: _edit(p, "notes", "x" * (studies.MAX_CELL + 1)),
            r"acute_arms.csv, line 2, column 'notes': cell of",
        ),
        (
            "citations.csv",
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace("10.1002/art.23256", "10.1002/ART.23256")
                + "dupe2008,Dupe A,2008,T,J,1,1,1-2,10.1002/art.23256,\n",
                encoding="utf-8",
            ),
            r"citations.csv, line \d+, column 'doi': duplicate",
        ),
        (
            "citations.csv",
            lambda p: _edit(p, "doi", "10.1002/art.\u200b23256"),
            r"citations.csv, line 2, column 'doi'.*invisible",
        ),
        (
            "citations.csv",
            lambda p: _edit(p, "year", "2999"),
            r"citations.csv, line 2, column 'year': 2999 is outside",
        ),
        (
            "acute_arms.csv",
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace("arm_id,", "arm_id,Notes,", 1),
                encoding="utf-8",
            ),
            r"acute_arms.csv, line 1, column \d+: header 'notes' repeats",
        ),
        (
            "acute_arms.csv",
            lambda p: p.write_text(p.read_text(encoding="utf-8").split("\n")[0] + "\n"),
            r"acute_arms.csv: has a header but no data rows",
        ),
    ],
    ids=[
        "csv-limit",
        "cell-limit",
        "doi-case",
        "doi-invisible",
        "future-year",
        "dup-header",
        "header-only",
    ],
)
def test_loader_hostile_files_get_located_errors(data_copy, file, mutate, message):
    mutate(data_copy / file)
    with pytest.raises(studies.EvidenceError, match=message):
        studies.load(data_copy)


def test_a_lock_held_too_long_gives_a_named_oserror(tmp_path, monkeypatch):
    j = Journal(tmp_path / "painlab-journal.sqlite")
    j.note("01", "x")
    con = sqlite3.connect(j.path)
    con.execute("BEGIN EXCLUSIVE")  # another kernel holds the lock ...
    monkeypatch.setattr(pj, "_BUSY_TIMEOUT_MS", 200)
    try:
        with pytest.raises(OSError, match="another notebook or kernel"):
            j.note("01", "y")
    finally:
        con.rollback()
        con.close()
    monkeypatch.undo()
    j.note("01", "z")  # ... and once it lets go, saving works again
    assert _values(j.path) == ["x", "z"]


def test_a_journal_locked_by_another_kernel_is_not_taken_for_damaged(tmp_path, monkeypatch):
    path = tmp_path / "painlab-journal.sqlite"
    Journal(path).note("01", "x")
    con = sqlite3.connect(path)
    con.execute("BEGIN EXCLUSIVE")  # e.g. a kernel in the middle of a long write
    monkeypatch.setattr(pj, "_BUSY_TIMEOUT_MS", 100)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # nothing moved aside, nothing read-only
            j = Journal(path)
    finally:
        con.rollback()
        con.close()
    monkeypatch.undo()
    assert not j.read_only
    j.note("01", "y")
    assert _values(path) == ["x", "y"]
    assert _names(tmp_path) == [path.name]


def test_failed_slide_export_keeps_old_slides_and_leaves_no_scratch(tmp_path, monkeypatch):
    import kaleido

    folder = tmp_path / "slides"
    folder.mkdir()
    (folder / "sites.svg").write_text("<svg>the good old slide</svg>")

    def half_then_crash(specs, **kwargs):
        Path(specs[0]["path"]).write_text("<svg>half")  # kaleido dies mid-way
        raise RuntimeError("Chromium crashed")

    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", half_then_crash)
    with pytest.raises(RuntimeError, match="Chromium crashed"):
        pl.export_figures(folder, formats=("svg",), browser_path=sys.executable)
    assert (folder / "sites.svg").read_text() == "<svg>the good old slide</svg>"
    assert _names(folder) == ["sites.svg"]
