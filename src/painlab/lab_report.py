"""The lab report: a student's journal as one offline HTML page (a per-lesson summary,
then predictions beside the evidence and first attempts beside confidence) or as JSON."""

from __future__ import annotations

import html
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from painlab._files import atomic_write, check_target
from painlab.journal import Entry, Journal, default_journal

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5;
       color: #1a1a1a; background: #ffffff; }
h1 { margin-bottom: 0.2rem; }
h2 { border-bottom: 2px solid #0072B2; padding-bottom: 0.2rem; margin-top: 2.5rem; }
.meta { color: #555555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbbbbb; padding: 0.35rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f0f0f0; }
td.when, span.when { color: #555555; white-space: nowrap; font-size: 0.9em; }
.right { color: #005a8c; font-weight: bold; }
.wrong { color: #a34700; font-weight: bold; }
.missing { color: #555555; font-style: italic; }
.note { border-left: 4px solid #E69F00; padding: 0.2rem 0.8rem; margin: 0.5rem 0;
        white-space: pre-wrap; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
"""


def _e(value: Any) -> str:
    """Escape any value for HTML; non-text values are shown as JSON."""
    if value is None:
        return '<span class="missing">not recorded</span>'
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return html.escape(text, quote=True)


def _when(timestamp: str) -> str:
    return html.escape(timestamp.replace("T", " ").replace("+00:00", " UTC"), quote=True)


def _found(result: Any) -> tuple[str, str]:
    """(what the studies found, whether the prediction matched) as HTML cells."""
    if isinstance(result, dict) and "found" in result:
        found = _e(result["found"])
        if result.get("refs"):
            found += f" <span class='when'>({_e(result['refs'])})</span>"
        matched = result.get("matched")
        if matched is None:
            mark = '<span class="missing">open question</span>'
        elif matched:
            mark = '<span class="right">✓ matched</span>'
        else:
            mark = '<span class="wrong">✗ differed</span>'
        return found, mark
    return _e(result), '<span class="missing">not compared</span>'


def _label(question_id: str | None) -> str:
    """The question id, with the start of its prompt when it is in the question bank."""
    if question_id is None:
        return _e(None)
    try:
        from painlab import quiz

        bank = quiz._bank()
        item = bank.questions.get(question_id) or bank.predictions.get(question_id)
    except Exception:  # a report never fails because of the question bank
        item = None
    if item is None:
        return _e(question_id)
    prompt = item.prompt if len(item.prompt) <= 90 else item.prompt[:87].rstrip() + "..."
    return f"{_e(question_id)}<br><span class='when'>{_e(prompt)}</span>"


def _lesson_counts(entries: list[Entry]) -> dict[str, int]:
    """Numbers for the per-lesson summary (first attempts only for self-checks)."""
    predictions = [e for e in entries if e.kind == "prediction"]
    first: dict[str, Entry] = {}
    for e in entries:
        if e.kind == "answer":
            first.setdefault(e.question_id or "", e)
    firsts = list(first.values())

    def conf(e: Entry) -> Any:
        return e.result.get("confidence") if isinstance(e.result, dict) else None

    return {
        "predicted": len(predictions),
        "revealed": sum(isinstance(e.result, dict) and "found" in e.result for e in predictions),
        "matched": sum(
            isinstance(e.result, dict) and e.result.get("matched") is True for e in predictions
        ),
        "answered": len(firsts),
        "right_first": sum(bool(e.correct) for e in firsts),
        "sure_wrong": sum(not e.correct and conf(e) == "certain" for e in firsts),
    }


def _summary_row(lesson: str, c: dict[str, int]) -> str:
    return (
        f"<tr><td>{html.escape(lesson, quote=True)}</td>"
        f"<td>{c['predicted']} made, {c['revealed']} revealed, {c['matched']} matched</td>"
        f"<td>{c['right_first']} of {c['answered']} right first time</td>"
        f"<td>{c['sure_wrong']}</td></tr>"
    )


def _lesson_html(lesson: str, entries: list[Entry]) -> list[str]:
    out = [f"<h2>Lesson {html.escape(lesson, quote=True)}</h2>"]
    predictions = [e for e in entries if e.kind in ("prediction", "result")]
    answers = [e for e in entries if e.kind == "answer"]
    notes = [e for e in entries if e.kind == "note"]
    if predictions:
        out += [
            "<h3>Predictions against the evidence</h3>",
            "<table><thead><tr><th scope='col'>Question</th><th scope='col'>I predicted</th>"
            "<th scope='col'>The studies found</th><th scope='col'>Matched?</th>"
            "<th scope='col'>When</th></tr></thead><tbody>",
        ]
        for e in predictions:
            found, mark = _found(e.result)
            out.append(
                f"<tr><td>{_label(e.question_id)}</td><td>{_e(e.value)}</td><td>{found}</td>"
                f"<td>{mark}</td><td class='when'>{_when(e.timestamp)}</td></tr>"
            )
        out.append("</tbody></table>")
    if answers:
        first: dict[str, Entry] = {}
        tries: dict[str, int] = {}
        last: dict[str, Entry] = {}
        for e in answers:
            key = e.question_id or ""
            first.setdefault(key, e)
            tries[key] = tries.get(key, 0) + 1
            last[key] = e
        n_right = sum(bool(e.correct) for e in first.values())
        out += [
            "<h3>Self-checks (first attempt)</h3>",
            f"<p>{n_right} of {len(first)} questions right at the first attempt.</p>",
            "<table><thead><tr><th scope='col'>Question</th><th scope='col'>First answer</th>"
            "<th scope='col'>Right or wrong</th><th scope='col'>How sure</th>"
            "<th scope='col'>Attempts</th><th scope='col'>When</th></tr></thead><tbody>",
        ]
        for key, e in first.items():
            mark = (
                '<span class="right">✓ right</span>'
                if e.correct
                else '<span class="wrong">✗ wrong</span>'
            )
            sure = e.result.get("confidence") if isinstance(e.result, dict) else None
            later = " (right later)" if not e.correct and last[key].correct else ""
            out.append(
                f"<tr><td>{_label(e.question_id)}</td><td>{_e(e.value)}</td><td>{mark}{later}</td>"
                f"<td>{_e(sure)}</td><td>{tries[key]}</td>"
                f"<td class='when'>{_when(e.timestamp)}</td></tr>"
            )
        out.append("</tbody></table>")
    if notes:
        out.append("<h3>Notes</h3>")
        out += [
            f"<div class='note'>{_e(e.value)}<br><span class='when'>{_when(e.timestamp)}</span>"
            "</div>"
            for e in notes
        ]
    return out


def export(path: str | os.PathLike[str], journal: Journal | None = None) -> Path:
    """Write the journal as one self-contained HTML lab report, or as a JSON file.

    The report groups entries by lesson: predictions beside what happened, self-check
    answers marked "✓ right" or "✗ wrong" (in words, not by colour alone), and notes. It
    has inline CSS only -- no scripts, fonts, images or links -- so it opens offline in any
    browser and can be printed or handed in. All student text is HTML-escaped. A path
    ending in ``.json`` gets every entry as JSON instead (see the module docstring).

    Parameters
    ----------
    path : str or os.PathLike
        Where to write, ending in ``.html``, ``.htm`` or ``.json``. Written atomically: a
        failed write (full disk, killed kernel) leaves an older report whole.
    journal : Journal, optional
        The journal to export. Default: :func:`default_journal`.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        For another suffix, a folder, or the journal's own file (which would be lost).
    PermissionError
        If the folder cannot be written.
    """
    journal = journal if journal is not None else default_journal()
    check_target(path, "path", suffixes=(".html", ".htm", ".json"), protect=journal._protected())
    if Path(path).suffix.lower() == ".json":
        return journal.export_json(path)
    entries = journal.entries()
    by_lesson: dict[str, list[Entry]] = {}
    for e in entries:
        by_lesson.setdefault(e.lesson, []).append(e)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>painlab lab report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>painlab lab report</h1>",
        f"<p class='meta'>Generated {html.escape(generated)} from "
        f"{html.escape(journal.path.name, quote=True)} ({len(entries)} entries).</p>",
    ]
    if not by_lesson:
        parts.append("<p class='missing'>The journal has no entries yet.</p>")
    if by_lesson:
        parts += [
            "<h2>Summary for the lecturer</h2>",
            "<p>One row per lesson. Self-checks count the first attempt only; "
            "\u201csure but wrong\u201d counts first answers marked \u201ccertain\u201d "
            "that were wrong, the misconceptions worth discussing.</p>",
            "<table><thead><tr><th scope='col'>Lesson</th><th scope='col'>Predictions</th>"
            "<th scope='col'>Self-checks</th><th scope='col'>Sure but wrong</th></tr>"
            "</thead><tbody>",
            *(_summary_row(k, _lesson_counts(by_lesson[k])) for k in sorted(by_lesson)),
            "</tbody></table>",
        ]
    for lesson in sorted(by_lesson):
        parts += _lesson_html(lesson, by_lesson[lesson])
    parts.append("</body></html>\n")
    return atomic_write(path, "\n".join(parts))


# -- the process-wide journal -------------------------------------------------------------
