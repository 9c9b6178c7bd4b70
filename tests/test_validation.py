"""Issue 25: every bad input gets a named error, and no export follows someone else's link.

The link attacks are reproduced as they happen on a course server: another user (here the
uid of ``nobody``, set with ``os.lchown`` as root) plants ``report.html`` in a shared
sticky folder (mode 1777) as a symbolic link to the victim's ``.bashrc``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import painlab as pl
from painlab import journal as pj
from painlab import programs, quiz, studies
from painlab._files import UnsafeLinkError, atomic_write, check_target
from painlab.bouts import Bout
from painlab.journal import Journal, JournalReadOnlyError, JournalWarning

NOBODY = 65534
as_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown to nobody"
)


pytestmark = pytest.mark.usefixtures("fresh_default_journal")


# -- exports never follow a link someone else may have planted ----------------------------


@pytest.fixture
def victim(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    bashrc = home / ".bashrc"
    bashrc.write_text("export PATH=$HOME/bin:$PATH\n")
    return bashrc


@pytest.fixture
def sticky(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    return shared


@pytest.fixture
def journal(tmp_path):
    j = Journal(tmp_path / "mine" / "painlab-journal.sqlite")
    j.note("01", "my private note")
    return j


def _plant(link: Path, target: Path, uid: int | None = NOBODY) -> Path:
    link.symlink_to(target)
    if uid is not None:
        os.lchown(link, uid, uid)
    return link


_EXPORTS = {
    "journal.export-html": lambda j, p: pj.export(p, j),
    "Journal.export-html": lambda j, p: j.export(p),
    "Journal.export-json": lambda j, p: j.export_json(p),
    "Journal.export-.json": lambda j, p: j.export(p),
}


@as_root
@pytest.mark.parametrize("export", list(_EXPORTS), ids=list(_EXPORTS))
def test_export_refuses_another_users_link_in_a_sticky_folder(export, journal, victim, sticky):
    before = victim.read_bytes()
    name = "report.json" if "json" in export else "report.html"
    link = _plant(sticky / name, victim)
    with pytest.raises(UnsafeLinkError, match="sticky") as info:
        _EXPORTS[export](journal, link)
    assert isinstance(info.value, PermissionError)
    assert str(link) in str(info.value)
    assert victim.read_bytes() == before
    assert link.is_symlink()


@as_root
def test_export_refuses_another_users_link_in_an_ordinary_folder(tmp_path, journal, victim):
    folder = tmp_path / "group"
    folder.mkdir()
    os.chmod(folder, 0o777)  # world-writable but not sticky: the owner check still holds
    link = _plant(folder / "report.html", victim)
    with pytest.raises(UnsafeLinkError, match=r"owned by another user \(uid 65534\)"):
        journal.export(link)
    assert "my private note" not in victim.read_text()


def test_export_refuses_even_ones_own_link_in_a_sticky_folder(journal, victim, sticky):
    link = _plant(sticky / "report.html", victim, uid=None)
    with pytest.raises(UnsafeLinkError, match="everyone can write to"):
        journal.export(link)
    assert "my private note" not in victim.read_text()


@as_root
def test_export_refuses_a_planted_folder_link_on_the_way(journal, victim, sticky):
    link = _plant(sticky / "reports", victim.parent)
    with pytest.raises(UnsafeLinkError, match="reports"):
        journal.export(link / ".bashrc.html")
    assert not (victim.parent / ".bashrc.html").exists()


@as_root
def test_a_link_planted_after_the_check_is_refused_by_the_write(victim, sticky):
    target = sticky / "report.html"
    check_target(target, "path", suffixes=(".html",))  # nothing there yet: fine
    _plant(target, victim)
    with pytest.raises(UnsafeLinkError):
        atomic_write(target, "<html>report</html>")
    assert "report" not in victim.read_text()


@as_root
def test_a_journal_reached_through_a_planted_link_opens_read_only(victim, sticky):
    before = victim.read_bytes()
    link = _plant(sticky / "painlab-journal.sqlite", victim)
    with pytest.warns(JournalWarning, match="READ-ONLY.*sticky"):
        j = Journal(link)
    assert j.read_only
    with pytest.raises(JournalReadOnlyError):
        j.note("01", "x")
    assert victim.read_bytes() == before  # not moved aside, not replaced by a new journal
    assert [p.name for p in victim.parent.iterdir()] == [".bashrc"]


def test_ones_own_links_in_ones_own_folders_keep_working(tmp_path, journal):
    real = tmp_path / "real"
    real.mkdir()
    (real / "report.html").write_text("old")
    hop = tmp_path / "hop"
    hop.symlink_to(real)  # a folder link, then a file link through it
    (tmp_path / "report.html").symlink_to(Path("hop") / "report.html")
    journal.export(tmp_path / "report.html")
    assert (tmp_path / "report.html").is_symlink()
    assert "my private note" in (real / "report.html").read_text(encoding="utf-8")
    loop = tmp_path / "loop.html"
    loop.symlink_to(loop)
    with pytest.raises(UnsafeLinkError, match="more than 40"):
        journal.export(loop)


# -- crashes and silently wrong answers that are now named errors --------------------------

_BOUT = Bout("aerobic", 75, 30)


@pytest.fixture(scope="module")
def fibro():
    return programs.simulate(programs.Program("fibromyalgia"), seed=1)


@pytest.mark.parametrize(
    ("week", "error"),
    [
        (13, ValueError),
        (100, ValueError),
        (1.5, ValueError),
        (-14, ValueError),
        (-1, ValueError),
        (float("nan"), ValueError),
        (10**400, ValueError),
        ("3", TypeError),
        (True, TypeError),
        (None, None),  # the default: the last week
    ],
)
def test_mean_benefit_refuses_weeks_outside_the_programme(fibro, week, error):
    if error is None:
        assert fibro.mean_benefit(week) == fibro.mean_benefit(12)
        return
    with pytest.raises(
        error, match=r"week must be a whole number of weeks from 0 \(baseline\) to 12"
    ):
        fibro.mean_benefit(week=week)


def test_mean_benefit_takes_whole_weeks_of_any_number_type(fibro):
    assert fibro.mean_benefit(np.float64(2.0)) == fibro.mean_benefit(2)
    assert fibro.mean_benefit(np.int64(12)) == fibro.mean_benefit() == fibro.mean_benefit(12.0)
    assert fibro.mean_benefit(0) == 0.0  # baseline


def test_adherence_table_week_0_is_the_baseline_not_the_last_week(fibro):
    table = pl.tables.adherence(fibro, weeks=(0, 12))
    week0, week12 = table.rows
    assert week0[0] == "0" and week0[1] == "baseline" and week0[3] == "+0.0"
    assert week12[0] == "12" and week12[3] == f"{fibro.mean_benefit(12):+.1f}"
    assert week0[1] != week12[1]


@pytest.mark.parametrize(
    ("weeks", "error", "message"),
    [
        ((-1,), ValueError, "weeks must be a whole number of weeks from 0"),
        ((13,), ValueError, "to 12; got 13"),
        ((1.5,), ValueError, "got 1.5"),
        (("1",), TypeError, "weeks must be"),
        ("12", TypeError, "weeks must be a list"),
        (12, TypeError, "weeks must be a list"),
    ],
)
def test_adherence_table_refuses_weeks_by_name(fibro, weeks, error, message):
    with pytest.raises(error, match=message):
        pl.tables.adherence(fibro, weeks=weeks)


def test_adherence_table_default_keeps_the_weeks_the_programme_has(fibro):
    assert [r[0] for r in pl.tables.adherence(fibro).rows] == ["1", "12"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: programs.describe("x"),
            TypeError,
            "result must be a painlab.programs.ProgramResult",
        ),
        (lambda: programs.describe(None), TypeError, "result must be"),
        (lambda: pl.compare("aerobic", _BOUT), TypeError, "a must be a painlab.Bout"),
        (lambda: pl.compare(_BOUT, None), TypeError, "b must be a painlab.Bout"),
        (lambda: pl.compare(_BOUT, _BOUT, scale=0), ValueError, "scale must be a number from"),
        (lambda: quiz.ask("01-gentle-walk", journal=3), TypeError, "journal must be a painlab"),
        (lambda: quiz.predict("01-three-doses", journal=b"x.sqlite"), TypeError, "journal must be"),
        (lambda: quiz.reveal("01-three-doses", journal=[]), TypeError, "journal must be"),
        (lambda: pl.present(scale=0), ValueError, r"scale must be a number from 0.25 to 4"),
        (lambda: pl.present(scale=-1.6), ValueError, "got -1.6"),
        (lambda: pl.present(scale=float("nan")), ValueError, "got nan"),
        (lambda: pl.present(scale=10**400), ValueError, "got inf"),
        (lambda: pl.present(scale="1.6"), TypeError, "scale must be a number"),
        (lambda: pl.present(scale=True), TypeError, "scale must be a number"),
        (
            lambda: studies.arms().where(bogus="x"),
            ValueError,
            r"fields as criteria \(.*kind.*\); got 'bogus'",
        ),
        (lambda: studies.arms().where(kin="aerobic"), ValueError, "Did you mean 'kind'"),
        (lambda: studies.arms().where(kind=np.array([1])), TypeError, "kind must be a value"),
        (lambda: Bout("aerobic", 10**400, 30), ValueError, "intensity must be between 20 and 100"),
        (lambda: Bout("aerobic", 10**5000, 30), ValueError, "intensity must be between"),
        (
            lambda: Bout("aerobic", 75, 10**400),
            ValueError,
            "duration must be between 1 and 120 min",
        ),
        (lambda: Bout("aerobic", float("nan"), 30), ValueError, "% VO2max"),
        (lambda: Bout("aerobic", float("inf"), 30), ValueError, "% VO2max"),
        (lambda: Bout("aerobic", "50", 30), ValueError, "got '50'"),
        (lambda: Bout("aerobic", True, 30), ValueError, "got True"),
        (lambda: Bout("aerobic", np.array([75]), 30), ValueError, "intensity must be between"),
        (lambda: Bout(np.array(["aerobic"]), 75, 30), ValueError, "kind must be one of"),
        (lambda: Bout(["aerobic"], 75, 30), ValueError, "kind must be one of"),
        (lambda: pl.endurance_time("50"), TypeError, "intensity must be a number or an array"),
        (lambda: pl.endurance_time([]), ValueError, "got an empty list"),
        (lambda: pl.endurance_time(np.array([])), ValueError, "empty"),
        (lambda: pl.endurance_time(True), TypeError, "% MVC; got True"),
        (lambda: pl.endurance_time([50, None]), TypeError, "% MVC"),
        (lambda: pl.endurance_time(10**400), ValueError, "10 to 100 % MVC"),
    ],
)
def test_bad_inputs_get_named_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_quiz_takes_a_journal_path(tmp_path):
    path = tmp_path / "x.sqlite"
    w = quiz.ask("01-gentle-walk", journal=str(path))
    w.radio.value = 0
    w.confidence.value = w.confidence.options[0]
    w.button.click()
    assert [e.kind for e in Journal(path).entries()] == ["answer"]
    p = quiz.predict("01-three-doses", journal=path)
    assert p is not None
    assert quiz.reveal("01-three-doses", journal=path) is not None


# -- the journal: newer versions, any locale, a file deleted mid-lesson --------------------


def test_a_journal_from_a_newer_painlab_opens_read_only_and_is_not_written(tmp_path):
    path = tmp_path / "painlab-journal.sqlite"
    Journal(path).note("01", "written by painlab 7")
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'version'")
    con.close()
    before = path.read_bytes()
    with pytest.warns(JournalWarning, match=r"newer painlab \(journal version 99; .*READ-ONLY"):
        j = Journal(path)
    assert j.read_only
    assert [e.value for e in j.entries()] == ["written by painlab 7"]  # still readable
    with pytest.raises(JournalReadOnlyError):
        j.note("01", "x")
    assert path.read_bytes() == before


def test_a_journal_of_this_version_still_opens_writable(tmp_path):
    path = tmp_path / "painlab-journal.sqlite"
    Journal(path).note("01", "a")
    with warnings.catch_warnings():
        warnings.simplefilter("error", JournalWarning)
        j = Journal(path)
    assert not j.read_only
    j.note("01", "b")
    assert len(j) == 2


def test_a_journal_deleted_during_a_lesson_is_recreated_on_the_next_save(tmp_path):
    path = tmp_path / "painlab-journal.sqlite"
    j = Journal(path)
    j.note("01", "before")
    path.unlink()
    with pytest.warns(JournalWarning, match="deleted or moved while in use"):
        j.note("01", "after")
    j.answer("01", "q", "a", True)  # and every later save works, without another warning
    assert [e.value for e in Journal(path).entries()] == ["after", "a"]
    shutil.rmtree(tmp_path)  # the whole folder goes
    with pytest.warns(JournalWarning, match="deleted or moved"):
        j.predict("01", "p", 3)
    assert [e.value for e in j.entries()] == [3]


_SAVE_A_NOTE = """
import json, sys, warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    from painlab import quiz
    from painlab.journal import Journal
    j = Journal()
    j.note("01", "saved")
    w = quiz.ask("01-gentle-walk")
out = {
    "read_only": j.read_only,
    "entries": len(Journal().entries()),
    "warnings": [str(x.message) for x in caught],
    "encoding": sys.getfilesystemencoding(),
}
sys.stdout.buffer.write(json.dumps(out).encode("ascii"))
"""


def _locale(tmp_path: Path, name: str) -> dict[str, str]:
    """Env for a locale; Latin ones are compiled with localedef (they are rarely installed)."""
    if "." not in name or name.startswith("C"):
        return {"LC_ALL": name}
    lang, charmap = name.split(".")
    where = tmp_path / "locales"
    where.mkdir(exist_ok=True)
    try:
        done = subprocess.run(
            ["localedef", "-i", lang, "-f", charmap, str(where / name)],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("localedef is not available to build the locale")
    if not (where / name).is_dir():
        pytest.skip(f"cannot build the locale {name}: {done.stderr[-200:]!r}")
    return {"LC_ALL": name, "LOCPATH": str(where)}


@pytest.mark.parametrize(
    ("locale", "utf8_mode"),
    [
        ("C", None),  # Python's UTF-8 mode turns on by itself in the C locale
        ("C", "0"),  # a truly ASCII locale: the folder name holds undecodable bytes
        ("de_DE.ISO-8859-15", "0"),  # Latin-9
        ("tr_TR.ISO-8859-9", "0"),  # Latin-5, the Turkish one of the report
    ],
    ids=["C", "C-no-utf8-mode", "latin-9", "latin-5"],
)
def test_the_journal_saves_in_any_locale_in_a_non_ascii_folder(tmp_path, locale, utf8_mode):
    # the folder as a UTF-8 desktop made it: these bytes, whatever this process's locale
    folder = os.fsencode(tmp_path) + b"/" + "çalışma".encode()
    os.mkdir(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHON", "LANG"))}
    env |= _locale(tmp_path, locale)
    env["PYTHONPATH"] = str(Path(pl.__file__).parents[1])
    if utf8_mode is not None:
        env["PYTHONUTF8"] = utf8_mode
    done = subprocess.run(
        [sys.executable, "-c", _SAVE_A_NOTE], cwd=folder, env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    out = json.loads(done.stdout)
    if utf8_mode == "0":
        assert out["encoding"] != "utf-8"  # the case under test really happened
    assert out["read_only"] is False, out["warnings"]
    assert out["entries"] == 1
    assert not [w for w in out["warnings"] if "journal" in w.lower()]
    assert os.listdir(folder) == [b"painlab-journal.sqlite"]
    con = sqlite3.connect(os.fsdecode(folder + b"/painlab-journal.sqlite"))
    assert con.execute("SELECT count(*) FROM entries").fetchone() == (1,)
    con.close()
