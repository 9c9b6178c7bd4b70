"""Compact, readable text tables of the evidence and the model for the lessons.

A lesson cell should read like one sentence: ``pl.tables.arms(kind="aerobic")`` prints the
study arms as a table at most :data:`WIDTH` characters wide, long cells wrapped inside their
column, missing values written as "not reported", counts as whole numbers. The helpers
return a :class:`Table` (or :class:`Text`), whose plain-text form is what a notebook shows
and what the lesson tests compare.

Sign convention, as everywhere in painlab: a positive effect means **less pain**.
"""

from __future__ import annotations

from painlab.tables._base import (
    MISSING as MISSING,
)
from painlab.tables._base import (
    WIDTH as WIDTH,
)
from painlab.tables._base import (
    Table as Table,
)
from painlab.tables._base import (
    Text as Text,
)
from painlab.tables._base import (
    table as table,
)
from painlab.tables._base import (
    text as text,
)
from painlab.tables.acute import (
    doses as doses,
)
from painlab.tables.acute import (
    endurance as endurance,
)
from painlab.tables.acute import (
    fatigue as fatigue,
)
from painlab.tables.acute import (
    populations as populations,
)
from painlab.tables.acute import (
    repeated_measures as repeated_measures,
)
from painlab.tables.acute import (
    schedule as schedule,
)
from painlab.tables.acute import (
    several_sites as several_sites,
)
from painlab.tables.acute import (
    site_factors as site_factors,
)
from painlab.tables.acute import (
    sites as sites,
)
from painlab.tables.acute import (
    thresholds as thresholds,
)
from painlab.tables.acute import (
    time_course as time_course,
)
from painlab.tables.evidence import (
    agreement as agreement,
)
from painlab.tables.evidence import (
    arms as arms,
)
from painlab.tables.evidence import (
    beyond_sensitivity as beyond_sensitivity,
)
from painlab.tables.evidence import (
    conditions as conditions,
)
from painlab.tables.evidence import (
    cross_tolerance as cross_tolerance,
)
from painlab.tables.evidence import (
    designs as designs,
)
from painlab.tables.evidence import (
    engagement as engagement,
)
from painlab.tables.evidence import (
    findings as findings,
)
from painlab.tables.evidence import (
    parameters as parameters,
)
from painlab.tables.evidence import (
    pooled as pooled,
)
from painlab.tables.programmes import (
    adherence as adherence,
)
from painlab.tables.programmes import (
    early_response as early_response,
)
from painlab.tables.programmes import (
    programme_parameters as programme_parameters,
)
from painlab.tables.programmes import (
    programmes as programmes,
)

__all__ = [
    "WIDTH",
    "Table",
    "Text",
    "adherence",
    "agreement",
    "arms",
    "beyond_sensitivity",
    "conditions",
    "cross_tolerance",
    "designs",
    "doses",
    "early_response",
    "endurance",
    "engagement",
    "fatigue",
    "findings",
    "parameters",
    "pooled",
    "populations",
    "programme_parameters",
    "programmes",
    "repeated_measures",
    "schedule",
    "several_sites",
    "site_factors",
    "sites",
    "table",
    "text",
    "thresholds",
    "time_course",
]
