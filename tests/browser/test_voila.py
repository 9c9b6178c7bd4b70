"""The lecturer's dashboard as a Voilà app, served exactly as ``make present`` serves it.

At 1920x1080 (a projector): no code on screen, the presenter renders, a preset chosen by
name changes the readout, the "Compare A and B" tab shows two readouts and their figures,
and nothing is loaded from outside the machine (the ``page`` fixture checks every request;
Voilà's stock template would fetch font-awesome from a CDN, the painlab template does not).
"""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser

RENDER_TIMEOUT = 150_000  # ms: Voilà runs the notebook, then the widgets and plots render
PRESET = "Hoeger Bement 2008: 25% MVC for 2 min"
CODE_SNIPPETS = ("import painlab", "pl.present(", "lecture = ")


def _open_presenter(page, server) -> None:
    page.goto(server.link(""), timeout=RENDER_TIMEOUT)
    page.locator(".painlab-present").first.wait_for(state="visible", timeout=RENDER_TIMEOUT)
    page.locator(".painlab-present .js-plotly-plot .main-svg").first.wait_for(
        timeout=RENDER_TIMEOUT
    )
    # As the lecturer would: scroll past the notebook's introduction to the dashboard.
    page.locator(".painlab-present").first.evaluate("(el) => el.scrollIntoView({block: 'start'})")


def _visible(locator) -> list:
    return [locator.nth(i) for i in range(locator.count()) if locator.nth(i).is_visible()]


def _wait_for(predicate, what: str, timeout: float = 30.0, show=None):
    """Poll ``predicate`` until truthy; on timeout fail, quoting ``show()`` if given."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            seen = f"; on screen: {show()!r}" if show else ""
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}{seen}")
        time.sleep(0.1)


def _assert_healthy(page) -> None:
    """No widget model missed anywidget's load deadline (such a figure never updates), and
    no kernel-side exception (e.g. in a widget callback, which no cell would show)."""
    failed = [m for m in page.painlab_console if "Failed to initialize model" in m]
    assert not failed, f"{len(failed)} figure widget(s) failed to initialise: {failed[0]}"
    errors = page.painlab_kernel_errors
    assert not errors, "the kernel raised:\n" + "\n".join(errors)


def _explore_readout(page):
    return page.locator(".painlab-present .widget-html.painlab-readout").first


@pytest.mark.timeout(400)
def test_presenter_shows_no_code_and_renders(voila_server, page, shot, harness):
    assert "--template=painlab" in voila_server.extra["cmd"]
    _open_presenter(page, voila_server)

    # No code on screen: Voilà strips code inputs (markdown cells keep a .jp-InputArea for
    # their rendered text); no editor, prompt or source is left behind.
    for selector in (
        ".jp-CodeCell .jp-InputArea",
        ".jp-InputArea-editor",
        ".jp-CodeMirrorEditor",
        ".jp-InputPrompt",
        ".cm-editor",
        ".jp-CodeCell .highlight",
    ):
        assert page.locator(selector).count() == 0, f"code UI on screen: {selector}"
    text = page.locator("body").inner_text()
    for snippet in CODE_SNIPPETS:
        assert snippet not in text, f"code on screen: {snippet!r}"
    for pre in page.locator("pre").all():
        assert not any(s in pre.inner_text() for s in CODE_SNIPPETS), pre.inner_text()

    # The presenter: preset menu, both tabs, the explorer's figures and readout.
    assert page.locator(".painlab-present select").count() >= 1
    tabs = page.locator(".painlab-present .lm-TabBar-tab")
    assert tabs.filter(has_text="Explore one bout").count() == 1
    assert tabs.filter(has_text="Compare A and B").count() == 1
    assert len(_visible(page.locator(".painlab-present .js-plotly-plot"))) >= 2
    assert "less pain" in _explore_readout(page).inner_text()
    harness.publish_screenshot(shot("presenter"), "presenter.png")
    _assert_healthy(page)


@pytest.mark.timeout(400)
def test_preset_by_name_sets_the_bout_and_readout(voila_server, page, shot, harness):
    _open_presenter(page, voila_server)
    readout = _explore_readout(page)
    before = readout.inner_text()
    assert "Aerobic 75% VO2max for 30 min" in before and "less pain" in before, before

    # Choose a classic study by name from the Preset dropdown.
    preset = page.locator(".painlab-present .widget-dropdown").filter(
        has=page.locator(".widget-label", has_text=re.compile(r"^Preset$"))
    )
    preset.locator("select").select_option(value=PRESET)
    try:
        after = _wait_for(
            lambda: (
                "Isometric 25% MVC (elbow flexors) for 2 min" in (t := readout.inner_text()) and t
            ),
            f"the readout to show the preset {PRESET!r}",
            show=lambda: readout.inner_text().splitlines()[0],
        )
    finally:
        shot("preset")
    first_line = after.splitlines()[0]
    assert "no meaningful change" in first_line, first_line
    intensity_label = (
        page.locator(".painlab-present .widget-slider .widget-label")
        .filter(has_text=re.compile(r"^Intensity"))
        .first
    )
    assert "% MVC" in intensity_label.inner_text()
    page.locator(".painlab-present .gtitle", has_text="Isometric").first.wait_for(timeout=30_000)
    # The preset must stay put once every message has gone back and forth.
    page.wait_for_timeout(2000)
    assert readout.inner_text().splitlines()[0] == first_line, "the preset did not stick"
    shot("preset-settled")
    _assert_healthy(page)


@pytest.mark.timeout(400)
def test_compare_tab_shows_two_readouts_and_figures(voila_server, page, shot, harness):
    _open_presenter(page, voila_server)
    page.locator(".painlab-present .lm-TabBar-tab", has_text="Compare A and B").click()
    readouts = _wait_for(
        lambda: (
            (r := _visible(page.locator(".painlab-present .widget-html.painlab-readout")))
            and len(r) == 2
            and r
        ),
        "two visible readouts on the Compare tab",
    )
    texts = [r.inner_text() for r in readouts]
    assert all("healthy" in t for t in texts), texts
    assert texts[0] != texts[1], "A and B show the same readout"
    _wait_for(
        lambda: len(_visible(page.locator(".painlab-present .js-plotly-plot"))) >= 4,
        "the A and B figures (sites and time course for each)",
    )
    for plot in _visible(page.locator(".painlab-present .js-plotly-plot")):
        box = plot.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 150, f"a figure is squashed: {box}"
    assert not _explore_readout(page).is_visible(), "the Explore tab is still showing"
    page.wait_for_timeout(500)
    harness.publish_screenshot(shot("compare"), "presenter-compare.png")
    _assert_healthy(page)
