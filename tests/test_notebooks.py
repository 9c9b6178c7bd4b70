"""The lessons as files: skeleton, key-point tags, saved readouts, citations, size.

nbval (run by ``make test``) executes every notebook and compares the readouts; these
tests check what nbval cannot: that the committed notebooks have the agreed shape.
"""

import json
import re
from pathlib import Path

import pytest

from painlab import studies

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if re.match(r"0[1-9]_", p.name)]
CLAIMS = [f"K{i}" for i in range(19)]


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _headings(nb):
    out = []
    for c in nb["cells"]:
        if c["cell_type"] == "markdown":
            out += [
                line.strip() for line in "".join(c["source"]).splitlines() if line.startswith("#")
            ]
    return out


def test_there_are_lessons_and_a_lecture_notebook():
    names = [p.name for p in NOTEBOOKS]
    assert "00_start_here.ipynb" in names and "10_lecture.ipynb" in names
    assert len(LESSONS) >= 9


@pytest.mark.parametrize(
    "path", [*LESSONS, ROOT / "notebooks" / "00_start_here.ipynb"], ids=lambda p: p.name
)
def test_lesson_follows_the_skeleton(path):
    heads = _headings(_load(path))
    assert heads[0].startswith("# "), "a lesson starts with its title"
    for section in (
        "## Overview",
        "## Prerequisites",
        "## Summary",
        "## What's next",
        "## References",
    ):
        assert section in heads, f"{path.name} lacks {section}"
    for step in ("Predict", "Explore", "Explain", "Check yourself"):
        assert any(h.lstrip("#").strip().startswith(step) for h in heads), (
            f"{path.name} lacks a {step} step"
        )
    text = json.dumps(_load(path))
    assert "Time to learn" in text
    assert "quiz.predict(" in text and "quiz.ask(" in text


def test_every_key_point_is_demonstrated_in_a_tagged_code_cell():
    found = {}
    for path in NOTEBOOKS:
        for cell in _load(path)["cells"]:
            for tag in cell.get("metadata", {}).get("tags", []):
                if tag.startswith("claim-"):
                    assert cell["cell_type"] == "code", f"{path.name}: {tag} must tag a code cell"
                    found.setdefault(tag[6:], []).append(path.name)
    missing = [k for k in CLAIMS if k not in found]
    assert not missing, f"key points without a demonstrating cell: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_define_no_helpers_and_import_at_the_top(path):
    nb = _load(path)
    code = [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]
    for src in code:
        assert not re.search(r"^\s*(def|class)\s", src, re.M), (
            f"{path.name}: move helpers into src/painlab"
        )
        assert "lambda" not in src, f"{path.name}: move helpers into src/painlab"
    assert "import painlab" in code[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_checked_readouts_are_saved_and_nothing_failed(path):
    nb = _load(path)
    checked = [
        c for c in nb["cells"] if "nbval-check-output" in c.get("metadata", {}).get("tags", [])
    ]
    if path in LESSONS:
        assert len(checked) >= 2, f"{path.name}: keep at least two readouts under nbval"
    for c in checked:
        assert c["execution_count"] is not None, (
            f"{path.name}: run the notebook (make execute-notebooks)"
        )
        assert any(o.get("text") or o.get("data", {}).get("text/plain") for o in c["outputs"])
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            assert o["output_type"] != "error", f"{path.name}: a cell raised {o.get('ename')}"
    assert "widgets" not in nb.get("metadata", {}), f"{path.name}: strip the saved widget state"
    assert path.stat().st_size < 600_000


def test_every_doi_cited_in_a_notebook_is_in_the_evidence_base():
    known = {c.doi.lower() for c in studies.citations().values() if c.doi}
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        for doi in re.findall(r"10\.\d{4,9}/[^\s\"'\\<>,;]+", text):
            doi = doi.rstrip(".*_")
            while doi.endswith(")") and doi.count(")") > doi.count("("):
                doi = doi[:-1].rstrip(".")
            doi = doi.lower()
            assert doi in known, f"{path.name} cites doi:{doi}, which is not in data/citations.csv"


# -- issue 15: readable outputs, the question bank, predictions revealed ----------------------

STUDENT_LESSONS = [ROOT / "notebooks" / "00_start_here.ipynb", *LESSONS]


def _saved_text(nb):
    """(cell index, text) of every saved text/plain and stream output."""
    for i, c in enumerate(nb["cells"]):
        for o in c.get("outputs", []):
            for t in (o.get("text"), o.get("data", {}).get("text/plain")):
                if t:
                    yield i, "".join(t) if isinstance(t, list) else t


@pytest.mark.parametrize("path", STUDENT_LESSONS, ids=lambda p: p.name)
def test_saved_outputs_are_narrow_and_say_not_reported(path):
    for i, text in _saved_text(_load(path)):
        assert "NaN" not in text and "<NA>" not in text, f"{path.name} cell {i}: say 'not reported'"
        for line in text.splitlines():
            assert len(line) <= 100, f"{path.name} cell {i}: {len(line)} characters: {line[:60]}"
        assert not re.search(r"\b\d+\.0 (participants|people|patients)\b", text)


def _calls(nb, name):
    src = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    return re.findall(rf'quiz\.{name}\("([^"]+)"\)', src)


@pytest.mark.parametrize("path", STUDENT_LESSONS, ids=lambda p: p.name)
def test_every_quiz_call_names_a_bank_item_and_every_prediction_is_revealed(path):
    from painlab import quiz

    nb = _load(path)
    bank, preds = quiz.bank(), quiz._bank().predictions
    asked, predicted, revealed = _calls(nb, "ask"), _calls(nb, "predict"), _calls(nb, "reveal")
    assert asked and predicted
    assert all(q in bank for q in asked), [q for q in asked if q not in bank]
    assert all(p in preds for p in predicted)
    assert sorted(predicted) == sorted(revealed), "every prediction needs exactly one reveal"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for c in code:
        src = "".join(c["source"])
        assert "quiz.Question(" not in src and "quiz.Option(" not in src, "use the bank"
    # a reveal comes after its prediction
    order = [
        (m.group(1), m.group(2))
        for c in code
        for m in re.finditer(r'quiz\.(predict|reveal)\("([^"]+)"\)', "".join(c["source"]))
    ]
    for pid in predicted:
        assert order.index(("predict", pid)) < order.index(("reveal", pid))


@pytest.mark.parametrize("path", STUDENT_LESSONS, ids=lambda p: p.name)
def test_every_bank_question_of_the_lesson_is_asked_and_it_ends_with_retrieval(path):
    from painlab import quiz

    nb = _load(path)
    stem = path.stem
    own = [q.qid for q in quiz.bank().values() if q.lesson == stem]
    asked = _calls(nb, "ask")
    assert set(own) <= set(asked), sorted(set(own) - set(asked))
    if stem != "00_start_here":
        back = [q for q in asked if q[:2] < stem[:2]]
        assert 1 <= len(back) <= 4, f"{path.name}: retrieval set of 1-4 earlier items, got {back}"
        assert any("Retrieval practice" in h for h in _headings(nb))


@pytest.mark.parametrize("path", STUDENT_LESSONS, ids=lambda p: p.name)
def test_code_is_collapsed_and_the_glossary_is_one_click_away(path):
    nb = _load(path)
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            assert c["metadata"].get("jupyter", {}).get("source_hidden") is True
            assert "hide-input" in c["metadata"].get("tags", [])
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "](glossary.md)" in text
    assert (ROOT / "notebooks" / "glossary.md").exists()


GIVE_AWAY = [
    "heavy and light holds both work",
    "fatigue is not required",
    "largest where you work",
    "when studies of the same dose disagree",
]


@pytest.mark.parametrize("path", STUDENT_LESSONS, ids=lambda p: p.name)
def test_part_headings_ask_rather_than_tell(path):
    heads = [h for h in _headings(_load(path)) if re.match(r"#+ (Part \d|\d\.)", h)]
    for h in heads:
        assert not any(g in h.lower() for g in GIVE_AWAY), h
        assert "?" in h, f"{path.name}: make the heading a question: {h}"


def test_glossary_page_matches_the_package_and_the_book():
    from painlab import glossary

    assert (ROOT / "notebooks" / "glossary.md").read_text(encoding="utf-8").strip() == (
        glossary.markdown().strip()
    )
    book = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    package = (ROOT / "src" / "painlab" / "data" / "glossary.md").read_text(encoding="utf-8")
    assert book == package
    for term in ("HRR", "VO2max", "VO2R", "MVC", "1RM", "PPT", "CPM", "Temporal summation", "SMD"):
        assert term in glossary.TERMS


def test_one_citation_style_in_the_lessons():
    two_authors = [c for c in studies.citations().values() if "&" in c.short]
    for path in STUDENT_LESSONS:
        text = "\n".join(
            "".join(c["source"]) for c in _load(path)["cells"] if c["cell_type"] == "markdown"
        )
        for c in two_authors:
            year = c.short.split()[-1]
            assert not re.search(rf"{re.escape(c.first_author)}\s+et\s+al\.\s+{year}", text), (
                f"{path.name}: write {c.short}"
            )


@pytest.mark.parametrize("path", STUDENT_LESSONS, ids=lambda p: p.name)
def test_no_data_wrangling_in_lesson_cells(path):
    for c in _load(path)["cells"]:
        if c["cell_type"] != "code":
            continue
        src = "".join(c["source"])
        found = re.findall(
            r"to_frame\(|\.groupby\(|DataFrame\(|\.to_string\(|\.assign\(|\.dropna\(", src
        )
        assert not found, f"{path.name}: move {found} into painlab.tables: {src[:60]!r}"
        assert len(src.splitlines()) <= 12, f"{path.name}: a lesson cell of {src[:60]!r} is long"
