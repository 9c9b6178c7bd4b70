"""``pl.explore()`` as a Voilà app: the page-side front end works outside JupyterLab.

Voilà (its default template) renders a throwaway notebook holding ``pl.explore()``; in
headless Chromium the keyboard and the mouse move the intensity slider, a population
change fetches a new slice from the kernel, and after every move what the page drew
(readout, star, sites with error bars, time course with bands, mechanisms) equals the
model at the page's dose. Nothing may load from outside 127.0.0.1 (the page fixture fails
the test otherwise), and no code is on screen.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.timeout(400)
def test_explore_in_voila_moves_and_matches_the_model(voila_explore_server, page, shot, harness):
    page.goto(voila_explore_server.link("voila/render/explore.ipynb"), timeout=180_000)
    start = harness.wait_drawn(page, 0, timeout=180_000)
    assert page.get_by_text("pl.explore()").count() == 0, "code is on screen"
    harness.assert_page_matches_model(page, start)

    slider = page.locator(".painlab-control-intensity input")
    slider.focus()
    page.keyboard.press("ArrowRight")
    after = harness.wait_drawn(page, start["drawn"])
    assert after["intensity"] == start["intensity"] + 1
    harness.assert_page_matches_model(page, after)

    box = slider.bounding_box()
    x = box["x"] + 8 + (box["width"] - 16) * (after["intensity"] - 20) / 80
    y = box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 100, y, steps=5)
    page.mouse.up()
    page.wait_for_function(
        "([sel, v]) => Number(document.querySelector(sel).value) < v - 5",
        arg=[".painlab-control-intensity input", after["intensity"]],
    )
    dragged = harness.wait_settled(page)  # the last pointer move's drawing, not a guess
    harness.assert_page_matches_model(page, dragged)

    # a new population: the kernel sends its slice, the page draws it once
    page.locator(".painlab-control-population select").select_option("fibromyalgia")
    fm = harness.wait_drawn(page, dragged["drawn"], timeout=60_000)
    assert fm["population"] == "fibromyalgia" and "fibromyalgia" in fm["readout"]
    harness.assert_page_matches_model(page, fm)
    shot("fibromyalgia")
    assert not page.painlab_console, page.painlab_console
    assert not page.painlab_kernel_errors, page.painlab_kernel_errors
