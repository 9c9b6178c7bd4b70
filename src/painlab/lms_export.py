"""The question bank for a learning-management system: Moodle XML or GIFT."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from painlab._files import atomic_write, check_target
from painlab.question_bank import Question, _bank

_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def _gift(text: str) -> str:
    return _GIFT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _moodle(questions: list[Question]) -> str:
    root = ET.Element("quiz")
    for lesson in dict.fromkeys(q.lesson for q in questions):
        cat = ET.SubElement(root, "question", type="category")
        ET.SubElement(ET.SubElement(cat, "category"), "text").text = f"$course$/painlab/{lesson}"
        for q in (q for q in questions if q.lesson == lesson):
            el = ET.SubElement(root, "question", type="multichoice")
            ET.SubElement(ET.SubElement(el, "name"), "text").text = q.qid
            qt = ET.SubElement(el, "questiontext", format="html")
            ET.SubElement(qt, "text").text = f"<p>{html.escape(q.prompt)}</p>"
            tags = ET.SubElement(el, "tags")
            for t in (q.item_type, *q.claims):
                ET.SubElement(ET.SubElement(tags, "tag"), "text").text = t
            for name, value in (
                ("defaultgrade", "1"),
                ("penalty", "0.3333333"),
                ("single", "true"),
                ("shuffleanswers", "1"),
                ("answernumbering", "abc"),
            ):
                ET.SubElement(el, name).text = value
            for o in q.options:
                a = ET.SubElement(el, "answer", fraction="100" if o.correct else "0", format="html")
                ET.SubElement(a, "text").text = html.escape(o.text)
                fb = ET.SubElement(a, "feedback", format="html")
                ET.SubElement(fb, "text").text = html.escape(o.feedback)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _gift_document(questions: list[Question]) -> str:
    out = []
    for lesson in dict.fromkeys(q.lesson for q in questions):
        out.append(f"$CATEGORY: $course$/painlab/{lesson}\n")
        for q in (q for q in questions if q.lesson == lesson):
            answers = "\n".join(
                f"\t{'=' if o.correct else '~'}{_gift(o.text)}#{_gift(o.feedback)}"
                for o in q.options
            )
            out.append(f"::{_gift(q.qid)}::{_gift(q.prompt)} {{\n{answers}\n}}\n")
    return "\n".join(out)


_FORMATS = {"moodle": (".xml",), "gift": (".gift", ".txt")}


def export_bank(path: str | os.PathLike[str], format: str = "moodle", lessons: Any = None) -> Path:
    """Write the self-check questions for a course platform (Moodle XML or GIFT).

    Every question becomes a single-answer multiple-choice question with feedback on each
    option; the platform shuffles the options. Questions are grouped in one category per
    lesson (``$course$/painlab/<lesson>``) and tagged with their item type and key points.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write: ``.xml`` for ``format="moodle"``, ``.gift`` or ``.txt`` for
        ``format="gift"``. Written atomically (a failed write leaves an older file whole).
    format : {"moodle", "gift"}
    lessons : iterable of str, optional
        Only these lessons (e.g. ``["01_aerobic_dose"]``). Default: all.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        For an unknown format, a suffix that does not fit it, a folder, or an unknown
        lesson -- checked before anything is written.
    """
    if format not in _FORMATS:
        raise ValueError(f"format must be one of {', '.join(map(repr, _FORMATS))}; got {format!r}")
    check_target(path, "path", suffixes=_FORMATS[format])
    questions = list(_bank().questions.values())
    if lessons is not None:
        wanted = [lessons] if isinstance(lessons, str) else list(lessons)
        known = {q.lesson for q in questions}
        unknown = [x for x in wanted if x not in known]
        if unknown:
            raise ValueError(f"lessons: {unknown} not in the bank; known: {sorted(known)}")
        questions = [q for q in questions if q.lesson in wanted]
    text = _moodle(questions) if format == "moodle" else _gift_document(questions)
    return atomic_write(path, text)
