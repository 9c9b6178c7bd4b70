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
from painlab.bouts import KINDS, MUSCLES, UNITS, Bout, endurance_time
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
    "slides",
    "static",
    "tables",
    "theme",
}
#: Functions that live in modules importing plotly or ipywidgets: resolved on first use,
#: so ``import painlab`` stays fast, and ``pl.explore`` *is* the real function (its own
#: signature and docstring for Shift-Tab and ``help``).
_LAZY_FUNCTIONS = {
    "explore": "dashboards",
    "present": "dashboards",
    "compare": "comparison",
    "show": "dashboards",
    "explore_program": "program_dashboard",
    "export_handout": "handout",
    "export_figures": "slides",
}


def __getattr__(name: str):
    """Import submodules (``pl.figures``, ``pl.programs``, ...) and the dashboard and export
    functions on first use, keeping ``import painlab`` fast: plotly and ipywidgets load only
    when a figure is wanted."""
    import importlib

    if name in _SUBMODULES:
        return importlib.import_module(f"painlab.{name}")
    if name in _LAZY_FUNCTIONS:
        value = getattr(importlib.import_module(f"painlab.{_LAZY_FUNCTIONS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'painlab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBMODULES | set(_LAZY_FUNCTIONS))


__all__ = [
    "KINDS",
    "MUSCLES",
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
