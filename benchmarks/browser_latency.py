"""Slider-to-redraw latency of the student explorer in a real browser, with its floor.

Serves three throwaway notebooks, in JupyterLab and in Voilà (127.0.0.1, free ports,
tokens), and drives each in headless Chromium (/usr/bin/chromium):

- ``explore``: ``pl.explore()``, the page-side front end (``assets/explorer.js``);
- ``lecture``: the lecture app (``pl.present()``, ``make present``), its first explorer
  segment with the result revealed: the same front end in the lecture's layout, inside
  the whole app (every other segment's figures are in the page too);
- ``widgets``: the same explorer drawn the kernel-driven way (``Explorer(page=False)``:
  ipywidgets sliders and ``FigureWidget``s, each move a kernel round trip), the 0.1 design;
- ``floor``: a trivial notebook -- one slider, a heatmap of the dose map's size and a
  3-bar chart, updated by the kernel in ``batch_update()``: the cost of the kernel round
  trip itself, the floor for any kernel-driven design.

Each is moved by keyboard (ArrowLeft then ArrowRight on the intensity slider) and by
dragging the slider's thumb with the mouse. A move's latency runs from the keydown or
pointermove (``performance.now()`` in a capturing listener) until *every* visible figure
and the readout have been redrawn: a MutationObserver on each figure (for ``explore`` the
star's overlay, sites, time course, mechanisms) and on the readout records its first
mutation after the input (a MutationObserver reports after the task that changed the
DOM, so this is when that figure's new drawing is in place); the slowest of them ends the
move. The explorer (``explore``, ``lecture``) also reports the end of its own drawing (``painlab:drawn``, once every
plotly call's promise has resolved, which plotly does a frame after a transition); that
time is printed too, and the harness waits for it before the next move.

Prints median and 95th percentile per front end, input and server, and each median's
ratio to the floor's in the same run; writes benchmarks/results/browser_latency.json.
Target (issue 13): median <= 50 ms, p95 <= 100 ms.

    python benchmarks/browser_latency.py [--moves 60] [--servers lab voila]

Not a test: the numbers depend on the machine; nothing here fails on a miss.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "browser_latency.json"
TARGET_MEDIAN_MS = 50.0
TARGET_P95_MS = 100.0
WARMUP = 4


def _harness():
    """The browser-test helpers (servers, Chromium) from tests/browser/conftest.py."""
    path = REPO / "tests" / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("painlab_browser_harness", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


CELLS = {
    "explore": "import painlab as pl\n\ndash = pl.explore()\ndash",
    "lecture": "import painlab as pl\n\napp = pl.present()\napp",
    "widgets": (
        "from painlab.dashboards import Explorer\n\ndash = Explorer(page=False)\ndash.widget"
    ),
    "floor": """import numpy as np
import ipywidgets as W
import plotly.graph_objects as go

z = np.random.default_rng(0).random((60, 81)).round(3).tolist()
heat = go.FigureWidget(
    [
        go.Heatmap(z=z, x=list(range(20, 101)), y=list(range(60))),
        go.Scatter(x=[75], y=[30], mode="markers", marker={"size": 20}, name="current bout"),
    ]
)
bars = go.FigureWidget(go.Bar(x=["a", "b", "c"], y=[0.5, 0.4, 0.3], name="effect"))
heat.layout.height, bars.layout.height = 420, 320
slider = W.FloatSlider(value=75, min=20, max=100, step=1, description="Intensity")

def move(change):
    v = change["new"]
    with heat.batch_update():
        heat.data[1].x = [v]
    with bars.batch_update():
        bars.data[0].y = [v / 100, v / 150, v / 200]

slider.observe(move, names="value")
W.VBox([slider, heat, bars])""",
}

#: The lecture's explorer segment (the app also holds the mechanisms and A/B explorers).
LECTURE = ".painlab-explorer:has(.painlab-plot-dose_map)"
#: Front ends drawn in the page (they fire painlab:drawn).
PAGE = ("explore", "lecture")
#: What redraws on a move, per front end (CSS selectors, relative to the document).
TARGETS = {
    "explore": [
        ".painlab-star",
        ".painlab-plot-sites",
        ".painlab-plot-time_course",
        ".painlab-plot-mechanisms",
        ".painlab-page-readout",
    ],
    "lecture": [
        f"{LECTURE} .painlab-star",
        f"{LECTURE} .painlab-plot-sites",
        f"{LECTURE} .painlab-plot-time_course",
        f"{LECTURE} .painlab-page-readout",
    ],
    "widgets": ["@plots", ".widget-html:has(.painlab-readout)"],
    "floor": ["@plots"],
}
#: The intensity slider's thumb (mouse) and the element that takes keys.
SLIDER = {
    "explore": ".painlab-control-intensity input",
    "lecture": f"{LECTURE} .painlab-control-intensity input",
    "widgets": "@intensity",
    "floor": "@intensity",
}

INSTRUMENT = """
([targets, needDrawn]) => {
    const els = [];
    for (const sel of targets) {
        if (sel === '@plots') els.push(...document.querySelectorAll('.js-plotly-plot'));
        else els.push(...document.querySelectorAll(sel));
    }
    if (!els.length) throw new Error('no figure found for ' + targets);
    const B = (window.__bench = {t0: null, first: new Map(), drawn: null, n: els.length,
                                  needDrawn, last: 0});
    const start = () => { B.t0 = performance.now(); B.first = new Map(); B.drawn = null; };
    document.addEventListener('keydown', start, true);
    document.addEventListener('pointermove', (e) => { if (e.buttons) start(); }, true);
    els.forEach((el, k) => new MutationObserver(() => {
        const now = performance.now();
        B.last = now;
        if (B.t0 !== null && !B.first.has(k)) B.first.set(k, now - B.t0);
    }).observe(el, {subtree: true, childList: true, attributes: true, characterData: true}));
    document.addEventListener('painlab:drawn', () => {
        if (B.t0 !== null && B.drawn === null) B.drawn = performance.now() - B.t0;
    });
    return els.length;
}
"""
DONE = """() => { const B = window.__bench;
    return B.first.size === B.n && (!B.needDrawn || B.drawn !== null); }"""
RESULT = """() => { const B = window.__bench;
    return [Math.max(...B.first.values()), B.drawn]; }"""
QUIET = "(ms) => performance.now() - window.__bench.last > ms"


def _percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100), as numpy's default."""
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(_percentile(values, 95), 1),
        "min_ms": round(min(values), 1),
        "max_ms": round(max(values), 1),
    }


def _notebook(cell: str) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "c0",
                "metadata": {},
                "outputs": [],
                "source": cell.splitlines(keepends=True),
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _slider(page, name: str):
    if SLIDER[name].startswith("@"):
        return (
            page.locator(".widget-slider")
            .filter(has=page.locator(".widget-label", has_text="Intensity"))
            .first.locator(".noUi-handle")
        )
    return page.locator(SLIDER[name]).first


def _moves(page, name: str, how: str, n: int, events: list[float]) -> list[float]:
    page.evaluate(INSTRUMENT, [TARGETS[name], name in PAGE])
    slider = _slider(page, name)
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    if name in PAGE:  # a native range input: the thumb sits at the value
        value = float(slider.input_value())
        x0 = box["x"] + 8 + (box["width"] - 16) * (value - 20) / 80
    else:
        x0 = box["x"] + box["width"] / 2
    y = box["y"] + box["height"] / 2
    track = box["width"] if name in PAGE else _track_width(page)
    step_px = 3 * track / 80  # 3 intensity steps per move: every move changes the value
    out: list[float] = []
    total = WARMUP + n
    if how == "keys":
        slider.focus()
    else:
        page.mouse.move(x0, y)
        page.mouse.down()
    x = x0
    for i in range(total):
        # zig-zag in blocks of 8 moves (at most 24 steps), well inside 20-100 from 75
        direction = -1 if (i // 8) % 2 == 0 else 1
        if how == "keys":
            page.keyboard.press("ArrowLeft" if direction < 0 else "ArrowRight")
        else:
            x += direction * step_px
            page.mouse.move(x, y)
        page.wait_for_function(DONE, timeout=30_000, polling="raf")
        page.wait_for_function(QUIET, arg=150, timeout=30_000, polling=50)
        if i >= WARMUP:
            redrawn, drawn = page.evaluate(RESULT)
            out.append(redrawn)
            if drawn is not None:
                events.append(drawn)
    if how == "drag":
        page.mouse.up()
        page.wait_for_function(QUIET, arg=300, timeout=30_000, polling=50)
    return out


def _track_width(page) -> float:
    return page.locator(".widget-slider .noUi-target").first.bounding_box()["width"]


def _ready(page, name: str) -> None:
    if name == "explore":
        page.wait_for_selector(".painlab-explorer[data-drawn]", timeout=120_000)
    elif name == "lecture":  # the first segment, its result revealed (as in a lecture)
        page.wait_for_selector(f"{LECTURE}[data-drawn]", timeout=240_000)
        page.locator("button.painlab-reveal").click()
        page.wait_for_selector(f"{LECTURE}:not(.painlab-concealed)", timeout=30_000)
    else:
        want = 4 if name == "widgets" else 2
        page.wait_for_function(
            "(n) => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
            arg=want,
            timeout=120_000,
        )
    page.wait_for_timeout(1000)  # let the first render settle before instrumenting


def measure(moves: int, servers: list[str], cases: list[str] | None = None) -> dict:
    h = _harness()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="painlab-bench-"))
    root = work / "notebooks"
    root.mkdir()
    for name, cell in CELLS.items():
        (root / f"{name}.ipynb").write_text(json.dumps(_notebook(cell), indent=1))
    results: dict = {}
    with sync_playwright() as p:
        browser = h.launch_chromium(p)
        try:
            for server_name in servers:
                start = h.jupyter_lab if server_name == "lab" else h.voila_notebooks
                with start(root, work / server_name) as server:
                    for name in cases or list(CELLS):
                        for how in ("keys", "drag"):
                            page = browser.new_context(viewport=h.VIEWPORT).new_page()
                            console: list[str] = []
                            page.on(
                                "console",
                                lambda m, c=console: (
                                    c.append(m.text) if m.type == "error" else None
                                ),
                            )
                            page.on("pageerror", lambda e, c=console: c.append(f"pageerror: {e}"))
                            if server_name == "lab":
                                h.open_notebook(page, server, f"{name}.ipynb")
                                h.run_all_cells(page)
                            else:
                                page.goto(
                                    server.link(f"voila/render/{name}.ipynb"), timeout=120_000
                                )
                            events: list[float] = []
                            key = f"{server_name}/{name}/{how}"
                            try:
                                _ready(page, name)
                                values = _moves(page, name, how, moves, events)
                            except PlaywrightTimeout as exc:  # report it, measure the rest
                                results[key] = {"error": str(exc).splitlines()[0]}
                                shot = RESULTS.parent / f"failed-{server_name}-{name}-{how}.png"
                                page.screenshot(path=str(shot))
                                results[key]["console_errors"] = console[-10:]
                                print("\n".join(console[-10:]))
                                print(f"  {server_name:<5} {name:<8} {how:<5} FAILED: {exc}")
                                page.context.close()
                                continue
                            results[key] = _stats(values)
                            print(f"  {server_name:<5} {name:<8} {how:<5} {_line(values)}")
                            if events:
                                results[key]["painlab_drawn_event"] = _stats(events)
                                print(f"  {'':<5} {'':<8} {'':<5} {_line(events)}  (painlab:drawn)")
                            page.context.close()
            chromium_version = browser.version
        finally:
            browser.close()
    for key, s in list(results.items()):
        server_name, name, how = key.split("/")
        floor = results.get(f"{server_name}/floor/{how}", {}).get("median_ms")
        if "median_ms" in s and floor:
            s["ratio_to_floor"] = round(s["median_ms"] / floor, 2)
    explore = [v for k, v in results.items() if "/explore/" in k or "/lecture/" in k]
    return {
        "benchmark": "keydown / pointermove on the intensity slider -> every visible figure "
        "and the readout redrawn (last first-mutation; explorer: and painlab:drawn)",
        "moves": moves,
        "results": results,
        "targets": {"median_ms": TARGET_MEDIAN_MS, "p95_ms": TARGET_P95_MS},
        "explore_meets_targets": all(
            "median_ms" in s and s["median_ms"] <= TARGET_MEDIAN_MS and s["p95_ms"] <= TARGET_P95_MS
            for s in explore
        ),
        "environment": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "chromium": chromium_version,
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _line(values: list[float]) -> str:
    s = _stats(values)
    return f"median {s['median_ms']:6.1f} ms   p95 {s['p95_ms']:6.1f} ms   (n={s['n']})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=60, help="measured moves per case (>= 50)")
    parser.add_argument("--servers", nargs="+", default=["lab", "voila"], choices=["lab", "voila"])
    parser.add_argument("--cases", nargs="+", default=None, choices=list(CELLS))
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    print("browser latency (keydown/pointermove -> all figures and readout redrawn):")
    result = measure(max(args.moves, 1), args.servers, args.cases)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"ratios to the floor (median / floor median, same server and input), {time.monotonic() - t0:.0f} s:"
    )
    for key, s in result["results"].items():
        if "ratio_to_floor" in s:
            print(f"  {key:<22} {s['ratio_to_floor']:5.2f}")
    verdict = "meet" if result["explore_meets_targets"] else "MISS"
    print(
        f"pl.explore() and the lecture {verdict} the target (median <= {TARGET_MEDIAN_MS:.0f} ms, "
        f"p95 <= {TARGET_P95_MS:.0f} ms) everywhere; written to {RESULTS.relative_to(REPO)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
