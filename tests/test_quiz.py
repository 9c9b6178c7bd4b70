"""Tests for painlab.quiz: question validation, feedback and the widget callbacks."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from painlab.journal import Journal
from painlab.quiz import Option, Question, ask, predict

RIGHT = Option("Exercising limb and distant sites", True, "EIH is also seen away from it.")
WRONG = Option("Only the exercising limb", False, "Remote sites also show less pain.")
OTHER = Option("Nowhere", False, "A vigorous bout usually raises pain thresholds.")


def make(*options: Option, **kwargs) -> Question:
    return Question("site", "Where does pain drop after exercise?", options, "01-eih", **kwargs)


@pytest.fixture
def journal(tmp_path) -> Journal:
    return Journal(tmp_path / "painlab-journal.json")


# -- validation ------------------------------------------------------------------------------


def test_valid_question():
    q = make(WRONG, RIGHT, claim="K3")
    assert q.answer_index == 1
    assert q.claim == "K3"


def test_zero_correct_options_rejected():
    with pytest.raises(ValueError, match="0 correct options; exactly one"):
        make(WRONG, OTHER)


def test_two_correct_options_rejected():
    also_right = Option("Everywhere", True, "Yes.")
    with pytest.raises(ValueError, match="2 correct options; exactly one"):
        make(RIGHT, also_right, WRONG)


def test_too_few_options_rejected():
    with pytest.raises(ValueError, match="at least 2"):
        make(RIGHT)


def test_missing_feedback_rejected():
    with pytest.raises(ValueError, match=r"'Nowhere' has no feedback.*why it is wrong"):
        Option("Nowhere", False, "")
    with pytest.raises(ValueError, match="no feedback"):
        Option("Nowhere", False, "   ")


def test_non_option_rejected():
    with pytest.raises(ValueError, match="option 1 must be an Option"):
        make(RIGHT, "just text")  # type: ignore[arg-type]


def test_duplicate_options_rejected():
    with pytest.raises(ValueError, match="duplicate"):
        make(RIGHT, WRONG, Option(WRONG.text, False, "again"))


def test_empty_qid_rejected():
    with pytest.raises(ValueError, match="qid"):
        Question("", "prompt?", (RIGHT, WRONG), "01-eih")


def test_options_list_is_stored_as_tuple():
    q = Question("q", "prompt?", [RIGHT, WRONG], "01-eih")  # type: ignore[arg-type]
    assert q.options == (RIGHT, WRONG)


def test_check_returns_option_with_feedback():
    q = make(WRONG, RIGHT)
    assert q.check(0).correct is False
    assert q.check(0).feedback == "Remote sites also show less pain."
    assert q.check(1).correct is True


@pytest.mark.parametrize("bad", [-1, 2, 1.0, True, "0", None])
def test_check_bad_index_names_valid_range(bad):
    with pytest.raises(ValueError, match="from 0 to 1"):
        make(WRONG, RIGHT).check(bad)


# -- the ask widget --------------------------------------------------------------------------


def test_ask_widget_parts(journal):
    w = ask(make(WRONG, RIGHT), journal)
    assert isinstance(w, widgets.VBox)
    assert isinstance(w.radio, widgets.RadioButtons)
    assert w.radio.description  # accessible name
    assert w.radio.value is None
    assert w.button.description == "Check"
    assert w.feedback.value == ""
    assert w.radio in w.children and w.button in w.children and w.feedback in w.children


def test_ask_wrong_then_right_records_answers(journal):
    w = ask(make(WRONG, RIGHT), journal)
    w.radio.value = 0
    w.button.click()
    assert "✗" in w.feedback.value
    assert "Remote sites also show less pain." in w.feedback.value
    w.radio.value = 1
    w.button.click()
    assert "✓" in w.feedback.value
    assert "EIH is also seen away from it." in w.feedback.value

    # reopened from disk, as after a kernel restart
    answers = Journal(journal.path).entries(kind="answer")
    assert [(a.lesson, a.question_id, a.value, a.correct) for a in answers] == [
        ("01-eih", "site", WRONG.text, False),
        ("01-eih", "site", RIGHT.text, True),
    ]


def test_ask_without_choice_records_nothing(journal):
    w = ask(make(WRONG, RIGHT), journal)
    w.button.click()
    assert "Choose an answer" in w.feedback.value
    assert journal.entries() == []


def test_ask_escapes_feedback(journal):
    q = make(RIGHT, Option("a", False, "<b>bold</b> & more"))
    w = ask(q, journal)
    w.radio.value = 1
    w.button.click()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in w.feedback.value


def test_ask_uses_default_journal(tmp_path, monkeypatch):
    from painlab import journal as pj

    monkeypatch.chdir(tmp_path)
    pj.reset_default()
    try:
        w = ask(make(WRONG, RIGHT))
        w.radio.value = 1
        w.button.click()
        (entry,) = Journal(tmp_path / "painlab-journal.json").entries()
        assert entry.correct is True
    finally:
        pj.reset_default()


# -- the predict widget ----------------------------------------------------------------------


def test_predict_widget_records_prediction(journal):
    w = predict("01-eih", "dose", "Which bout relieves pain most?", ["light", "hard"], journal)
    assert w.button.description == "Commit my prediction"
    assert w.radio.description
    w.radio.value = 1
    w.button.click()
    assert "Prediction saved:" in w.feedback.value
    assert "hard" in w.feedback.value
    (entry,) = Journal(journal.path).entries()
    assert (entry.kind, entry.lesson, entry.question_id, entry.value) == (
        "prediction",
        "01-eih",
        "dose",
        "hard",
    )
    journal.record_result("01-eih", "dose", "hard")
    assert Journal(journal.path).entries()[0].result == "hard"


def test_predict_without_choice_records_nothing(journal):
    w = predict("01-eih", "dose", "Which?", ["a", "b"], journal)
    w.button.click()
    assert "Choose a prediction" in w.feedback.value
    assert journal.entries() == []


@pytest.mark.parametrize(
    ("options", "message"),
    [(["only"], "at least 2"), (["a", "a"], "duplicate"), (["a", ""], "option")],
)
def test_predict_bad_options(journal, options, message):
    with pytest.raises(ValueError, match=message):
        predict("01-eih", "dose", "Which?", options, journal)


def test_predict_save_failure_is_shown(journal, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("read-only folder")

    monkeypatch.setattr(journal, "predict", fail)
    w = predict("01-eih", "dose", "Which?", ["a", "b"], journal)
    w.radio.value = 0
    w.button.click()
    assert "could not be saved" in w.feedback.value
    assert "Prediction saved" not in w.feedback.value
