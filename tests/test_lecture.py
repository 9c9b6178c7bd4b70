"""The lecture as data (painlab.lecture): validated loader, coverage, timing, traceable
numbers, printable pages and the lecture kit."""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

import pytest

import painlab as pl
from painlab import disagreements, figures, lecture
from painlab.lecture import CLAIM_IDS, LectureError

DATA = Path(lecture.__file__).parent / "data"
RAW = tomllib.loads(lecture.DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lec():
    return lecture.load()


def test_the_lecture_lasts_45_to_55_minutes_and_covers_every_key_point(lec):
    assert 45 <= lec.minutes <= 55
    assert lec.minutes == sum(s.minutes for s in lec)
    covered = {c for s in lec for c in s.claims}
    assert covered == set(CLAIM_IDS)
    assert list(lec.keypoints) == list(CLAIM_IDS)
    assert lec.starts()[0] == 0 and lec.starts()[-1] == lec.minutes - lec[-1].minutes


def test_every_citation_key_resolves_and_every_segment_is_complete(lec):
    cites = pl.studies.citations()
    for s in lec:
        assert s.cites and s.qualified_cites, s.id
        for key in s.all_cites:
            assert key in cites, f"{s.id}: {key}"
        assert s.view in lecture.VIEWS
        assert len(s.question.options) == 4 and s.question.answer in "ABCD"
        for part in ("Show:", "Ask:", "Evidence:", "Illustrative:", "Qualified later:"):
            assert part in s.notes, (s.id, part)
        assert cites[s.cites[0]].short in s.notes


def test_the_segments_reach_every_view(lec):
    assert {s.view for s in lec} == set(lecture.VIEWS)
    assert lec["aerobic-dose"].title.startswith("Aerobic")
    with pytest.raises(KeyError, match="no segment 'nope'"):
        lec["nope"]


# ---------------------------------------------------------------------------- numbers

_NUM = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?")


def _numbers(text: str) -> set[str]:
    text = re.sub(r"\bK\d+\b", " ", text)  # key point ids
    return {n.rstrip("0").rstrip(".") if "." in n else n for n in _NUM.findall(text)}


def _evidence_numbers(keys: set[str]) -> set[str]:
    """Every number in the rows of data/*.csv whose citation_key is in ``keys``."""
    found: set[str] = set()
    for path in DATA.glob("*.csv"):
        with open(path, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row.get("citation_key") in keys or row.get("key") in keys:
                    found |= _numbers(" ".join(v or "" for v in row.values()))
    return found


def test_every_number_in_a_segment_comes_from_its_cited_records_or_its_setup(lec):
    cites = pl.studies.citations()
    for s in lec:
        keys = set(s.all_cites)
        allowed = _evidence_numbers(keys)
        allowed |= {str(cites[k].year) for k in keys}
        allowed |= _numbers(" ".join(str(v) for v in s.setup.values()))
        q = s.question
        parts = (s.title, s.show, s.ask, s.evidence, s.illustrative, s.qualified, q.stem, q.why)
        text = " ".join([*parts, *q.options])
        stray = sorted(_numbers(text) - allowed)
        assert not stray, f"segment {s.id!r}: numbers not in its cited records: {stray}"


def test_the_number_check_can_fail():
    assert "99.7" not in _evidence_numbers({"hoffman2004"})
    assert "12" in _evidence_numbers({"hoffman2004"})  # n = 12 in acute_arms.csv


# ---------------------------------------------------------------------------- bad data


def _write(tmp_path, raw: dict) -> Path:
    def val(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(val(x) for x in v) + "]"
        return repr(v)

    lines = ["[keypoints]"] + [f"{k} = {val(v)}" for k, v in raw.get("keypoints", {}).items()]
    for seg in raw.get("segment", []):
        lines.append("[[segment]]")
        tables = {k: v for k, v in seg.items() if isinstance(v, dict)}
        lines += [f"{k} = {val(v)}" for k, v in seg.items() if not isinstance(v, dict)]
        for name, table in tables.items():
            lines.append(f"[segment.{name}]")
            lines += [f"{k} = {val(v)}" for k, v in table.items()]
    path = tmp_path / "lecture.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _variant(change) -> dict:
    raw = tomllib.loads(lecture.DATA.read_text(encoding="utf-8"))
    change(raw)
    return raw


def test_the_writer_of_variants_round_trips(tmp_path):
    assert lecture.load(_write(tmp_path, _variant(lambda r: None))).minutes == 50


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["segment"][0].pop("title"), r"segment 'hook': title must be non-empty"),
        (lambda r: r["segment"][0].update(minutes=0), r"minutes must be a number of minutes"),
        (lambda r: r["segment"][0].update(minutes="3"), r"minutes must be a number"),
        (lambda r: r["segment"][0].update(claims=["K19"]), r"claims must be .*K0-K18"),
        (lambda r: r["segment"][0].update(cites=["nobody1999"]), r"cites must name citation"),
        (lambda r: r["segment"][0].update(qualified_cites=[]), r"qualified_cites must be"),
        (lambda r: r["segment"][0].update(view="slides"), r"view must be one of"),
        (lambda r: r["segment"][0].update(id="Hook Segment"), r"id must be lower-case"),
        (lambda r: r["segment"][1].update(id="hook"), r"segment ids must be unique.*hook"),
        (lambda r: r["segment"][0]["question"].update(answer="E"), r"answer must be one of"),
        (lambda r: r["segment"][0]["question"]["options"].pop(), r"options must be 4"),
        (lambda r: r["segment"][0].pop("question"), r"question must be a table"),
        (lambda r: r["segment"][1].update(minutes=20), r"add up to 45-55 min; got 64"),
        (lambda r: r["segment"][8].update(claims=["K13"]), r"not covered by any segment: \['K14'"),
        (lambda r: r["keypoints"].pop("K7"), r"\[keypoints\] needs a statement"),
        (lambda r: r.pop("segment"), r"needs at least one \[\[segment\]\]"),
    ],
)
def test_bad_lecture_data_is_refused_with_a_named_error(tmp_path, change, message):
    path = _write(tmp_path, _variant(change))
    with pytest.raises(LectureError, match=message):
        lecture.load(path)


def test_invalid_toml_is_refused(tmp_path):
    p = tmp_path / "lecture.toml"
    p.write_text("[[segment]\nid = ", encoding="utf-8")
    with pytest.raises(LectureError, match="not valid TOML"):
        lecture.load(p)


# ---------------------------------------------------------------------------- figures


def test_each_segment_has_its_figures_built_by_the_library(lec):
    for s in lec:
        figs = lecture.segment_figures(s, scale=1.0)
        if s.view == "summary":
            assert figs == {}
            continue
        assert figs, s.id
        for fig in figs.values():
            assert len(fig.data) >= 1
    ab = lecture.segment_figures(lec["beyond-healthy"], scale=1.0)
    healthy, fm = ab["sites_healthy"], ab["sites_fibromyalgia"]
    assert healthy.data[0].y[0] > 0.2 > fm.data[0].y[0]  # relief vs more pain (Kosek 1996)


def test_votes_chart_shows_percentages_and_counts():
    fig = figures.plot_votes((3, 1, 6, 0), (0, 0, 10, 0))
    before, after = fig.data
    assert before.name == "before discussion" and after.name == "after discussion"
    assert list(before.y) == [30.0, 10.0, 60.0, 0.0]
    assert before.text[2] == "6 (60%)" and after.text[2] == "10 (100%)"
    assert figures.votes_data((0, 0, 0, 0))["text"] == ["", "", "", ""]


# ---------------------------------------------------------------------------- disagreements


def test_disagreeing_doses_come_first_and_list_every_study_there():
    doses = disagreements.doses("aerobic", "healthy")
    first = doses[0]
    assert len(first.outcomes) > 1 and "disagree" in first.label
    assert (first.x, first.y) == (75.0, 30.0)
    table = disagreements.html_table(first, "healthy")
    for study in ("Hoffman et al. 2004", "Tomschi et al. 2023", "Monnier-Benoit et al. 2006"):
        assert study in table
    assert "Model:" in table and "studies of the same dose disagree" in table
    assert "<td>12</td>" in table  # n as a whole number


def test_doses_sit_exactly_where_the_dose_map_draws_its_markers():
    for kind in pl.KINDS:
        fig = figures.plot_dose_map(kind, "healthy")
        drawn = {
            (round(x, 3), round(y, 3)) for t in fig.data[2:5] for x, y in zip(t.x, t.y, strict=True)
        }
        placed = {(d.x, d.y) for d in disagreements.doses(kind, "healthy")}
        assert drawn == placed, kind


def test_nearest_dose_and_bad_input():
    d = disagreements.nearest("aerobic", "healthy", 74, 29)
    assert d is not None and (d.x, d.y) == (75.0, 30.0)
    with pytest.raises(ValueError, match="population"):
        disagreements.doses("aerobic", "martians")


# ---------------------------------------------------------------------------- printable pages


def test_the_summary_lists_every_key_point_with_references(lec):
    page = lecture.summary_html(lec)
    for c in CLAIM_IDS:
        assert f"<th scope='row'>{c}</th>" in page
    for s in lec:
        for key in s.cites:
            assert pl.studies.cite(key).doi in page or pl.studies.cite(key).pmid in page
    assert "@media print" in page and "<main>" in page
    assert "http" not in page.split("<body>")[1]  # nothing to fetch; DOIs as text


def test_the_run_sheet_has_timings_notes_and_answers(lec):
    page = lecture.run_sheet_html(lec)
    for s, t in zip(lec, lec.starts(), strict=True):
        assert s.title.replace("'", "&#x27;") in page
        assert f"{t:g}–{t + s.minutes:g} min" in page
        assert s.question.correct.replace("'", "&#x27;") + " ✓" in page
    assert page.count("<section class='segment'>") == len(lec)


def test_export_kit_writes_both_pages_atomically(tmp_path):
    out = tmp_path / "kit"
    files = lecture.export_kit(out, figures=False)
    assert sorted(p.name for p in files) == ["run-sheet.html", "summary.html"]
    assert (out / "summary.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="exists and is not a folder"):
        lecture.export_kit(tmp_path / "file", figures=False)
    with pytest.raises(TypeError, match="folder must be a folder path"):
        lecture.export_kit(b"kit", figures=False)


def test_segment_figures_export_as_images(tmp_path, lec):
    from painlab.slides import export_segment_figures

    files = export_segment_figures(lec, tmp_path, ("svg",), width=800, height=450, scale=1.0)
    names = {p.name for p in files}
    assert (
        "02-aerobic-dose-dose_map.svg" in names and "06-conditions-condition_effects.svg" in names
    )
    assert len(files) == sum(len(lecture.segment_figures(s)) for s in lec)
    assert all(p.stat().st_size > 1000 and p.read_text().startswith("<svg") for p in files)
    with pytest.raises(ValueError, match="formats must be"):
        export_segment_figures(lec, tmp_path, ("gif",))
