"""Try every fault of issue 14 against painlab's public API and classify what happens.

Each attempt ends in one class:

- ``OK``: the right result, or a ``ValueError``/``TypeError`` (or an ``OSError`` the
  widgets show) whose message names what was wrong;
- ``poor error``: an exception, but a bare one from deep inside (IndexError,
  UnicodeDecodeError, csv.Error, a widget's TraitError, ...) or one without the name;
- ``silently wrong``: no error where the input was wrong (or a wrong result);
- ``crash``: an uncaught exception where the student's cell must keep working, or
  litter left behind;
- ``data loss``: a confirmed entry or a good file lost.

Run with the painlab to test first on the path, e.g. for an older checkout::

    PYTHONPATH=/tmp/painlab-old/src .venv/bin/python benchmarks/fault_catalogue.py

It prints one line per attempt and the counts per class, and with ``--json FILE`` writes
them. It needs a POSIX system; run as root it checks read-only folders in a forked child
that drops to the user ``nobody``. It takes about a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

import painlab as pl
from painlab import hypoalgesia, journal, programs, quiz, studies
from painlab.bouts import Bout

OK, POOR, SILENT, CRASH, LOSS = "OK", "poor error", "silently wrong", "crash", "data loss"
RESULTS: list[tuple[str, str, str]] = []
WORK = Path(tempfile.mkdtemp(prefix="painlab-faults-"))
os.chmod(WORK, 0o755)


def record(name: str, cls: str, detail: str = "") -> None:
    RESULTS.append((name, cls, detail))
    print(f"{cls:15s} {name}  {detail[:110]}", flush=True)


def expect_error(name: str, fn, *words: str) -> None:
    """OK if `fn` raises ValueError/TypeError naming all `words`; else classify."""
    try:
        value = fn()
    except (ValueError, TypeError) as err:
        msg = str(err).lower()
        missing = [w for w in words if w.lower() not in msg]
        kind = type(err).__name__
        if missing or (
            kind in ("IndexError", "KeyError") or "traiterror" in kind.lower()
        ):  # pragma: no cover
            record(name, POOR, f"{kind}: {err!s:.90} (lacks {missing})")
        else:
            record(name, OK, f"{kind}: {err!s:.90}")
    except RecursionError as err:
        record(name, CRASH, f"RecursionError: {err!s:.60}")
    except Exception as err:
        record(name, POOR, f"{type(err).__name__}: {err!s:.90}")
    else:
        record(name, SILENT, f"returned {value!r:.90}")


def fresh_dir(label: str) -> Path:
    d = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=WORK))
    os.chmod(d, 0o755)
    return d


# --------------------------------------------------------------------------- inputs


def inputs() -> None:
    b = "Bout"
    expect_error(
        f"{b} to_failure='no'", lambda: Bout("isometric", 30, 2, to_failure="no"), "to_failure"
    )
    expect_error(
        f"{b} to_failure='yes'", lambda: Bout("isometric", 30, to_failure="yes"), "to_failure"
    )
    expect_error(f"{b} to_failure=1", lambda: Bout("isometric", 30, to_failure=1), "to_failure")
    expect_error(
        f"{b} to_failure=True + duration 2", lambda: Bout("isometric", 30, 2, True), "duration"
    )
    expect_error(
        f"{b} to_failure=True + duration 'x'", lambda: Bout("isometric", 30, "x", True), "duration"
    )
    expect_error(f"{b} intensity nan", lambda: Bout("aerobic", float("nan"), 30), "intensity")
    expect_error(f"{b} intensity inf", lambda: Bout("aerobic", float("inf"), 30), "intensity")
    expect_error(f"{b} intensity True", lambda: Bout("aerobic", True, 30), "intensity")
    expect_error(f"{b} intensity '75'", lambda: Bout("aerobic", "75", 30), "intensity")
    expect_error(f"{b} intensity 150", lambda: Bout("aerobic", 150, 30), "intensity")
    expect_error(f"{b} duration -1", lambda: Bout("aerobic", 75, -1), "duration")
    expect_error(f"{b} duration nan", lambda: Bout("aerobic", 75, float("nan")), "duration")
    expect_error(f"{b} duration True", lambda: Bout("aerobic", 75, True), "duration")
    expect_error(f"{b} kind 'Aerobic'", lambda: Bout("Aerobic", 75, 30), "kind")

    p = programs.Program("knee_osteoarthritis")
    s = "programs.simulate"
    expect_error(
        f"{s} full_adherence='no'",
        lambda: programs.simulate(p, full_adherence="no"),
        "full_adherence",
    )
    expect_error(
        f"{s} full_adherence=nan",
        lambda: programs.simulate(p, full_adherence=float("nan")),
        "full_adherence",
    )
    expect_error(
        f"{s} full_adherence=1", lambda: programs.simulate(p, full_adherence=1), "full_adherence"
    )
    expect_error(
        f"{s} full_adherence=None",
        lambda: programs.simulate(p, full_adherence=None),
        "full_adherence",
    )
    expect_error(f"{s} n_patients=0", lambda: programs.simulate(p, n_patients=0), "n_patients")
    expect_error(f"{s} n_patients=1.5", lambda: programs.simulate(p, n_patients=1.5), "n_patients")
    expect_error(
        f"{s} n_patients=True", lambda: programs.simulate(p, n_patients=True), "n_patients"
    )
    expect_error(f"{s} program='knee'", lambda: programs.simulate("knee"), "program")

    r = hypoalgesia.predict(Bout("aerobic", 75, 30))
    expect_error("Response.after(True)", lambda: r.after(True), "minutes")
    expect_error("Response.after(-1)", lambda: r.after(-1), "minutes")
    expect_error("Response.after(nan)", lambda: r.after(float("nan")), "minutes")
    expect_error("Response.at('knee')", lambda: r.at("knee"), "site")

    g = hypoalgesia.effect_grid
    expect_error(
        "effect_grid negative duration", lambda: g("aerobic", "healthy", [75], [-30]), "durations"
    )
    expect_error(
        "effect_grid 150% VO2max", lambda: g("aerobic", "healthy", [150], [30]), "intensities"
    )
    expect_error(
        "effect_grid nan intensity", lambda: g("aerobic", "healthy", [np.nan], [30]), "intensities"
    )
    expect_error(
        "effect_grid 2-D durations", lambda: g("aerobic", "healthy", [75], [[30]]), "durations"
    )
    expect_error(
        "effect_grid text intensities",
        lambda: g("aerobic", "healthy", ["hard"], [30]),
        "intensities",
    )
    try:
        shape = np.shape(g("aerobic", "healthy", 75, 30))
        record("effect_grid scalars", OK if shape == (1, 1) else SILENT, f"shape {shape}")
    except (ValueError, TypeError) as err:
        record("effect_grid scalars", OK if "intensities" in str(err) else POOR, str(err))
    except Exception as err:
        record("effect_grid scalars", POOR, f"{type(err).__name__}: {err}")
    expect_error(
        "effect_grid population 'bogus'", lambda: g("aerobic", "bogus", [75], [30]), "population"
    )

    n = hypoalgesia.needed_minutes
    expect_error("needed_minutes aerobic 500", lambda: n("aerobic", 500), "intensity")
    expect_error("needed_minutes aerobic -5", lambda: n("aerobic", -5), "intensity")
    expect_error("needed_minutes kind 'run'", lambda: n("run", 50), "kind")
    expect_error("needed_minutes intensity True", lambda: n("aerobic", True), "intensity")

    expect_error(
        "agreement_table('shoulder_myalgia')",
        lambda: hypoalgesia.agreement_table("shoulder_myalgia"),
        "population",
    )
    expect_error(
        "agreement_table('helthy') did-you-mean",
        lambda: hypoalgesia.agreement_table("helthy"),
        "did you mean",
    )
    expect_error(
        "program_findings(claim='K99')", lambda: studies.program_findings(claim="K99"), "claim"
    )
    expect_error("program_findings(claim=8)", lambda: studies.program_findings(claim=8), "claim")
    expect_error(
        "program_findings(topic=['x'])", lambda: studies.program_findings(topic=["x"]), "topic"
    )
    expect_error(
        "mechanism_findings(claim='gate')",
        lambda: studies.mechanism_findings(claim="gate"),
        "claim",
    )
    expect_error(
        "mechanism_findings(claim=('K1',))",
        lambda: studies.mechanism_findings(claim=("K1",)),
        "claim",
    )

    expect_error(
        "quiz.predict(options='yes')", lambda: quiz.predict("01", "q", "Which?", "yes"), "options"
    )
    expect_error(
        "quiz.predict(options=['a'])", lambda: quiz.predict("01", "q", "Which?", ["a"]), "option"
    )
    expect_error(
        "quiz.predict(options=['a','a'])",
        lambda: quiz.predict("01", "q", "Which?", ["a", "a"]),
        "duplicate",
    )

    expect_error("explore(figures=())", lambda: pl.explore(figures=()), "figures")
    expect_error(
        "explore(population='bogus')", lambda: pl.explore(population="bogus"), "population"
    )
    expect_error("explore(figures=('radar',))", lambda: pl.explore(figures=("radar",)), "figures")


# --------------------------------------------------------------------------- evidence loader


def _duplicate_header_column(path, column: str) -> None:
    """Repeat ``column`` at the end of the header (every row gets an empty extra cell)."""
    head, *rows = path.read_text(encoding="utf-8").split("\n")
    path.write_text(
        "\n".join([f"{head},{column}", *(f"{r}," if r else r for r in rows)]), encoding="utf-8"
    )


def loader() -> None:
    src = Path(studies.__file__).parent / "data"

    def case(name: str, file: str, mutate, *words: str, good: bool = False) -> None:
        d = fresh_dir("data")
        for f in src.glob("*.csv"):
            shutil.copy(f, d / f.name)
        mutate(d / file)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ev = studies.load(d)
            except studies.EvidenceError as err:
                msg = str(err)
                if good:
                    record(f"loader {name}", POOR, f"refused a good file: {msg:.90}")
                elif all(w.lower() in msg.lower() for w in (file, *words)):
                    record(f"loader {name}", OK, msg)
                else:
                    record(f"loader {name}", POOR, f"EvidenceError lacks {words}: {msg:.80}")
            except Exception as err:
                record(f"loader {name}", POOR, f"{type(err).__name__}: {err!s:.90}")
            else:
                ok = good and len(ev.arms) == len(studies.load().arms)
                record(f"loader {name}", OK if ok else SILENT, f"loaded {len(ev.arms)} arms")

    def edit_cell(path: Path, column: str, value: str, row: int = 0) -> None:
        import csv
        import io

        text = path.read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        rows[row + 1][rows[0].index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")

    arms = "acute_arms.csv"
    case(
        "effect_size nan",
        "pooled.csv",
        lambda p: edit_cell(p, "effect_size", "nan"),
        "line",
        "effect_size",
    )
    case("intensity inf", arms, lambda p: edit_cell(p, "intensity", "inf"), "line", "intensity")
    case(
        "minutes_after nan",
        arms,
        lambda p: edit_cell(p, "minutes_after", "nan"),
        "line",
        "minutes_after",
    )
    case("n inf", arms, lambda p: edit_cell(p, "n", "inf"), "line", "n")
    case(
        "duration_min NaN",
        arms,
        lambda p: edit_cell(p, "duration_min", "NaN"),
        "line",
        "duration_min",
    )
    case(
        "cp1252 file",
        "citations.csv",
        lambda p: p.write_bytes(p.read_text(encoding="utf-8").encode("cp1252", "replace")),
        "line",
        "utf-8",
    )

    def latin1(p: Path) -> None:
        edit_cell(p, "notes", "Caf\u00e9 study; 5\u00b0C room", row=3)
        p.write_bytes(p.read_text(encoding="utf-8").encode("latin-1", "replace"))

    case("latin-1 file", arms, latin1, "line 5", "utf-8")
    case("UTF-8 BOM", arms, lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()), good=True)
    case("oversized cell", arms, lambda p: edit_cell(p, "notes", "x" * 200_000), "line")
    case(
        "case-differing duplicate DOI",
        "citations.csv",
        lambda p: p.write_text(
            p.read_text(encoding="utf-8").replace("10.1002/art.23256", "10.1002/ART.23256", 1)
            + "dupe2008,Dupe A,2008,Same paper,J,1,1,1-2,10.1002/art.23256,\n",
            encoding="utf-8",
        ),
        "line",
        "doi",
    )
    case(
        "zero-width space in DOI",
        "citations.csv",
        lambda p: p.write_text(
            p.read_text(encoding="utf-8").replace("10.1002/art.23256", "10.1002/art.\u200b23256"),
            encoding="utf-8",
        ),
        "line",
        "doi",
    )
    case("future year", "citations.csv", lambda p: edit_cell(p, "year", "2999"), "line", "year")
    case(
        "duplicated header column",
        arms,
        lambda p: _duplicate_header_column(p, "notes"),
        "notes",
    )
    case(
        "header-only arms file",
        arms,
        lambda p: p.write_text(p.read_text(encoding="utf-8").split("\n")[0] + "\n"),
        "row",
    )
    case(
        "missing column",
        arms,
        lambda p: (
            edit_cell(p, "notes", "x")
            or p.write_text(p.read_text().replace(",notes", ",nootes", 1))
        ),
        "notes",
    )
    case("not a number", arms, lambda p: edit_cell(p, "intensity", "seventy"), "line", "intensity")


# --------------------------------------------------------------------------- journal


def _count(path: Path) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return len(journal.Journal(path).entries())


def _writer(path: str, tag: str, n: int) -> None:
    j = journal.Journal(path)
    for i in range(n):
        j.note("c", f"{tag}-{i}")


def concurrency() -> None:
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    for procs in (2, 4):
        d = fresh_dir("conc")
        path = d / "painlab-journal.json"
        ps = [ctx.Process(target=_writer, args=(str(path), f"p{k}", 50)) for k in range(procs)]
        for p in ps:
            p.start()
        for p in ps:
            p.join(120)
        bad = [p.exitcode for p in ps if p.exitcode != 0]
        kept = _count(path)
        want = 50 * procs
        cls = OK if kept == want and not bad else (LOSS if kept < want else CRASH)
        record(f"journal {procs} processes x 50 notes", cls, f"kept {kept} of {want}; exit {bad}")
    d = fresh_dir("threads")
    path = d / "painlab-journal.json"
    j = journal.Journal(path)
    errors: list[BaseException] = []

    def run(k: int) -> None:
        try:
            for i in range(50):
                j.note("t", f"{k}-{i}")
        except BaseException as err:
            errors.append(err)

    ts = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    kept = _count(path)
    record(
        "journal 4 threads x 50 notes",
        OK if kept == 200 and not errors else LOSS,
        f"kept {kept} of 200; {errors[:1]}",
    )


KILL_WRITER = """
import sys, warnings
warnings.simplefilter("ignore")
from painlab.journal import Journal
j = Journal(sys.argv[1])
i = int(sys.argv[2])
while True:
    j.note("k", f"entry-{i}-" + "x" * 2000)
    print(i, flush=True)
    i += 1
"""


def kill_loop(kills: int = 20) -> None:
    d = fresh_dir("kill")
    path = d / "painlab-journal.json"
    confirmed: set[int] = set()
    start = 0
    for k in range(kills):
        p = subprocess.Popen(
            [sys.executable, "-c", KILL_WRITER, str(path), str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.3 + 0.05 * (k % 5))
        os.kill(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        got = [int(x) for x in out.split()]
        confirmed.update(got)
        start = (max(got) + 1) if got else start + 1000
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            values = [e.value for e in journal.Journal(path).entries()]
        except Exception as err:
            record(f"journal kill -9 x{kills}", LOSS, f"cannot read after kills: {err}")
            return
    torn = [w for w in caught if issubclass(w.category, journal.JournalWarning)]
    present = {
        int(v.split("-")[1]) for v in values if isinstance(v, str) and v.startswith("entry-")
    }
    lost = confirmed - present
    record(
        f"journal kill -9 x{kills}: confirmed entries kept",
        LOSS if lost or torn else OK,
        f"{len(confirmed)} confirmed, {len(lost)} lost, torn warnings {len(torn)}",
    )
    litter = [p.name for p in d.iterdir() if p.name.startswith(".") or "tmp" in p.name]
    litter += [p.name for p in d.iterdir() if p.name.endswith("-journal")]
    record(f"journal kill -9 x{kills}: no litter", CRASH if litter else OK, f"{litter[:3]}")


def _nobody(fn):
    """Run `fn()` in a forked child; as root the child becomes `nobody` first."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            result = ("ok", fn())
        except BaseException as err:
            result = ("raised", f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=3)}")
        with os.fdopen(w, "wb") as fh:
            pickle.dump(result, fh)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)


def _quiz_click(path: Path) -> str:
    """A quiz cell in the folder of `path`: build the widget and click, as a student does."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # writes must really fail here, or this check proves nothing
        try:
            (path.parent / "probe").write_text("x")
        except PermissionError:
            pass
        else:
            return "FOLDER WRITABLE"
        j = journal.Journal(path)
        q = quiz.Question(
            "q", "Which?", (quiz.Option("a", True, "yes"), quiz.Option("b", False, "no")), "01"
        )
        w = quiz.ask(q, j)
        w.radio.value = 0
        w.button.click()
        return w.feedback.value


def hostile() -> None:
    # corrupt journal in a read-only folder: a quiz cell must still work
    d = fresh_dir("ro-corrupt")
    path = d / "painlab-journal.json"
    for name in ("painlab-journal.json", "painlab-journal.sqlite"):
        (d / name).write_bytes(b"\x00garbage{{")
    os.chmod(d, 0o555)
    status, value = _nobody(lambda: _quiz_click(path))
    os.chmod(d, 0o755)
    if status == "ok" and value == "FOLDER WRITABLE":
        record(
            "corrupt journal in read-only folder: quiz cell",
            CRASH,
            "could not make folder read-only",
        )
    else:
        record(
            "corrupt journal in read-only folder: quiz cell",
            OK if status == "ok" else CRASH,
            str(value)[:100],
        )

    # good journal in a read-only folder (a lecturer's shared folder)
    d = fresh_dir("ro-good")
    path = d / "painlab-journal.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        journal.Journal(path).note("01", "kept")
    os.chmod(d, 0o555)
    status, value = _nobody(lambda: _quiz_click(path))
    os.chmod(d, 0o755)
    record(
        "good journal in read-only folder: quiz cell",
        OK if status == "ok" else CRASH,
        str(value)[:100],
    )
    record("good journal in read-only folder: entry kept", OK if _count(path) == 1 else LOSS, "")

    # two kernels opening one corrupt journal at once
    failures = 0
    for _k in range(20):
        d = fresh_dir("two-corrupt")
        path = d / "painlab-journal.json"
        for name in ("painlab-journal.json", "painlab-journal.sqlite"):
            (d / name).write_bytes(b"\x00garbage" * 100)
        code = (
            "import sys, warnings; warnings.simplefilter('ignore');"
            "from painlab.journal import Journal; j = Journal(sys.argv[1]); j.note('01', 'x')"
        )
        ps = [
            subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        failures += sum(p.wait() != 0 for p in ps)
        for p in ps:
            p.stderr.close()
    record(
        "two kernels open one corrupt journal (20 rounds)",
        CRASH if failures else OK,
        f"{failures} kernel(s) failed",
    )

    d = fresh_dir("hostile")
    path = d / "painlab-journal.json"
    j = journal.Journal(path)
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    expect_error("journal deeply nested value", lambda: j.predict("01", "q", deep), "prediction")
    expect_error("journal NaN value", lambda: j.predict("01", "q", float("nan")), "prediction")
    expect_error("journal object value", lambda: j.predict("01", "q", object()), "prediction")
    for name, value in (
        ("10 MB note", "x" * 10_000_000),
        ("lone surrogate note", "a\ud800b"),
        ("NUL and RTL note", "a\x00\u202eb"),
    ):
        try:
            j.note("01", value)
        except (ValueError, TypeError) as err:
            record(f"journal {name}", OK, f"{type(err).__name__}: {err!s:.80}")
            continue
        except Exception as err:
            record(f"journal {name}", POOR, f"{type(err).__name__}: {err!s:.80}")
            continue
        try:
            back = journal.Journal(path).entries()[-1].value
            record(f"journal {name}", OK if back == value else LOSS, "stored and read back")
        except Exception as err:
            record(f"journal {name}", LOSS, f"journal unreadable afterwards: {type(err).__name__}")

    # export onto the journal's own file
    d = fresh_dir("self-export")
    path = d / "painlab-journal.json"
    j = journal.Journal(path)
    j.note("01", "precious")
    for target in {path, j.path}:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                journal.export(target, j)
        except (ValueError, OSError):
            pass
        except Exception:
            pass
    kept = _count(path)
    record(
        "journal.export onto the journal's own file",
        OK if kept == 1 else LOSS,
        f"{kept} entries left",
    )
    expect_error("journal.export onto a folder", lambda: journal.export(d, j), "folder")

    # foreign file under the journal name
    d = fresh_dir("foreign")
    (d / "painlab-journal.json").write_text('{"grades": [1, 2]}')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            journal.Journal(d / "painlab-journal.json").note("01", "x")
            kept = any(
                json.loads(p.read_text() or "null") == {"grades": [1, 2]}
                for p in d.iterdir()
                if p.suffix == ".json"
            )
            record("foreign JSON under the journal name", OK if kept and caught else LOSS, "")
        except Exception as err:
            record("foreign JSON under the journal name", CRASH, str(err))

    # permissions follow the umask; symlinks are kept
    d = fresh_dir("umask")
    old = os.umask(0o077)
    try:
        j = journal.Journal(d / "painlab-journal.json")
        j.note("01", "private")
        mode = j.path.stat().st_mode & 0o777
        record("journal file under umask 077", OK if mode & 0o077 == 0 else SILENT, oct(mode))
        report = journal.export(d / "report.html", j)
        mode = report.stat().st_mode & 0o777
        record("lab report under umask 077", OK if mode & 0o077 == 0 else SILENT, oct(mode))
    finally:
        os.umask(old)
    d = fresh_dir("umask2")
    old = os.umask(0o002)
    try:
        report = journal.export(d / "report.html", journal.Journal(d / "painlab-journal.json"))
        mode = report.stat().st_mode & 0o777
        record(
            "lab report under umask 002 (group-writable)",
            OK if mode == 0o664 else SILENT,
            oct(mode),
        )
    finally:
        os.umask(old)
    d = fresh_dir("link")
    real_dir = fresh_dir("link-target")
    j0 = journal.Journal(real_dir / "painlab-journal.json")
    j0.note("01", "through link")
    (d / j0.path.name).symlink_to(j0.path)
    j = journal.Journal(d / j0.path.name)
    j.note("01", "second")
    record(
        "symlinked journal stays a link",
        OK if (d / j0.path.name).is_symlink() and _count(j0.path) == 2 else SILENT,
        "",
    )
    report_real = real_dir / "report.html"
    report_real.write_text("old")
    (d / "report.html").symlink_to(report_real)
    journal.export(d / "report.html", j)
    record(
        "symlinked lab report stays a link",
        OK if (d / "report.html").is_symlink() and "second" in report_real.read_text() else SILENT,
        "",
    )


FULL_DISK = """
import os, resource, sys, warnings
warnings.simplefilter("ignore")
import painlab as pl
from painlab import journal
what, target, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
import signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
if what == "handout":
    pl.export_handout(target, populations=("healthy",), verbose=False)
elif what == "report":
    journal.export(target, journal.Journal(sys.argv[4]))
elif what == "append":
    j = journal.Journal(target)
    for i in range(10_000):
        j.note("01", f"{i}-" + "y" * 1000)
        print(i, flush=True)
"""


def full_disk() -> None:
    d = fresh_dir("full")
    # lab report: a good old report must survive a write that hits the file size limit
    jpath = d / "painlab-journal.json"
    j = journal.Journal(jpath)
    for i in range(300):
        j.note("01", f"note {i} " + "z" * 500)
    report = d / "report.html"
    report.write_text("<html>the good old report</html>")
    subprocess.run(
        [sys.executable, "-c", FULL_DISK, "report", str(report), "20000", str(jpath)],
        capture_output=True,
    )
    good = report.read_text() == "<html>the good old report</html>"
    record(
        "full disk during journal.export", OK if good else LOSS, f"{report.stat().st_size} bytes"
    )
    litter = [p.name for p in d.iterdir() if p.name.startswith(".")]
    record("full disk during journal.export: no litter", CRASH if litter else OK, str(litter[:2]))
    handout = d / "handout.html"
    handout.write_text("<html>the good old handout</html>")
    subprocess.run(
        [sys.executable, "-c", FULL_DISK, "handout", str(handout), "100000"], capture_output=True
    )
    good = handout.read_text() == "<html>the good old handout</html>"
    record(
        "full disk during export_handout", OK if good else LOSS, f"{handout.stat().st_size} bytes"
    )
    # appends until the file size limit: every confirmed entry readable afterwards
    apath = d / "append" / "painlab-journal.json"
    apath.parent.mkdir()
    p = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "append", str(apath), "200000"],
        capture_output=True,
        text=True,
    )
    confirmed = {int(x) for x in p.stdout.split()}
    try:
        values = [e.value for e in journal.Journal(apath).entries()]
        present = {int(v.split("-")[0]) for v in values}
        record(
            "full disk during journal appends",
            OK if confirmed <= present else LOSS,
            f"{len(confirmed)} confirmed, {len(confirmed - present)} lost",
        )
    except Exception as err:
        record("full disk during journal appends", LOSS, f"unreadable: {err}")


def exports() -> None:
    d = fresh_dir("exports")
    expect_error(
        "export_handout(populations=('healthy','healthy'))",
        lambda: _no_write(d / "h.html", populations=("healthy", "healthy")),
        "populations",
    )
    expect_error(
        "export_handout(populations='healthy')",
        lambda: _no_write(d / "h2.html", populations="healthy"),
        "populations",
    )
    expect_error("export_handout('h.txt')", lambda: pl.export_handout(d / "h.txt"), ".htm")
    (d / "dir.html").mkdir()
    t0 = time.perf_counter()
    expect_error(
        "export_handout onto a folder", lambda: pl.export_handout(d / "dir.html"), "folder"
    )
    took = time.perf_counter() - t0
    record(
        "export_handout onto a folder: refused before computing",
        OK if took < 2 else POOR,
        f"{took:.1f} s",
    )
    (d / "f").write_text("a file, not a folder")
    expect_error(
        "export_handout below a file", lambda: pl.export_handout(d / "f" / "h.html"), "folder"
    )
    expect_error(
        "export_figures into a file", lambda: pl.export_figures(d / "f", formats=("svg",)), "folder"
    )


def _no_write(path: Path, **kw):
    out = pl.export_handout(path, verbose=False, **kw)
    page = Path(out).read_text(encoding="utf-8")
    n = page.count('"healthy"')
    return f"wrote {out} ('healthy' {n} times)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", type=Path, help="write results here")
    args = ap.parse_args()
    t0 = time.perf_counter()
    print(f"painlab from {Path(pl.__file__).parent}")
    for part in (inputs, loader, exports, hostile, full_disk, concurrency, kill_loop):
        try:
            part()
        except Exception:
            record(
                f"{part.__name__}: the harness itself failed", CRASH, traceback.format_exc(limit=2)
            )
    counts = Counter(cls for _, cls, _ in RESULTS)
    print(f"\n{len(RESULTS)} attempts in {time.perf_counter() - t0:.0f} s:")
    for cls in (OK, POOR, SILENT, CRASH, LOSS):
        print(f"  {cls:15s} {counts.get(cls, 0)}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "painlab": str(Path(pl.__file__).parent),
                    "attempts": len(RESULTS),
                    "counts": {c: counts.get(c, 0) for c in (OK, POOR, SILENT, CRASH, LOSS)},
                    "results": [{"attempt": n, "class": c, "detail": x} for n, c, x in RESULTS],
                },
                indent=1,
            )
        )
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
