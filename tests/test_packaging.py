"""The project's files agree with each other: pyproject, environment.yml, lab settings."""

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[]", req.strip(), maxsplit=1)[0].lower()


def _runtime_from_pyproject() -> dict[str, str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return {_name(d): d.replace(" ", "") for d in deps}


def _runtime_from_environment() -> dict[str, str]:
    out = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^\s{2}- ([A-Za-z][\w.-]*)(.*)$", line)
        if m and m.group(1) not in ("python", "pip"):
            out[m.group(1).lower()] = (m.group(1) + m.group(2)).replace(" ", "")
    return out


def test_environment_yml_names_the_same_runtime_dependencies_as_pyproject():
    assert _runtime_from_environment() == _runtime_from_pyproject()


def test_environment_yml_installs_painlab_itself():
    assert "- -e ." in (ROOT / "environment.yml").read_text()


def test_lab_overrides_turn_off_news_and_update_checks():
    over = json.loads((ROOT / "jupyter" / "overrides.json").read_text())
    notif = over["@jupyterlab/apputils-extension:notification"]
    assert notif["fetchNews"] == "false"
    assert notif["checkForUpdates"] is False


def test_package_ships_data_and_type_marker():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = cfg["tool"]["setuptools"]["package-data"]["painlab"]
    assert "py.typed" in data and "data/*.csv" in data
    assert (ROOT / "src" / "painlab" / "py.typed").exists()


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make lab" in readme
    assert re.search(r"^make test$", ci, re.M)
