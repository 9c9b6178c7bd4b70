"""The course website (``make book``) in headless Chromium, from file:// with no network.

The book is built once per test session into a temporary folder by the same script as
``make book``. Every page is opened from a ``file://`` URL in a context where every other
request is aborted and recorded; each page must load, show every figure image (decoded,
``naturalWidth > 0``), keep the quiz answers behind "Show answer", request nothing off the
folder, and have no serious or critical axe-core violation. axe-core comes from the
``axe-playwright-python`` wheel (its bundled ``axe.min.js``), so nothing is fetched.

Uses Debian's /usr/bin/chromium; a missing browser fails the test (never skipped).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"
PAGES = [
    "index.html",
    "glossary.html",
    "references.html",
    "keypoints.html",
    "handout.html",
    "search.html",
    *[f"lessons/{p.stem}.html" for p in NOTEBOOKS],
]
#: axe-core impacts that fail a test.
BLOCKING = ("serious", "critical")
BUILD_TIMEOUT = 600  # s; ~20 s on a 2-core machine


def axe_violations(page, options: dict | None = None) -> list[dict]:
    """axe-core's violations on ``page`` (axe.min.js from the axe-playwright-python wheel)."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    opts = {"resultTypes": ["violations"], "iframes": False, **(options or {})}
    result = page.evaluate("(opts) => axe.run(document, opts)", opts)
    return result["violations"]


def blocking(violations: list[dict]) -> list[str]:
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) x{len(v['nodes'])}: "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.fixture(scope="session")
def book(tmp_path_factory) -> Path:
    """The website built by scripts/build_book.py (as ``make book``), once per session."""
    out = tmp_path_factory.mktemp("book")
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_book.py"), "--out", str(out / "book")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert proc.returncode == 0, f"make book failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    print(f"\nbook built in {time.perf_counter() - t:.1f} s", flush=True)
    return out / "book" / "html"


@pytest.fixture
def offline(browser):
    """A page whose context aborts (and records) every request that is not file:// or data:."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked, failed = [], []

    def gate(route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.blocked, page.failed = blocked, failed
    try:
        yield page
    finally:
        context.close()


def _expected(stem: str) -> dict:
    """What the saved lesson holds: figure images and self-check questions."""
    nb = json.loads((REPO / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    images = widgets_without_static = answers = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                images += 1
            if "<details><summary>Show answer" in "".join(data.get("text/html", "")):
                answers += 1
            if WIDGET in data and not ({"image/png", "text/html"} & set(data)):
                widgets_without_static += 1
    return {"images": images, "bare": widgets_without_static, "answers": answers}


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_with_every_figure_visible(book, offline, name):
    page = offline
    path = book / name
    assert path.is_file(), f"the book has no {name}"
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("() => Array.from(document.images).every((i) => i.complete)")
    images = page.evaluate(
        "() => Array.from(document.images).map((i) => [i.currentSrc, i.naturalWidth, i.alt])"
    )
    broken = [src for src, width, _ in images if width == 0]
    assert not broken, f"{name}: images that did not load: {broken}"
    if name.startswith("lessons/"):
        expected = _expected(Path(name).stem)
        assert expected["bare"] == 0, (
            f"{name}: {expected['bare']} widget output(s) saved with no static view; "
            "run `make execute-notebooks`"
        )
        figures = [(src, alt) for src, _, alt in images if "/_images/" in src]
        assert len(figures) == expected["images"], (
            f"{name}: {len(figures)} figure image(s) on the page, {expected['images']} saved"
        )
        assert all(alt.strip() for _, alt in figures), f"{name}: a figure without alt text"
        # the code widgets need a kernel for: none is left on the page
        assert page.locator(f'script[type="{WIDGET}"]').count() == 0
        summaries = page.locator(".painlab-quiz details summary")
        assert summaries.count() == expected["answers"]
        if expected["answers"]:
            answer = page.locator(".painlab-quiz details").first.locator("p").first
            assert not answer.is_visible(), "the answer shows before 'Show answer'"
            summaries.first.click()
            answer.wait_for(state="visible")
            assert answer.inner_text().startswith("Answer: ")
    assert page.blocked == [], f"{name}: requests left the page: {page.blocked}"
    assert page.failed == [], f"{name}: requests failed: {page.failed}"
    problems = blocking(axe_violations(page))
    assert not problems, f"{name}: axe-core found:\n  " + "\n  ".join(problems)


def test_key_point_index_links_every_key_point_to_its_cells(book, offline):
    page = offline
    page.goto((book / "keypoints.html").as_uri(), wait_until="load")
    for k in range(19):
        assert page.locator(f"#keypoint-k{k}").count() == 1, f"K{k} has no section"
    links = page.eval_on_selector_all(
        "article a.reference.internal[href*='lessons/']", "(as) => as.map((a) => a.href)"
    )
    tagged = sum(
        1
        for p in NOTEBOOKS
        for c in json.loads(p.read_text(encoding="utf-8"))["cells"]
        for t in c.get("metadata", {}).get("tags", [])
        if re.match(r"^claim-K(1[0-8]|[0-9])$", t)
    )
    assert len(links) == tagged, f"{len(links)} links for {tagged} tagged cells"
    for href in links:
        page.goto(href, wait_until="load")
        anchor = href.split("#", 1)[1]
        assert page.locator(f"[id='{anchor}']").count() == 1, f"no target for {href}"
    assert page.blocked == [] and page.failed == []


def test_handout_page_embeds_the_working_handout(book, offline):
    page = offline
    page.goto((book / "handout.html").as_uri(), wait_until="load")
    frame = page.frame_locator("iframe.painlab-handout")
    frame.locator("#fig-dose_map .main-svg").first.wait_for(state="attached", timeout=60_000)
    assert page.blocked == [] and page.failed == []


def test_handout_has_no_serious_accessibility_violation(book, offline):
    page = offline
    page.goto((book / "painlab-handout.html").as_uri(), wait_until="load")
    page.locator("#fig-dose_map .main-svg").first.wait_for(state="attached", timeout=60_000)
    problems = blocking(axe_violations(page))
    assert not problems, "handout: axe-core found:\n  " + "\n  ".join(problems)
    assert page.blocked == []


def test_saved_lesson_shows_its_figures_in_jupyterlab_before_running(lab, page, harness):
    """Opened but not run: every saved figure shows as an image, no widget error."""
    name = "01_aerobic_dose.ipynb"
    expected = _expected(Path(name).stem)["images"]
    assert expected > 0, f"{name} has no saved figure image; run `make execute-notebooks`"
    harness.open_notebook(page, lab, name)
    images = page.locator(".jp-OutputArea-output img")
    images.nth(expected - 1).wait_for(state="attached")
    page.wait_for_function(
        "(n) => { const im = document.querySelectorAll('.jp-OutputArea-output img');"
        " return im.length === n && Array.from(im).every((i) => i.complete"
        " && i.naturalWidth > 0); }",
        arg=expected,
    )
    assert "model not found" not in page.locator(".jp-Notebook").text_content()
    toggles = page.locator(".jp-OutputArea-output .painlab-quiz details summary")
    assert toggles.count() == _expected(Path(name).stem)["answers"] > 0
    assert toggles.first.text_content() == "Show answer"
