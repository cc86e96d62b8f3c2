"""`make run` starts the demo on port 8000, or on the port given (`make run PORT=8010`)."""

import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def runserver_line(*arguments):
    # --dry-run prints the commands without running them (nor the install and seed steps).
    result = subprocess.run(
        ["make", "--dry-run", "run", *arguments],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return [line for line in result.stdout.splitlines() if "runserver" in line][-1]


def test_make_run_uses_port_8000_by_default():
    assert runserver_line().endswith("runserver 127.0.0.1:8000")


def test_make_run_takes_the_port_given():
    assert runserver_line("PORT=8010").endswith("runserver 127.0.0.1:8010")
