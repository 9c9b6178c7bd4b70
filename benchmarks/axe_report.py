"""axe-core violation counts, by impact, for the course website, the handout and the presenter.

Counts only (the browser tests in tests/browser/test_book.py fail on serious and critical
violations of the book and the handout; the presenter is reported here, fixed elsewhere).
axe-core is the ``axe.min.js`` bundled in the axe-playwright-python wheel; Chromium is
/usr/bin/chromium; the book must be built first (``make book``).

Usage: ``python benchmarks/axe_report.py [--book build/book/html] [--no-presenter]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IMPACTS = ("critical", "serious", "moderate", "minor")


def _harness():
    path = REPO / "tests" / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("painlab_browser_harness", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def violations(page) -> list[dict]:
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    opts = {"resultTypes": ["violations"], "iframes": False}
    return page.evaluate("(opts) => axe.run(document, opts)", opts)["violations"]


def count(vs: list[dict]) -> dict:
    c = Counter()
    for v in vs:
        c[v["impact"]] += len(v["nodes"])
    return {k: c.get(k, 0) for k in IMPACTS} | {"rules": sorted({v["id"] for v in vs})}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--book", default=str(REPO / "build" / "book" / "html"))
    ap.add_argument("--no-presenter", action="store_true")
    args = ap.parse_args(argv)
    book = Path(args.book)
    h = _harness()
    from playwright.sync_api import sync_playwright

    report = {}
    with sync_playwright() as p:
        browser = h.launch_chromium(p)
        page = browser.new_page(viewport=h.VIEWPORT)
        for html in sorted(book.rglob("*.html")):
            rel = str(html.relative_to(book))
            if rel.startswith(("_", "genindex")):
                continue
            page.goto(html.as_uri(), wait_until="load")
            if rel == "painlab-handout.html":
                page.locator("#fig-dose_map .main-svg").first.wait_for(state="attached")
            report[rel] = count(violations(page))
        if not args.no_presenter:
            with h.voila_present() as server:
                page.goto(server.link(""), timeout=180_000)
                page.locator(".painlab-present .js-plotly-plot .main-svg").first.wait_for(
                    state="attached", timeout=180_000
                )
                report["presenter (make present)"] = count(violations(page))
        browser.close()
    for name, c in report.items():
        print(f"{name:40s} " + " ".join(f"{k}={c[k]}" for k in IMPACTS) + f"  {c['rules']}")
    total = {k: sum(c[k] for n, c in report.items() if "presenter" not in n) for k in IMPACTS}
    print("book + handout total (nodes):", json.dumps(total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
