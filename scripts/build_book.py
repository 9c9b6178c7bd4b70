"""Build the course website (``make book``): Sphinx + myst-nb + sphinx-book-theme, offline.

Steps, all local:

1. Stage a source tree in ``build/book-src``: the hand-written pages of ``book/``, and a
   copy of every notebook in ``notebooks/`` (as it is at build time) prepared for reading:

   - quiz and set-up cells get the ``hide-input`` tag (their code is not the lesson; the
     reader sees the question, with a "Show answer" toggle, and can still open the code);
   - every figure image gets alt text (cell metadata ``mystnb.image.alt``) and, below
     it, its full text description behind a "Describe this figure" toggle, both from the
     ``text/plain`` view that ``make execute-notebooks`` saved next to it;
   - every cell tagged ``claim-K<n>`` gets an anchor and a "Key point K<n>" label linking
     to the key-point index.

   Generated pages: ``references.md`` (from ``src/painlab/data/citations.csv``) and
   ``keypoints.md`` (K0-K18 -> the cells that demonstrate each). The offline handout
   (:func:`painlab.export_handout`) is written to the site root.
2. ``sphinx-build -b html`` into ``build/book/html``; nothing is executed, nothing is
   downloaded. Open ``build/book/html/index.html``.

Usage: ``python scripts/build_book.py [--out build/book] [--no-handout]``.
"""

from __future__ import annotations

import argparse
import csv
import html
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
NOTEBOOKS = ROOT / "notebooks"
CITATIONS = ROOT / "src" / "painlab" / "data" / "citations.csv"
WIDGET = "application/vnd.jupyter.widget-view+json"
CLAIM = re.compile(r"^claim-(K(?:1[0-8]|[0-9]))$")
KEY_POINTS = [f"K{i}" for i in range(19)]
#: Cells whose code is plumbing, not teaching: hidden behind a toggle on the website.
HIDDEN_CODE = re.compile(r"^\s*(quiz\.(ask|predict|reveal)\(|import |from \S+ import )")


def _title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def _heading_before(nb: nbformat.NotebookNode, index: int) -> str:
    """The last markdown heading above cell ``index`` (what the cell belongs to)."""
    for cell in reversed(nb.cells[:index]):
        if cell.cell_type == "markdown":
            heads = [ln.lstrip("#").strip() for ln in cell.source.splitlines() if ln[:1] == "#"]
            if heads:
                return heads[-1]
    return ""


def _alt(description: str) -> str:
    """Short alt text: the figure sentences of a description, else its first line."""
    lines: list[str] = []
    for ln in description.splitlines():  # saved text views wrap long lines, indented
        if ln.startswith("  ") and lines and lines[-1].startswith("Figure:"):
            lines[-1] += " " + ln.strip()
        elif ln.strip():
            lines.append(ln)
    figs = [ln.split(". Shows:")[0] for ln in lines if ln.startswith("Figure:")]
    return " ".join(figs) if figs else (lines[0] if lines else "Figure")


def prepare(nb: nbformat.NotebookNode, stem: str, claims: dict) -> nbformat.NotebookNode:
    """The notebook made ready for the website (see the module docstring)."""
    cells = []
    counter: dict[str, int] = defaultdict(int)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            # Lessons link to notebooks/glossary.md; on the website the glossary page is
            # one level up from the lessons.
            cell.source = cell.source.replace("](glossary.md", "](../glossary.md")
        if cell.cell_type == "code":
            tags = list(cell.metadata.get("tags", []))
            if HIDDEN_CODE.match(cell.source) and "hide-input" not in tags:
                tags.append("hide-input")
            for tag in tags:
                m = CLAIM.match(tag)
                if not m:
                    continue
                k = m.group(1)
                counter[k] += 1
                label = f"{stem}-{k}-{counter[k]}".lower().replace("_", "-")
                claims[k].append((stem, label, _heading_before(nb, i)))
                cells.append(
                    nbformat.v4.new_markdown_cell(
                        f"({label})=\n"
                        f"**Key point {k}** · {{ref}}`all cells for {k} <keypoint-{k.lower()}>`",
                        metadata={"tags": ["painlab-keypoint"]},
                    )
                )
            cell.metadata["tags"] = tags
            outputs = []
            for out in cell.get("outputs", []):
                outputs.append(out)
                data = out.get("data", {})
                if "image/png" in data and "text/plain" in data:
                    text = data["text/plain"]
                    text = "".join(text) if isinstance(text, list) else text
                    cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = _alt(
                        text
                    )
                    outputs.append(
                        nbformat.v4.new_output(
                            "display_data",
                            data={
                                "text/html": (
                                    '<details class="painlab-figure-text"><summary>'
                                    "Describe this figure in words</summary>"
                                    f"<pre>{html.escape(text)}</pre></details>"
                                )
                            },
                        )
                    )
            cell.outputs = outputs
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


def references_page() -> str:
    lines = [
        "# References",
        "",
        "Every study the lessons and the model cite, from `src/painlab/data/citations.csv`.",
        "",
    ]
    with open(CITATIONS, newline="", encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: (r["authors"].lower(), r["year"]))
    for r in rows:
        authors = r["authors"].replace("; ", ", ")
        where = r["journal"]
        if r.get("volume"):
            where += f" {r['volume']}"
            if r.get("issue"):
                where += f"({r['issue']})"
        if r.get("pages"):
            where += f":{r['pages']}"
        ids = []
        if r.get("doi"):
            ids.append(f"doi:[{r['doi']}](https://doi.org/{r['doi']})")
        if r.get("pmid"):
            ids.append(f"PMID:[{r['pmid']}](https://pubmed.ncbi.nlm.nih.gov/{r['pmid']}/)")
        lines.append(f"- {authors} ({r['year']}). {r['title']}. *{where}*. " + ", ".join(ids))
    return "\n".join(lines) + "\n"


def keypoints_page(claims: dict, titles: dict) -> str:
    lines = [
        "# Key points K0–K18",
        "",
        "Each key point of the course, and the cells in the lessons that demonstrate it "
        "(with the section they are in). Every such cell is marked **Key point K…** in "
        "the lesson.",
        "",
    ]
    for k in KEY_POINTS:
        lines += [f"(keypoint-{k.lower()})=", f"## {k}", ""]
        cells = claims.get(k, [])
        if not cells:
            lines += ["No cell demonstrates this key point yet.", ""]
        for stem, label, heading in cells:
            where = f"{titles[stem]}" + (f" — {heading}" if heading else "")
            lines.append(f"- {{ref}}`{where} <{label}>`")
        lines.append("")
    return "\n".join(lines)


def stage(src: Path, handout: bool = True) -> None:
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(BOOK, src, ignore=shutil.ignore_patterns("__pycache__"))
    lessons = src / "lessons"
    lessons.mkdir()
    claims: dict[str, list] = defaultdict(list)
    titles = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        titles[path.stem] = _title(nb, path.stem)
        nbformat.write(prepare(nb, path.stem, claims), lessons / path.name)
    (src / "references.md").write_text(references_page(), encoding="utf-8")
    (src / "keypoints.md").write_text(keypoints_page(claims, titles), encoding="utf-8")
    extra = src / "_extra"
    extra.mkdir(exist_ok=True)
    if handout:
        import painlab as pl

        pl.export_handout(extra / "painlab-handout.html")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "build" / "book"), help="output folder")
    ap.add_argument("--no-handout", action="store_true", help="skip the 8 MB handout")
    args = ap.parse_args(argv)
    out = Path(args.out).resolve()
    src = out.parent / "book-src"
    t0 = time.perf_counter()
    stage(src, handout=not args.no_handout)
    t1 = time.perf_counter()
    html_dir = out / "html"
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", "-j", "2"]
    cmd += ["-d", str(out / "doctrees"), str(src), str(html_dir)]
    rc = subprocess.call(cmd, cwd=ROOT)
    t2 = time.perf_counter()
    print(
        f"book: staged in {t1 - t0:.1f} s, built in {t2 - t1:.1f} s -> {html_dir / 'index.html'}",
        flush=True,
    )
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
