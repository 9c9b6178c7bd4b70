"""Numbers quoted in the README come from the code that lands."""

import re
from pathlib import Path

from painlab import hypoalgesia

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_agreement_table_matches_agreement_summary():
    text = README.read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([a-z ]+) \| (\d+) \| (\d+)% \| (\d+)% \|$", text, flags=re.M)
    quoted = {name.replace(" ", "_"): (int(n), int(s), int(p)) for name, n, s, p in rows}
    summary = hypoalgesia.agreement_summary()
    assert set(quoted) == set(summary.index), "README lists other populations than the model"
    for pop, row in summary.iterrows():
        assert quoted[pop] == (
            int(row.n),
            round(100 * row.strict),
            round(100 * row.plausible),
        ), f"README agreement row for {pop} is stale"
