"""The offline handout in a real headless Chromium with the network cut off.

Opens the file from a ``file://`` URL with every other request aborted, checks that the
figures render and that each control (kind, population, intensity, duration, hold until
failure) changes the plotted data and the readout to exactly what ``pl.predict`` gives,
and saves ``test-artifacts/handout.png`` (1920 x 1080).

Uses Debian's /usr/bin/chromium; a missing browser fails the test (never skipped).
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import numpy as np
import pytest

import painlab as pl
from painlab.bouts import endurance_time
from painlab.dashboards import readout_html

pytestmark = pytest.mark.browser

# Test artefacts, not docs: the curated copy in docs/screenshots is updated by hand.
SCREENSHOT = Path(__file__).resolve().parents[1] / "test-artifacts" / "handout.png"
SITES = ("exercising", "contralateral", "distant")
QUANTUM = 1e-4

# every move resolves a promise when the page says all figures are drawn
ARM = """() => { window.__drawn = new Promise(r =>
    document.addEventListener('painlab:drawn', e => r(e.detail), {once: true})); }"""
STATE = """() => {
  const g = id => document.getElementById(id);
  const dm = g('fig-dose_map').data, st = g('fig-sites').data, tc = g('fig-time_course').data;
  const star = g('fig-dose_map-star').data[0];  // the star is drawn on an overlay plot
  const arr = a => Array.from(a);
  return {
    star: [arr(star.x), arr(star.y)],
    legendStar: [arr(dm[5].x), dm[5].name],
    z: JSON.stringify(dm[0].z).slice(0, 400) + JSON.stringify(dm[0].z).length,
    title: g('fig-dose_map').layout.title.text,
    xtitle: g('fig-dose_map').layout.xaxis.title.text,
    bars: arr(st[0].y), bartext: arr(st[0].text),
    lines: [0, 1, 2].map(i => arr(tc[i].y)),
    minutes: window.painlab.data.figures.time_course.bind.minutes,
    readout: g('readout').textContent,
    intensity: g('intensity').value, duration: g('duration').value,
    durationDisabled: g('duration').disabled, failureDisabled: g('failure').disabled,
  };
}"""


def _text(page_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


@pytest.fixture(scope="module")
def handout_file(tmp_path_factory):
    return pl.export_handout(tmp_path_factory.mktemp("handout") / "eih.html", verbose=False)


@pytest.fixture(scope="module")
def session(handout_file, browser):
    """The handout open from a file:// path with every network request blocked.

    ``browser`` is the session's one headless Chromium (tests/browser/conftest.py): a
    second Playwright in the same process would collide with its event loop.
    """
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    requests, blocked, errors = [], [], []

    def gate(route):
        url = route.request.url
        if url.startswith(("file://", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(handout_file.as_uri())
    page.wait_for_selector(".painlab-explorer[data-drawn]")  # the first drawing is complete
    page.evaluate(ARM)  # the first draw may already be done; wait on the next move
    yield {"page": page, "requests": requests, "blocked": blocked, "errors": errors}
    context.close()


def _move(page, action) -> dict:
    before = page.evaluate(STATE)
    page.evaluate(ARM)
    action()
    page.evaluate("() => window.__drawn")
    return before, page.evaluate(STATE)


def _check_matches_model(state: dict, bout: pl.Bout, population: str) -> None:
    r = pl.predict(bout, population)
    assert state["readout"] == _text(readout_html(r))
    assert state["star"] == [[bout.intensity], [pytest.approx(bout.minutes, abs=1e-9)]]
    # the explorer front end draws bars to 3 decimals and lines to 4, as pl.explore() does;
    # the page's values are the model's to QUANTUM / 2
    assert state["bars"] == pytest.approx([r.at(s) for s in SITES], abs=5e-4 + QUANTUM / 2 + 1e-12)
    assert state["bartext"] == [f"{r.at(s):+.2f}" for s in SITES]
    for s, line in zip(SITES, state["lines"], strict=True):
        want = [r.at(s, m) for m in state["minutes"]]
        np.testing.assert_allclose(line, want, rtol=0, atol=5e-5 + QUANTUM / 2 + 1e-9)


def test_figures_render(session):
    page = session["page"]
    assert page.locator(".js-plotly-plot").count() >= 3
    for fig in ("dose_map", "sites", "time_course"):
        assert page.locator(f"#fig-{fig} .main-svg").count() >= 1
    # the heatmap surface and the grey veil over doses no study of the population tested
    assert page.locator("#fig-dose_map .hm image").count() == 2
    assert page.locator("#fig-dose_map .scatterlayer .point").count() > 3  # study arms
    assert page.locator("#disclaimer").inner_text().startswith("A teaching model")
    state = page.evaluate(STATE)
    _check_matches_model(state, pl.Bout("aerobic", 75, 30), "healthy")


def test_star_overlay_lines_up_with_the_dose_map(session):
    page = session["page"]
    state = page.evaluate(STATE)
    assert state["legendStar"] == [[None], "current bout"]  # legend entry kept, no marker
    box = page.evaluate(
        """() => {
      const r = e => e.getBoundingClientRect();
      const a = r(document.querySelector('#fig-dose_map .nsewdrag'));
      const o = r(document.getElementById('fig-dose_map-star'));
      const s = r(document.querySelector('#fig-dose_map-star .scatterlayer .point'));
      const gd = document.getElementById('fig-dose_map'), xa = gd.layout.xaxis.range,
            ya = gd.layout.yaxis.range;
      return {area: [a.left, a.top, a.width, a.height], overlay: [o.left, o.top, o.width, o.height],
              star: [s.left + s.width / 2, s.top + s.height / 2],
              want: [a.left + a.width * (75 - xa[0]) / (xa[1] - xa[0]),
                     a.top + a.height * (1 - (30 - ya[0]) / (ya[1] - ya[0]))]};
    }"""
    )
    assert box["overlay"] == pytest.approx(box["area"], abs=1)
    assert box["star"] == pytest.approx(box["want"], abs=2)


def test_hover_on_a_study_arm_names_its_source(session):
    page = session["page"]
    point = page.locator("#fig-dose_map .scatterlayer .trace:nth-child(1) .point").first
    point.hover(force=True)
    page.wait_for_selector("#fig-dose_map .hoverlayer .hovertext")
    text = page.text_content("#fig-dose_map .hoverlayer")
    assert re.search(r"et al\. \d{4}|\d{4}", text) and ("doi:" in text or "PMID" in text)
    page.mouse.move(5, 5)


def test_each_control_changes_figures_and_readout(session):
    page = session["page"]
    # 12 min is longer than a 60% MVC hold can last: the duration drops to the longest step
    longest_60 = math.floor(endurance_time(60) * 10 + 1e-9) / 10
    moves = [
        ("intensity", lambda: page.fill("#intensity", "60"), pl.Bout("aerobic", 60, 30), "healthy"),
        ("duration", lambda: page.fill("#duration", "12"), pl.Bout("aerobic", 60, 12), "healthy"),
        (
            "population",
            lambda: page.select_option("#population", "knee_osteoarthritis"),
            pl.Bout("aerobic", 60, 12),
            "knee_osteoarthritis",
        ),
        (
            "kind",
            lambda: page.select_option("#kind", "dynamic_resistance"),
            pl.Bout("dynamic_resistance", 60, 12),
            "knee_osteoarthritis",
        ),
        (
            "kind",
            lambda: page.select_option("#kind", "isometric"),
            pl.Bout("isometric", 60, longest_60),
            "knee_osteoarthritis",
        ),
        (
            "intensity",
            lambda: page.fill("#intensity", "25"),
            pl.Bout("isometric", 25, longest_60),
            None,
        ),
        ("duration", lambda: page.fill("#duration", "4.2"), pl.Bout("isometric", 25, 4.2), None),
        (
            "failure",
            lambda: page.check("#failure"),
            pl.Bout("isometric", 25, to_failure=True),
            None,
        ),
        (
            "population",
            lambda: page.select_option("#population", "fibromyalgia"),
            pl.Bout("isometric", 25, to_failure=True),
            "fibromyalgia",
        ),
    ]
    population = "healthy"
    for control, action, bout, pop in moves:
        population = pop or population
        before, after = _move(page, action)
        assert after["readout"] != before["readout"], control
        assert after["bars"] != before["bars"], control
        assert after["lines"] != before["lines"], control
        if control in ("intensity", "duration", "failure"):
            assert after["star"] != before["star"], control
        if control in ("kind", "population"):
            assert after["z"] != before["z"], control  # a new dose surface
            assert after["title"] != before["title"], control
        if control == "kind":
            assert after["xtitle"] != before["xtitle"]
        _check_matches_model(after, bout, population)
    assert page.evaluate(STATE)["durationDisabled"]  # a hold to failure has no set duration
    assert "held to task failure" in page.evaluate(STATE)["readout"]


def test_keyboard_moves_a_slider(session):
    page = session["page"]
    page.select_option("#population", "older")
    page.select_option("#kind", "aerobic")
    state = page.evaluate(STATE)
    assert state["failureDisabled"]  # "hold until failure" is for isometric holds only
    start = float(state["intensity"])
    page.focus("#intensity")
    before, after = _move(page, lambda: page.keyboard.press("ArrowLeft"))
    assert float(after["intensity"]) == start - 1
    assert after["readout"] != before["readout"]
    bout = pl.Bout("aerobic", start - 1, float(after["duration"]))
    _check_matches_model(after, bout, "older")


def test_nothing_left_the_page_and_no_errors(session):
    outside = [u for u in session["requests"] if not u.startswith(("file://", "data:"))]
    assert outside == [] and session["blocked"] == []
    assert [u for u in session["requests"] if u.startswith("file://")] == [
        session["page"].url
    ]  # one file: nothing else is loaded, not even from disk
    assert session["errors"] == []


def test_screenshot_at_1920_by_1080(session):
    page = session["page"]
    page.select_option("#population", "healthy")
    page.select_option("#kind", "aerobic")
    page.evaluate(ARM)
    page.fill("#intensity", "75")
    page.evaluate("() => window.__drawn")
    page.evaluate(ARM)
    page.fill("#duration", "30")
    page.evaluate("() => window.__drawn")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    head = SCREENSHOT.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(head[16:20], "big") == 1920
    assert int.from_bytes(head[20:24], "big") == 1080
