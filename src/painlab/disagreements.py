"""Where studies disagree: the study arms at one dose, their outcomes and the model's verdict.

Built from :func:`painlab.agreement_table`: for a kind of exercise and a population, the
documented doses are grouped by the point where the dose map draws them (intensity,
minutes), and for each point we list every measurement there (study, n, site, minutes
after, measure, outcome), the model's prediction at that site and time with its plausible
range, and the table's reason for any disagreement. The lecturer's "where studies
disagree" view and the dose map's click handler read it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from painlab import hypoalgesia, studies, theme
from painlab.bouts import DEFAULT_MUSCLE, Bout, endurance_time

__all__ = ["Dose", "doses", "html_table", "nearest", "rows"]


@dataclass(frozen=True)
class Dose:
    """A point of the dose map with documented study arms.

    ``x`` is the intensity [% of maximum], ``y`` the minutes on the shown muscle's axis
    (as drawn by :func:`painlab.figures.plot_dose_map`); ``bout`` the dose itself.
    """

    x: float
    y: float
    bout: Bout
    arm_ids: tuple[str, ...]
    outcomes: tuple[str, ...]

    @property
    def label(self) -> str:
        n = len(self.arm_ids)
        mixed = " — studies disagree" if len(set(self.outcomes)) > 1 else ""
        return f"{self.bout.label} ({n} arm{'s' if n > 1 else ''}){mixed}"


def doses(kind: str, population: str, muscle: str = DEFAULT_MUSCLE) -> tuple[Dose, ...]:
    """Every documented dose of ``kind`` in ``population``, placed as on the dose map.

    Ordered with disagreeing doses first (most distinct outcomes, then most arms).
    """
    hypoalgesia._check_kind(kind)
    hypoalgesia._check_population(population)
    groups: dict[tuple[float, float], list] = {}
    for arm in studies.arms(kind=kind, population=population):
        bout = hypoalgesia.arm_bout(arm)
        if bout is None:
            continue
        y = bout.minutes
        if kind == "isometric" and bout.endurance:
            y = bout.minutes / bout.endurance * float(endurance_time(bout.intensity, muscle))
        key = (round(float(bout.intensity), 3), round(float(y), 3))
        groups.setdefault(key, []).append((arm, bout))
    out = []
    for (x, y), items in groups.items():
        ids = tuple(dict.fromkeys(a.arm_id for a, _ in items))
        outcomes = tuple(dict.fromkeys(a.outcome for a, _ in items))
        out.append(Dose(x, y, items[0][1], ids, outcomes))
    out.sort(key=lambda d: (-len(d.outcomes), -len(d.arm_ids), d.x, d.y))
    return tuple(out)


def nearest(
    kind: str, population: str, x: float, y: float, muscle: str = DEFAULT_MUSCLE
) -> Dose | None:
    """The documented dose closest to (x, y) on the dose map, or None if there is none."""
    found = doses(kind, population, muscle)
    if not found:
        return None
    return min(found, key=lambda d: (d.x - x) ** 2 + (d.y - y) ** 2)


def rows(dose: Dose, population: str):
    """The agreement-table rows (one per measurement) of the arms at ``dose``."""
    t = hypoalgesia.agreement_table(population)
    return t[t["arm_id"].isin(dose.arm_ids)].reset_index(drop=True)


def _n(n) -> str:
    return "?" if n is None or n != n else f"{int(n)}"  # n != n: NaN (not reported)


def html_table(dose: Dose | None, population: str) -> str:
    """The studies at a dose as an HTML table, with the model's verdict and why they differ."""
    if dose is None:
        return "<p>No study of this kind and population reported a dose the map can place.</p>"
    t = rows(dose, population)
    r = hypoalgesia.predict(dose.bout, population)
    labels = {k: v["label"] for k, v in theme.OUTCOME_STYLE.items()}
    body = ""
    for _, row in t.iterrows():
        mark = "✓" if row["agrees"] else ("≈" if row["consistent"] else "✗")
        body += (
            "<tr>"
            f"<td>{html.escape(row['study'])}</td><td>{_n(row['n'])}</td>"
            f"<td>{html.escape(row['site'])}, {row['minutes_after']:g} min</td>"
            f"<td>{html.escape(row['measure'])}</td>"
            f"<td>{html.escape(labels[row['documented']])}</td>"
            f"<td>{mark} d = {row['predicted_d']:+.2f} ({row['low']:+.2f} to {row['high']:+.2f})</td>"
            f"<td>{html.escape(row['reason'] or 'agrees')}</td>"
            "</tr>"
        )
    n_studies = t["study"].nunique() if len(t) else 0
    verdict = (
        f"<p class='painlab-verdict'><b>{html.escape(dose.bout.label)}</b>: "
        f"{n_studies} stud{'y' if n_studies == 1 else 'ies'}, outcomes: "
        f"{html.escape(', '.join(labels[o] for o in dose.outcomes))}.<br>"
        f"<b>Model:</b> {html.escape(r.summary())}</p>"
    )
    return (
        f"<div class='painlab-disagreements' role='status' aria-live='polite'>{verdict}"
        "<table class='painlab-table'><caption>Measurements at this dose: documented outcome "
        "vs the model (✓ agrees, ≈ plausible, ✗ disagrees)</caption><thead><tr>"
        "<th scope='col'>Study</th><th scope='col'>n</th><th scope='col'>Site, time</th>"
        "<th scope='col'>Measure</th><th scope='col'>Found</th><th scope='col'>Model</th>"
        "<th scope='col'>Why they differ</th></tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )
