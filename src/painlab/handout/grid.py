"""The handout's grid: every dose its controls can select, and the compact encoding
of values per grid point (typed arrays, string tables, templates with numeric slots)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence

import numpy as np

from painlab import hypoalgesia
from painlab.bouts import DEFAULT_MUSCLE, LIMITS, Bout, endurance_time

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
SITES: tuple[str, ...] = ("exercising", "contralateral", "distant")
OUTCOMES: tuple[str, ...] = ("hypoalgesia", "none", "hyperalgesia")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


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
    failure point is ``len(durations)``. ``muscle`` (isometric only) sets the endurance
    times; ``None`` leaves it to :class:`Bout` (the handout's handgrip).
    """

    def __init__(self, kind: str, muscle: str | None = None):
        self.kind = kind
        self.muscle = muscle if kind == "isometric" else None
        step = GRID_STEP[kind]
        self.intensity = _steps(*LIMITS[kind]["intensity"], step["intensity"])
        self.duration = _steps(*LIMITS[kind]["duration"], step["duration"])
        self.failure = kind == "isometric"
        if self.failure:
            self.endurance = np.asarray(
                endurance_time(self.intensity, self.muscle or DEFAULT_MUSCLE), dtype=float
            )
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
            return Bout(self.kind, float(self.intensity[i]), to_failure=True, muscle=self.muscle)
        return Bout(
            self.kind, float(self.intensity[i]), float(self.duration[t]), muscle=self.muscle
        )

    @property
    def _muscle(self) -> dict:
        return {"muscle": self.muscle} if self.muscle else {}

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
                self.kind,
                population,
                self.intensity,
                self.duration,
                site=site,
                edge=edge,
                **self._muscle,
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
                    **self._muscle,
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


def _quantised(a) -> dict:
    """Values as int16 multiples of :data:`QUANTUM`, encoded by :func:`_typed`."""
    q = np.rint(np.asarray(a, dtype=float) / QUANTUM)
    if np.abs(q).max() > np.iinfo(np.int16).max:
        raise RuntimeError("handout: a value exceeds the int16 range")
    return _typed(q.astype(np.int16))
