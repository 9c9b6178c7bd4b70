"""painlab: interactive lessons on how exercise relieves (and sometimes worsens) musculoskeletal pain.

A teaching model, not a clinical tool. Every number shown comes from a cited study in
:mod:`painlab.studies` or from the model in :mod:`painlab.hypoalgesia`, whose parameters
each cite their source.

>>> import painlab as pl
>>> r = pl.predict(pl.Bout("aerobic", intensity=75, duration=30), population="healthy")
>>> r.hypoalgesia
True
"""

from painlab import mechanisms, studies
from painlab.bouts import KINDS, UNITS, Bout, endurance_time
from painlab.hypoalgesia import POPULATIONS, Reason, Response, agreement_table, predict

__version__ = "0.1.0"

_SUBMODULES = {
    "bouts",
    "dashboards",
    "figures",
    "glossary",
    "handout",
    "hypoalgesia",
    "journal",
    "program_dashboard",
    "programs",
    "quiz",
    "tables",
    "theme",
}


def __getattr__(name):
    """Import submodules on first use (``pl.figures``, ``pl.programs``, ...), keeping
    ``import painlab`` fast: plotly and ipywidgets load only when a figure is wanted."""
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"painlab.{name}")
    raise AttributeError(f"module 'painlab' has no attribute {name!r}")


__all__ = [
    "KINDS",
    "POPULATIONS",
    "UNITS",
    "Bout",
    "Reason",
    "Response",
    "agreement_table",
    "compare",
    "endurance_time",
    "explore",
    "explore_program",
    "export_figures",
    "export_handout",
    "mechanisms",
    "predict",
    "present",
    "show",
    "studies",
]


def explore(*args, **kwargs):
    """The student dashboard: kind, intensity, duration, population (see dashboards.Explorer)."""
    from painlab.dashboards import explore as _explore

    return _explore(*args, **kwargs)


def present(*args, **kwargs):
    """The lecturer dashboard: large type, presets, A/B (see dashboards.Presenter)."""
    from painlab.dashboards import present as _present

    return _present(*args, **kwargs)


def compare(*args, **kwargs):
    """Two bouts side by side (see dashboards.Comparison)."""
    from painlab.dashboards import compare as _compare

    return _compare(*args, **kwargs)


def explore_program(*args, **kwargs):
    """Multi-week programmes: adherence and pain over weeks (see program_dashboard)."""
    from painlab.program_dashboard import explore_program as _explore_program

    return _explore_program(*args, **kwargs)


def show(fig) -> None:
    """Display a figure from :mod:`painlab.figures` as a live widget.

    Widgets render from the locally installed extension (no CDN, works offline in
    JupyterLab and Voilà) and keep the saved notebook small. Returns nothing, so a trailing
    call leaves no changing text behind.
    """
    from IPython.display import display

    from painlab.dashboards import _figure_widget

    display(_figure_widget(fig))


def export_handout(path="painlab-handout.html", **kwargs):
    """Write the dose explorer as one offline HTML file (see painlab.handout)."""
    from painlab.handout import export_handout as _export

    return _export(path, **kwargs)


def export_figures(folder="slides", **kwargs):
    """Write PNG and SVG files of every figure for slides (see painlab.handout)."""
    from painlab.handout import export_figures as _export

    return _export(folder, **kwargs)
