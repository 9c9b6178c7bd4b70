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
