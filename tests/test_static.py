"""Static views of widgets for saved notebooks: descriptions, images, quiz HTML."""

import base64
import html
import io

import ipywidgets as W
import pytest
from IPython.core.interactiveshell import InteractiveShell
from PIL import Image

import painlab as pl
from painlab import quiz, static

WIDGET = "application/vnd.jupyter.widget-view+json"


def _question():
    return quiz.Question(
        "q1",
        "Which bout <b>works</b>?",
        (
            quiz.Option("5 min easy", False, "Too short & light."),
            quiz.Option("30 min hard", True, "Long and hard enough."),
        ),
        lesson="test",
    )


def test_describe_names_title_axes_series_controls_and_readout():
    e = pl.explore("aerobic", intensity=50, duration=30, figures=("dose_map",))
    text = static.describe(e.widget)
    assert "Figure: Dose map: Aerobic" in text
    assert "x axis: Intensity (% VO2max)" in text and "y axis: Duration (min)" in text
    assert "current bout (scatter)" in text
    assert "Intensity (% VO2max): 50" in text
    assert e.response.summary().split(":")[0] in text  # the readout, as text
    assert "<" not in text  # no markup left


def test_figures_in_finds_every_figure_of_a_dashboard_in_order():
    e = pl.explore(figures=("dose_map", "sites"))
    found = static.figures_in(e.widget)
    assert [f.layout.title.text for f in found] == [f.layout.title.text for f in e.figures.values()]
    assert static.figures_in(W.HTML("no figure")) == []


def test_png_stacks_the_figures_in_a_small_palette_image():
    e = pl.explore(figures=("dose_map", "sites"))
    figs = static.figures_in(e.widget)
    data = static.png(figs)
    im = Image.open(io.BytesIO(data))
    assert im.mode == "P"  # 256 colours
    heights = [f.layout.height or static.HEIGHT for f in figs]
    assert im.height == sum(heights)
    assert len(data) < 60_000


def test_png_needs_a_figure():
    with pytest.raises(ValueError, match="figs must hold at least one plotly figure"):
        static.png([])


def test_install_adds_image_and_description_next_to_the_widget_view():
    shell = InteractiveShell.instance()
    try:
        static.install()
        e = pl.explore(figures=("sites",))
        data, _ = shell.display_formatter.format(e.widget)
        assert WIDGET in data
        png = data["image/png"]  # bytes here; the kernel base64-encodes them on the wire
        png = png if isinstance(png, bytes) else base64.b64decode(png)
        assert Image.open(io.BytesIO(png)).width > 0
        assert data["text/plain"].startswith("Exercise: Aerobic")
        static.uninstall()
        data, _ = shell.display_formatter.format(e.widget)
        assert "image/png" not in data and not data["text/plain"].startswith("Exercise")
    finally:
        static.uninstall()
        InteractiveShell.clear_instance()


def test_quiz_bundle_has_widget_html_and_text():
    w = quiz.ask(_question())
    data = w._repr_mimebundle_()
    assert WIDGET in data
    page = data["text/html"]
    assert html.escape("Which bout <b>works</b>?") in page  # escaped, not markup
    assert "<details><summary>Show answer</summary>" in page
    shown, hidden = page.split("<details>")
    assert "5 min easy" in shown and "30 min hard" in shown
    assert "Answer: <strong>B. 30 min hard</strong>" in hidden  # only behind the toggle
    assert "Long and hard enough." not in shown and "Long and hard enough." in hidden
    assert data["text/plain"].splitlines()[1:] == ["  A. 5 min easy", "  B. 30 min hard"]


def test_prediction_bundle_has_no_answer():
    w = quiz.predict("test", "p1", "Which?", ["one", "two"])
    data = w._repr_mimebundle_()
    assert "<details>" not in data["text/html"]
    assert "<li>one</li><li>two</li>" in data["text/html"]


def test_only_the_selected_tab_and_no_style_text_are_described():
    shown = pl.explore(figures=("sites",))
    hidden = pl.explore(figures=("time_course",))
    tabs = W.Tab(children=[shown.widget, hidden.widget], selected_index=0)
    box = W.VBox([W.HTML("<style>.x { color: red; }</style><p>Hello &amp; welcome</p>"), tabs])
    assert static.figures_in(box) == list(shown.figures.values())
    text = static.describe(box)
    assert text.splitlines()[0] == "Hello & welcome"
    assert "color" not in text and "How long it lasts" not in text
    tabs.selected_index = 1
    assert static.figures_in(box) == list(hidden.figures.values())
