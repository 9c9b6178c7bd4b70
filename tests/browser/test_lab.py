"""The lessons in a real JupyterLab, in headless Chromium.

1. Every notebook in notebooks/ (globbed when the tests are collected) opens, runs all its
   cells through JupyterLab's own "Run All" command with no error, and, if it displays a
   dashboard or figure, shows at least one rendered plotly figure.
2. The full student dashboard (``pl.explore()``, from a generated notebook on a throwaway
   server root) responds to the keyboard and the mouse: the dose map, sites and time-course
   figures redraw and the readout changes; switching to an isometric hold relabels the
   intensity slider in % MVC.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

LESSONS = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
#: A notebook that calls one of these displays at least one plotly figure.
SHOWS_FIGURES = re.compile(r"\bpl\.(explore|show|present|compare|explore_program)\(")

ERROR_OUTPUTS = (
    '.jp-RenderedText[data-mime-type*="error"]',
    ".jp-OutputArea-output[data-mime-type*='error']",
)
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
PLOT = ".js-plotly-plot, .plot-container"


def _code_sources(path: Path) -> str:
    nb = json.loads(path.read_text())
    return "\n".join(
        "".join(c.get("source", "")) for c in nb.get("cells", []) if c.get("cell_type") == "code"
    )


def _cell_errors(page) -> list[str]:
    """Error outputs in the notebook model (cells tagged raises-exception excepted)."""
    return page.evaluate(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            const found = [];
            w.content.widgets.forEach((cell, i) => {
                if (cell.model.type !== 'code') return;
                const tags = cell.model.getMetadata('tags') || [];
                if (tags.includes('raises-exception')) return;
                for (const out of cell.model.outputs.toJSON()) {
                    if (out.output_type === 'error') {
                        found.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
                    } else if (out.output_type === 'stream' && out.name === 'stderr'
                               && String(out.text).includes('Traceback')) {
                        found.push(`cell ${i} (stderr): ${String(out.text).slice(0, 500)}`);
                    }
                }
            });
            return found;
        }"""
    )


@pytest.mark.timeout(400)
@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_in_lab(lab, page, shot, harness, name):
    path = NOTEBOOKS / name
    harness.open_notebook(page, lab, name)
    result = harness.run_all_cells(page)
    assert result["status"] == "done", f"Run All did not finish cleanly: {result}"

    errors = _cell_errors(page)
    assert not errors, f"{name}: cells raised errors:\n" + "\n".join(errors)
    for selector in ERROR_OUTPUTS:
        n = page.locator(selector).count()
        assert n == 0, f"{name}: {n} error output(s) on screen ({selector})"
    for i in range(page.locator(STDERR_OUTPUT).count()):
        text = page.locator(STDERR_OUTPUT).nth(i).inner_text()
        assert "Traceback" not in text, f"{name}: a traceback on stderr:\n{text[:2000]}"
    assert not result["unexecuted"], f"{name}: code cells never ran: {result['unexecuted']}"

    if SHOWS_FIGURES.search(_code_sources(path)):
        page.locator(PLOT).first.wait_for(state="attached", timeout=90_000)
        assert page.locator(".js-plotly-plot").count() >= 1, f"{name}: no plotly figure rendered"
        broken = page.get_by_text(re.compile(r"Error displaying widget|Failed to load model"))
        assert broken.count() == 0, f"{name}: a widget failed to render"
    shot("after-run-all")


# --------------------------------------------------------------------------- explorer


def plot_signature(locator) -> str:
    """A string that changes whenever a plotly figure redraws its data (paths, points)."""
    sig = locator.evaluate(
        """(el) => {
            const parts = [];
            // plotly draws the traces under .overplot (bars, lines, markers, labels)
            el.querySelectorAll('.main-svg .overplot path, .main-svg .overplot .point, '
                                + '.main-svg .overplot text')
              .forEach((n) => parts.push(
                  (n.getAttribute('d') || '') + '|' + (n.getAttribute('transform') || '')
                  + '|' + (n.tagName === 'text' ? n.textContent : '')));
            return parts.join(';');
        }"""
    )
    assert sig, "found no plotly traces to compare (has plotly's SVG layout changed?)"
    return sig


def _slider(page, label: str):
    return page.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=re.compile(rf"^{label}"))
    )


def _plot(page, title: str):
    return page.locator(".js-plotly-plot").filter(has=page.locator(".gtitle", has_text=title))


def _readout(page) -> str:
    return page.locator(".widget-html.painlab-readout").first.inner_text()


def _state(page) -> dict[str, str]:
    return {
        "dose_map": plot_signature(_plot(page, "Dose map")),
        "sites": plot_signature(_plot(page, "Where pain eases")),
        "time_course": plot_signature(_plot(page, "How long it lasts")),
        "readout": _readout(page),
    }


def _wait_all_changed(page, before: dict[str, str], timeout: float = 30.0) -> dict[str, str]:
    """Poll until every figure and the readout differ from ``before``; return the new state."""
    deadline = time.monotonic() + timeout
    while True:
        now = _state(page)
        same = [k for k in before if now[k] == before[k]]
        if not same:
            return now
        if time.monotonic() > deadline:
            pytest.fail(f"did not redraw within {timeout:.0f} s: {same}")
        time.sleep(0.1)


def _settle(page, quiet_s: float = 0.6, timeout: float = 15.0) -> dict[str, str]:
    """Wait until the dashboard stops changing (the last kernel update has been drawn)."""
    deadline = time.monotonic() + timeout
    last, since = _state(page), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.15)
        now = _state(page)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            break
    return last


@pytest.mark.timeout(400)
def test_explore_dashboard_responds_to_keyboard_and_mouse(scratch_lab, page, shot, harness):
    harness.open_notebook(page, scratch_lab, "explore.ipynb")
    result = harness.run_all_cells(page)
    assert result["status"] == "done", result
    assert not _cell_errors(page)
    for title in ("Dose map", "Where pain eases", "How long it lasts"):
        _plot(page, title).locator(".main-svg").first.wait_for(timeout=90_000)
    page.locator(".widget-html.painlab-readout").first.wait_for()
    # More room for the dashboard, as a student would arrange it.
    page.evaluate(
        """async () => {
            const app = window.jupyterapp;
            await app.commands.execute('application:toggle-left-area');
            await app.commands.execute('notebook:hide-all-cell-code');
        }"""
    )
    intensity = _slider(page, "Intensity")
    handle = intensity.locator(".noUi-handle")
    start = _settle(page)
    assert "75% VO2max" in start["readout"]
    harness.publish_screenshot(shot("start"), "explore.png")

    # Keyboard: focus the handle, step down once, then a page down.
    handle.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("PageDown")
    after_keys = _wait_all_changed(page, start)
    value = float(handle.get_attribute("aria-valuenow"))
    assert value < 75, f"keyboard did not lower the intensity (aria-valuenow={value})"
    after_keys = _settle(page)
    assert f"{value:.0f}% VO2max" in after_keys["readout"]
    shot("after-keyboard")

    # Mouse: drag the handle about 80 px (~30 % on this slider) to the left.
    box = handle.bounding_box()
    assert box, "intensity handle is not on screen"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 40, y, steps=4)
    page.mouse.move(x - 80, y, steps=4)
    page.mouse.up()
    after_drag = _wait_all_changed(page, after_keys)
    dragged = float(handle.get_attribute("aria-valuenow"))
    assert dragged < value - 10, f"drag moved the intensity {value} -> {dragged} only"
    after_drag = _settle(page)
    assert f"{dragged:.0f}% VO2max" in after_drag["readout"]
    shot("after-drag")

    # Kind: an isometric hold is dosed in % MVC.
    kind = page.locator(".widget-dropdown").filter(
        has=page.locator(".widget-label", has_text=re.compile(r"^Exercise$"))
    )
    kind.locator("select").select_option(value="Isometric hold")
    label = _slider(page, "Intensity").locator(".widget-label")
    deadline = time.monotonic() + 30
    while "% MVC" not in label.inner_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "% MVC" in label.inner_text(), f"intensity label is {label.inner_text()!r}"
    _wait_all_changed(page, after_drag)
    final = _settle(page)
    assert "Isometric" in final["readout"] and "MVC" in final["readout"], final["readout"]
    assert _plot(page, "Isometric").count() == 1, "dose map title did not switch to isometric"
    shot("isometric")
    errors = page.painlab_kernel_errors
    assert not errors, "the kernel raised (in a widget callback?):\n" + "\n".join(errors)
