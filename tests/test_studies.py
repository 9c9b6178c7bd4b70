"""Tests for painlab.studies: coverage of the evidence, filters, tables and the loader.

Coverage numbers are the project's requirements (issue and CLAIMS.md), not counts read
off the data. Loader tests copy the real data folder, inject exactly one fault and check
that the error names the file, the line and the column.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from painlab import studies
from painlab.studies import EvidenceError

DATA = Path(studies.__file__).parent / "data"

# Formats from data/README.md: DOI "10.xxxx/..." without a URL prefix; PMID digits only.
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^\d+$")

CHRONIC = {
    "fibromyalgia",
    "knee_osteoarthritis",
    "chronic_low_back_pain",
    "chronic_neck_pain",
    "shoulder_myalgia",
    "chronic_fatigue_syndrome",
}


# -- coverage ----------------------------------------------------------------------------------


def test_at_least_40_arms_from_20_studies():
    recs = studies.arms()
    assert len({r.arm_id for r in recs}) >= 40
    assert len({r.citation.key for r in recs}) >= 20


def test_all_three_kinds_present():
    assert {r.kind for r in studies.arms()} == {"aerobic", "isometric", "dynamic_resistance"}


def test_populations_cover_healthy_older_and_three_chronic():
    pops = {r.population for r in studies.arms()}
    assert {"healthy", "older"} <= pops
    assert len(pops & CHRONIC) >= 3


def test_all_outcomes_present():
    assert {r.outcome for r in studies.arms()} == {"hypoalgesia", "none", "hyperalgesia"}


def test_every_isometric_arm_records_its_muscle_group():
    # Issue 12: every isometric arm records its muscle group, so it is placed with its own
    # endurance curve; other kinds have none.
    from painlab.bouts import MUSCLES

    for r in studies.arms():
        if r.kind == "isometric":
            assert r.muscle in MUSCLES, r.arm_id
        else:
            assert r.muscle == "", r.arm_id


@pytest.mark.parametrize(
    ("citation", "muscle"),
    [
        # muscle groups as each study describes its protocol
        ("koltyn2007", "grip"),  # handgrip dynamometer
        ("staud2005", "grip"),  # sustained handgrip
        ("ohlman2018", "grip"),  # isometric handgrip
        ("kosek1996", "knee"),  # quadriceps femoris
        ("hoegerbement2008", "elbow"),  # elbow flexors
    ],
)
def test_isometric_arms_name_the_muscle_of_their_protocol(citation, muscle):
    recs = studies.arms(citation=citation)
    assert recs
    assert {r.muscle for r in recs} == {muscle}


def test_every_arm_id_names_its_citation():
    # README: arm_id is "<citation key>-<short slug>".
    for r in studies.arms():
        assert r.arm_id.startswith(r.citation.key + "-"), r.arm_id


def test_every_citation_has_doi_or_pmid_in_the_documented_format():
    cites = studies.citations()
    assert cites
    for key, c in cites.items():
        assert c.key == key
        assert c.doi or c.pmid, key
        if c.doi:
            assert DOI.match(c.doi), (key, c.doi)
        if c.pmid:
            assert PMID.match(c.pmid), (key, c.pmid)


def _all_records():
    return [
        *studies.arms(),
        *studies.pooled(),
        *studies.condition_effects(),
        *studies.program_findings(),
        *studies.mechanism_findings(),
    ]


def test_every_record_cites_a_defined_source():
    cites = studies.citations()
    for rec in _all_records():
        assert cites[rec.citation.key] == rec.citation


@pytest.mark.parametrize("kind", ["aerobic", "isometric", "dynamic_resistance"])
def test_pooled_estimate_for_each_kind_in_healthy(kind):
    assert len(studies.pooled(kind=kind, population="healthy")) >= 1


def test_pooled_estimate_in_chronic_pain():
    assert len(studies.pooled(population="chronic_pain")) >= 1


def test_pooled_ci_brackets_estimate():
    for p in studies.pooled():
        if p.ci_low is not None and p.ci_high is not None:
            assert p.ci_low <= p.effect_size <= p.ci_high, p.pooled_id


def test_two_meta_analyses_disagree_on_isometric():
    # Naugle 2012 (repeated-measures): large isometric EIH. Wewege 2021 (RCTs): CI crosses 0.
    iso = studies.pooled(kind="isometric", population="healthy")
    naugle = [p for p in iso if p.citation.key == "naugle2012"]
    wewege = [p for p in iso if p.citation.key == "wewege2021"]
    assert naugle and wewege
    for w in wewege:
        assert w.ci_low is not None and w.ci_high is not None
        assert w.ci_low <= 0, "Wewege 2021 found no isometric EIH (CI includes 0)"
        for n in naugle:
            assert n.effect_size > w.ci_high, "Naugle 2012's estimate lies above Wewege's CI"


@pytest.mark.parametrize(
    "condition",
    [
        "chronic_neck_pain",
        "knee_osteoarthritis",
        "rheumatoid_arthritis",
        "fibromyalgia",
        "myofascial_pain",
        "chronic_low_back_pain",
    ],
)
def test_condition_effects_cover_k6_conditions(condition):
    recs = studies.condition_effects(condition)
    assert recs
    assert all(r.condition == condition for r in recs)


def test_meta_analytic_condition_effects_favour_exercise():
    # K6: exercise helps these conditions. Positive = less pain (README sign convention).
    metas = [r for r in studies.condition_effects() if r.evidence_level == "meta_analysis"]
    assert metas
    for r in metas:
        assert r.effect_size is not None and r.effect_size > 0, r.citation.key


@pytest.mark.parametrize(
    "topic", ["supervision", "adherence_adjunct", "early_response", "intensity"]
)
def test_program_findings_topics(topic):
    recs = studies.program_findings(topic=topic)
    assert recs
    assert all(r.topic == topic for r in recs)


@pytest.mark.parametrize(
    "topic",
    [
        "beta_endorphin",
        "beta_endorphin_pain_correlation",
        "cross_tolerance",
        "gate_control",
        "descending_inhibition",
        "biopsychosocial",
    ],
)
def test_mechanism_findings_topics(topic):
    recs = studies.mechanism_findings(topic=topic)
    assert recs
    assert all(r.topic == topic for r in recs)


@pytest.mark.parametrize("claim", [f"K{i}" for i in range(7, 19)])
def test_claims_k7_to_k18_are_backed_by_a_finding(claim):
    backed = [
        *studies.program_findings(claim=claim),
        *studies.mechanism_findings(claim=claim),
    ]
    assert backed, f"no Finding backs {claim}"
    assert all(claim in f.claims for f in backed)


# -- filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("kind", "aerobic"),
        ("kind", "isometric"),
        ("kind", "dynamic_resistance"),
        ("population", "healthy"),
        ("population", "fibromyalgia"),
        ("site", "exercising"),
        ("site", "distant"),
        ("outcome", "hypoalgesia"),
        ("outcome", "hyperalgesia"),
    ],
)
def test_arms_filter_returns_only_matching(param, value):
    recs = studies.arms(**{param: value})
    assert recs
    assert all(getattr(r, param) == value for r in recs)
    everything = studies.arms()
    assert len(recs) == sum(getattr(r, param) == value for r in everything)


def test_arms_filters_combine():
    recs = studies.arms(kind="isometric", population="healthy", outcome="hypoalgesia")
    assert recs
    assert all(
        (r.kind, r.population, r.outcome) == ("isometric", "healthy", "hypoalgesia") for r in recs
    )


@pytest.mark.parametrize(
    ("param", "value"),
    [("kind", "aerobics"), ("population", "martian"), ("site", "knee"), ("outcome", "better")],
)
def test_arms_bad_filter_names_parameter(param, value):
    with pytest.raises(ValueError) as exc:
        studies.arms(**{param: value})
    assert param in str(exc.value)
    assert value in str(exc.value)


@pytest.mark.parametrize(
    ("func", "param"),
    [
        (studies.condition_effects, "condition"),
        (studies.program_findings, "topic"),
        (studies.mechanism_findings, "topic"),
    ],
)
def test_other_bad_filters_name_parameter(func: Callable, param):
    with pytest.raises(ValueError, match=param):
        func(**{param: "nonsense"})


@pytest.mark.parametrize(("param", "value"), [("kind", "aerobics"), ("population", "martian")])
def test_pooled_bad_filter_names_parameter(param, value):
    # A typo must not silently return an empty table (same rule as arms()).
    with pytest.raises(ValueError, match=param):
        studies.pooled(**{param: value})


def test_pooled_filter_returns_only_matching():
    recs = studies.pooled(kind="aerobic", population="healthy")
    assert recs
    assert all((r.kind, r.population) == ("aerobic", "healthy") for r in recs)


def test_cite_unknown_key_suggests_close_match():
    with pytest.raises(KeyError, match="hoffman2004"):
        studies.cite("hofman2004")


# -- tables and citations ----------------------------------------------------------------------


def test_arms_to_frame_columns_and_rows():
    recs = studies.arms()
    df = recs.to_frame()
    assert len(df) == len(recs)
    for col in (
        "study",
        "citation_key",
        "doi",
        "pmid",
        "arm_id",
        "population",
        "kind",
        "intensity",
        "intensity_unit",
        "duration_min",
        "to_failure",
        "site",
        "minutes_after",
        "outcome",
        "effect_size",
    ):
        assert col in df.columns, col
    assert "citation" not in df.columns
    assert list(df["arm_id"]) == [r.arm_id for r in recs]


def test_filtered_to_frame_row_count():
    recs = studies.arms(kind="dynamic_resistance")
    assert len(recs.to_frame()) == len(recs)


def test_findings_to_frame_joins_claims():
    recs = studies.program_findings()
    df = recs.to_frame()
    assert len(df) == len(recs)
    assert {"study", "doi", "claims", "topic", "finding"} <= set(df.columns)
    assert list(df["claims"]) == [";".join(r.claims) for r in recs]


def test_pooled_to_frame():
    recs = studies.pooled()
    df = recs.to_frame()
    assert len(df) == len(recs)
    assert {"study", "doi", "effect_size", "ci_low", "ci_high", "kind", "population"} <= set(
        df.columns
    )


def test_reference_contains_authors_year_title_and_doi():
    c = studies.cite("hoffman2004")
    ref = c.reference()
    for author in c.authors.split(";"):
        assert author.strip() in ref
    assert str(c.year) in ref
    assert c.title in ref
    assert c.doi and c.doi in ref


def test_reference_of_pmid_only_citation_has_pmid():
    pmid_only = [c for c in studies.citations().values() if c.pmid and not c.doi]
    assert pmid_only
    for c in pmid_only:
        assert f"PMID {c.pmid}" in c.reference()


def test_every_reference_has_its_identifier():
    for c in studies.citations().values():
        ref = c.reference()
        assert c.title in ref and str(c.year) in ref
        assert (c.doi and c.doi in ref) or (c.pmid and c.pmid in ref)


def test_short_form_multi_author():
    c = studies.cite("hoffman2004")
    assert ";" in c.authors
    assert c.short == "Hoffman et al. 2004"


def test_short_form_two_word_surname():
    c = studies.cite("hoegerbement2008")
    assert c.short == f"Hoeger Bement et al. {c.year}"


def test_short_form_single_author():
    singles = [c for c in studies.citations().values() if ";" not in c.authors]
    assert singles
    for c in singles:
        assert "et al." not in c.short
        assert c.short.endswith(str(c.year))


def test_url_resolves_doi_or_pubmed():
    for c in studies.citations().values():
        if c.doi:
            assert c.url == f"https://doi.org/{c.doi}"
        else:
            assert c.url == f"https://pubmed.ncbi.nlm.nih.gov/{c.pmid}/"


def test_citation_without_identifier_rejected():
    with pytest.raises(ValueError, match="doi or a pmid"):
        studies.Citation("x2000", "X A", 2000, "t", "j")


def test_describe_names_study_and_outcome():
    for r in studies.arms()[:10]:
        text = r.describe()
        assert r.citation.short in text
        assert r.outcome in text


# -- loader validation -------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the real evidence folder (load() is cached by path)."""
    d = tmp_path / "data"
    shutil.copytree(DATA, d)
    return d


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)


def _inject(d: Path, name: str, edit: Callable[[list[dict[str, str]]], int]) -> int:
    """Apply ``edit`` to the rows of ``name``; returns the file line of the faulty row.

    ``edit`` returns the 0-based index of the row it broke. No cell of the evidence files
    contains a line break (checked below), so data row ``i`` is on file line ``i + 2``.
    """
    path = d / name
    header, rows = _rows(path)
    index = edit(rows)
    _write(path, header, rows)
    return index + 2


def _set(index: int, **cells: str) -> Callable[[list[dict[str, str]]], int]:
    def edit(rows):
        rows[index].update(cells)
        return index

    return edit


def _assert_names(exc: EvidenceError, file: str, line: int, column: str) -> None:
    msg = str(exc)
    assert file in msg, msg
    assert re.search(rf"\bline {line}\b", msg), msg
    assert f"'{column}'" in msg, msg


def test_evidence_files_have_one_line_per_row():
    for path in DATA.glob("*.csv"):
        physical = len(path.read_text(encoding="utf-8").splitlines())
        _, rows = _rows(path)
        assert physical == len(rows) + 1, path.name


def test_unmodified_copy_loads(data_copy):
    ev = studies.load(data_copy)
    assert len(ev.arms) == len(studies.arms())
    assert ev.citations.keys() == studies.citations().keys()


@pytest.mark.parametrize(
    ("file", "column", "value"),
    [
        ("acute_arms.csv", "kind", "swimming"),
        ("acute_arms.csv", "intensity", "150"),
        ("acute_arms.csv", "population", "martian"),
        ("acute_arms.csv", "citation_key", "nobody2099"),
        ("acute_arms.csv", "effect_size", "large"),
        ("acute_arms.csv", "outcome", "better"),
        ("citations.csv", "doi", "doi:10.1/x"),
        ("citations.csv", "doi", "https://doi.org/10.1002/art.23256"),
        ("citations.csv", "pmid", "PMC12345"),
        ("pooled.csv", "effect_size", "large"),
        ("pooled.csv", "citation_key", "nobody2099"),
        ("condition_effects.csv", "condition", "gout"),
        ("program_evidence.csv", "topic", "vibes"),
        ("mechanism_evidence.csv", "claim", "K99"),
    ],
)
def test_single_bad_cell_names_file_line_column(data_copy, file, column, value):
    # Break a row in the middle of the file, not only the first one.
    _, rows = _rows(data_copy / file)
    index = len(rows) // 2
    line = _inject(data_copy, file, _set(index, **{column: value}))
    with pytest.raises(EvidenceError) as exc:
        studies.load(data_copy)
    _assert_names(exc.value, file, line, column)


def test_citation_with_neither_doi_nor_pmid(data_copy):
    line = _inject(data_copy, "citations.csv", _set(3, doi="", pmid=""))
    with pytest.raises(EvidenceError) as exc:
        studies.load(data_copy)
    _assert_names(exc.value, "citations.csv", line, "doi")
    assert "pmid" in str(exc.value)


def test_duplicate_citation_key(data_copy):
    def edit(rows):
        rows[5]["key"] = rows[4]["key"]
        return 5

    line = _inject(data_copy, "citations.csv", edit)
    with pytest.raises(EvidenceError) as exc:
        studies.load(data_copy)
    _assert_names(exc.value, "citations.csv", line, "key")
    assert "duplicate" in str(exc.value)


def test_pooled_effect_outside_its_own_ci(data_copy):
    def edit(rows):
        i = next(i for i, r in enumerate(rows) if r["pooled_id"] == "wewege2021-healthy-aerobic")
        rows[i]["effect_size"] = str(float(rows[i]["ci_high"]) + 1.0)
        return i

    line = _inject(data_copy, "pooled.csv", edit)
    with pytest.raises(EvidenceError) as exc:
        studies.load(data_copy)
    _assert_names(exc.value, "pooled.csv", line, "effect_size")
    assert "CI" in str(exc.value)


def test_duplicate_record_id(data_copy):
    def edit(rows):
        rows[2]["record_id"] = rows[0]["record_id"]
        return 2

    line = _inject(data_copy, "mechanism_evidence.csv", edit)
    with pytest.raises(EvidenceError) as exc:
        studies.load(data_copy)
    _assert_names(exc.value, "mechanism_evidence.csv", line, "record_id")


def test_missing_column_in_header(data_copy):
    path = data_copy / "acute_arms.csv"
    header, rows = _rows(path)
    header.remove("outcome")
    for r in rows:
        del r["outcome"]
    _write(path, header, rows)
    with pytest.raises(EvidenceError) as exc:
        studies.load(data_copy)
    msg = str(exc.value)
    assert "acute_arms.csv" in msg
    assert re.search(r"\bline 1\b", msg), msg
    assert "outcome" in msg


def test_arm_id_reused_for_a_different_dose(data_copy):
    def edit(rows):
        first = rows[0]
        i = next(
            i
            for i, r in enumerate(rows)
            if r["citation_key"] == first["citation_key"]
            and r["arm_id"] != first["arm_id"]
            and (r["intensity"], r["duration_min"]) != (first["intensity"], first["duration_min"])
        )
        rows[i]["arm_id"] = first["arm_id"]
        return i

    line = _inject(data_copy, "acute_arms.csv", edit)
    with pytest.raises(EvidenceError) as exc:
        studies.load(data_copy)
    # The EvidenceError contract: the message names file, line and column, so the editor
    # can find the offending row among ~150.
    _assert_names(exc.value, "acute_arms.csv", line, "arm_id")


@pytest.mark.parametrize(
    "name",
    [
        "citations.csv",
        "acute_arms.csv",
        "pooled.csv",
        "condition_effects.csv",
        "program_evidence.csv",
        "mechanism_evidence.csv",
    ],
)
def test_missing_file(data_copy, name):
    (data_copy / name).unlink()
    with pytest.raises(EvidenceError) as exc:
        studies.load(data_copy)
    assert name in str(exc.value)
    assert "not found" in str(exc.value)


def test_muscle_on_a_non_isometric_arm_is_refused(data_copy):
    _, rows = _rows(data_copy / "acute_arms.csv")
    index = next(i for i, r in enumerate(rows) if r["kind"] == "aerobic")
    line = _inject(data_copy, "acute_arms.csv", _set(index, muscle="knee"))
    with pytest.raises(EvidenceError) as exc:
        studies.load(data_copy)
    _assert_names(exc.value, "acute_arms.csv", line, "muscle")
    assert "isometric" in str(exc.value)


@pytest.mark.parametrize("value", ["knees", ""])
def test_unknown_or_missing_muscle_on_an_isometric_arm_is_refused(data_copy, value):
    _, rows = _rows(data_copy / "acute_arms.csv")
    iso = [i for i, r in enumerate(rows) if r["kind"] == "isometric"]
    index = iso[len(iso) // 2]
    line = _inject(data_copy, "acute_arms.csv", _set(index, muscle=value))
    with pytest.raises(EvidenceError) as exc:
        studies.load(data_copy)
    _assert_names(exc.value, "acute_arms.csv", line, "muscle")


def test_evidence_error_is_a_value_error():
    assert issubclass(EvidenceError, ValueError)


def test_records_describe_names_every_source_within_the_width():
    recs = studies.mechanism_findings(topic="gate_control")
    text = recs.describe(width=80)
    assert text.count("\n\n") == len(recs) - 1  # one paragraph per record
    for r in recs:
        assert r.citation.short in text
        assert (r.citation.doi and r.citation.doi in text) or f"PMID {r.citation.pmid}" in text
    assert max(len(line) for line in text.splitlines()) <= 80
