"""Classic protocols for the lecturer's menu, as evidence data.

Each preset names one study arm of ``data/acute_arms.csv`` (``data/presets.csv``: the menu
label and the arm id); its dose and population are read from that arm, so a preset always
shows exactly what the cited study tested, and the curation lives with the evidence.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib.resources import files

from painlab import hypoalgesia, studies
from painlab.bouts import Bout

__all__ = ["PRESETS", "Preset", "load"]


@dataclass(frozen=True)
class Preset:
    """A classic protocol for the lecturer's menu: a named arm of the evidence base.

    The dose and population are read from that arm's row in ``acute_arms.csv``, so a
    preset always shows exactly what the cited study tested.
    """

    name: str
    arm_id: str

    @property
    def arm(self) -> studies.Arm:
        try:
            return studies.arm(self.arm_id)
        except KeyError:
            raise ValueError(
                f"preset {self.name!r} names arm_id {self.arm_id!r}, which is not in the evidence"
            ) from None

    @property
    def bout(self) -> Bout:
        bout = hypoalgesia.arm_bout(self.arm)
        if bout is None:
            raise ValueError(
                f"preset {self.name!r}: the dose of arm {self.arm_id!r} was not reported"
            )
        return bout

    kind = property(lambda self: self.bout.kind)
    intensity = property(lambda self: self.bout.intensity)
    duration = property(lambda self: self.bout.duration)
    to_failure = property(lambda self: self.bout.to_failure)
    muscle = property(lambda self: self.bout.muscle)
    population = property(lambda self: self.arm.population)
    citation_key = property(lambda self: self.arm.citation.key)


def load() -> dict[str, Preset]:
    """The presets in ``data/presets.csv`` (menu label -> :class:`Preset`), each checked:
    its arm exists and reports a dose. Errors name the file and line."""
    path = files("painlab").joinpath("data", "presets.csv")
    out: dict[str, Preset] = {}
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    for line, row in enumerate(rows, start=2):
        where = f"data/presets.csv line {line}"
        if set(row) != {"name", "arm_id"} or not row["name"] or not row["arm_id"]:
            raise ValueError(f"{where}: each row needs a name and an arm_id; got {row!r}")
        if row["name"] in out:
            raise ValueError(f"{where}: preset {row['name']!r} is listed twice")
        preset = Preset(row["name"], row["arm_id"])
        try:
            preset.bout  # noqa: B018 - the arm exists and reports its dose
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        out[preset.name] = preset
    return out


#: Classic protocols, each a study arm as tested (menu label -> preset).
PRESETS: dict[str, Preset] = load()
