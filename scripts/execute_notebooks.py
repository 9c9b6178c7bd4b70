"""Run every notebook top to bottom in a fresh kernel and save it with its outputs.

nbval compares the text output of cells tagged ``nbval-check-output`` with what is saved
here, so a change in the evidence or the model shows up as a failing test. What is kept:
text outputs, execution counts and, for every widget output, the static views that
:mod:`painlab.static` adds in this run (a PNG of the figures at their initial state and a
text description; a quiz's question as HTML with the answer behind "Show answer"), so the
saved lessons read on GitHub, nbviewer, the course website and JupyterLab before "Run
all". What is dropped: the saved widget state (``metadata.widgets``, ~5 MB with
plotly.js), the widgets' bulky default text repr and, where a static view exists, the
widget view itself: without its state it is a reference to a model that no longer exists,
which JupyterLab shows as "Error displaying widget: model not found" instead of falling
back to the image. Running a cell replaces the saved output with the live widget.
Usage: ``python scripts/execute_notebooks.py [--keep-widget-views] [nb ...]``.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WIDGET = "application/vnd.jupyter.widget-view+json"
#: What a widget output keeps besides its widget view.
STATIC = ("image/png", "text/html", "text/plain")
#: Run in the kernel before the first cell: figures and dashboards get static views.
PREAMBLE = "import painlab.static; painlab.static.install()"


def slim(nb: nbformat.NotebookNode, keep_widget_views: bool = False) -> None:
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET in data:
                out["data"] = {k: data[k] for k in (WIDGET, *STATIC) if k in data}
                if not {"image/png", "text/html"} & set(out["data"]):
                    out["data"].pop("text/plain", None)  # a widget's default repr, not a view
                elif not keep_widget_views:
                    del out["data"][WIDGET]  # a dangling model reference; the static view shows
                out.get("metadata", {}).pop(WIDGET, None)


def run(path: Path, keep_widget_views: bool = False) -> float:
    nb = nbformat.read(path, as_version=4)
    t = time.perf_counter()
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=[f"--IPKernelApp.exec_lines={PREAMBLE}"],
    ).execute()
    elapsed = time.perf_counter() - t
    slim(nb, keep_widget_views)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    keep = "--keep-widget-views" in argv
    paths = [Path(a) for a in argv if a != "--keep-widget-views"]
    paths = paths or sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0
    for p in paths:
        seconds = run(p, keep)
        size = p.stat().st_size
        total += size
        print(f"{p.name}: {seconds:.1f} s, {size / 1000:.0f} kB", flush=True)
    print(f"total: {total / 1e6:.2f} MB in {len(paths)} notebook(s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
