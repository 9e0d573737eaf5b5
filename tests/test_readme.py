"""Every command the README shows runs as written, in a copy of the project (a new user reads only the README).

The `docgen` lines of its ```sh blocks run in order, with the venv's docgen, in a temporary folder
holding the example data; `make` lines are what CI itself runs and are left out here, and so is
`docgen serve`, which runs until Ctrl-C (tests/test_web.py starts it and drives the page).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "make ", "docgen serve")):
                commands.append(line)
    return commands


def test_the_readme_has_commands_for_every_tour_step():
    commands = readme_commands()
    assert len(commands) >= 20
    assert all(c.startswith(("docgen ", "cp ")) for c in commands), [c for c in commands if not c.startswith("docgen")]


@pytest.mark.libreoffice  # the README's Word-template batch makes PDFs in LibreOffice
def test_every_readme_command_runs_as_written(tmp_path):
    for folder in ("examples", "tests/data/wadian-first-schema"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    for command in readme_commands():
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, command
