"""Every label painlab shows on screen, defined once.

Code names (``"contralateral"``, ``"knee_osteoarthritis"``) are the evidence's and the
model's; these are the words a student reads for them. Figures, readouts, controls, the
handout and the lecture all take their labels from here, so the readout and the bars
name a site the same way. Units and valid ranges belong to :mod:`painlab.bouts`; muscle
labels come with the endurance curves (``data/endurance_curves.csv``).
"""

from __future__ import annotations

__all__ = [
    "CONTROL_LABELS",
    "CONTROL_TIPS",
    "KIND_LABELS",
    "OUTCOME_WORDS",
    "POPULATION_LABELS",
    "READOUT_GROUPS",
    "SITE_LABELS",
    "population_label",
    "site_word",
]

#: Kind of exercise -> control label.
KIND_LABELS: dict[str, str] = {
    "aerobic": "Aerobic (e.g. cycling)",
    "isometric": "Isometric hold",
    "dynamic_resistance": "Dynamic resistance",
}

#: Population -> label (sentence case; :func:`population_label` gives it inside a sentence).
POPULATION_LABELS: dict[str, str] = {
    "healthy": "Healthy young adults",
    "older": "Healthy older adults",
    "fibromyalgia": "Fibromyalgia",
    "chronic_low_back_pain": "Chronic low back pain",
    "knee_osteoarthritis": "Knee osteoarthritis",
    "chronic_neck_pain": "Chronic whiplash or neck-shoulder pain",
    "chronic_fatigue_syndrome": "Chronic fatigue syndrome",
    "shoulder_myalgia": "Shoulder myalgia",
}

#: Body site where pain was tested -> label (figure legends, bars, readout).
SITE_LABELS: dict[str, str] = {
    "exercising": "Exercising limb",
    "contralateral": "Opposite limb",
    "distant": "Distant muscle",
}

#: Outcome at the exercising limb -> the readout's verdict.
OUTCOME_WORDS: dict[str, str] = {
    "hypoalgesia": "less pain (hypoalgesia)",
    "none": "no meaningful change",
    "hyperalgesia": "MORE pain (hyperalgesia)",
}

#: Outcome -> the short words the plausible range's verdict uses ("most likely less pain;
#: a new study could also find no meaningful change").
RANGE_OUTCOME_WORDS: dict[str, str] = {
    "hypoalgesia": "less pain",
    "none": "no meaningful change",
    "hyperalgesia": "more pain",
}

#: Headings of the readout's groups of reasons, in the order shown.
READOUT_GROUPS: dict[str, str] = {
    "condition": "Documented conditions of the dose",
    "finding": "What studies found",
    "assumption": "Model assumptions (not measured)",
    "evidence": "Evidence at this dose",
}

#: Explorer control -> its label (the intensity label adds the kind's unit); also the
#: lecture's preset menu and the fold of its readout ("why").
CONTROL_LABELS: dict[str, str] = {
    "kind": "Exercise",
    "population": "Who exercises",
    "intensity": "Intensity",
    "duration": "Duration (min)",
    "muscle": "Muscle (holds)",
    "to_failure": "Hold until failure",
    "preset": "Classic study",
    "why": "Why: documented conditions, assumptions, sources",
}

#: Explorer control -> its tooltip.
CONTROL_TIPS: dict[str, str] = {
    "kind": "Kind of exercise",
    "population": "Population",
    "intensity": "Exercise intensity relative to the person's maximum",
    "duration": "Minutes of exercise",
    "muscle": "Isometric only: the muscle group holding the contraction (sets how long it "
    "can be held)",
    "to_failure": "Isometric only: hold the contraction until task failure",
}


def population_label(population: str) -> str:
    """The population's label inside a sentence ("healthy young adults", "fibromyalgia")."""
    label = POPULATION_LABELS.get(population, population.replace("_", " "))
    return label[0].lower() + label[1:]


def site_word(site: str) -> str:
    """The site's label inside a sentence ("opposite limb")."""
    return SITE_LABELS[site].lower()
