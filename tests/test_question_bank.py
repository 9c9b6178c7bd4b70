"""The question bank: validation with named errors, fairness, seeded order, export."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from painlab import quiz, studies
from painlab.journal import Journal

BANK = Path(quiz.__file__).parent / "data" / "questions"
QUESTIONS = list(quiz.bank().values())


@pytest.fixture
def journal(tmp_path) -> Journal:
    return Journal(tmp_path / "painlab-journal.sqlite")


# -- fairness of the bank ---------------------------------------------------------------------


def test_every_lesson_has_a_bank_file_and_every_key_point_is_tested():
    lessons = {q.lesson for q in QUESTIONS}
    assert lessons == {p.stem for p in BANK.glob("*.json")}
    assert len(lessons) == 10
    tested = {c for q in QUESTIONS for c in q.claims}
    assert tested == {f"K{i}" for i in range(19)}, sorted({f"K{i}" for i in range(19)} - tested)


def test_right_option_position_is_balanced_in_the_stored_order():
    for n in {len(q.options) for q in QUESTIONS}:
        items = [q for q in QUESTIONS if len(q.options) == n]
        share = Counter(q.answer_index for q in items)
        assert max(share.values()) <= 0.4 * len(items) + 1e-9, (n, share)


def test_shuffled_position_is_uniform_over_students():
    counts: Counter[int] = Counter()
    for student in range(200):
        for q in QUESTIONS:
            counts[quiz.order(q, f"student-{student}").index(q.answer_index)] += 1
    total = sum(counts.values())
    assert all(abs(c / total - 1 / 3) < 0.03 for c in counts.values()), counts


def test_right_option_is_not_systematically_the_longest_or_the_shortest():
    longest = sum(max(q.options, key=lambda o: len(o.text)).correct for q in QUESTIONS)
    shortest = sum(min(q.options, key=lambda o: len(o.text)).correct for q in QUESTIONS)
    assert longest <= 0.4 * len(QUESTIONS), longest
    assert shortest <= 0.5 * len(QUESTIONS), shortest


def test_item_types_go_beyond_recall():
    types = Counter(q.item_type for q in QUESTIONS)
    assert types["recall"] <= 0.25 * len(QUESTIONS), types
    assert {"vignette", "estimate", "ordering", "reason"} <= set(types)


def test_every_prediction_cites_known_sources_and_its_answer_is_an_option():
    known = studies.citations()
    for pid, p in quiz._bank().predictions.items():
        assert all(key in known for key in p.refs), pid
        assert p.answer is None or p.answer in p.options, pid
        for key in p.refs:
            assert "doi:" in p.citations() or "PMID" in p.citations()
            assert known[key].short in p.citations()


def test_retrieval_sets_reach_back_to_earlier_lessons():
    ids = set(quiz.bank())
    for path in BANK.glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for qid in doc.get("retrieval", []):
            assert qid in ids, (path.name, qid)
            assert qid[:2] < path.stem[:2], f"{path.name}: {qid} is not from an earlier lesson"


# -- validation names the file, the item and the field ----------------------------------------


def _broken(tmp_path, edit) -> Path:
    folder = tmp_path / "questions"
    shutil.copytree(BANK, folder)
    path = folder / "01_aerobic_dose.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["questions"][0]["options"][0].update(feedback=""),
            r"01_aerobic_dose.json, question '01-gentle-walk', option 0, field 'feedback'",
        ),
        (
            lambda d: d["questions"][0].update(type="quiz"),
            r"question '01-gentle-walk', field 'type': 'quiz' is not one of vignette",
        ),
        (
            lambda d: d["questions"][1].update(claims=["K19"]),
            r"question '01-short-hard', field 'claims': 'K19' is not a key point",
        ),
        (
            lambda d: [o.update(correct=True) for o in d["questions"][0]["options"]],
            r"question '01-gentle-walk': .*3 correct options",
        ),
        (
            lambda d: d["predictions"][0].update(refs=["nobody1999"]),
            r"prediction '01-three-doses', field 'refs': 'nobody1999' is not in",
        ),
        (
            lambda d: d["predictions"][0].update(answer="Something else"),
            r"prediction '01-three-doses', field 'answer'",
        ),
        (
            lambda d: d["questions"][0].update(id="02-gentle-walk"),
            r"id '02-gentle-walk': must start with '01-'",
        ),
        (
            lambda d: d["questions"][1].update(id="01-gentle-walk"),
            r"id '01-gentle-walk': already used",
        ),
    ],
)
def test_bank_errors_name_file_item_and_field(tmp_path, edit, message):
    with pytest.raises(quiz.BankError, match=message):
        quiz.load_bank(_broken(tmp_path, edit))


def test_bad_json_names_the_file(tmp_path):
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "01_x.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(quiz.BankError, match=r"01_x.json: not valid JSON"):
        quiz.load_bank(folder)


def test_unknown_id_suggests_close_matches():
    with pytest.raises(KeyError, match="did you mean 01-gentle-walk"):
        quiz.ask("01-gentle-wlk")
    with pytest.raises(TypeError, match="id must be text"):
        quiz.reveal(3)  # type: ignore[arg-type]


# -- the widgets ------------------------------------------------------------------------------


def test_ask_from_bank_shuffles_stably_and_records_first_attempt_and_confidence(journal):
    a = quiz.ask("01-gentle-walk", journal, identity="ana")
    b = quiz.ask("01-gentle-walk", journal, identity="ana")
    assert a.choices == b.choices  # reopening shows the same order
    orders = {tuple(quiz.ask("01-gentle-walk", journal, identity=s).choices) for s in "abcdefgh"}
    assert len(orders) > 1  # different students, different orders
    q = a.question
    assert q is not None and a.confidence is not None
    wrong = next(i for i, o in enumerate(q.options) if not o.correct)
    a.radio.value = wrong
    a.confidence.value = "certain"
    a.button.click()
    assert "Not quite" in a.feedback.value and "first attempt is saved" in a.feedback.value
    a.radio.value = q.answer_index
    a.button.click()
    assert "Right" in a.feedback.value and "Why the others are wrong" in a.feedback.value
    first = journal.first_attempts()[("01_aerobic_dose", "01-gentle-walk")]
    assert first.correct is False
    assert first.result == {"attempt": 1, "confidence": "certain"}
    assert len(journal.entries(kind="answer")) == 2


def test_static_views_wrap_and_hide_the_answer(journal):
    w = quiz.ask("06-which-conditions" if False else "01-short-hard", journal, identity="x")
    text = w.static_text()
    assert all(len(line) <= 100 for line in text.splitlines())
    assert "Right" not in text


def test_prediction_and_reveal_close_the_loop(journal):
    p = quiz.predict("01-three-doses", journal=journal)
    p.radio.value = 0  # "All three: any exercise, any amount, helps"
    p.button.click()
    r = quiz.reveal("01-three-doses", journal)
    assert "studies found" not in r.feedback.value  # nothing shown before the click
    r.button.click()
    shown = r.feedback.value
    assert "You predicted:" in shown and "All three" in shown
    assert "Hoffman et al. 2004, doi:10.1016/j.apmr.2003.09.010" in shown
    assert "differs from the evidence" in shown
    entry = journal.entries(kind="prediction")[-1]
    assert entry.result["matched"] is False and "Hoffman et al. 2004" in entry.result["refs"]
    assert "Show what the studies found" in r.static_html()
    assert "found" not in r.static_text().lower().replace("studies found", "")


def test_reveal_without_prediction_still_shows_and_saves(journal):
    r = quiz.reveal("02-fatigue", journal)
    r.button.click()
    assert "did not commit a prediction" in r.feedback.value
    assert journal.entries(kind="result")[0].question_id == "02-fatigue"


def test_old_constructor_still_works_with_a_deprecation_warning(journal):
    q = quiz.Question(
        "q", "Which?", (quiz.Option("a", True, "yes"), quiz.Option("b", False, "no")), "01"
    )
    with pytest.warns(DeprecationWarning, match="question bank"):
        w = quiz.ask(q, journal)
    assert sorted(w.choices) == ["a", "b"]


# -- export for course platforms -------------------------------------------------------------


def test_moodle_export_parses_back_with_one_right_answer_and_feedback(tmp_path):
    out = quiz.export_bank(tmp_path / "bank.xml")
    root = ET.parse(out).getroot()
    assert root.tag == "quiz"
    items = root.findall("question[@type='multichoice']")
    assert len(items) == len(QUESTIONS)
    assert len(root.findall("question[@type='category']")) == 10
    for item in items:
        answers = item.findall("answer")
        assert [a.get("fraction") for a in answers].count("100") == 1
        assert all(a.findtext("feedback/text", "").strip() for a in answers)
        assert item.findtext("name/text") in quiz.bank()


def test_gift_export_has_one_right_answer_per_question(tmp_path):
    text = quiz.export_bank(tmp_path / "bank.gift", format="gift").read_text(encoding="utf-8")
    blocks = text.split("::")[2::2]
    assert len(blocks) == len(QUESTIONS)
    assert all(b.count("\n\t=") == 1 for b in blocks)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"format": "qti"}, ValueError, "format must be one of 'moodle', 'gift'"),
        ({"format": "moodle", "suffix": ".gift"}, ValueError, r"\.xml"),
        ({"lessons": ["99_nothing"]}, ValueError, "not in the bank"),
    ],
)
def test_export_refuses_bad_requests_before_writing(tmp_path, kwargs, error, message):
    suffix = kwargs.pop("suffix", ".xml")
    target = tmp_path / f"bank{suffix}"
    with pytest.raises(error, match=message):
        quiz.export_bank(target, **kwargs)
    assert not target.exists()


def test_export_refuses_a_folder(tmp_path):
    (tmp_path / "bank.xml").mkdir()
    with pytest.raises(ValueError):
        quiz.export_bank(tmp_path / "bank.xml")
