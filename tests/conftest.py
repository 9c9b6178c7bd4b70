"""Fixtures shared by the test modules (the browser tests have their own conftest)."""

from __future__ import annotations

import pytest


@pytest.fixture
def fresh_default_journal():
    """Each test starts and ends without the process-wide default journal."""
    from painlab import journal

    journal.reset_default()
    yield
    journal.reset_default()
