"""Offline handout: control move -> redrawn figures, in headless Chromium.

Run: ``python benchmarks/handout_latency.py [--handout FILE] [--moves N]``. Writes
``benchmarks/results/handout_latency.json`` and prints a table. Not a test: timings vary
with the machine (and with whatever else runs on it; the load average is recorded).

The page (``pl.export_handout``) is opened from a ``file://`` URL with the network blocked.
Each move sets a control and dispatches its ``input``/``change`` event, exactly as a
dragged slider does, then waits for the page's ``painlab:drawn`` event, which fires once
every figure of that move has been drawn (Plotly's promises resolved) and the readout
replaced. Three times are taken from the input event, in the page's own clock:

- ``drawn``: all figures and the readout updated (the target: median <= 30 ms);
- ``painted``: the next animation frame after that, i.e. when the screen shows it;
- ``last_mutation``: the last DOM change inside the three figures (a MutationObserver),
  a cross-check that ``drawn`` is not early.

Slider moves (intensity and duration, alternating, both directions) are the ones a
student drags; kind and population changes rebuild the figures and are reported apart.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from painlab._chromium import ARGS, CHROMIUM

OUT = Path(__file__).parent / "results" / "handout_latency.json"

MOVE = """
async ([id, value]) => {
  const el = document.getElementById(id);
  const figs = ['fig-dose_map', 'fig-dose_map-star', 'fig-sites', 'fig-time_course']
    .map(i => document.getElementById(i));
  let last = null;
  const obs = new MutationObserver(() => { last = performance.now(); });
  figs.forEach(f => obs.observe(f, {subtree: true, childList: true, attributes: true}));
  const drawn = new Promise(res => document.addEventListener(
    'painlab:drawn', () => res(performance.now()), {once: true}));
  const t0 = performance.now();
  el.value = value;
  el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true}));
  const t1 = await drawn;
  const t2 = await new Promise(r => requestAnimationFrame(() => r(performance.now())));
  obs.disconnect();
  return {drawn: t1 - t0, painted: t2 - t0, last_mutation: last === null ? null : last - t0};
}
"""


def stats(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
        "max_ms": round(ms[-1], 2),
    }


def slider_moves(n: int) -> list[tuple[str, str]]:
    """Alternate intensity (aerobic, 50..90 % VO2max) and duration (5..60 min) steps."""
    out = []
    for k in range(n):
        if k % 2 == 0:
            out.append(("intensity", str(50 + (k // 2) % 41)))
        else:
            out.append(("duration", str(5 + (k * 7) % 56)))
    return out


def run(handout: Path, moves: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        leaked: list[str] = []

        def gate(route):
            if route.request.url.startswith(("file://", "data:")):
                route.continue_()
            else:
                leaked.append(route.request.url)
                route.abort()

        context.route("**/*", gate)
        page = context.new_page()
        t = time.perf_counter()
        page.goto(handout.as_uri())
        # the explorer marks its first complete drawing
        page.wait_for_selector(".painlab-explorer[data-drawn]")
        load_s = time.perf_counter() - t
        for _ in range(5):  # warm-up: JIT, first decode of the arrays
            page.evaluate(MOVE, ["intensity", "70"])
            page.evaluate(MOVE, ["intensity", "71"])
        sliders = [page.evaluate(MOVE, list(m)) for m in slider_moves(moves)]
        structure = []
        for k in range(10):
            control, value = (
                ("kind", ["isometric", "aerobic"][k % 2])
                if k < 5
                else ("population", ["older", "healthy"][k % 2])
            )
            structure.append(page.evaluate(MOVE, [control, value]))
        version = browser.version
        context.close()
        browser.close()
    mutations = [r["last_mutation"] for r in sliders if r["last_mutation"] is not None]
    return {
        "slider_moves": {
            "drawn": stats([r["drawn"] for r in sliders]),
            "painted": stats([r["painted"] for r in sliders]),
            "last_mutation": stats(mutations),
        },
        "kind_or_population_changes": {
            "drawn": stats([r["drawn"] for r in structure]),
            "painted": stats([r["painted"] for r in structure]),
        },
        "page_load_s": round(load_s, 2),
        "requests_blocked": leaked,
        "chromium": version,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handout", type=Path, help="an existing handout (default: export one)")
    parser.add_argument("--moves", type=int, default=100, help="slider moves (>= 50)")
    args = parser.parse_args()
    if args.moves < 50:
        parser.error("--moves must be at least 50")
    if not Path(CHROMIUM).is_file():
        sys.exit(f"needs Chromium at {CHROMIUM}")
    with tempfile.TemporaryDirectory() as tmp:
        handout = args.handout
        if handout is None:
            import painlab as pl

            t = time.perf_counter()
            handout = pl.export_handout(Path(tmp) / "handout.html", verbose=False)
            export_s = time.perf_counter() - t
        else:
            export_s = None
        result = run(handout, args.moves)
        result["handout_bytes"] = handout.stat().st_size
    result["export_s"] = None if export_s is None else round(export_s, 1)
    result["machine"] = {
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "platform": platform.platform(),
    }
    result["target"] = "slider move -> all figures drawn: median <= 30 ms"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")

    print(f"handout {result['handout_bytes'] / 1e6:.1f} MB, page load {result['page_load_s']} s")
    print(f"{'':32} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for group, rows in (
        ("slider move", result["slider_moves"]),
        ("kind/population change", result["kind_or_population_changes"]),
    ):
        for what, s in rows.items():
            label = f"{group}: {what}"
            print(f"{label:32} {s['n']:>4} {s['median_ms']:>10} {s['p95_ms']:>8} {s['max_ms']:>8}")
    print(f"requests that tried to leave the page: {len(result['requests_blocked'])}")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
