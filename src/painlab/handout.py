"""A handout that needs no Python: the dose explorer as one offline HTML file, and slides.

:func:`export_handout` writes one self-contained HTML page (plotly.js inlined, no CDN, no
web font, nothing fetched) with the dose map, the body-site figure, the time course and
the readout of :func:`painlab.explore`, driven by controls for exercise kind, population,
intensity, duration and "hold until failure". The browser runs no model: every number was
computed here by :func:`painlab.predict` / :func:`painlab.hypoalgesia.effect_grid` at every
step a control can take (see :data:`GRID_STEP`), and the page only looks values up and
hands them to ``Plotly.restyle`` / ``Plotly.react``. The one formula in the page is the
documented decay of the time course, ``d(m) = d0 * 2 ** (-m / half_life)``, with
``half_life`` taken from the model.

What the file holds
-------------------
- **Figures** built by :mod:`painlab.figures` (so they look like the notebooks): one base
  figure each, and per kind x population only the parts that differ (dose surface, study
  arms with their citations in hover text, axis titles).
- **Grid values** per kind x population x grid point: Cohen's d at the three sites,
  quantised to :data:`QUANTUM` (int16), the 2-decimal strings the readout shows, the outcome
  and how long the effect lasts. Arrays are base64 typed arrays in plotly's own
  ``{"dtype", "bdata"}`` form inside one JSON block (``<script id="painlab-data">``).
- **The readout** of :func:`painlab.dashboards.readout_html`, factored into its pieces:
  the literal text of every variant (taken from real readouts at build time) and, per
  grid point, which variant and which numbers fill it. The page joins the pieces; before
  writing, :func:`export_handout` re-assembles readouts at sample points and checks them
  against ``readout_html(predict(...))`` character for character.

:func:`export_figures` writes every figure at 1920 x 1080 (PNG, SVG, ...) with kaleido and
the system Chromium; nothing is downloaded.
"""

from __future__ import annotations

import base64
import copy
import datetime as _dt
import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from painlab import figures, hypoalgesia, studies, theme
from painlab._files import atomic_write, check_target
from painlab.bouts import KIND_LABELS, KINDS, LIMITS, UNITS, Bout, endurance_time
from painlab.hypoalgesia import HYPOALGESIA_THRESHOLD, PARAMETERS, POPULATIONS

__all__ = [
    "FIGURES",
    "FORMATS",
    "GRID_STEP",
    "MAX_BYTES",
    "QUANTUM",
    "export_figures",
    "export_handout",
    "handout_data",
]

#: Steps of the handout's controls; the model is evaluated at every step in advance.
#: Intensity in the kind's unit (% VO2max, % MVC, % 1RM), duration in minutes. Isometric
#: holds also get one "hold until failure" point per intensity (duration = endurance time).
GRID_STEP: dict[str, dict[str, float]] = {
    "aerobic": {"intensity": 1.0, "duration": 1.0},
    "isometric": {"intensity": 1.0, "duration": 0.1},
    "dynamic_resistance": {"intensity": 1.0, "duration": 1.0},
}
#: Resolution of the stored effect sizes [Cohen's d]: values are int16 multiples of this.
QUANTUM = 1e-4
#: Largest handout the exporter writes [bytes] (10 MB): a file that still mails and loads.
MAX_BYTES = 10_000_000
#: Figures :func:`export_figures` writes, in order (file stem -> what it shows).
FIGURES: dict[str, str] = {
    "dose_map_aerobic": "dose map, aerobic exercise",
    "dose_map_isometric": "dose map, isometric holds",
    "dose_map_dynamic_resistance": "dose map, dynamic resistance exercise",
    "sites": "effect by body site",
    "time_course": "effect over the minutes after the bout",
    "mechanisms": "mechanisms engaged",
    "fatigue": "isometric effect versus fatigue used",
    "condition_effects": "exercise programmes by condition (forest plot)",
}
#: Image formats kaleido writes.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "jpg", "jpeg", "webp")

SITES: tuple[str, ...] = ("exercising", "contralateral", "distant")
OUTCOMES: tuple[str, ...] = ("hypoalgesia", "none", "hyperalgesia")
_DEFAULT_BOUT = {
    "aerobic": (75.0, 30.0),
    "isometric": (25.0, 2.0),
    "dynamic_resistance": (75.0, 45.0),
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LI = re.compile(r"<li>.*?</li>", re.S)


# --------------------------------------------------------------------------- grid


def _steps(lo: float, hi: float, step: float) -> np.ndarray:
    """``lo, lo + step, ..., hi`` as the doubles nearest the decimal values (0.3, not 0.30000000000000004)."""
    per_unit = round(1 / step)
    start, stop = round(lo * per_unit), round(hi * per_unit)
    return np.arange(start, stop + 1) / per_unit


class _Grid:
    """Every dose the controls of one kind can select, in a fixed order.

    Points run intensity by intensity; within one intensity, durations ascend and an
    isometric intensity ends with its "hold until failure" point. ``t_index`` of a
    failure point is ``len(durations)``.
    """

    def __init__(self, kind: str):
        self.kind = kind
        step = GRID_STEP[kind]
        self.intensity = _steps(*LIMITS[kind]["intensity"], step["intensity"])
        self.duration = _steps(*LIMITS[kind]["duration"], step["duration"])
        self.failure = kind == "isometric"
        if self.failure:
            self.endurance = np.asarray(endurance_time(self.intensity), dtype=float)
            self.n_duration = np.array(
                [int(np.searchsorted(self.duration, et, side="right")) for et in self.endurance]
            )
        else:
            self.endurance = None  # type: ignore[assignment]  # no endurance time off holds
            self.n_duration = np.full(len(self.intensity), len(self.duration))
        per = self.n_duration + int(self.failure)
        self.offset = np.concatenate([[0], np.cumsum(per)[:-1]]).astype(int)
        self.size = int(per.sum())
        i_idx, t_idx = [], []
        for i, n in enumerate(self.n_duration):
            i_idx += [i] * (n + int(self.failure))
            t_idx += list(range(n)) + ([len(self.duration)] if self.failure else [])
        self.i_index = np.array(i_idx)
        self.t_index = np.array(t_idx)

    def bout(self, p: int) -> Bout:
        i, t = self.i_index[p], self.t_index[p]
        if t == len(self.duration):
            return Bout(self.kind, float(self.intensity[i]), to_failure=True)
        return Bout(self.kind, float(self.intensity[i]), float(self.duration[t]))

    def point(self, intensity: float, duration: float | None, to_failure: bool = False) -> int:
        """Index of the grid point nearest a bout (``duration`` ignored for a failure hold)."""
        i = int(np.argmin(np.abs(self.intensity - intensity)))
        if to_failure and self.failure:
            return int(self.offset[i] + self.n_duration[i])
        t = int(np.argmin(np.abs(self.duration[: self.n_duration[i]] - duration)))
        return int(self.offset[i] + t)

    def effects(
        self, population: str, sites: Sequence[str] = SITES, edge: str = "value"
    ) -> dict[str, np.ndarray]:
        """Cohen's d at each site for every point (one vectorised model call per site);
        ``edge="low"``/``"high"`` gives the edges of the plausible range instead."""
        out = {}
        for site in sites:
            d = hypoalgesia.effect_grid(
                self.kind, population, self.intensity, self.duration, site=site, edge=edge
            )
            cols = []
            if self.failure:
                fail = hypoalgesia.effect_grid(
                    self.kind,
                    population,
                    self.intensity,
                    np.minimum(self.endurance, LIMITS["isometric"]["duration"][1]),
                    site=site,
                    edge=edge,
                ).diagonal()
            for i, n in enumerate(self.n_duration):
                cols.append(d[:n, i])
                if self.failure:
                    cols.append(fail[i : i + 1])
            out[site] = np.concatenate(cols)
        return out


# --------------------------------------------------------------------------- encoding


def _typed(a: np.ndarray) -> dict:
    """A numpy array as plotly's base64 typed-array object ``{"dtype", "bdata"}``."""
    a = np.ascontiguousarray(a)
    code = {
        "int8": "i1",
        "uint8": "u1",
        "int16": "i2",
        "uint16": "u2",
        "int32": "i4",
        "uint32": "u4",
        "float32": "f4",
        "float64": "f8",
    }[a.dtype.name]
    return {
        "dtype": code,
        "bdata": base64.b64encode(a.astype(a.dtype.newbyteorder("<")).tobytes()).decode(),
    }


def _untyped(obj: dict) -> np.ndarray:
    """Inverse of :func:`_typed` (used by tests and the build-time self-check)."""
    dtype = np.dtype("<" + obj["dtype"])
    return np.frombuffer(base64.b64decode(obj["bdata"]), dtype=dtype)


def _index_array(values: Sequence[int] | np.ndarray) -> dict:
    a = np.asarray(values, dtype=np.int64)
    top = int(a.max()) if a.size else 0
    return _typed(a.astype(np.uint8 if top < 256 else np.uint16 if top < 65536 else np.uint32))


class _Table:
    """Distinct strings in order of first use, and each string's index."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, s: str) -> int:
        if s not in self._index:
            self._index[s] = len(self.items)
            self.items.append(s)
        return self._index[s]


def _factor(strings: Sequence[str], grid: _Grid, tokens: _Table) -> dict:
    """Store one string per grid point compactly: templates with numeric slots.

    Each string is split at its numbers. Strings with the same text between the numbers
    share a template; each slot is then stored where it varies: folded into the template
    when constant, in a table by intensity or by duration when it depends on only one of
    them, otherwise per point (an index into ``tokens``). :func:`_unfactor` inverts this.
    """
    templates = _Table()
    tid = np.empty(len(strings), dtype=np.int64)
    numbers: list[list[str]] = []
    texts: list[tuple[str, ...]] = []
    for p, s in enumerate(strings):
        parts = _NUMBER.split(s)
        key = "\x00".join(parts)
        tid[p] = templates(key)
        if tid[p] == len(texts):
            texts.append(tuple(parts))
        numbers.append(_NUMBER.findall(s))
    out_templates: list[list] = []
    by_i: list[list[str]] = []
    by_t: list[list[str]] = []
    per_point: list[np.ndarray] = []
    n_i, n_t = len(grid.intensity), len(grid.duration) + 1
    for k, pieces in enumerate(texts):
        members = np.flatnonzero(tid == k)
        tpl: list = [pieces[0]]
        for c in range(len(pieces) - 1):
            vals = [numbers[p][c] for p in members]
            slot: dict | str
            if len(set(vals)) == 1:
                slot = vals[0]
            elif (table := _table_by(vals, grid.i_index[members], n_i)) is not None:
                slot = {"i": len(by_i)}
                by_i.append(table)
            elif (table := _table_by(vals, grid.t_index[members], n_t)) is not None:
                slot = {"t": len(by_t)}
                by_t.append(table)
            else:
                col = np.zeros(grid.size, dtype=np.int64)
                col[members] = [tokens(v) for v in vals]
                slot = {"p": len(per_point)}
                per_point.append(col)
            tpl += [slot, pieces[c + 1]]
        out_templates.append(_merge_literals(tpl))
    return {
        "templates": out_templates,
        "template": _index_array(tid),
        "by_i": by_i,
        "by_t": by_t,
        "per_point": [_index_array(c) for c in per_point],
    }


def _table_by(values: list[str], keys: np.ndarray, n: int) -> list[str] | None:
    table: list[str | None] = [None] * n
    for v, k in zip(values, keys, strict=True):
        if table[k] is None:
            table[k] = v
        elif table[k] != v:
            return None
    return ["" if v is None else v for v in table]


def _merge_literals(parts: Iterable) -> list:
    out: list = []
    for x in parts:
        if isinstance(x, str):
            if not x:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += x
                continue
        out.append(x)
    return out


# --------------------------------------------------------------------------- readout


def _readout(bout: Bout, population: str) -> str:
    from painlab.dashboards import readout_html

    return readout_html(hypoalgesia.predict(bout, population))


class _ReasonMarkup:
    """Each reason as the ``<li>`` that :func:`painlab.dashboards.readout_html` draws.

    The markup around a reason's text (its ✓/✗ mark and references) is taken from
    ``readout_html`` once per kind of reason (the reason with its text left out), then
    reused for every reason of that kind: one call per kind instead of one per dose.
    """

    _shared: _ReasonMarkup | None = None

    def __init__(self) -> None:
        self._frames: dict = {}

    @classmethod
    def shared(cls, r, reason) -> str:
        """Markup of one reason through a module-wide cache."""
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared(r, reason)

    def __call__(self, r, reason) -> str:
        import dataclasses

        from painlab.dashboards import readout_html

        key = dataclasses.replace(reason, text="")
        if key not in self._frames:
            if not reason.text:
                raise RuntimeError("handout: a reason has no text")
            page = readout_html(dataclasses.replace(r, reasons=(reason,)))
            items = _LI.findall(page)
            text = html.escape(reason.text)
            if len(items) != 1 or items[0].count(text) != 1:
                raise RuntimeError("handout: readout_html no longer draws a reason as one <li>")
            pre, post = items[0].split(text)
            self._frames[key] = (pre, post)
        pre, post = self._frames[key]
        return pre + html.escape(reason.text) + post


def _summary_pieces(r) -> tuple[list, str]:
    """Split ``html.escape(r.summary())`` into literals and slots, and its tail.

    The label and the three 2-decimal effects are located in order; whatever follows the
    last effect (how long the effect lasts, and the full stop) is returned as the tail.
    """
    summary = html.escape(r.summary())
    parts: list = []
    pos = 0
    pieces = [("label", html.escape(r.bout.label))]
    pieces += [(s, html.escape(f"{r.at(s):+.2f}")) for s in SITES]
    for what, text in pieces:
        at = summary.find(text, pos)
        if at < 0:
            raise RuntimeError(
                f"handout: cannot find the {what} value {text!r} in the summary {summary!r}; "
                "Response.summary() changed how it shows the bout or the effects"
            )
        parts.append(summary[pos:at])
        parts.append({"label": 1} if what == "label" else {"d": what})
        pos = at + len(text)
    return parts, summary[pos:]


def _readout_layout(
    grid: _Grid, p: int, population: str, healthy_li: list[str], n_reasons: int
) -> tuple[list, str]:
    """The pieces of one real readout: literal text, and the slots a grid point fills.

    Slots: ``{"label": 1}`` the bout's label, ``{"d": site}`` the 2-decimal effect at a
    site, ``{"rest": 1}`` the end of the summary sentence (how long the effect lasts),
    ``{"reason": j}`` the j-th reason of the healthy readout at the same dose (the reasons
    that depend on the dose only). Returns the pieces and this readout's summary tail.
    """
    from painlab.dashboards import readout_html

    r = hypoalgesia.predict(grid.bout(p), population)
    page = readout_html(r)
    summary = html.escape(r.summary())
    if page.count(summary) != 1:
        raise RuntimeError("handout: the readout no longer shows Response.summary() once")
    start = page.index(summary)
    pieces, tail = _summary_pieces(r)
    parts: list = [page[:start], *pieces, {"rest": 1}]
    rest = page[start + len(summary) :]
    rng = html.escape(r.range_text())
    lo, hi = r.range("exercising")
    fills = [f"{lo:+.2f}", f"{hi:+.2f}", hypoalgesia.range_verdict(lo, hi)]
    if rest.count(rng) != 1:
        raise RuntimeError("handout: the readout no longer shows Response.range_text() once")
    at = rest.index(rng)
    parts.append(rest[:at])
    pos = 0
    for name, text in zip(("range_lo", "range_hi", "range_verdict"), fills, strict=True):
        k = rng.index(html.escape(text), pos)
        parts += [rng[pos:k], {"slot": name}]
        pos = k + len(html.escape(text))
    parts.append(rng[pos:])
    rest = rest[at + len(rng) :]
    evidence = _ReasonMarkup.shared(r, next(x for x in r.reasons if x.kind == "evidence"))
    pos, j = 0, 0
    for m in _LI.finditer(rest):
        parts.append(rest[pos : m.start()])
        if j < n_reasons and m.group(0) == healthy_li[j]:
            parts.append({"reason": j})
            j += 1
        elif m.group(0) == evidence:
            parts.append({"slot": "evidence"})
        else:
            parts.append(m.group(0))
        pos = m.end()
    parts.append(rest[pos:])
    if j != n_reasons:
        raise RuntimeError(
            f"handout: the {population} readout of {r.bout.label} does not contain the "
            "dose reasons of the healthy readout in order"
        )
    return _merge_literals(parts), tail


def _summary_tails(grid: _Grid, population: str, d0: np.ndarray, points: np.ndarray) -> list[str]:
    """The end of the summary sentence at each of ``points``, from real Response.summary().

    The responses are the model's own: ``predict`` at the same intensity (which fixes the
    population's flare term), given the bout and the exercising-limb effect of the point.
    At one intensity every site's effect rises with the exercising-limb effect, so the
    tail ("lasts about 12 min.") changes only at a few values of it: the points are sorted
    by effect and the tail is evaluated at the ends of each run, splitting runs whose ends
    differ (bisection). :func:`handout_data` checks sample points against ``predict``.
    """
    import dataclasses

    out: dict[int, str] = {}
    for i in np.unique(grid.i_index[points]).tolist():
        mine = points[grid.i_index[points] == i]
        mine = mine[np.argsort(d0[mine], kind="stable")].tolist()
        base = hypoalgesia.predict(grid.bout(int(grid.offset[i])), population)

        def tail(p, base=base):
            if p not in out:
                r = dataclasses.replace(base, bout=grid.bout(p), effect_size=float(d0[p]))
                out[p] = _summary_pieces(r)[1]
            return out[p]

        stack = [(0, len(mine) - 1)]
        while stack:
            lo, hi = stack.pop()
            if tail(mine[lo]) == tail(mine[hi]):
                for p in mine[lo + 1 : hi]:
                    out[p] = out[mine[lo]]
            elif hi - lo > 1:
                mid = (lo + hi) // 2
                stack += [(lo, mid), (mid, hi)]
    return [out[p] for p in points.tolist()]


def _assemble(data: dict, kind: str, population: str, p: int) -> str:
    """The readout HTML of grid point ``p`` from the handout data (what the page does)."""
    g, v = data["grid"][kind], data["values"][kind][population]
    i, t = int(_cached(g, "i_index")[p]), int(_cached(g, "t_index")[p])
    outcome = OUTCOMES[int(_cached(v, "outcome")[p])]
    out = []
    for part in data["readout"][kind][population][outcome]:
        if isinstance(part, str):
            out.append(part)
        elif "label" in part:
            out.append(_unfactor(g["label"], g, i, t, p))
        elif "d" in part:
            out.append(data["display"][int(_cached(v["show"], part["d"])[p])])
        elif "rest" in part:
            out.append(data["display"][int(_cached(v, "rest")[p])])
        elif "slot" in part:
            out.append(data["display"][int(_cached(v["slots"], part["slot"])[p])])
        else:
            out.append(_unfactor(g["reasons"][part["reason"]], g, i, t, p))
    return "".join(out)


def _unfactor(f: dict, g: dict, i: int, t: int, p: int) -> str:
    out = []
    for x in f["templates"][int(_cached(f, "template")[p])]:
        if isinstance(x, str):
            out.append(x)
        elif "i" in x:
            out.append(f["by_i"][x["i"]][i])
        elif "t" in x:
            out.append(f["by_t"][x["t"]][t])
        else:
            out.append(g["tokens"][int(_untyped(f["per_point"][x["p"]])[p])])
    return "".join(out)


def _cached(d: dict, key: str) -> np.ndarray:
    """Decode ``d[key]`` once (typed arrays are decoded lazily by the Python mirror)."""
    cache = d.setdefault("_decoded", {})
    if key not in cache:
        cache[key] = _untyped(d[key])
    return cache[key]


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


# --------------------------------------------------------------------------- data


def _population_data(grid: _Grid, pop: str, li: list[list[str]], display: _Table):
    """Values per grid point of one kind and population, and the readout's variants.

    Returns ``(values, layouts)``: effects at each site (int16 multiples of
    :data:`QUANTUM`), the 2-decimal strings and the summary's ending as indices into
    ``display``, the outcome; and per outcome the readout's pieces (see
    :func:`_readout_layout`), taken from real readouts at three doses that must agree.
    """
    n_reasons = len(li[0])
    eff = grid.effects(pop)
    d0 = eff["exercising"]
    outcome = np.where(d0 >= HYPOALGESIA_THRESHOLD, 0, np.where(d0 <= -HYPOALGESIA_THRESHOLD, 2, 1))
    q = {s: np.rint(eff[s] / QUANTUM) for s in SITES}
    if any(np.abs(a).max() > np.iinfo(np.int16).max for a in q.values()):
        raise RuntimeError("handout: an effect size exceeds the int16 range")
    layouts, rest = {}, np.zeros(grid.size, dtype=np.int64)
    for o, name in enumerate(OUTCOMES):
        members = np.flatnonzero(outcome == o)
        if not members.size:
            continue
        picks = [members[len(members) // 2], members[0], members[-1]]
        found = [_readout_layout(grid, p, pop, li[p], n_reasons) for p in picks]
        if any(f[0] != found[0][0] for f in found[1:]):
            raise RuntimeError(
                f"handout: the {grid.kind} readout in {pop} ({name}) has text that varies "
                "with the dose in a way the handout does not store"
            )
        layouts[name] = found[0][0]
        if name == "hypoalgesia":  # the ending says how long the effect lasts
            rest[members] = [display(t) for t in _summary_tails(grid, pop, d0, members)]
        elif any(f[1] != found[0][1] for f in found[1:]):
            raise RuntimeError(
                f"handout: the {grid.kind} summary in {pop} ({name}) ends differently at "
                "different doses"
            )
        else:
            rest[members] = display(found[0][1])
    lo = grid.effects(pop, ("exercising",), "low")["exercising"]
    hi = grid.effects(pop, ("exercising",), "high")["exercising"]
    lo, hi = np.minimum(lo, d0), np.maximum(hi, d0)
    slots = {
        "range_lo": _index_array([display(f"{x:+.2f}") for x in lo.tolist()]),
        "range_hi": _index_array([display(f"{x:+.2f}") for x in hi.tolist()]),
        "range_verdict": _index_array(
            [display(hypoalgesia.range_verdict(a, b)) for a, b in zip(lo, hi, strict=True)]
        ),
        "evidence": _index_array([display(x) for x in _evidence_markup(grid, pop)]),
    }
    values = {
        "slots": slots,
        "scale": QUANTUM,
        "d": {s: _typed(q[s].astype(np.int16)) for s in SITES},
        "show": {s: _index_array([display(f"{x:+.2f}") for x in eff[s].tolist()]) for s in SITES},
        "outcome": _index_array(outcome),
        "rest": _index_array(rest),
    }
    return values, layouts


def _near_points(grid: _Grid, population: str) -> list[list[int]]:
    """Per grid point, the indices of this population's placed arms at a close dose."""
    placed = hypoalgesia._placed(grid.kind, population)
    inten = grid.intensity[grid.i_index]
    minutes = np.where(
        grid.t_index == len(grid.duration),
        grid.endurance[grid.i_index] if grid.endurance is not None else 0.0,
        grid.duration[np.minimum(grid.t_index, len(grid.duration) - 1)],
    )
    out: list[list[int]] = [[] for _ in range(grid.size)]
    for a, (_arm, b) in enumerate(placed):
        near = np.abs(inten - b.intensity) <= 10
        if grid.kind == "isometric":
            share = minutes / grid.endurance[grid.i_index]
            near &= np.abs(share - b.minutes / (b.endurance or 1.0)) <= 0.25
        else:
            near &= np.abs(minutes - b.minutes) <= 0.5 * np.maximum(minutes, b.minutes)
        for p in np.flatnonzero(near).tolist():
            out[p].append(a)
    return out


def _evidence_markup(grid: _Grid, population: str) -> list[str]:
    """The readout's evidence line (as markup) at every grid point, computed per
    distinct set of nearby arms; ``handout_data`` checks samples against ``predict``."""
    mine = _near_points(grid, population)
    other = {p: _near_points(grid, p) for p in POPULATIONS if p != population}
    placed = hypoalgesia._placed(grid.kind, population)
    cache: dict = {}
    out = []
    sample = hypoalgesia.predict(grid.bout(0), population)
    for p in range(grid.size):
        key = tuple(mine[p])
        others = () if key else tuple(q for q in other if other[q][p])
        if (key, others) not in cache:
            reason = hypoalgesia.evidence_reason([placed[a][0] for a in key], population, others)
            cache[(key, others)] = _ReasonMarkup.shared(sample, reason)
        out.append(cache[(key, others)])
    return out


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
    from painlab.dashboards import POPULATION_LABELS

    display = _Table()
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
        grid = _Grid(k)
        tokens = _Table()
        markup = _ReasonMarkup()
        sample = hypoalgesia.predict(grid.bout(0), "healthy")  # frames the markup only
        li = []
        for p in range(grid.size):
            li.append([markup(sample, x) for x in hypoalgesia.dose_reasons(grid.bout(p))])
        if any(len(x) != len(li[0]) for x in li):
            raise RuntimeError(f"handout: {k} readouts list different numbers of reasons")
        labels = [grid.bout(p).label for p in range(grid.size)]
        g = {
            "intensity": grid.intensity.tolist(),
            "duration": grid.duration.tolist(),
            "n_duration": grid.n_duration.tolist(),
            "offset": grid.offset.tolist(),
            "size": grid.size,
            "failure": grid.failure,
            "endurance": None if grid.endurance is None else grid.endurance.tolist(),
            "i_index": _index_array(grid.i_index),
            "t_index": _index_array(grid.t_index),
            "label": _factor(labels, grid, tokens),
            "reasons": [_factor([x[j] for x in li], grid, tokens) for j in range(len(li[0]))],
        }
        g["tokens"] = tokens.items
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


def _figures_data(bout: Bout, population: str, populations: Sequence[str]) -> dict:
    r = hypoalgesia.predict(bout, population)
    base = {
        "dose_map": figures.plot_dose_map(bout.kind, population, bout),
        # the page redraws values, not ranges: the range is in its readout
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
                ("dose_map", figures.dose_map_update(k, pop)),
                ("time_course", figures.time_course_update(rk, ranges=False)),
            ):
                fig = copy.deepcopy(raw[name])
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
    if re.search(r"</script", plotly_js, re.I):
        raise RuntimeError("handout: this plotly.js contains '</script' and cannot be inlined")
    payload = _script_json(data)
    page = (
        _PAGE.replace("@@TITLE@@", "painlab handout: how much exercise eases pain?")
        .replace("@@STYLE@@", _CSS.replace("@@FONT@@", theme.font_family))
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
            "</script>\n<script>",
            _JS,
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


# --------------------------------------------------------------------------- slides


def _browser_path(browser_path: str | os.PathLike | None) -> str:
    """The Chromium kaleido drives: argument, ``$BROWSER_PATH``, then the PATH."""
    candidates = [browser_path, os.environ.get("BROWSER_PATH")]
    for c in candidates:
        if c:
            if not Path(c).is_file():
                raise FileNotFoundError(f"browser_path: no browser at {str(c)!r}")
            return str(c)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError(
        "export_figures needs Chromium or Chrome (kaleido draws the figures in it): install "
        "the system package (e.g. apt install chromium) or pass browser_path=..."
    )


def _check_image_args(formats, width, height) -> tuple[str, ...]:
    """Validate the image formats and pixel size shared by the slide exports."""
    if isinstance(formats, str):
        formats = (formats,)
    formats = tuple(f.lower().lstrip(".") for f in formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(
            f"formats must be a non-empty selection of {', '.join(map(repr, FORMATS))}; "
            f"got {list(formats)!r}"
        )
    for name, v in (("width", width), ("height", height)):
        if not isinstance(v, int) or isinstance(v, bool) or not 100 <= v <= 8000:
            raise ValueError(f"{name} must be a whole number of pixels, 100 to 8000; got {v!r}")
    return formats


def export_figures(
    folder: str | os.PathLike = "slides",
    formats: Sequence[str] = ("png", "svg"),
    *,
    bout: Bout | None = None,
    population: str = "healthy",
    width: int = 1920,
    height: int = 1080,
    scale: float = 1.6,
    browser_path: str | os.PathLike | None = None,
) -> list[Path]:
    """Write every painlab figure as image files for slides, at 1920 x 1080 by default.

    Figures (file stems, see :data:`FIGURES`): the dose map of each kind, sites, time
    course, mechanisms, fatigue and the condition forest plot, built by
    :mod:`painlab.figures` with presenter-sized fonts. Images are drawn by kaleido in the
    system Chromium (``browser_path``, else ``$BROWSER_PATH``, else ``chromium`` on the
    PATH); nothing is downloaded and MathJax is off, so it works offline.

    Parameters
    ----------
    folder : str or path-like, default "slides"
        Created if missing; existing files of the same names are replaced, each
        atomically, only after every image was drawn (a failure leaves the old slides).
    formats : sequence of str, default ("png", "svg")
        Any of :data:`FORMATS`.
    bout : Bout, optional
        The bout shown by the sites, time-course and mechanisms figures and marked on the
        dose map of its kind (default: aerobic, 75% VO2max, 30 min).
    population : str, default "healthy"
    width, height : int
        Image size [px].
    scale : float, default 1.6
        Font and marker scale of the figures (1.6 suits a projector at 1920 x 1080).
    browser_path : path, optional
        Chromium or Chrome executable.

    Returns
    -------
    list of pathlib.Path
        The files written, figure by figure, in the order of ``formats``.
    """
    formats = _check_image_args(formats, width, height)
    if bout is None:
        bout = Bout("aerobic", 75, 30)
    if not isinstance(bout, Bout):
        raise TypeError(f"bout must be a painlab.Bout or None; got {type(bout).__name__}")
    r = hypoalgesia.predict(bout, population)  # validates the population
    if not isinstance(folder, (str, os.PathLike)) or isinstance(folder, bytes):
        raise TypeError(f"folder must be a folder path (str or pathlib.Path); got {folder!r}")
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ValueError(f"folder {str(folder)!r} exists and is not a folder")
    for name in FIGURES:  # every target checked before kaleido starts
        for fmt in formats:
            check_target(out / f"{name}.{fmt}", "folder")
    chromium = _browser_path(browser_path)
    figs = {
        f"dose_map_{k}": figures.plot_dose_map(
            k, population, bout if bout.kind == k else None, scale=scale
        )
        for k in KINDS
    }
    figs["sites"] = figures.plot_sites(r, scale=scale)
    figs["time_course"] = figures.plot_time_course(r, scale=scale)
    figs["mechanisms"] = figures.plot_mechanisms(r, scale=scale)
    figs["fatigue"] = figures.plot_fatigue(
        population=population, current=bout if bout.kind == "isometric" else None, scale=scale
    )
    figs["condition_effects"] = figures.plot_condition_effects(scale=scale)
    assert list(figs) == list(FIGURES)
    out.mkdir(parents=True, exist_ok=True)
    # kaleido draws into a scratch folder beside the images; each image then replaces its
    # old file atomically, so a failure never leaves a half-written slide.
    scratch = Path(tempfile.mkdtemp(prefix=".painlab-figures-", dir=out))
    try:
        return _draw_figures(figs, formats, out, scratch, width, height, chromium)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def export_segment_figures(
    lecture,
    folder: str | os.PathLike = "lecture-kit/figures",
    formats: Sequence[str] = ("png", "svg"),
    *,
    width: int = 1920,
    height: int = 1080,
    scale: float = 1.6,
    browser_path: str | os.PathLike | None = None,
) -> list[Path]:
    """Write the main figure(s) of every lecture segment as images, like :func:`export_figures`.

    File stems are ``<nn>-<segment id>-<figure>`` (for example
    ``02-aerobic-dose-dose_map.png``); the figures are those of
    :func:`painlab.lecture.segment_figures` at the segment's starting state. Same checks,
    drawing (kaleido in the system Chromium, offline) and atomic replacement as
    :func:`export_figures`.

    Parameters
    ----------
    lecture : painlab.lecture.Lecture
        The lecture (:func:`painlab.lecture.load`).
    folder, formats, width, height, scale, browser_path
        As for :func:`export_figures`.

    Returns
    -------
    list of pathlib.Path
        The files written, segment by segment.
    """
    from painlab.lecture import segment_figures

    formats = _check_image_args(formats, width, height)
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ValueError(f"folder {str(folder)!r} exists and is not a folder")
    figs = {}
    for i, seg in enumerate(lecture, 1):
        for name, fig in segment_figures(seg, scale=scale).items():
            figs[f"{i:02d}-{seg.id}-{name}"] = fig
    for name in figs:
        for fmt in formats:
            check_target(out / f"{name}.{fmt}", "folder")
    chromium = _browser_path(browser_path)
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".painlab-figures-", dir=out))
    try:
        return _draw_figures(figs, formats, out, scratch, width, height, chromium)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _draw_figures(figs, formats, out, scratch, width, height, chromium) -> list[Path]:
    specs, paths = [], []
    for name, fig in figs.items():
        fig_dict = fig.to_plotly_json()
        for fmt in formats:
            p = out / f"{name}.{fmt}"
            paths.append(p)
            specs.append(
                {
                    "fig": fig_dict,
                    "path": scratch / p.name,
                    "opts": {
                        "format": "jpeg" if fmt == "jpg" else fmt,
                        "width": width,
                        "height": height,
                        "scale": 1,
                    },
                }
            )
    import kaleido

    kaleido.write_fig_from_object_sync(
        specs, kopts={"path": chromium, "mathjax": False}, cancel_on_error=True
    )
    missing = [p for p in paths if not (scratch / p.name).is_file()]
    missing += [p for p in paths if p not in missing and (scratch / p.name).stat().st_size == 0]
    if missing:
        raise RuntimeError(f"kaleido did not write {', '.join(map(str, missing))}")
    for p in paths:
        atomic_write(p, (scratch / p.name).read_bytes())
    return paths


# --------------------------------------------------------------------------- page template

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="painlab @@VERSION@@">
<title>@@TITLE@@</title>
<style>@@STYLE@@</style>
</head>
<body>
<header>
<h1>How much exercise eases pain? <span class="sub">a painlab handout</span></h1>
<p class="disclaimer" id="disclaimer"><b>A teaching model, not a clinical tool.</b> The
figures and readout come from painlab's model of exercise-induced hypoalgesia, which
interpolates between a few dozen published doses; study markers and references are the
evidence behind it. Generated @@DATE@@ with painlab @@VERSION@@ (plotly @@PLOTLY_VERSION@@).
Works offline: nothing is loaded from the internet.</p>
</header>
<main>
<section class="panel" id="controls" aria-label="Choose a bout of exercise">
<h2>Your bout</h2>
<label for="kind">Exercise</label>
<select id="kind"></select>
<label for="population">Who exercises</label>
<select id="population"></select>
<label for="intensity">Intensity <output id="intensity-value" for="intensity"></output></label>
<input type="range" id="intensity">
<label for="duration">Duration <output id="duration-value" for="duration"></output></label>
<input type="range" id="duration">
<label class="check" id="failure-label"><input type="checkbox" id="failure"> Hold until failure
(isometric only)</label>
<div id="readout" class="readout" role="status" aria-live="polite"></div>
</section>
<section class="figures">
<figure class="wide"><div class="plot-wrap"><div id="fig-dose_map" class="plot"></div>
<div id="fig-dose_map-star" class="star-overlay" aria-hidden="true"></div></div>
<figcaption id="cap-dose_map"></figcaption></figure>
<figure><div id="fig-sites" class="plot"></div><figcaption id="cap-sites"></figcaption></figure>
<figure><div id="fig-time_course" class="plot"></div>
<figcaption id="cap-time_course"></figcaption></figure>
</section>
</main>
<footer>
<details>
<summary>How this page works and references</summary>
<p>Every value was computed in advance by painlab @@VERSION@@ at each step of the controls
(@@STEPS@@; isometric holds also "until failure"). The page looks the values up; the only
arithmetic it does is the model's documented decay, d(m) = d0 &times; 2<sup>&minus;m/half-life</sup>,
to draw the time course. Effect sizes are Cohen's d on pain threshold (positive = less pain).</p>
<ol class="refs">
@@REFERENCES@@
</ol>
</details>
</footer>
@@SCRIPTS@@
</body>
</html>
"""

_CSS = """
:root { --blue: #0072B2; --orange: #E69F00; --ink: #1b1b1b; --muted: #555; }
* { box-sizing: border-box; }
body { margin: 0; font-family: @@FONT@@; color: var(--ink); background: #fafafa;
  font-size: 16px; line-height: 1.4; }
header { padding: 10px 20px 4px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { margin: 0; font-size: 1.5em; }
h1 .sub { font-weight: normal; font-size: 0.6em; color: var(--muted); }
h2 { margin: 0 0 6px; font-size: 1.15em; }
.disclaimer { margin: 4px 0; font-size: 0.85em; color: var(--muted); }
main { display: grid; grid-template-columns: minmax(300px, 440px) 1fr; gap: 14px; padding: 12px 20px; }
.panel { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px 14px;
  align-self: start; }
.panel label { display: block; margin: 10px 0 3px; font-weight: 600; }
.panel label.check { font-weight: normal; }
.panel label.check.disabled { color: #999; }
.panel select, .panel input[type=range] { width: 100%; font-size: 1em; }
.panel select { padding: 4px; }
output { font-weight: normal; color: var(--blue); margin-left: 0.3em; }
.readout { margin-top: 14px; border-top: 1px solid #eee; padding-top: 8px; font-size: 0.95em; }
.readout ul { padding-left: 1.1em; margin: 6px 0; }
.readout li { margin: 3px 0; }
.figures { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; min-width: 0; }
figure { margin: 0; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 4px;
  min-width: 0; }
figure.wide { grid-column: 1 / span 2; }
.plot-wrap { position: relative; }
.star-overlay { position: absolute; left: 0; top: 0; width: 0; height: 0; pointer-events: none; }
figcaption { font-size: 0.85em; color: var(--muted); padding: 2px 8px 6px; }
footer { padding: 0 20px 20px; font-size: 0.9em; }
.refs li { margin: 2px 0; }
@media (max-width: 1000px) { main { grid-template-columns: 1fr; }
  .figures { grid-template-columns: 1fr; } figure.wide { grid-column: auto; } }
@media print { .panel input, .panel select { display: none; } }
"""

_JS = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("painlab-data").textContent);
  var TYPED = {i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
               i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array};
  function decode(a) {
    if (a._decoded) return a._decoded;
    var bin = atob(a.bdata), n = bin.length, u8 = new Uint8Array(n);
    for (var i = 0; i < n; i++) u8[i] = bin.charCodeAt(i);
    a._decoded = new TYPED[a.dtype](u8.buffer);
    return a._decoded;
  }
  function resolve(x) {  // {"$blob": n} -> the stored string, recursively; returns a copy
    if (Array.isArray(x)) return x.map(resolve);
    if (x && typeof x === "object") {
      if ("$blob" in x) return D.blobs[x.$blob];
      var o = {};
      for (var k in x) o[k] = resolve(x[k]);
      return o;
    }
    return x;
  }
  function merge(base, patch) {  // deep merge, {"$delete": true} removes a key
    for (var k in patch) {
      var v = patch[k];
      if (v && typeof v === "object" && !Array.isArray(v) && v.$delete) { delete base[k]; }
      else if (v && typeof v === "object" && !Array.isArray(v) && !("dtype" in v) &&
               base[k] && typeof base[k] === "object" && !Array.isArray(base[k])) {
        merge(base[k], v);
      } else { base[k] = v; }
    }
    return base;
  }

  var $ = function (id) { return document.getElementById(id); };
  var ctl = {kind: $("kind"), population: $("population"), intensity: $("intensity"),
             duration: $("duration"), failure: $("failure")};
  var S = {kind: D.start.kind, population: D.start.population, i: 0, t: 0, failure: false};
  var plots = {dose_map: $("fig-dose_map"), sites: $("fig-sites"), time_course: $("fig-time_course")};
  var CONFIG = {displaylogo: false, responsive: true, typesetMath: false,
                modeBarButtonsToRemove: ["sendDataToCloud"]};

  function grid() { return D.grid[S.kind]; }
  function values() { return D.values[S.kind][S.population]; }
  function point() {
    var g = grid();
    return g.offset[S.i] + (S.failure ? g.n_duration[S.i] : S.t);
  }
  function tIndex() { return S.failure ? grid().duration.length : S.t; }
  function figure(name) {  // a fresh copy of the base figure + this kind and population's patch
    var F = D.figures[name], fig = resolve(F.base), patch = resolve(F.patch[S.kind][S.population]);
    for (var i in patch.data) merge(fig.data[+i], patch.data[i]);
    merge(fig.layout, patch.layout);
    fig.data.forEach(function (t) { if (t.z && t.z.shape) t.z = rows(t.z); });
    return fig;
  }
  function rows(spec) {  // 2-D typed array -> rows, NaN -> null (a gap, e.g. an impossible hold)
    var flat = decode(spec), shape = spec.shape.split(",").map(Number), out = [];
    for (var r = 0; r < shape[0]; r++) {
      var row = new Array(shape[1]);
      for (var c = 0; c < shape[1]; c++) {
        var v = flat[r * shape[1] + c];
        row[c] = v === v ? v : null;
      }
      out.push(row);
    }
    return out;
  }
  function unfactor(f, p) {
    var g = grid(), tpl = f.templates[decode(f.template)[p]], out = "";
    for (var k = 0; k < tpl.length; k++) {
      var x = tpl[k];
      if (typeof x === "string") out += x;
      else if ("i" in x) out += f.by_i[x.i][S.i];
      else if ("t" in x) out += f.by_t[x.t][tIndex()];
      else out += g.tokens[decode(f.per_point[x.p])[p]];
    }
    return out;
  }
  function readout(p) {
    var v = values(), parts = D.readout[S.kind][S.population][D.outcomes[decode(v.outcome)[p]]];
    var out = "";
    for (var k = 0; k < parts.length; k++) {
      var x = parts[k];
      if (typeof x === "string") out += x;
      else if ("label" in x) out += unfactor(grid().label, p);
      else if ("d" in x) out += D.display[decode(v.show[x.d])[p]];
      else if ("rest" in x) out += D.display[decode(v.rest)[p]];
      else if ("slot" in x) out += D.display[decode(v.slots[x.slot])[p]];
      else out += unfactor(grid().reasons[x.reason], p);
    }
    return out;
  }
  function effects(p) {
    var v = values();
    return D.sites.map(function (s) { return decode(v.d[s])[p] * v.scale; });
  }
  function starXY() {
    var g = grid();
    return [g.intensity[S.i], S.failure ? g.endurance[S.i] : g.duration[S.t]];
  }
  function siteText(p) {
    var v = values();
    return D.sites.map(function (s) { return D.display[decode(v.show[s])[p]]; });
  }
  function decay(d0) {  // the model's documented decay: d(m) = d0 * 2^(-m / half_life)
    var m = D.figures.time_course.bind.minutes, h = D.model.half_life;
    return m.map(function (x) { return d0 * Math.pow(2, -x / h); });
  }

  function syncControls() {
    var g = grid(), unit = D.units[S.kind];
    ctl.kind.value = S.kind;
    ctl.population.value = S.population;
    var I = g.intensity, T = g.duration, n = g.n_duration[S.i];
    ctl.intensity.min = I[0]; ctl.intensity.max = I[I.length - 1];
    ctl.intensity.step = D.meta.grid_step[S.kind].intensity;
    ctl.intensity.value = I[S.i];
    ctl.duration.min = T[0]; ctl.duration.max = T[n - 1];
    ctl.duration.step = D.meta.grid_step[S.kind].duration;
    ctl.duration.value = S.failure ? T[n - 1] : T[S.t];
    ctl.duration.disabled = S.failure;
    ctl.failure.disabled = !g.failure;
    ctl.failure.checked = S.failure;
    $("failure-label").classList.toggle("disabled", !g.failure);
    $("intensity-value").textContent = I[S.i] + " " + unit;
    var mins = S.failure ? g.endurance[S.i].toFixed(1) + " min (until failure)" : T[S.t] + " min";
    $("duration-value").textContent = mins;
    ctl.intensity.setAttribute("aria-valuetext", I[S.i] + " " + unit);
    ctl.duration.setAttribute("aria-valuetext", mins);
  }

  // A slider move changes only data. The star of the current bout is drawn by a tiny static
  // plot laid exactly over the dose map's plot area (same axis ranges, no pointer events):
  // moving it does not redraw the dose surface, legend and axes. The small figures move
  // their traces with Plotly's transition path (animate, no full redraw). Kind or
  // population changes rebuild all figures with Plotly.react.
  var MOVE = {transition: {duration: 0}, frame: {duration: 0, redraw: false}, mode: "immediate"};
  var STATIC = {staticPlot: true};
  var star = $("fig-dose_map-star"), drawCount = 0, hooked = false;
  // Plotly draws a transition with the listed traces only: list them all, so none is dropped
  function frame(bind, changed, updates) {
    var data = [], traces = [];
    for (var i = 0; i < bind.traces; i++) {
      var k = changed.indexOf(i);
      data.push(k < 0 ? {} : updates[k]);
      traces.push(i);
    }
    return {data: data, traces: traces};
  }
  function placeStar() {  // align the overlay with the dose map's plot area and axis ranges
    var gd = plots.dose_map, area = gd.querySelector(".nsewdrag");
    if (!area || !star.data) return Promise.resolve();
    var a = area.getBoundingClientRect(), box = gd.parentNode.getBoundingClientRect();
    star.style.left = (a.left - box.left) + "px";
    star.style.top = (a.top - box.top) + "px";
    star.style.width = a.width + "px";
    star.style.height = a.height + "px";
    return Plotly.relayout(star, {width: a.width, height: a.height,
                                  "xaxis.range": gd.layout.xaxis.range.slice(),
                                  "yaxis.range": gd.layout.yaxis.range.slice()});
  }
  function starLayout() {
    var gd = plots.dose_map, ax = function (a) {
      return {range: a.range.slice(), type: a.type, visible: false, fixedrange: true};
    };
    return {xaxis: ax(gd.layout.xaxis), yaxis: ax(gd.layout.yaxis), showlegend: false,
            margin: {l: 0, r: 0, t: 0, b: 0, pad: 0}, width: 10, height: 10,
            paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)"};
  }
  function draw(structure) {
    var p = point(), d = effects(p), xy = starXY(), n = ++drawCount;
    var B = {dm: D.figures.dose_map.bind, s: D.figures.sites.bind, tc: D.figures.time_course.bind};
    var lines = d.map(decay), text = siteText(p), done;
    if (structure) {
      var dm = figure("dose_map"), st = figure("sites"), tc = figure("time_course");
      var marker = Object.assign({}, dm.data[B.dm.star], {x: [xy[0]], y: [xy[1]]});
      dm.data[B.dm.star].x = [null]; dm.data[B.dm.star].y = [null];  // its legend entry only
      st.data[B.s.bars].y = d; st.data[B.s.bars].text = text;
      B.tc.lines.forEach(function (i, k) { tc.data[i].y = lines[k]; });
      done = [Plotly.react(plots.dose_map, dm.data, dm.layout, CONFIG).then(function () {
                if (!hooked) {
                  hooked = true;  // zoom, pan and resizing move the plot area: follow it
                  plots.dose_map.on("plotly_afterplot", placeStar);
                  plots.dose_map.on("plotly_relayout", placeStar);
                }
                return Plotly.react(star, [marker], starLayout(), STATIC);
              }).then(placeStar),
              Plotly.react(plots.sites, st.data, st.layout, CONFIG),
              Plotly.react(plots.time_course, tc.data, tc.layout, CONFIG)];
      $("cap-dose_map").textContent = D.captions.dose_map[S.kind][S.population];
    } else {
      done = [
        Plotly.restyle(star, {x: [[xy[0]]], y: [[xy[1]]]}, [0]),
        Plotly.animate(plots.sites, frame(B.s, [B.s.bars], [{y: d, text: text}]), MOVE),
        Plotly.animate(plots.time_course,
                       frame(B.tc, B.tc.lines, lines.map(function (y) { return {y: y}; })), MOVE)];
    }
    $("readout").innerHTML = readout(p);
    // tests and benchmarks wait for this: every figure of this move has been drawn
    Promise.all(done).then(function () {
      if (n === drawCount) document.dispatchEvent(new CustomEvent("painlab:drawn", {detail: {point: p}}));
    }, function () {});
  }

  function nearest(arr, v, n) {
    var best = 0;
    for (var k = 1; k < n; k++) if (Math.abs(arr[k] - v) < Math.abs(arr[best] - v)) best = k;
    return best;
  }
  function clampDuration() { S.t = Math.min(S.t, grid().n_duration[S.i] - 1); }
  function setKind(kind) {
    var old = grid(), inten = old.intensity[S.i], mins = S.failure ? null : old.duration[S.t];
    S.kind = kind;
    var g = grid();
    if (!g.failure) S.failure = false;
    S.i = nearest(g.intensity, inten, g.intensity.length);
    S.t = mins === null ? g.n_duration[S.i] - 1 : nearest(g.duration, mins, g.n_duration[S.i]);
  }

  // controls
  D.kinds.forEach(function (k) { ctl.kind.add(new Option(D.kind_labels[k], k)); });
  D.populations.forEach(function (p) { ctl.population.add(new Option(D.population_labels[p], p)); });
  (function start() {
    var g = grid(), p = D.start.point;
    var i = 0;
    while (i + 1 < g.offset.length && g.offset[i + 1] <= p) i++;
    S.i = i;
    S.failure = D.start.to_failure && g.failure;
    S.t = S.failure ? g.n_duration[i] - 1 : p - g.offset[i];
  })();
  $("cap-sites").textContent = D.captions.sites;
  $("cap-time_course").textContent = D.captions.time_course;

  ctl.kind.addEventListener("change", function () {
    setKind(ctl.kind.value); syncControls(); draw(true);
  });
  ctl.population.addEventListener("change", function () {
    S.population = ctl.population.value; syncControls(); draw(true);
  });
  ctl.intensity.addEventListener("input", function () {
    var g = grid();
    S.i = nearest(g.intensity, +ctl.intensity.value, g.intensity.length);
    clampDuration(); syncControls(); draw(false);
  });
  ctl.duration.addEventListener("input", function () {
    var g = grid();
    S.t = nearest(g.duration, +ctl.duration.value, g.n_duration[S.i]);
    syncControls(); draw(false);
  });
  ctl.failure.addEventListener("change", function () {
    S.failure = ctl.failure.checked && grid().failure;
    if (!S.failure) S.t = grid().n_duration[S.i] - 1;
    syncControls(); draw(false);
  });

  syncControls();
  draw(true);
  window.painlab = {data: D, state: S, point: point, readout: readout};
})();
"""
