"""The study rows the dose-response model is fitted to, as arrays (numpy only).

Every measurement row of ``data/acute_arms.csv`` in a modelled population becomes one row
of the design: kind, population, site and measure as one-hot masks, the dose (intensity,
minutes, share of the endurance time for holds), whether the exercised region is the
painful one, minutes after the bout, ``n``, the reported verdict and, where the source
gives one, the effect size. Rows whose dose was not reported are left out with the reason
(or, with ``latent_doses=True``, kept with the unreported part as a latent value of the fit,
unknown within :data:`UNKNOWN_DOSE`; ``known.<part>`` says which rows have one).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib.resources import files

import numpy as np

from painlab import studies
from painlab.bouts import ENDURANCE_CURVES, KINDS
from painlab.hypoalgesia.dose_response import CLINICAL, MEASURES

#: ``n`` used for a row whose source does not report it (about the median of the data).
DEFAULT_N = 20
OUTCOME_CODE = {"hypoalgesia": 0, "none": 1, "hyperalgesia": 2}
SITE_KEYS = ("exercising", "contralateral", "distant", "unknown")
#: Effect-size metrics read as a standardised mean difference (within-subject d).
D_METRICS = ("d", "dz", "g", "smd")


@dataclass(frozen=True)
class Design:
    """The fit's rows. ``rows`` maps a column name to an array (one entry per row);
    ``study`` and ``arm`` index the random effects; ``left_out`` lists ``(arm_id,
    reason)`` for rows that could not be placed."""

    rows: dict[str, np.ndarray]
    study: np.ndarray
    arm: np.ndarray
    studies: tuple[str, ...]
    arms: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...] = field(default=())
    #: ``(arm_id, what is missing)`` for arms whose dose is partly unreported
    unknown_dose: tuple[tuple[str, str], ...] = field(default=())
    #: one ``(arm_id, part, low, high)`` per latent dose value (``latent.<part>`` indexes it)
    latent: tuple[tuple[str, str, float, float], ...] = field(default=())

    def latent_index(self, part: str) -> np.ndarray:
        """For each row, the index of its latent ``part`` among :attr:`latent`, or -1."""
        return self.rows[f"latent.{part}"].astype(int)

    def __len__(self) -> int:
        return len(self.study)


def _painful() -> dict[str, bool | None]:
    """``arm_id -> region_painful`` from the arms file (empty = not applicable)."""
    text = files("painlab").joinpath("data", "acute_arms.csv").read_text(encoding="utf-8")
    out: dict[str, bool | None] = {}
    for r in csv.DictReader(text.splitlines()):
        v = (r.get("region_painful") or "").strip()
        out[r["arm_id"]] = None if not v else v == "true"
    return out


#: Range of an unreported dose, taken as unknown within it (uniform) by the fit: aerobic
#: and dynamic sessions in the studies were "submaximal", "self-paced", "moderate" or graded
#: to exhaustion; unreported holds lasted from a brief contraction to failure. Assumptions,
#: wide on purpose: such an arm informs the population and site terms, not the dose curve.
UNKNOWN_DOSE: dict[str, dict[str, tuple[float, float]]] = {
    "aerobic": {"intensity": (40.0, 95.0), "minutes": (8.0, 30.0)},
    "dynamic_resistance": {"intensity": (40.0, 80.0), "minutes": (5.0, 45.0)},
    "isometric": {"share": (0.1, 1.0)},
}


def _dose(arm: studies.Arm) -> tuple[dict[str, float | None], str]:
    """The arm's dose for the fit; ``None`` for a part the source did not report (the fit
    then treats it as unknown within :data:`UNKNOWN_DOSE`), and a note of what is missing."""
    if arm.kind == "isometric":
        if arm.intensity is None:
            return {"intensity": None, "minutes": None, "share": None}, "intensity not reported"
        i = float(arm.intensity)
        muscle = arm.muscle or "pooled"
        et = float(ENDURANCE_CURVES[muscle].minutes(min(max(i, 1.0), 100.0)))
        if arm.to_failure:
            return {"intensity": i, "minutes": et, "share": 1.0}, ""
        if arm.duration_min is None:
            return {"intensity": i, "minutes": None, "share": None}, "hold time not reported"
        t = float(arm.duration_min)
        return {"intensity": i, "minutes": t, "share": min(t / et, 1.0)}, ""
    ia = None if arm.intensity is None else float(arm.intensity)
    ta = None if arm.duration_min is None else float(arm.duration_min)
    missing = [w for w, v in (("intensity", ia), ("duration", ta)) if v is None]
    return {"intensity": ia, "minutes": ta, "share": 0.5}, " and ".join(missing) + (
        " not reported" if missing else ""
    )


def _range(kind: str, part: str) -> tuple[float, float]:
    return UNKNOWN_DOSE[kind][part]


def _midpoint(kind: str, part: str) -> float:
    """A stand-in value for an unknown dose part (replaced by the fit's latent value)."""
    if part not in UNKNOWN_DOSE[kind]:  # a hold's intensity/minutes: the share is what counts
        return 50.0 if part == "intensity" else 1.0
    lo, hi = UNKNOWN_DOSE[kind][part]
    return 0.5 * (lo + hi)


def design(
    populations: tuple[str, ...] = ("healthy", *CLINICAL), *, latent_doses: bool = False
) -> Design:
    """The design of the evidence (see the module docstring).

    ``latent_doses=False`` (what the shipped fit uses) leaves out rows whose dose was not
    reported, listing why. ``True`` keeps them with the unreported part as a latent value
    (an experiment: tried on 2026-12-08, it let those arms absorb the time course and the
    dose curve, so the half-life rose to 25 min against the studies that timed it)."""
    painful = _painful()
    cols: dict[str, list[float]] = {}
    study_ids: list[str] = []
    arm_ids: list[str] = []
    left: list[tuple[str, str]] = []
    unknown: list[tuple[str, str]] = []
    latent: dict[tuple[str, str], int] = {}
    studies_kind: dict[str, str] = {}

    def put(name: str, value: float) -> None:
        cols.setdefault(name, []).append(float(value))

    for arm in studies.arms():
        if arm.population not in populations:
            left.append((arm.arm_id, f"population {arm.population!r} is not modelled"))
            continue
        if arm.kind not in KINDS:
            left.append((arm.arm_id, f"kind {arm.kind!r}"))
            continue
        dose, why = _dose(arm)
        if why and not latent_doses:
            left.append((arm.arm_id, why))
            continue
        if why:
            unknown.append((arm.arm_id, why))
        for k in KINDS:
            put(f"kind.{k}", arm.kind == k)
        for p in populations:
            put(f"population.{p}", arm.population == p)
        for s in SITE_KEYS:
            put(f"site.{s}", (arm.site or "unknown") == s)
        measure = arm.pain_measure if arm.pain_measure in MEASURES else "threshold"
        for q in MEASURES:
            put(f"measure.{q}", measure == q)
        for name, v in dose.items():
            lat = v is None and (arm.kind != "isometric" or name == "share")
            put(f"known.{name}", v is not None)
            put(name, v if v is not None else _midpoint(arm.kind, name))
            if lat:  # one latent value per arm and dose part
                key = (arm.arm_id, name)
                latent.setdefault(key, len(latent))
            put(f"latent.{name}", latent[(arm.arm_id, name)] if lat else -1)
        put("painful", bool(painful.get(arm.arm_id)) and arm.population != "healthy")
        put("minutes_after", arm.minutes_after or 0.0)
        put("n", arm.n or DEFAULT_N)
        put("outcome", OUTCOME_CODE[arm.outcome])
        has_d = arm.effect_size is not None and arm.effect_metric in D_METRICS
        put("has_d", has_d)
        put("d", arm.effect_size if has_d else 0.0)
        study_ids.append(arm.citation.key)
        arm_ids.append(arm.arm_id)
        studies_kind[arm.arm_id] = arm.kind
    su = tuple(dict.fromkeys(study_ids))
    au = tuple(dict.fromkeys(arm_ids))
    return Design(
        rows={k: np.asarray(v, dtype=float) for k, v in cols.items()},
        study=np.array([su.index(s) for s in study_ids], dtype=int),
        arm=np.array([au.index(a) for a in arm_ids], dtype=int),
        studies=su,
        arms=au,
        left_out=tuple(left),
        unknown_dose=tuple(dict.fromkeys(unknown)),
        latent=tuple((a, part, *_range(studies_kind[a], part)) for (a, part) in latent),
    )
