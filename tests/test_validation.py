"""Issue 25: every bad input gets a named error, and no export follows someone else's link.

The link attacks are reproduced as they happen on a course server: another user (here the
uid of ``nobody``, set with ``os.lchown`` as root) plants ``report.html`` in a shared
sticky folder (mode 1777) as a symbolic link to the victim's ``.bashrc``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from painlab import journal as pj
from painlab._files import UnsafeLinkError, atomic_write, check_target
from painlab.journal import Journal, JournalReadOnlyError, JournalWarning

NOBODY = 65534
as_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown to nobody"
)


@pytest.fixture(autouse=True)
def _fresh_default():
    pj.reset_default()
    yield
    pj.reset_default()


# -- exports never follow a link someone else may have planted ----------------------------


@pytest.fixture
def victim(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    bashrc = home / ".bashrc"
    bashrc.write_text("export PATH=$HOME/bin:$PATH\n")
    return bashrc


@pytest.fixture
def sticky(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    return shared


@pytest.fixture
def journal(tmp_path):
    j = Journal(tmp_path / "mine" / "painlab-journal.sqlite")
    j.note("01", "my private note")
    return j


def _plant(link: Path, target: Path, uid: int | None = NOBODY) -> Path:
    link.symlink_to(target)
    if uid is not None:
        os.lchown(link, uid, uid)
    return link


_EXPORTS = {
    "journal.export-html": lambda j, p: pj.export(p, j),
    "Journal.export-html": lambda j, p: j.export(p),
    "Journal.export-json": lambda j, p: j.export_json(p),
    "Journal.export-.json": lambda j, p: j.export(p),
}


@as_root
@pytest.mark.parametrize("export", list(_EXPORTS), ids=list(_EXPORTS))
def test_export_refuses_another_users_link_in_a_sticky_folder(export, journal, victim, sticky):
    before = victim.read_bytes()
    name = "report.json" if "json" in export else "report.html"
    link = _plant(sticky / name, victim)
    with pytest.raises(UnsafeLinkError, match="sticky") as info:
        _EXPORTS[export](journal, link)
    assert isinstance(info.value, PermissionError)
    assert str(link) in str(info.value)
    assert victim.read_bytes() == before
    assert link.is_symlink()


@as_root
def test_export_refuses_another_users_link_in_an_ordinary_folder(tmp_path, journal, victim):
    folder = tmp_path / "group"
    folder.mkdir()
    os.chmod(folder, 0o777)  # world-writable but not sticky: the owner check still holds
    link = _plant(folder / "report.html", victim)
    with pytest.raises(UnsafeLinkError, match=r"owned by another user \(uid 65534\)"):
        journal.export(link)
    assert "my private note" not in victim.read_text()


def test_export_refuses_even_ones_own_link_in_a_sticky_folder(journal, victim, sticky):
    link = _plant(sticky / "report.html", victim, uid=None)
    with pytest.raises(UnsafeLinkError, match="everyone can write to"):
        journal.export(link)
    assert "my private note" not in victim.read_text()


@as_root
def test_export_refuses_a_planted_folder_link_on_the_way(journal, victim, sticky):
    link = _plant(sticky / "reports", victim.parent)
    with pytest.raises(UnsafeLinkError, match="reports"):
        journal.export(link / ".bashrc.html")
    assert not (victim.parent / ".bashrc.html").exists()


@as_root
def test_a_link_planted_after_the_check_is_refused_by_the_write(victim, sticky):
    target = sticky / "report.html"
    check_target(target, "path", suffixes=(".html",))  # nothing there yet: fine
    _plant(target, victim)
    with pytest.raises(UnsafeLinkError):
        atomic_write(target, "<html>report</html>")
    assert "report" not in victim.read_text()


@as_root
def test_a_journal_reached_through_a_planted_link_opens_read_only(victim, sticky):
    before = victim.read_bytes()
    link = _plant(sticky / "painlab-journal.sqlite", victim)
    with pytest.warns(JournalWarning, match="READ-ONLY.*sticky"):
        j = Journal(link)
    assert j.read_only
    with pytest.raises(JournalReadOnlyError):
        j.note("01", "x")
    assert victim.read_bytes() == before  # not moved aside, not replaced by a new journal
    assert [p.name for p in victim.parent.iterdir()] == [".bashrc"]


def test_ones_own_links_in_ones_own_folders_keep_working(tmp_path, journal):
    real = tmp_path / "real"
    real.mkdir()
    (real / "report.html").write_text("old")
    hop = tmp_path / "hop"
    hop.symlink_to(real)  # a folder link, then a file link through it
    (tmp_path / "report.html").symlink_to(Path("hop") / "report.html")
    journal.export(tmp_path / "report.html")
    assert (tmp_path / "report.html").is_symlink()
    assert "my private note" in (real / "report.html").read_text(encoding="utf-8")
    loop = tmp_path / "loop.html"
    loop.symlink_to(loop)
    with pytest.raises(UnsafeLinkError, match="more than 40"):
        journal.export(loop)
