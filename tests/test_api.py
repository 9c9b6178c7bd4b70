"""The public API: real signatures and docstrings, and a fast import."""

import inspect
import subprocess
import sys

import pytest

import painlab as pl

LAZY = [
    "explore",
    "present",
    "compare",
    "show",
    "explore_program",
    "export_handout",
    "export_figures",
]


@pytest.mark.parametrize("name", LAZY)
def test_public_functions_are_the_real_ones_with_their_signatures(name):
    func = getattr(pl, name)
    params = inspect.signature(func).parameters
    # no (*args, **kwargs) wrappers: Shift-Tab shows students the real parameters
    kinds = {p.kind for p in params.values()}
    assert (
        inspect.Parameter.VAR_KEYWORD not in kinds and inspect.Parameter.VAR_POSITIONAL not in kinds
    )
    assert func.__doc__ and len(func.__doc__.split()) >= 8
    assert func.__module__.startswith("painlab.")
    assert name in dir(pl)


def test_import_painlab_does_not_load_plotly_or_widgets():
    code = "import sys, painlab; print('plotly' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'explorer'"):
        pl.explorer  # noqa: B018
