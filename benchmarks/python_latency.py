"""Python-side speed: the model grid, a dashboard move, and start-up.

Run: ``python benchmarks/python_latency.py`` (or ``make benchmarks``). Writes
``benchmarks/results/python_latency.json`` and prints a table. Not a test: timings vary
with the machine; the numbers in the README were measured on the project's 2-core box.

1. Model: the whole intensity x duration map (100 x 100) for each kind.
2. Dashboard: control change -> recomputed model -> traces updated in ``batch_update()``
   -> readout, over 300 intensity changes; beside the common teaching-notebook pattern,
   ``ipywidgets.interactive`` building new figures on every move, in the same run.
3. Start-up: a fresh process importing painlab and building the first FigureWidget, with
   and without jsonschema's optional IRI grammar (see dashboards._fast_figurewidget_import).
"""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).parent / "results" / "python_latency.json"


def stats(samples_s):
    ms = sorted(1000 * s for s in samples_s)
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 3),
    }


def bench_grid(repeats=50):
    from painlab import hypoalgesia
    from painlab.bouts import LIMITS

    out = {}
    for kind in ("aerobic", "isometric", "dynamic_resistance"):
        i = np.linspace(*LIMITS[kind]["intensity"], 100)
        d = np.linspace(*LIMITS[kind]["duration"], 100)
        hypoalgesia.effect_grid(kind, "healthy", i, d)  # warm
        # the fitted model caches grids it has computed: time the computation, not the cache
        cached = getattr(hypoalgesia.model, "_grid_summaries", None)
        ts = []
        for _ in range(repeats):
            if cached is not None:
                cached.cache_clear()
            t = time.perf_counter()
            hypoalgesia.effect_grid(kind, "healthy", i, d)
            ts.append(time.perf_counter() - t)
        out[kind] = stats(ts)
    return out


def bench_dashboard(moves=300):
    import ipywidgets as W

    import painlab as pl
    from painlab import figures
    from painlab.dashboards import _figure_widget

    e = pl.explore()
    slider = e.controls["intensity"]
    values = [40 + (k * 7) % 60 for k in range(moves)]
    ts = []
    for v in values:
        t = time.perf_counter()
        slider.value = v
        ts.append(time.perf_counter() - t)
    ours = stats(ts)

    out = W.Output()

    def redraw(intensity):  # the pattern to beat: new figures on every move
        b = pl.Bout("aerobic", intensity, 30)
        r = pl.predict(b)
        with out:
            for fig in (
                figures.plot_dose_map("aerobic", "healthy", b),
                figures.plot_sites(r),
                figures.plot_time_course(r),
                figures.plot_mechanisms(r),
            ):
                _figure_widget(fig)

    w = W.interactive(redraw, intensity=W.FloatSlider(value=75, min=20, max=100))
    ts = []
    for v in values[:100]:
        t = time.perf_counter()
        w.children[0].value = v
        ts.append(time.perf_counter() - t)
    interact = stats(ts)
    return {
        "explore_batch_update": ours,
        "interact_new_figures": interact,
        "speedup_median": round(interact["median_ms"] / ours["median_ms"], 1),
    }


def bench_slices(rounds=2):
    """pl.explore(): a kind, population or muscle change makes the kernel compute the page's
    new slice (the model at every control step); the first slice of a kind and muscle also
    fills the cache of its dose-only part."""
    import painlab as pl

    e = pl.explore()
    c = e.controls
    changes = []
    for _ in range(rounds):
        for pop in ("fibromyalgia", "older", "healthy"):
            changes.append(("population", pop))
        for kind in ("isometric", "dynamic_resistance", "aerobic"):
            changes.append(("kind", kind))
    ts = []
    for name, value in changes:
        t = time.perf_counter()
        c[name].value = value
        ts.append(time.perf_counter() - t)
    first, cached = ts[: len(ts) // rounds], ts[len(ts) // rounds :]
    return {"first_round": stats(first), "cached_round": stats(cached)}


STARTUP = """
import sys, time
t0 = time.perf_counter()
{prelude}
import painlab as pl
e = pl.explore(figures=("sites",))
print(time.perf_counter() - t0)
"""


def bench_startup(runs=3):
    def run(prelude):
        vals = [
            float(
                subprocess.check_output(
                    [sys.executable, "-c", STARTUP.format(prelude=prelude)], text=True
                )
            )
            for _ in range(runs)
        ]
        return round(statistics.median(vals), 3)

    # "before": pre-import jsonschema with its IRI grammar, as plotly's import chain used to.
    return {
        "first_figure_s_with_fix": run(""),
        "first_figure_s_without_fix": run("import jsonschema._format"),
    }


def main():
    res = {
        "grid_100x100": bench_grid(),
        "dashboard_move": bench_dashboard(),
        "explore_new_slice": bench_slices(),
        "startup": bench_startup(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=2))
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
