"""Slider-to-redraw latency of the student dashboard in a real browser.

Starts its own JupyterLab (127.0.0.1, free port, token) on a throwaway notebook that
displays ``pl.explore()``, opens it in headless Chromium (/usr/bin/chromium), runs it,
then moves the intensity slider by keyboard (ArrowLeft, then ArrowRight) many times. For
each key press a MutationObserver in the page measures the time from the keydown
(``performance.now()`` in a capturing listener) to the first mutation of the dose-map
figure and of the sites figure: the whole round trip through the widget model, the kernel
(model + ``batch_update``) and plotly's redraw.

Prints the median and 95th percentile in ms and writes them to
benchmarks/results/browser_latency.json. Targets (DESIGN.md, "fast enough to feel
physical"): median <= 100 ms, p95 <= 200 ms for both figures redrawn.

    python benchmarks/browser_latency.py [--presses 60]

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
TARGET_MEDIAN_MS = 100.0
TARGET_P95_MS = 200.0
WARMUP = 4


def _harness():
    """The browser-test helpers (servers, Chromium) from tests/browser/conftest.py."""
    path = REPO / "tests" / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("painlab_browser_harness", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


INSTRUMENT = """
() => {
    const plots = {};
    for (const el of document.querySelectorAll('.js-plotly-plot')) {
        const title = (el.querySelector('.gtitle') || {}).textContent || '';
        if (title.startsWith('Dose map')) plots.dose_map = el;
        else if (title.startsWith('Where pain eases')) plots.sites = el;
        else plots['other' + Object.keys(plots).length] = el;
    }
    if (!plots.dose_map || !plots.sites) throw new Error('dose map / sites figure not found');
    const B = (window.__painlabBench = { t0: null, first: {}, lastMutation: 0 });
    document.addEventListener('keydown', () => {
        B.t0 = performance.now();
        B.first = {};
    }, true);
    for (const [name, el] of Object.entries(plots)) {
        new MutationObserver(() => {
            const now = performance.now();
            B.lastMutation = now;
            if (B.t0 !== null && !(name in B.first)) B.first[name] = now - B.t0;
        }).observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
    }
    return Object.keys(plots);
}
"""

BOTH_REDRAWN = (
    "() => { const f = window.__painlabBench.first; return 'dose_map' in f && 'sites' in f; }"
)
QUIET = "(ms) => performance.now() - window.__painlabBench.lastMutation > ms"


def _percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100), as numpy's default."""
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(_percentile(values, 95), 1),
        "min_ms": round(min(values), 1),
        "max_ms": round(max(values), 1),
    }


def measure(presses: int) -> dict:
    h = _harness()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="painlab-bench-"))
    root = work / "notebooks"
    root.mkdir()
    h.write_explore_notebook(root)
    samples: list[dict[str, float]] = []
    with h.jupyter_lab(root, work / "lab") as server, sync_playwright() as p:
        browser = h.launch_chromium(p)
        try:
            page = browser.new_context(viewport=h.VIEWPORT).new_page()
            h.open_notebook(page, server, "explore.ipynb")
            result = h.run_all_cells(page)
            if result["status"] != "done":
                raise RuntimeError(f"the explore notebook did not run: {result}")
            page.locator(".js-plotly-plot .gtitle", has_text="Where pain eases").wait_for(
                timeout=90_000
            )
            page.wait_for_timeout(1500)  # let the first render settle
            page.evaluate(INSTRUMENT)
            handle = (
                page.locator(".widget-slider")
                .filter(has=page.locator(".widget-label", has_text="Intensity"))
                .locator(".noUi-handle")
            )
            handle.focus()
            total = WARMUP + presses
            for i in range(total):
                key = "ArrowLeft" if i < total // 2 else "ArrowRight"
                page.keyboard.press(key)
                page.wait_for_function(BOTH_REDRAWN, timeout=15_000, polling="raf")
                # Let every figure and the readout finish before the next press.
                page.wait_for_function(QUIET, arg=250, timeout=15_000, polling=50)
                first = page.evaluate("() => window.__painlabBench.first")
                if i >= WARMUP:
                    samples.append(first)
            chromium_version = browser.version
        finally:
            browser.close()

    dose = [s["dose_map"] for s in samples]
    sites = [s["sites"] for s in samples]
    both = [max(s["dose_map"], s["sites"]) for s in samples]
    both_stats = _stats(both)
    return {
        "benchmark": "keydown on the intensity slider -> first SVG mutation of the figure",
        "presses": len(samples),
        "dose_map": _stats(dose),
        "sites": _stats(sites),
        "both_redrawn": both_stats,
        "targets": {"median_ms": TARGET_MEDIAN_MS, "p95_ms": TARGET_P95_MS},
        "meets_targets": both_stats["median_ms"] <= TARGET_MEDIAN_MS
        and both_stats["p95_ms"] <= TARGET_P95_MS,
        "environment": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "chromium": chromium_version,
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=60, help="measured key presses (>= 50)")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    result = measure(max(args.presses, 1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"browser latency, {result['presses']} key presses ({time.monotonic() - t0:.0f} s):")
    for name in ("dose_map", "sites", "both_redrawn"):
        s = result[name]
        print(f"  {name:<13} median {s['median_ms']:6.1f} ms   p95 {s['p95_ms']:6.1f} ms")
    verdict = "meets" if result["meets_targets"] else "MISSES"
    print(
        f"  {verdict} the targets (median <= {TARGET_MEDIAN_MS:.0f} ms, "
        f"p95 <= {TARGET_P95_MS:.0f} ms); written to {RESULTS.relative_to(REPO)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
