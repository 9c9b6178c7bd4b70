"""Static stand-ins for live figures: a picture and a description next to the widget view.

A saved notebook keeps a widget output only as a reference to a widget model; without a
running kernel (GitHub, nbviewer, the course website, JupyterLab before "Run all") that
reference shows nothing. :func:`install` registers IPython display formatters so that
every plotly ``FigureWidget`` and every widget box that holds one (the dashboards of
:mod:`painlab.dashboards` and :mod:`painlab.program_dashboard`) is displayed as one
mimebundle with three views of the same thing:

- ``application/vnd.jupyter.widget-view+json``: the live widget (JupyterLab, Voilà and
  any front end with a kernel pick this one);
- ``image/png``: the figure(s) at their initial state, drawn by kaleido in the system
  Chromium, stacked top to bottom and reduced to 256 colours (plotly's flat colours lose
  nothing visible; the file is about a third of the size);
- ``text/plain``: what the output shows in words (title, axes, series, control settings
  and readout), for screen readers and for text-only viewers.

PNG rather than SVG because nbval ignores ``image/png`` when it compares outputs, and a
PNG of a heatmap is smaller than an SVG that embeds the same raster.

:func:`install` is called by ``scripts/execute_notebooks.py`` (the run that saves the
lessons), which then saves the image and the text and drops the widget view, whose state
is not saved (JupyterLab would show "model not found" rather than the image). A live
kernel where :func:`install` was not called does not pay for drawing images nobody sees.
"""

from __future__ import annotations

import atexit
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["describe", "describe_figure", "figures_in", "install", "png", "uninstall"]

#: Width of one figure in the static image [px] when the figure sets none.
WIDTH = 760
#: Height of one figure in the static image [px] when the figure sets none.
HEIGHT = 420
#: Font size [px] of the student figures (painlab.theme at scale 1), for which WIDTH is meant.
FONT_SIZE = 13
#: Colours kept in the PNG (palette image).
COLOURS = 256

_TAGS = re.compile(r"<[^>]+>")
_INVISIBLE = re.compile(r"<(style|script)\b.*?</\1\s*>", re.S | re.I)
_SPACE = re.compile(r"\s+")
_server_started = False


def _text(markup: str) -> str:
    """Markup as one line of plain text (tags dropped, entities decoded)."""
    text = _TAGS.sub(" ", _INVISIBLE.sub(" ", markup or ""))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def _is_figure(obj: Any) -> bool:
    try:
        from plotly.basedatatypes import BaseFigure
    except ImportError:  # pragma: no cover - plotly is a dependency
        return False
    return isinstance(obj, BaseFigure)  # a FigureWidget, or the page explorer's go.Figure


def _shown_children(widget: Any) -> tuple:
    """The children on screen: all of a box's; only the selected one of a Tab/Accordion;
    for the page-side explorer, what it draws (its kernel-side controls, readout and
    figures, in display order)."""
    parts = getattr(widget, "static_parts", None)
    if callable(parts):
        return tuple(parts())
    children = tuple(getattr(widget, "children", ()) or ())
    if hasattr(widget, "selected_index") and children:
        i = widget.selected_index
        return (children[i],) if i is not None and 0 <= i < len(children) else ()
    return children


def figures_in(widget: Any) -> list:
    """Every plotly FigureWidget shown by ``widget``, in display order (in a Tab or an
    Accordion only the selected page's, as on screen)."""
    if _is_figure(widget):
        return [widget]
    found = []
    for child in _shown_children(widget):
        found += figures_in(child)
    return found


def describe_figure(fig: Any) -> str:
    """One sentence per figure: its title, axes and the series it draws."""
    layout = fig.layout
    title = _text(layout.title.text or "") or "Figure"
    parts = [f"Figure: {title}."]
    axes = []
    for name in ("xaxis", "yaxis"):
        axis = getattr(layout, name, None)
        text = _text(axis.title.text or "") if axis is not None else ""
        if text:
            axes.append(f"{name[0]} axis: {text}")
    if axes:
        parts.append("; ".join(axes) + ".")
    series = []
    for trace in fig.data:
        name = _text(getattr(trace, "name", None) or "")
        label = f"{name} ({trace.type})" if name else trace.type
        if label not in series:
            series.append(label)
    if series:
        parts.append("Shows: " + ", ".join(series) + ".")
    return " ".join(parts)


def _walk(widget: Any) -> Iterator[Any]:
    yield widget
    if _is_figure(widget):
        return
    for child in _shown_children(widget):
        yield from _walk(child)


def _control_text(w: Any) -> str:
    """``"Intensity: 50"`` for a control with a description and a value, else ``""``."""
    description = _text(getattr(w, "description", "") or "").rstrip(":")
    if not description or not hasattr(w, "value") or hasattr(w, "children"):
        return ""
    has_options = hasattr(w, "label") and getattr(w, "options", None) is not None
    value = w.label if has_options else w.value
    if isinstance(value, float):
        value = f"{value:g}"
    return f"{description}: {value}" if value not in (None, "") else ""


def describe(widget: Any) -> str:
    """What a widget (a figure or a dashboard) shows, as plain text, in display order."""
    lines = []
    for w in _walk(widget):
        if _is_figure(w):
            lines.append(describe_figure(w))
        elif type(w).__name__ in ("HTML", "HTMLMath", "Label"):
            text = _text(getattr(w, "value", ""))
            if text:
                lines.append(text)
        else:
            text = _control_text(w)
            if text:
                lines.append(text)
    return "\n".join(lines) or type(widget).__name__


def _start_server() -> None:
    global _server_started
    if _server_started:
        return
    import kaleido

    from painlab._chromium import CHROMIUM, find_browser

    chromium = find_browser(CHROMIUM if Path(CHROMIUM).is_file() else None)
    kaleido.start_sync_server(path=chromium, mathjax=False, silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _server_started = True


def png(figs: list) -> bytes:
    """The figures drawn by kaleido, stacked top to bottom, as a 256-colour PNG."""
    if not figs:
        raise ValueError("figs must hold at least one plotly figure; got none")
    import kaleido
    from PIL import Image

    _start_server()
    images = []
    for fig in figs:
        # a figure scaled up for a projector (larger font) gets proportionally more width
        scale = max(1.0, (fig.layout.font.size or FONT_SIZE) / FONT_SIZE)
        opts = {
            "format": "png",
            "width": fig.layout.width or round(WIDTH * scale),
            "height": fig.layout.height or HEIGHT,
            "scale": 1,
        }
        data = kaleido.calc_fig_sync(fig.to_plotly_json(), opts=opts)
        images.append(Image.open(io.BytesIO(data)).convert("RGB"))
    width = max(im.width for im in images)
    sheet = Image.new("RGB", (width, sum(im.height for im in images)), "white")
    y = 0
    for im in images:
        sheet.paste(im, (0, y))
        y += im.height
    out = io.BytesIO()
    sheet.quantize(COLOURS).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _png_formatter(obj: Any) -> bytes | None:
    figs = figures_in(obj)
    return png(figs) if figs else None


#: Widest line of a saved text view, in characters (lessons are read on narrow screens).
TEXT_WIDTH = 100


def _wrap(text: str, width: int = TEXT_WIDTH) -> str:
    """Wrap every line of `text` to `width` characters; continuation lines are indented."""
    import textwrap

    out = []
    for line in text.splitlines():
        indent = " " * (len(line) - len(line.lstrip()))
        out += textwrap.wrap(line, width, subsequent_indent=indent + "  ") or [""]
    return "\n".join(out)


def _text_formatter(obj: Any, printer: Any = None, cycle: bool = False) -> None:
    own = getattr(obj, "static_text", None)  # e.g. a quiz: its question and options
    printer.text(_wrap(own() if callable(own) else describe(obj)))


def _static_types() -> tuple[type, ...]:
    """What gets a static view: figure widgets, boxes (dashboards) and the page explorer."""
    from ipywidgets import Box
    from plotly.basewidget import BaseFigureWidget

    from painlab.explorer_page import ExplorerView

    return (BaseFigureWidget, Box, ExplorerView)


def install(images: bool = True) -> None:
    """Register the static views with the running IPython (no-op outside IPython).

    Parameters
    ----------
    images : bool, default True
        Also draw ``image/png`` (needs kaleido, Pillow and Chromium: the ``export`` extra).
        ``False`` adds only the text description.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    ip = get_ipython()
    if ip is None:
        return
    formatters = ip.display_formatter.formatters
    for cls in _static_types():
        formatters["text/plain"].for_type(cls, _text_formatter)
        if images:
            formatters["image/png"].for_type(cls, _png_formatter)


def uninstall() -> None:
    """Remove what :func:`install` registered."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    ip = get_ipython()
    if ip is None:
        return
    formatters = ip.display_formatter.formatters
    for mime in ("text/plain", "image/png"):
        for cls in _static_types():
            formatters[mime].type_printers.pop(cls, None)
