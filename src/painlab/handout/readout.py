"""The readout factored into literal text and per-dose slots, so a page can re-assemble
:func:`painlab.readout.readout_html` at every grid point without running the model.

The pieces come from :meth:`painlab.readout.Readout.pieces` (structured parts), never from
HTML parsed back."""

from __future__ import annotations

import functools
import html

import numpy as np

from painlab import hypoalgesia
from painlab.bouts import Bout
from painlab.handout.grid import (
    OUTCOMES,
    QUANTUM,
    SITES,
    _factor,
    _Grid,
    _index_array,
    _merge_literals,
    _quantised,
    _Table,
    _untyped,
)
from painlab.hypoalgesia import HYPOALGESIA_THRESHOLD, POPULATIONS
from painlab.readout import Item, item_html, readout, readout_html

# --------------------------------------------------------------------------- readout


def _readout(bout: Bout, population: str) -> str:
    return readout_html(hypoalgesia.predict(bout, population))


@functools.lru_cache(maxsize=4096)
def _reason_markup(reason) -> str:
    """One reason as the ``<li>`` the readout draws (:func:`painlab.readout.item_html`),
    cached: the same dose reasons recur at thousands of grid points."""
    if not reason.text:
        raise RuntimeError("handout: a reason has no text")
    return item_html(Item.of(reason))


@functools.lru_cache(maxsize=12)
def dose_part(
    kind: str, muscle: str | None = None
) -> tuple[_Grid, dict, list[list[str]], np.ndarray]:
    """What depends on the dose only (the same in every population), per kind and muscle:
    the grid, its encoding (doses, labels and dose reasons, factored), each point's dose
    reasons as markup, and per point whether a dose reason says the model interpolates.

    Cached and shared by the handout and the explorer; copy the encoding before anything
    writes into it (:func:`_assemble` caches decoded arrays in the dicts it reads).
    """
    grid = _Grid(kind, muscle)
    tokens = _Table()
    li, interp, labels = [], np.zeros(grid.size, dtype=np.uint8), []
    for p in range(grid.size):
        b = grid.bout(p)
        reasons = hypoalgesia.dose_reasons(b)
        li.append([_reason_markup(x) for x in reasons])
        interp[p] = any(x.interpolated for x in reasons)
        labels.append(b.label)
    if any(len(x) != len(li[0]) for x in li):
        raise RuntimeError(f"handout: {kind} readouts list different numbers of reasons")
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
        "tokens": tokens.items,
    }
    return grid, g, li, interp


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
    r = hypoalgesia.predict(grid.bout(p), population)
    parts: list = []
    tail = ""
    j = 0
    for what, value in readout(r).pieces():
        if what == "markup":
            parts.append(value)
        elif what == "summary":
            pieces, tail = _summary_pieces(r)
            parts += [*pieces, {"rest": 1}]
        elif what == "range":
            rng = html.escape(str(value))
            lo, hi = r.range("exercising")
            fills = [
                f"{lo:+.1f}",
                f"{hi:+.1f}",
                hypoalgesia.range_verdict(lo, hi, r.at("exercising")),
            ]
            pos = 0
            for name, text in zip(("range_lo", "range_hi", "range_verdict"), fills, strict=True):
                k = rng.index(html.escape(text), pos)
                parts += [rng[pos:k], {"slot": name}]
                pos = k + len(html.escape(text))
            parts.append(rng[pos:])
        else:  # one reason
            li = item_html(value)  # type: ignore[arg-type]
            if j < n_reasons and li == healthy_li[j]:
                parts.append({"reason": j})
                j += 1
            elif value.kind == "evidence":  # type: ignore[attr-defined]
                parts.append({"slot": "evidence"})
            else:
                parts.append(li)
    if j != n_reasons:
        raise RuntimeError(
            f"handout: the {population} readout of {r.bout.label} does not contain the "
            "dose reasons of the healthy readout in order"
        )
    return _merge_literals(parts), tail


def _range_verdicts(lo: np.ndarray, hi: np.ndarray, d: np.ndarray) -> list[str]:
    """:func:`painlab.hypoalgesia.range_verdict` at every point: its words depend only on
    which side of d = +-0.2 each of ``lo``, ``hi`` and ``d`` lies, so each combination is
    worded once."""

    def side(x):
        return np.where(x >= HYPOALGESIA_THRESHOLD, 2, np.where(x <= -HYPOALGESIA_THRESHOLD, 0, 1))

    code = side(lo) * 9 + side(hi) * 3 + side(d)
    words: dict[int, str] = {}
    for c in np.unique(code).tolist():
        j = int(np.flatnonzero(code == c)[0])
        words[c] = hypoalgesia.range_verdict(float(lo[j]), float(hi[j]), float(d[j]))
    return [words[c] for c in code.tolist()]


def _summary_tails(grid: _Grid, population: str, d0: np.ndarray, points: np.ndarray) -> list[str]:
    """The end of the summary sentence at each of ``points``, from real Response.summary().

    The tail ("lasts about 12 min.") depends on the exercising-limb effect only through
    whether it is hypoalgesia and how many whole minutes it lasts (:meth:`Response.lasts`,
    shown to the minute). The points are grouped by that, and the tail of each group is
    taken from a real summary of one of its points (``predict``'s response with the point's
    bout and effect). :func:`handout_data` checks sample points against ``predict``.
    """
    import dataclasses

    if not len(points):
        return []
    base = hypoalgesia.predict(grid.bout(int(points[0])), population)
    with np.errstate(divide="ignore", invalid="ignore"):
        minutes = base.half_life * np.log2(d0[points] / HYPOALGESIA_THRESHOLD)
    keys = [
        "-" if d < HYPOALGESIA_THRESHOLD else ("<1" if m < 1 else f"{m:.0f}")
        for d, m in zip(d0[points].tolist(), minutes.tolist(), strict=True)
    ]
    tails: dict[str, str] = {}
    for p, key in zip(points.tolist(), keys, strict=True):
        if key not in tails:
            r = dataclasses.replace(base, bout=grid.bout(p), effect_size=float(d0[p]))
            tails[key] = _summary_pieces(r)[1]
    return [tails[k] for k in keys]


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
        "range_lo": _index_array([display(f"{x:+.1f}") for x in lo.tolist()]),
        "range_hi": _index_array([display(f"{x:+.1f}") for x in hi.tolist()]),
        "range_verdict": _index_array([display(v) for v in _range_verdicts(lo, hi, d0)]),
        "evidence": _index_array([display(x) for x in _evidence_markup(grid, pop)]),
    }
    values = {
        "slots": slots,
        "scale": QUANTUM,
        "d": {s: _quantised(eff[s]) for s in SITES},
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
    for p in range(grid.size):
        key = tuple(mine[p])
        others = () if key else tuple(q for q in other if other[q][p])
        if (key, others) not in cache:
            reason = hypoalgesia.evidence_reason([placed[a][0] for a in key], population, others)
            cache[(key, others)] = _reason_markup(reason)
        out.append(cache[(key, others)])
    return out
