"""environment.yml (conda, Binder) pins exactly what pyproject.toml pins for pip."""

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _pins(lines):
    pins = {}
    for line in lines:
        if line.startswith("-"):
            continue  # "-e ." installs the project itself
        name, _, version = line.partition("==")
        pins[name.split("[")[0].lower()] = version
    return pins


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_pins = _pins(project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert _pins(pip_section) == pip_pins
    assert "python=3.11" in env["dependencies"]


def test_every_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert "==" in requirement, f"{requirement} is not pinned"


def test_environment_yml_lists_the_workshop_essentials():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    names = set(_pins(next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))))
    assert {"jupyterlab", "boto3", "matplotlib", "locust", "moto"} <= names
