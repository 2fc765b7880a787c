"""A user install is a user install: the README's first command installs no test tool,
the package never imports one, and CI runs exactly the README's second command."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from tests.conftest import ROOT

# Modules that only the dev extra brings.
DEV_ONLY = ("pytest", "playwright", "schemathesis", "atheris", "hypothesis", "sklearn", "scipy")


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block is not None
    return block.group(1).strip().splitlines()


def test_readme_opens_with_a_user_install_and_a_test_command() -> None:
    install, test = _readme_commands()
    extras = re.search(r"-e '\.\[([^\]]*)\]'", install)
    assert extras is not None
    assert "dev" not in extras.group(1).split(",")
    assert install.endswith("parallax demo")
    # An older pip than the index's warns about lxml's "html_clean" extra.
    assert install.startswith("python3 -m venv --upgrade-deps .venv && ")
    assert test == ".venv/bin/pip install -e '.[dev]' && .venv/bin/python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci


def test_user_extras_hold_no_test_tool() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    user = [*project["dependencies"]]
    for extra in ("dask", "postgresql", "pandas", "plot"):
        user += project["optional-dependencies"][extra]
    names = {re.split(r"[\[=<>~ ]", requirement)[0].lower() for requirement in user}
    assert not names & {"pytest", "playwright", "schemathesis", "atheris", "hypothesis"}
    assert not names & {"scikit-learn", "scipy", "ruff", "httpx"}


def test_no_command_imports_a_test_tool() -> None:
    script = (
        "import sys, parallax, parallax.cli, parallax.web.app, parallax.corpus\n"
        "from parallax.cli import app\n"
        "from typer.main import get_command\n"
        "get_command(app)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({DEV_ONLY!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
