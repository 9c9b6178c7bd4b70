"""The handout page: its data (:func:`handout_data`) and the one offline HTML file
(:func:`export_handout`); the page's HTML, CSS and JavaScript are asset files."""

from __future__ import annotations

import copy
import datetime as _dt
import html
import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from painlab import figures, hypoalgesia, studies, theme
from painlab._files import atomic_write, check_target
from painlab.bouts import KINDS, UNITS, Bout
from painlab.handout.grid import (
    GRID_STEP,
    OUTCOMES,
    QUANTUM,
    SITES,
    _Grid,
    _Table,
    _typed,
)
from painlab.handout.readout import _assemble, _population_data, _readout, dose_part
from painlab.hypoalgesia import HYPOALGESIA_THRESHOLD, PARAMETERS, POPULATIONS
from painlab.vocabulary import CONTROL_LABELS, KIND_LABELS, POPULATION_LABELS, SITE_LABELS

#: Largest handout the exporter writes [bytes] (10 MB): a file that still mails and loads.
MAX_BYTES = 10_000_000
_DEFAULT_BOUT = {
    "aerobic": (75.0, 30.0),
    "isometric": (25.0, 2.0),
    "dynamic_resistance": (75.0, 45.0),
}


def _asset(name: str) -> str:
    """One of the page's asset files (``assets/page.html``, ``page.css``, ``handout.js``)."""
    from importlib.resources import files

    return files("painlab.handout").joinpath("assets", name).read_text(encoding="utf-8")


def _explorer_asset(name: str) -> str:
    """The explorer front end's files (``painlab/assets/explorer.js``, ``explorer.css``)."""
    from importlib.resources import files

    return files("painlab").joinpath("assets", name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- figures


def _figure_json(fig) -> dict:
    """A figure (or its ``to_plotly_json()`` dict) as JSON-ready data, numeric arrays as
    plotly typed arrays (``bdata``)."""
    import plotly.io as pio

    raw = fig if isinstance(fig, dict) else fig.to_plotly_json()
    return json.loads(pio.to_json(_pack_arrays(raw), validate=False))


def _pack_arrays(obj):
    """Numeric arrays (also nested lists, e.g. a heatmap's z) -> ``{"dtype", "bdata"}``.

    Gaps (``None`` or NaN, e.g. isometric holds longer than the endurance time) are stored
    as NaN; the page turns them back into ``null`` for plotly.
    """
    if isinstance(obj, dict):
        return {k: _pack_arrays(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, np.ndarray)):
        a = _float_array(obj)
        if a is not None and a.size >= 16:
            spec = _typed(a)
            if a.ndim > 1:
                spec["shape"] = ", ".join(map(str, a.shape))
            return spec
        return [_pack_arrays(v) for v in obj]
    return obj


def _float_array(obj) -> np.ndarray | None:
    try:
        a = np.asarray(obj, dtype=object)
    except ValueError:  # ragged
        return None
    if a.dtype != object or a.ndim == 0:
        a = a.astype(object)
    real = (float, int, np.floating, np.integer)
    leaves = a.ravel().tolist()
    if not all(v is None or (isinstance(v, real) and not isinstance(v, bool)) for v in leaves):
        return None
    if not any(isinstance(v, (float, np.floating)) for v in leaves):
        return None
    return np.array([np.nan if v is None else v for v in leaves], dtype=np.float64).reshape(a.shape)


def _diff(base, other):
    """What turns ``base`` into ``other`` (dicts recursively; anything else whole)."""
    if isinstance(base, dict) and isinstance(other, dict):
        out = {}
        for k in other:
            if k not in base:
                out[k] = other[k]
            elif base[k] != other[k]:
                out[k] = _diff(base[k], other[k])
        for k in base:
            if k not in other:
                out[k] = {"$delete": True}
        return out
    return other


def _figure_patch(base: dict, other: dict, dynamic: dict[int, tuple[str, ...]]) -> dict:
    if len(base["data"]) != len(other["data"]):
        raise RuntimeError("handout: a figure builder changed its number of traces")
    data = {}
    for i, (b, o) in enumerate(zip(base["data"], other["data"], strict=True)):
        d = _diff(b, o)
        for key in dynamic.get(i, ()):
            d.pop(key, None)
        if d:
            data[str(i)] = d
    return {"data": data, "layout": _diff(base["layout"], other["layout"])}


def _trace_index(fig, name: str) -> int:
    names = [t.name for t in fig.data]
    if name not in names:
        raise RuntimeError(f"handout: no trace named {name!r} in {names}")
    return names.index(name)


def _intern_blobs(obj, blobs: _Table, min_len: int = 512):
    """Replace long strings (base64 arrays) by ``{"$blob": n}`` so repeats are stored once."""
    if isinstance(obj, dict):
        return {k: _intern_blobs(v, blobs, min_len) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_intern_blobs(v, blobs, min_len) for v in obj]
    if isinstance(obj, str) and len(obj) >= min_len:
        return {"$blob": blobs(obj)}
    return obj


def _caption_dose_map(kind: str, population: str) -> str:
    arms = {a.arm_id for a in studies.arms(kind=kind, population=population)}
    unplaced = figures.unplaced_arms(kind, population)
    text = (
        f"Dose map: the model's effect for every {kind.replace('_', ' ')} dose in "
        f"{population.replace('_', ' ')} (blue = less pain, orange = more pain); the dashed "
        f"line is d = {HYPOALGESIA_THRESHOLD:g}. Markers: {len(arms)} documented study arm(s)"
    )
    if unplaced:
        text += f", {unplaced} of them not placed because their dose was not reported"
    return text + ". Hover a marker for its study and DOI. The star is your bout."


def handout_data(
    kind: str = "aerobic",
    intensity: float = 75,
    duration: float | None = 30,
    population: str = "healthy",
    *,
    to_failure: bool = False,
    populations: Sequence[str] = POPULATIONS,
    check: int = 3,
) -> dict:
    """Everything the handout page shows, as JSON-ready data (see the module docstring).

    Parameters
    ----------
    kind, intensity, duration, population, to_failure
        The bout and population the page opens with (validated like :class:`Bout`).
    populations : sequence of str
        Populations the page offers (default: all of :data:`painlab.POPULATIONS`).
    check : int
        Readouts per kind and population re-assembled and compared with
        ``readout_html(predict(...))`` before returning (0 to skip).

    Returns
    -------
    dict
        Keys ``meta``, ``model``, ``kinds``, ``populations``, ``start``, ``grid``,
        ``values``, ``display``, ``readout``, ``figures``, ``captions``, ``blobs``.
    """
    import painlab

    if isinstance(populations, str) or not isinstance(populations, Iterable):
        raise TypeError(
            f"populations must be a list or tuple of population names, e.g. "
            f"{list(POPULATIONS[:2])!r}; got {populations!r}"
        )
    populations = tuple(populations)
    bad = [p for p in populations if not isinstance(p, str) or p not in POPULATIONS]
    if bad or not populations:
        raise ValueError(
            f"populations must be a non-empty selection of {', '.join(map(repr, POPULATIONS))}; "
            f"got {list(populations)!r}"
        )
    twice = sorted({p for p in populations if populations.count(p) > 1})
    if twice:
        raise ValueError(f"populations lists {', '.join(map(repr, twice))} more than once")
    if population not in populations:
        raise ValueError(
            f"population must be one of the handout's populations "
            f"({', '.join(map(repr, populations))}); got {population!r}"
        )
    start_bout = Bout(kind, intensity, None if to_failure else duration, to_failure)
    display = _Table()
    # the range's ends (one decimal) first, so their per-point indices fit in one byte
    for text in ("-0.0", *(f"{k / 10:+.1f}" for k in range(-40, 41))):
        display(text)
    data: dict = {
        "meta": {
            "painlab_version": painlab.__version__,
            "generated": _dt.date.today().isoformat(),
            "grid_step": GRID_STEP,
            "quantum": QUANTUM,
        },
        "kinds": list(KINDS),
        "kind_labels": dict(KIND_LABELS),
        "units": dict(UNITS),
        "populations": list(populations),
        "population_labels": {p: POPULATION_LABELS.get(p, p) for p in populations},
        "sites": list(SITES),
        "site_labels": {s: SITE_LABELS[s] for s in SITES},
        "control_labels": dict(CONTROL_LABELS),
        "outcomes": list(OUTCOMES),
        "grid": {},
        "values": {},
        "readout": {},
        "captions": {"dose_map": {}},
        "display": display.items,  # grows as values are added
    }
    half_life = hypoalgesia.predict(start_bout, population).half_life
    hl = PARAMETERS[("time", "half_life")]
    data["model"] = {
        "half_life": half_life,
        "half_life_unit": hl.unit,
        "half_life_references": list(hl.references),
        "threshold": HYPOALGESIA_THRESHOLD,
        "decay": "d(m) = d0 * 2 ** (-m / half_life)",
    }
    rng = np.random.default_rng(0)
    for k in KINDS:
        grid, g, li, _interp = dose_part(k)
        g = copy.deepcopy(g)  # the self-check below caches decoded arrays in it
        data["grid"][k] = g
        data["values"][k] = {}
        data["readout"][k] = {}
        for pop in populations:
            values, layouts = _population_data(grid, pop, li, display)
            data["values"][k][pop] = values
            data["readout"][k][pop] = layouts
            data["captions"]["dose_map"].setdefault(k, {})[pop] = _caption_dose_map(k, pop)
            for p in rng.choice(grid.size, size=min(check, grid.size), replace=False):
                want = _readout(grid.bout(int(p)), pop)
                got = _assemble(data, k, pop, int(p))
                if got != want:
                    raise RuntimeError(
                        f"handout: re-assembled readout differs from readout_html at "
                        f"{grid.bout(int(p)).label}, {pop}:\n{got}\n!=\n{want}"
                    )
    start_grid = _Grid(kind)
    data["start"] = {
        "kind": kind,
        "population": population,
        "point": start_grid.point(intensity, duration, to_failure),
        "to_failure": bool(to_failure),
    }
    data["figures"] = _figures_data(start_bout, population, populations)
    data["captions"]["sites"] = (
        "Bars: the effect right after the bout at the exercising limb, the opposite limb and "
        f"a distant resting muscle (Cohen's d; + = less pain); the dotted line is d = "
        f"{HYPOALGESIA_THRESHOLD:g}, a small effect."
    )
    refs = studies.citations()
    data["captions"]["time_course"] = (
        f"Lines: the effect fading after the bout, halving every {half_life:g} min (model; "
        + ", ".join(refs[r].short for r in hl.references if r in refs)
        + "). Markers: what studies of this kind and population found at the times they "
        "measured (height = outcome category, not an effect size)."
    )
    blobs = _Table()
    data["figures"] = _intern_blobs(data["figures"], blobs)
    data["blobs"] = blobs.items
    for section in (data["grid"], data["values"]):
        _drop_cache(section)
    return data


def _drop_cache(obj) -> None:
    if isinstance(obj, dict):
        obj.pop("_decoded", None)
        for v in obj.values():
            _drop_cache(v)
    elif isinstance(obj, list):
        for v in obj:
            _drop_cache(v)


def _copy_for_update(fig: dict, update: dict) -> dict:
    """A copy of a figure's JSON dict that :func:`painlab.figures.apply_update` can write
    ``update`` into without touching ``fig``: the traces it names and the layout are copied
    (nested dicts that it merges into, deeply), the rest is shared (read only)."""
    names = update.get("traces", {})
    data = []
    for t in fig["data"]:
        props = names.get(t.get("name"))
        if props is None:
            data.append(t)
            continue
        t = dict(t)
        for key, value in props.items():
            if isinstance(value, dict) and isinstance(t.get(key), dict):
                t[key] = copy.deepcopy(t[key])
        data.append(t)
    return {**fig, "data": data, "layout": copy.deepcopy(fig.get("layout", {}))}


def _figures_data(bout: Bout, population: str, populations: Sequence[str]) -> dict:
    r = hypoalgesia.predict(bout, population)
    base = {
        # the page redraws values, not ranges: the range is in its readout
        "dose_map": figures.plot_dose_map(bout.kind, population, bout, ranges=False),
        "sites": figures.plot_sites(r, ranges=False),
        "time_course": figures.plot_time_course(r, ranges=False),
    }
    site_traces = [_trace_index(base["time_course"], figures.SITE_LABELS[s]) for s in SITES]
    bind = {
        "dose_map": {"star": _trace_index(base["dose_map"], "current bout")},
        "sites": {"bars": _trace_index(base["sites"], "effect")},
        "time_course": {
            "lines": site_traces,
            "minutes": np.asarray(base["time_course"].data[site_traces[0]].x).tolist(),
        },
    }
    bind["sites"]["traces"] = len(base["sites"].data)
    bind["time_course"]["traces"] = len(base["time_course"].data)
    bind["dose_map"]["traces"] = len(base["dose_map"].data)
    dynamic: dict[str, dict[int, tuple[str, ...]]] = {
        "dose_map": {bind["dose_map"]["star"]: ("x", "y")},
        "sites": {bind["sites"]["bars"]: ("y", "text")},
        "time_course": {i: ("y",) for i in site_traces},
    }
    raw = {name: fig.to_plotly_json() for name, fig in base.items()}
    base_json = {name: _figure_json(fig) for name, fig in raw.items()}
    patches: dict = {name: {} for name in base}
    for k in KINDS:
        kb = Bout(k, *_DEFAULT_BOUT[k])
        for pop in populations:
            rk = hypoalgesia.predict(kb, pop)
            # the figures of another kind and population: the base figure with the traces
            # that differ rewritten by name (as the dashboards do), not rebuilt
            other = {}
            for name, update in (
                ("dose_map", figures.dose_map_update(k, pop, ranges=False)),
                ("time_course", figures.time_course_update(rk, ranges=False)),
            ):
                fig = _copy_for_update(raw[name], update)
                figures.apply_update(fig, update)
                other[name] = fig
            # the sites figure depends on the bout only: its bars are set by the page
            patches["sites"].setdefault(k, {})[pop] = {"data": {}, "layout": {}}
            for name, fig in other.items():
                patches[name].setdefault(k, {})[pop] = _figure_patch(
                    base_json[name], _figure_json(fig), dynamic[name]
                )
    return {
        name: {"base": base_json[name], "patch": patches[name], "bind": bind[name]} for name in base
    }


# --------------------------------------------------------------------------- HTML


def export_handout(
    path: str | os.PathLike = "painlab-handout.html",
    *,
    kind: str = "aerobic",
    intensity: float = 75,
    duration: float | None = 30,
    population: str = "healthy",
    to_failure: bool = False,
    populations: Sequence[str] = POPULATIONS,
    verbose: bool = True,
) -> Path:
    """Write the dose explorer as one self-contained HTML file that needs no Python.

    The page shows the dose map (model surface and the documented study arms, each with
    its citation in hover text), the effect by body site, the time course and the readout
    with its references, under controls for exercise kind, population, intensity,
    duration and "hold until failure". It loads nothing from the network (plotly.js is
    inlined) and runs no model: values for every control step (:data:`GRID_STEP`) were
    computed by :func:`painlab.predict` when the file was written.

    Parameters
    ----------
    path : str or path-like, default "painlab-handout.html"
        Where to write; must end in ``.html`` or ``.htm``. Parent folders are created.
    kind, intensity, duration, population, to_failure
        The bout and population the page opens with.
    populations : sequence of str
        Populations the page offers (default all; fewer make a smaller file).
    verbose : bool, default True
        Print the path and size written.

    Returns
    -------
    pathlib.Path
        The file written (at most :data:`MAX_BYTES`).

    Raises
    ------
    ValueError
        For a path without an HTML suffix, a folder, a path below a file, an invalid bout
        or population, duplicate populations, or a result over :data:`MAX_BYTES`. The
        path is checked before anything is computed; nothing is written then.
    PermissionError
        If the folder cannot be written (checked first, too).
    OSError
        From the file system while writing (e.g. a full disk). The file is written
        atomically, so an older handout at `path` is then left whole.

    Examples
    --------
    >>> import painlab as pl
    >>> p = pl.export_handout("eih.html")  # doctest: +SKIP
    Wrote eih.html (7.9 MB): ...
    """
    import plotly
    import plotly.offline

    # Checked before the minute of computing: a bad target fails at once.
    target = check_target(path, "path", suffixes=(".html", ".htm"))
    data = handout_data(
        kind,
        intensity,
        duration,
        population,
        to_failure=to_failure,
        populations=populations,
    )
    plotly_js = plotly.offline.get_plotlyjs()
    explorer_js = _explorer_asset("explorer.js")
    for name, js in (("plotly.js", plotly_js), ("explorer.js", explorer_js)):
        if re.search(r"</script", js, re.I):
            raise RuntimeError(f"handout: this {name} contains '</script' and cannot be inlined")
    payload = _script_json(data)
    page = (
        _asset("page.html")
        .replace("@@TITLE@@", "painlab handout: how much exercise eases pain?")
        .replace(
            "@@STYLE@@",
            _asset("page.css").replace("@@FONT@@", theme.font_family)
            + _explorer_asset("explorer.css"),
        )
        .replace("@@VERSION@@", html.escape(data["meta"]["painlab_version"]))
        .replace("@@PLOTLY_VERSION@@", html.escape(getattr(plotly, "__version__", "?")))
        .replace("@@DATE@@", data["meta"]["generated"])
        .replace("@@REFERENCES@@", _reference_list())
        .replace("@@STEPS@@", html.escape(_steps_text()))
    )
    head, tail = page.split("@@SCRIPTS@@")
    text = "".join(
        [
            head,
            '<script type="application/json" id="painlab-data">',
            payload,
            "</script>\n<script>",
            plotly_js,
            # the explorer front end pl.explore() uses, then the page's stand-in for the kernel
            '</script>\n<script type="module">',
            explorer_js,
            '</script>\n<script type="module">',
            _asset("handout.js"),
            "</script>",
            tail,
        ]
    )
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_BYTES:
        raise ValueError(
            f"the handout would be {len(encoded) / 1e6:.1f} MB, above the {MAX_BYTES / 1e6:g} MB "
            "limit; offer fewer populations (populations=...)"
        )
    atomic_write(target, encoded)  # a full disk or a kill leaves an older handout whole
    if verbose:
        print(
            f"Wrote {target} ({len(encoded) / 1e6:.1f} MB): {len(data['populations'])} "
            f"population(s), {sum(g['size'] for g in data['grid'].values())} doses each."
        )
    return target


def _script_json(data: dict) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, no ``<!--`` (``<`` escaped)."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _steps_text() -> str:
    parts = []
    for k in KINDS:
        s = GRID_STEP[k]
        parts.append(
            f"{KIND_LABELS[k]}: {s['intensity']:g} {UNITS[k]} and {s['duration']:g} min steps"
        )
    return "; ".join(parts)


def _reference_list() -> str:
    """Every citation the page can show, as plain text (DOIs and PMIDs, no links)."""
    keys: dict[str, None] = {}
    for k in KINDS:
        for a in studies.arms(kind=k):
            keys.setdefault(a.citation.key, None)
    for param in PARAMETERS.values():
        for r in param.references:
            keys.setdefault(r, None)
    cites = studies.citations()
    items = sorted((cites[k] for k in keys if k in cites), key=lambda c: (c.first_author, c.year))
    return "\n".join(f"<li>{html.escape(c.reference())}</li>" for c in items)
