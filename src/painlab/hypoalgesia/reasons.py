"""The readout's reasons: documented conditions of the dose, what studies of the
population found, model assumptions and the evidence at a close dose."""

from __future__ import annotations

import numpy as np

from painlab import studies, vocabulary
from painlab.bouts import (
    DEFAULT_MUSCLE,
    UNITS,
    Bout,
    endurance_time,
)
from painlab.hypoalgesia import evidence as evidence_mod  # a cycle: used at call time
from painlab.hypoalgesia.model import lowest_intensity, needed_minutes
from painlab.hypoalgesia.parameters import PARAMETERS, POPULATIONS, _v
from painlab.hypoalgesia.response import Reason

# --------------------------------------------------------------------------- the readout


def _refs(*keys: tuple[str, str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for k in keys:
        for r in PARAMETERS[k].references:
            out.setdefault(r, None)
    return tuple(out)


_pop_label = vocabulary.population_label


def _reasons(bout: Bout, population: str, d0: float, sens: float) -> list[Reason]:
    out = dose_reasons(bout)
    out += _population_reasons(bout, population)
    out.append(_evidence_reason(bout, population))
    return out


def dose_reasons(bout: Bout) -> list[Reason]:
    """The readout lines that depend on the dose only (the same in every population):
    the documented conditions read off healthy adults and, for holds, the fatigue finding
    and the onset assumption."""
    k, i, t = bout.kind, bout.intensity, bout.minutes
    unit = UNITS[k]
    muscle = bout.muscle or DEFAULT_MUSCLE
    out: list[Reason] = []
    need = needed_minutes(k, i, muscle)
    who = ""  # conditions are read off healthy adults; the readout's heading says so
    if k in ("aerobic", "dynamic_resistance"):
        i_min = lowest_intensity(k)
        out.append(
            Reason(
                i >= i_min,
                f"Intensity {i:g} {unit} is {'at or above' if i >= i_min else 'below'} the lowest "
                f"intensity that eased pain{who} (about {i_min:.0f} {unit})",
                _refs((k, "I50"), (k, "width")),
            )
        )
        enough = bool(np.isfinite(need) and t >= need)
        need_txt = f"about {need:.1f} min or more" if np.isfinite(need) else "no duration is enough"
        out.append(
            Reason(
                enough,
                f"Duration {t:g} min {'is' if enough else 'is not'} long enough at this intensity"
                f"{who} ({need_txt})",
                _refs((k, "t50"), (k, "hill")),
            )
        )
    else:
        out.append(
            Reason(
                t >= need,
                f"Held {t:.1f} min; at {i:g} % MVC ({bout.muscle_label}) about {need:.1f} min or "
                f"more is needed{who} (lower intensities need longer holds)",
                _refs(("isometric", "phi"), ("endurance", f"{muscle}.b0")),
            )
        )
        et = endurance_time(i, muscle)
        out.append(
            Reason(
                True,
                f"Fatigue used: {t / et:.0%} of the endurance time ({et:.1f} min at this "
                "intensity); in healthy adults, holds stopped well short of failure still eased "
                "pain",
                ("koltyn2007", "umeda2009", "hoegerbement2008"),
                kind="finding",
            )
        )
        out.append(
            Reason(
                True,
                f"hypoalgesia begins at about {need / et:.0%} of the endurance time (follows "
                "from the fitted hold-time parameter, not measured directly)",
                _refs(("isometric", "phi")),
                kind="assumption",
            )
        )
    return out


def _population_reasons(bout: Bout, population: str) -> list[Reason]:
    out: list[Reason] = []
    if population != "healthy":
        key = ("population", f"{population}.scale")
        out.append(
            Reason(
                True,
                f"In {_pop_label(population)}: {PARAMETERS[key].basis}",
                _refs(key, ("population", f"{population}.sensitisation")),
                kind="finding",
            )
        )
        sens_key = ("population", f"{population}.sensitisation")
        text = (
            f"the size of the response in {_pop_label(population)} is illustrative "
            f"(relief x{_v(*key):.2f} of healthy adults"
        )
        if _v(*sens_key) > 0:
            text += (
                "; more pain grows with the exposure actually done: share of the endurance "
                "time for holds, intensity x minutes for other exercise"
            )
        out.append(Reason(True, text + ")", (), kind="assumption"))
    if bout.kind == "aerobic" and ("population", f"{population}.aerobic_I50") in PARAMETERS:
        p = PARAMETERS[("population", f"{population}.aerobic_I50")]
        out.append(Reason(True, p.basis, p.references, kind="assumption"))
    return out


def _evidence_reason(bout: Bout, population: str) -> Reason:
    near = evidence_mod.tested_nearby(bout, population)
    others = (
        []
        if near
        else [p for p in POPULATIONS if p != population and evidence_mod.tested_nearby(bout, p)]
    )
    return evidence_reason(near, population, others)


def evidence_reason(
    near: list[studies.Arm], population: str, others: list[str] | tuple[str, ...] = ()
) -> Reason:
    """The readout line on the evidence at a dose.

    Parameters
    ----------
    near : list of Arm
        Arms of this population that tested a close dose (:func:`tested_nearby`).
    population : str
    others : sequence of str
        Other populations in which a close dose was tested (named when ``near`` is empty).
    """
    if near:
        seen: dict[str, list[str]] = {}
        keys: dict[str, None] = {}
        for arm in near:
            where = vocabulary.site_word(arm.site) if arm.site else "site not stated"
            if arm.minutes_after is not None:
                where += f" at {arm.minutes_after:g} min"
            measure = f"{arm.stimulus} {arm.pain_measure}".replace("_", " ").strip()
            item = f"{arm.outcome} ({measure}, {where})"
            if item not in seen.setdefault(arm.citation.short, []):
                seen[arm.citation.short].append(item)
            keys.setdefault(arm.citation.key, None)
        found = "; ".join(f"{s}: {', '.join(v)}" for s, v in seen.items())
        return Reason(
            True,
            f"Tested in {_pop_label(population)} at a close dose: {found}",
            tuple(keys),
            kind="evidence",
        )
    also = f" (a close dose was tested in {', '.join(map(_pop_label, others))})" if others else ""
    return Reason(
        False,
        f"No study of {_pop_label(population)} tested a dose this close: the model "
        f"interpolates here{also}",
        (),
        interpolated=True,
        kind="evidence",
    )
