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


def test_file_format_is_documented_json(path):
    Journal(path).predict("01-eih", "dose", 3, result=4)
    data = json.loads(path.read_text(encoding="utf-8"))
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


# -- atomic saving --------------------------------------------------------------------------


def test_failed_save_leaves_previous_file_intact(path, monkeypatch):
    j = Journal(path)
    j.note("01-eih", "first")
    before = path.read_bytes()

    def crash(src, dst):
        raise OSError("simulated crash during os.replace")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        j.note("01-eih", "second")
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert [e.value for e in Journal(path).entries()] == ["first"]
    # the temporary file was cleaned up: only the journal is in the folder
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_failed_fsync_leaves_previous_file_intact(path, monkeypatch):
    j = Journal(path)
    j.note("01-eih", "first")
    before = path.read_bytes()

    def crash(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        j.note("01-eih", "second")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_save_goes_through_a_temp_file_in_the_same_folder(path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append((Path(src), Path(dst), Path(src).read_bytes()))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    Journal(path).note("01-eih", "hello")
    ((src, dst, content),) = seen
    assert dst == path
    assert src.parent == path.parent
    assert src != path
    assert json.loads(content)["entries"][0]["value"] == "hello"


def test_leftover_temp_files_are_ignored(path):
    Journal(path).note("01-eih", "kept")
    # what a kernel killed between write and rename leaves behind
    leftover = path.parent / f".{path.name}.abc123.tmp"
    leftover.write_text('{"format": "painlab-jou', encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning either
        j = Journal(path)
        assert [e.value for e in j.entries()] == ["kept"]
        j.note("01-eih", "more")
    assert [e.value for e in Journal(path).entries()] == ["kept", "more"]


# -- damaged and foreign files -------------------------------------------------------------


def _asides(path: Path, label: str) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.{label}-*.json"))


def test_corrupt_file_is_moved_aside_not_overwritten(path):
    garbage = b'\x00\xff{"format": "painlab-journal", "entr'
    path.write_bytes(garbage)
    with pytest.warns(JournalWarning, match="not valid JSON") as record:
        j = Journal(path)
    (aside,) = _asides(path, "corrupt")
    assert aside.read_bytes() == garbage
    message = str(record[0].message)
    assert str(aside) in message
    assert "NOT overwritten" in message
    assert not path.exists()
    assert j.entries() == []
    j.note("01-eih", "fresh start")
    assert [e.value for e in Journal(path).entries()] == ["fresh start"]
    assert aside.read_bytes() == garbage


def test_truncated_journal_is_moved_aside(path):
    Journal(path).note("01-eih", "something")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.warns(JournalWarning, match="corrupt"):
        Journal(path)
    (aside,) = _asides(path, "corrupt")
    assert aside.read_text(encoding="utf-8") == text[: len(text) // 2]


def test_foreign_json_is_kept_aside(path):
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.warns(JournalWarning, match="not a painlab journal"):
        j = Journal(path)
    (aside,) = _asides(path, "foreign")
    assert json.loads(aside.read_text(encoding="utf-8")) == {"hello": 1}
    j.note("01-eih", "new")
    assert json.loads(aside.read_text(encoding="utf-8")) == {"hello": 1}


def test_newer_version_is_kept_aside(path):
    path.write_text('{"format": "painlab-journal", "version": 99, "entries": []}')
    with pytest.warns(JournalWarning, match="version 99"):
        Journal(path)
    assert len(_asides(path, "foreign")) == 1


def test_damaged_entries_are_moved_aside(path):
    doc = {"format": "painlab-journal", "version": 1, "entries": [{"kind": "guess"}]}
    path.write_text(json.dumps(doc))
    with pytest.warns(JournalWarning, match="damaged entries"):
        Journal(path)
    (aside,) = _asides(path, "corrupt")
    assert json.loads(aside.read_text()) == doc


def test_two_corrupt_files_in_one_second_get_distinct_names(path):
    for content in (b"one", b"two"):
        path.write_bytes(content)
        with pytest.warns(JournalWarning):
            Journal(path)
    asides = _asides(path, "corrupt")
    assert sorted(p.read_bytes() for p in asides) == [b"one", b"two"]


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
    assert "✓ right" in page and "✗ wrong" in page
    assert "1 of 2 answers right" in page
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
    assert j.path == tmp_path / "painlab-journal.json"
    j.note("01-eih", "via default")
    out = export(tmp_path / "report.html")
    assert "via default" in out.read_text(encoding="utf-8")
    pj.reset_default()
    assert pj.default_journal() is not j
