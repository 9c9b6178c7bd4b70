"""Tests for painlab.journal: saving as you go, surviving crashes, and the HTML report."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

from painlab import journal as pj
from painlab.journal import Entry, Journal, JournalWarning, export

HOSTILE = "<script>alert(1)</script> & \"quoted\" 'single'"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "painlab-journal.json"


@pytest.fixture(autouse=True)
def _fresh_default():
    pj.reset_default()
    yield
    pj.reset_default()


def _fill(j: Journal) -> None:
    j.predict("01-eih", "dose", "more relief after a harder bout")
    j.record_result("01-eih", "dose", {"effect_size": 0.62})
    j.answer("01-eih", "site", "only the exercising limb", False)
    j.answer("01-eih", "site", "exercising limb and elsewhere", True)
    j.note("02-programs", "Supervised programmes kept people going.")


# -- round trip -----------------------------------------------------------------------------


def test_entries_survive_a_restart(path):
    _fill(Journal(path))
    # A new Journal object on the same file is what a restarted kernel sees.
    entries = Journal(path).entries()
    assert [e.kind for e in entries] == ["prediction", "answer", "answer", "note"]
    pred = entries[0]
    assert pred == Entry(
        "prediction",
        "01-eih",
        "dose",
        "more relief after a harder bout",
        result={"effect_size": 0.62},
        timestamp=pred.timestamp,
    )
    assert [e.correct for e in entries[1:3]] == [False, True]
    assert entries[3].question_id is None
    assert entries[3].value == "Supervised programmes kept people going."
    assert all(e.timestamp.endswith("+00:00") for e in entries)


def test_file_is_sqlite_and_json_export_has_the_documented_format(path, tmp_path):
    j = Journal(path)
    j.predict("01-eih", "dose", 3, result=4)
    assert j.path == path.with_suffix(".sqlite")
    assert j.path.read_bytes()[:16] == b"SQLite format 3\x00"
    out = j.export(tmp_path / "journal.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "painlab-journal"
    assert data["version"] == 1
    (record,) = data["entries"]
    assert record["value"] == 3
    assert record["result"] == 4
    assert set(record) == {
        "kind",
        "lesson",
        "question_id",
        "value",
        "result",
        "correct",
        "timestamp",
    }


def test_entries_are_frozen(path):
    entry = Journal(path).note("01-eih", "hello")
    with pytest.raises(AttributeError):
        entry.value = "changed"  # type: ignore[misc]


def test_record_result_attaches_to_latest_prediction(path):
    j = Journal(path)
    j.predict("01-eih", "dose", "a")
    j.predict("01-eih", "dose", "b")  # the student changed their mind
    j.record_result("01-eih", "dose", 0.5)
    first, second = Journal(path).entries()
    assert (first.value, first.result) == ("a", None)
    assert (second.value, second.result) == ("b", 0.5)


def test_result_without_prediction_is_kept(path):
    Journal(path).record_result("01-eih", "never-predicted", 1.5)
    (entry,) = Journal(path).entries()
    assert entry.kind == "result"
    assert entry.result == 1.5
    assert entry.value is None


def test_two_journals_on_one_file_do_not_overwrite_each_other(path):
    # e.g. two lesson notebooks open in the same folder
    a, b = Journal(path), Journal(path)
    a.note("01-eih", "from a")
    b.note("02-programs", "from b")
    assert [e.value for e in Journal(path).entries()] == ["from a", "from b"]


def test_numpy_values_are_stored_as_plain_json(path):
    Journal(path).predict("01-eih", "d", np.float64(0.4), result=np.int64(2))
    (entry,) = Journal(path).entries()
    assert entry.value == 0.4
    assert entry.result == 2
    assert type(entry.result) is int


def test_filters(path):
    j = Journal(path)
    _fill(j)
    assert len(j.entries(lesson="02-programs")) == 1
    assert len(j.entries(kind="answer")) == 2
    assert len(j) == 4
    with pytest.raises(ValueError, match="kind must be one of"):
        j.entries(kind="guess")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda j: j.predict("", "q", 1), "lesson"),
        (lambda j: j.predict("01", "", 1), "question_id"),
        (lambda j: j.predict("01", "q", object()), "prediction must be JSON"),
        (lambda j: j.predict("01", "q", float("nan")), "prediction must be JSON"),
        (lambda j: j.answer("01", "q", "a", "yes"), "correct must be True or False"),
        (lambda j: j.note("01", "   "), "text"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(path, call, message):
    j = Journal(path)
    with pytest.raises((TypeError, ValueError), match=message):
        call(j)
    assert not path.exists()


# -- atomic exports --------------------------------------------------------------------------


def test_failed_export_leaves_previous_report_intact(path, tmp_path, monkeypatch):
    j = Journal(path)
    j.note("01-eih", "first")
    report = tmp_path / "report.html"
    j.export(report)
    before = report.read_bytes()
    j.note("01-eih", "second")

    def crash(src, dst):
        raise OSError("simulated crash during os.replace")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        j.export(report)
    monkeypatch.undo()
    assert report.read_bytes() == before
    # the temporary file was cleaned up: only the journal and the report are there
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([j.path.name, report.name])


def test_failed_fsync_leaves_previous_report_intact(path, tmp_path, monkeypatch):
    j = Journal(path)
    j.note("01-eih", "first")
    report = j.export(tmp_path / "report.html")
    before = report.read_bytes()

    def crash(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        j.export(report)
    monkeypatch.undo()
    assert report.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([j.path.name, report.name])


def test_export_goes_through_a_temp_file_in_the_same_folder(path, tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append((Path(src), Path(dst), Path(src).read_bytes()))
        return real_replace(src, dst)

    j = Journal(path)
    j.note("01-eih", "hello")
    monkeypatch.setattr(os, "replace", spy)
    j.export(tmp_path / "out.json")
    ((src, dst, content),) = seen
    assert dst == tmp_path / "out.json"
    assert src.parent == tmp_path
    assert src != dst
    assert json.loads(content)["entries"][0]["value"] == "hello"


@pytest.mark.parametrize("target", ["journal", "legacy", "folder", "suffix"])
def test_export_refuses_targets_it_must_not_write(path, tmp_path, target):
    j = Journal(path)
    j.note("01-eih", "precious")
    before = j.path.read_bytes()
    bad = {
        "journal": j.path,
        "legacy": path.with_suffix(".json"),
        "folder": tmp_path,
        "suffix": tmp_path / "report.txt",
    }[target]
    with pytest.raises(ValueError, match=r"must not overwrite|folder|must end in"):
        j.export(bad)
    assert j.path.read_bytes() == before
    assert [e.value for e in Journal(path).entries()] == ["precious"]


def test_kill_litter_of_an_earlier_export_is_removed(path, tmp_path):
    j = Journal(path)
    report = tmp_path / "report.html"
    # what an export killed between write and rename leaves: pid 999999999 never runs
    litter = tmp_path / ".report.html.999999999.deadbeef.painlab-tmp"
    litter.write_text("half a rep", encoding="utf-8")
    j.export(report)
    assert not litter.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([j.path.name, report.name])


# -- damaged and foreign files -------------------------------------------------------------


def _asides(path: Path, label: str) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.{label}-*"))


def test_corrupt_file_is_moved_aside_not_overwritten(tmp_path):
    path = tmp_path / "painlab-journal.sqlite"
    garbage = b'\x00\xff{"format": "painlab-journal", "entr'
    path.write_bytes(garbage)
    with pytest.warns(JournalWarning, match="not an SQLite database") as record:
        j = Journal(path)
    (aside,) = _asides(path, "corrupt")
    assert aside.read_bytes() == garbage
    message = str(record[0].message)
    assert str(aside) in message
    assert "NOT overwritten" in message
    assert j.entries() == []
    j.note("01-eih", "fresh start")
    assert [e.value for e in Journal(path).entries()] == ["fresh start"]
    assert aside.read_bytes() == garbage


def test_truncated_journal_is_moved_aside(tmp_path):
    path = tmp_path / "painlab-journal.sqlite"
    j = Journal(path)
    for i in range(200):
        j.note("01-eih", f"something {i} " * 20)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.warns(JournalWarning, match="corrupt|damaged"):
        Journal(path)
    (aside,) = _asides(path, "corrupt")
    assert aside.read_bytes() == data[: len(data) // 2]


def test_foreign_json_under_the_journal_name_is_kept_aside(tmp_path):
    path = tmp_path / "painlab-journal.sqlite"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.warns(JournalWarning, match="not a painlab SQLite journal"):
        j = Journal(path)
    (aside,) = _asides(path, "foreign")
    assert json.loads(aside.read_text(encoding="utf-8")) == {"hello": 1}
    j.note("01-eih", "new")
    assert json.loads(aside.read_text(encoding="utf-8")) == {"hello": 1}


def test_foreign_database_is_kept_aside(tmp_path):
    import sqlite3

    path = tmp_path / "painlab-journal.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE grades (student TEXT, mark REAL)")
    con.execute("INSERT INTO grades VALUES ('a', 1.0)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.warns(JournalWarning, match="not a painlab journal"):
        Journal(path).note("01-eih", "new")
    (aside,) = _asides(path, "foreign")
    assert aside.read_bytes() == before


# -- migration of version-1 JSON journals --------------------------------------------------


def _v1(entries: list[dict]) -> str:
    return json.dumps({"format": "painlab-journal", "version": 1, "entries": entries})


OLD = {
    "kind": "note",
    "lesson": "01-eih",
    "question_id": None,
    "value": "written with painlab 0.x",
    "result": None,
    "correct": None,
    "timestamp": "2025-01-01T00:00:00+00:00",
}


def test_old_json_journal_is_migrated_once_and_kept(tmp_path):
    old = tmp_path / "painlab-journal.json"
    old.write_text(_v1([OLD, {**OLD, "value": "second"}]), encoding="utf-8")
    original = old.read_bytes()
    with pytest.warns(JournalWarning, match="was copied into"):
        j = Journal(tmp_path / "painlab-journal.sqlite")
    assert [e.value for e in j.entries()] == ["written with painlab 0.x", "second"]
    assert not old.exists()
    (backup,) = tmp_path.glob("painlab-journal.migrated-*.json")
    assert backup.read_bytes() == original
    j.note("01-eih", "new")
    # opening again migrates nothing twice, even if the old file is put back
    backup.rename(old)
    assert [e.value for e in Journal(old).entries()] == [
        "written with painlab 0.x",
        "second",
        "new",
    ]


def test_newer_version_json_is_left_untouched(tmp_path):
    old = tmp_path / "painlab-journal.json"
    old.write_text('{"format": "painlab-journal", "version": 99, "entries": []}')
    with pytest.warns(JournalWarning, match="version 99"):
        j = Journal(old)
    assert old.read_text() == '{"format": "painlab-journal", "version": 99, "entries": []}'
    assert j.entries() == []


def test_damaged_json_entries_are_not_migrated(tmp_path):
    old = tmp_path / "painlab-journal.json"
    doc = _v1([{"kind": "guess"}])
    old.write_text(doc)
    with pytest.warns(JournalWarning, match="damaged entries"):
        Journal(old)
    assert old.read_text() == doc


# -- export -------------------------------------------------------------------------------


def test_export_contains_predictions_results_answers_and_notes(path, tmp_path):
    j = Journal(path)
    _fill(j)
    out = export(tmp_path / "report.html", j)
    assert out == tmp_path / "report.html"
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "more relief after a harder bout" in page
    assert "effect_size" in page and "0.62" in page
    # Only the first attempt counts; the later right answer is noted, not scored.
    assert "✗ wrong" in page and "(right later)" in page
    assert "0 of 1 questions right at the first attempt" in page
    assert "Summary for the lecturer" in page
    assert "Supervised programmes kept people going." in page
    assert page.index("Lesson 01-eih") < page.index("Lesson 02-programs")
    assert "Generated " in page


def test_export_escapes_student_text_and_is_offline(path, tmp_path):
    j = Journal(path)
    j.predict("01-eih", HOSTILE, HOSTILE, result=HOSTILE)
    j.answer(HOSTILE, "q", HOSTILE, True)
    j.note("01-eih", HOSTILE)
    page = j.export(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&amp;" in page
    assert "&quot;quoted&quot;" in page
    assert "&#x27;single&#x27;" in page
    assert "http://" not in page
    assert "https://" not in page
    assert "<link" not in page
    assert "src=" not in page


def test_export_of_empty_journal(path, tmp_path):
    page = export(tmp_path / "r.html", Journal(path)).read_text(encoding="utf-8")
    assert "no entries yet" in page


def test_default_journal_is_shared_and_lives_in_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    j = pj.default_journal()
    assert j is pj.default_journal()
    assert j.path == tmp_path / "painlab-journal.sqlite"
    j.note("01-eih", "via default")
    out = export(tmp_path / "report.html")
    assert "via default" in out.read_text(encoding="utf-8")
    pj.reset_default()
    assert pj.default_journal() is not j


def test_a_folder_as_journal_path_is_refused_and_left_alone(tmp_path):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="is a folder"):
        Journal(tmp_path / "lessons")
    assert (tmp_path / "lessons" / "keep.txt").read_text() == "mine"


def test_unrelated_json_sharing_the_stem_is_left_alone_quietly(tmp_path):
    (tmp_path / "results.json").write_text('{"scores": [1, 2]}')
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Journal(tmp_path / "results.sqlite").note("01", "x")
    assert (tmp_path / "results.json").read_text() == '{"scores": [1, 2]}'


def test_unreadable_journal_is_left_alone_and_read_only(tmp_path, monkeypatch):
    path = tmp_path / "painlab-journal.sqlite"
    Journal(path).note("01", "x")
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.warns(JournalWarning, match="READ-ONLY"):
        j = Journal(path)
    monkeypatch.undo()
    assert j.read_only
    with pytest.raises(OSError, match="read-only"):
        j.note("01", "y")
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


# -- first attempts and confidence (issue 15) ----------------------------------------------


def test_answers_record_attempt_number_and_confidence(path):
    j = Journal(path)
    j.answer("01", "q", "a", False, confidence="certain")
    j.answer("01", "q", "b", True, confidence="guess")
    j.answer("01", "other", "c", True)
    again = Journal(path)  # a new session continues the count
    e = again.answer("01", "q", "b", True, confidence="fairly sure")
    assert e.result == {"attempt": 3, "confidence": "fairly sure"}
    first = again.first_attempts("01")
    assert first[("01", "q")].value == "a"
    assert first[("01", "q")].result == {"attempt": 1, "confidence": "certain"}
    assert first[("01", "other")].result == {"attempt": 1, "confidence": None}


def test_bad_confidence_is_refused_and_nothing_saved(path):
    j = Journal(path)
    with pytest.raises(ValueError, match="confidence must be one of 'guess'"):
        j.answer("01", "q", "a", True, confidence="very")
    assert len(j) == 0


def test_report_puts_prediction_evidence_and_first_attempts_side_by_side(path, tmp_path):
    j = Journal(path)
    j.predict("01", "doses", "only the hard, long run")
    j.record_result(
        "01",
        "doses",
        {"found": "only 75% for 30 min worked", "refs": "Hoffman et al. 2004", "matched": True},
    )
    j.predict("01", "same", "both found less pain")
    j.record_result("01", "same", {"found": "neither found a change", "matched": False})
    j.answer("01", "q", "wrong one", False, confidence="certain")
    j.answer("01", "q", "right one", True, confidence="certain")
    page = j.export(tmp_path / "r.html").read_text(encoding="utf-8")
    row = page[page.index("<td>doses</td>") :].split("</tr>")[0]
    assert "only the hard, long run" in row and "only 75% for 30 min worked" in row
    assert "Hoffman et al. 2004" in row and "✓ matched" in row
    assert "✗ differed" in page
    summary = page[page.index("Summary for the lecturer") :].split("</table>")[0]
    assert "2 made, 2 revealed, 1 matched" in summary
    assert "0 of 1 right first time" in summary
    assert "<td>1</td></tr>" in summary  # one sure-but-wrong first answer


def test_report_shows_the_prompt_of_bank_questions(path, tmp_path):
    j = Journal(path)
    j.answer("01_aerobic_dose", "01-gentle-walk", "x", False, confidence="guess")
    j.answer("01", "not-in-bank", "y", True)
    page = j.export(tmp_path / "r.html").read_text(encoding="utf-8")
    assert "A patient cycles at about 50% VO2max" in page
    assert "<td>not-in-bank</td>" in page
