"""What the wheel is made from: every package found, every data file the code
reads declared, one version, the licence, the console script.

Building and installing the wheel itself (into a fresh virtual environment,
used from outside the checkout) is CI's job: ``.ci/wheel-check``.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import tomllib

import fasearch
from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
PACKAGE = ROOT / "fasearch"


def test_every_folder_of_modules_is_a_package():
    """setuptools' find includes only folders with an __init__.py: a module
    anywhere else would be missing from the wheel (the ImportError of issue 19)."""
    for module in PACKAGE.rglob("*.py"):
        for folder in module.relative_to(ROOT).parents[:-1]:
            assert (ROOT / folder / "__init__.py").is_file(), f"{folder} holds modules but no __init__.py"
    assert PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"] == ["fasearch*"]


def test_every_data_file_is_declared():
    """Each file of the package that is not Python (templates, CSS, py.typed)
    matches a package-data pattern, so the wheel carries it."""
    declared = PYPROJECT["tool"]["setuptools"]["package-data"]
    for path in PACKAGE.rglob("*"):
        if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        owner = path.parent
        while owner != ROOT and ".".join(owner.relative_to(ROOT).parts) not in declared:
            owner = owner.parent
        package = ".".join(owner.relative_to(ROOT).parts)
        relative = path.relative_to(owner).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in declared.get(package, [])), f"{path} is not package data"
    assert (PACKAGE / "py.typed").is_file()


def test_one_version():
    """pyproject.toml reads the version from fasearch.__version__ (statically, as setuptools does)."""
    assert "version" not in PYPROJECT["project"] and PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "fasearch.__version__"}
    tree = ast.parse((PACKAGE / "__init__.py").read_text("utf-8"))
    written = [node.value.value for node in tree.body if isinstance(node, ast.Assign)
               and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__version__"]]
    assert written == [fasearch.__version__]


def test_the_licence():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License\n")
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]  # PEP 639's license fields


def test_the_console_script_is_the_fasearch_command():
    module, _, name = PYPROJECT["project"]["scripts"]["fasearch"].partition(":")
    assert getattr(importlib.import_module(module), name) is importlib.import_module("fasearch.serve.commands").main


def test_every_pin_is_exact():
    """The index stores analysed terms: a dependency's new version could need a rebuild."""
    project = PYPROJECT["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        assert "==" in requirement, requirement
    tools = {r.split("==")[0] for r in project["optional-dependencies"]["test"]}
    assert {"ruff", "mypy"} <= tools
