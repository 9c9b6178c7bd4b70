"""Run every notebook top to bottom in a fresh kernel and save it with its outputs.

nbval compares the text output of cells tagged ``nbval-check-output`` with what is saved
here, so a change in the evidence or the model shows up as a failing test. What is kept:
text outputs and execution counts. What is dropped: the saved widget state
(``metadata.widgets``, ~5 MB with plotly.js) and the bulky text repr of widget outputs
(nbval never compares widget views). Usage: ``python scripts/execute_notebooks.py [nb ...]``.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WIDGET = "application/vnd.jupyter.widget-view+json"


def slim(nb: nbformat.NotebookNode) -> None:
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET in data:
                out["data"] = {WIDGET: data[WIDGET]}


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    t = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    elapsed = time.perf_counter() - t
    slim(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        print(f"{p.name}: {run(p):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
