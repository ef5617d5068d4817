"""CI cannot pass by skipping: `.ci/run` sets CI=true, and a missing Chromium then fails the run (locally it only
says how to install it, and the browser tests skip)."""
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _ensure_chromium(tmp_path, ci: str | None):
    """scripts/ensure-chromium.sh on a PATH without chromium, as a non-root user without apt-get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")
    (bin_dir / "id").chmod(0o755)
    env = {"PATH": str(bin_dir)} | ({"CI": ci} if ci is not None else {})
    return subprocess.run(["/bin/bash", str(ROOT / "scripts" / "ensure-chromium.sh")], env=env,
                          capture_output=True, text=True, timeout=30)


def test_a_missing_chromium_fails_ci_and_only_warns_locally(tmp_path):
    in_ci = _ensure_chromium(tmp_path, "true")
    assert in_ci.returncode == 1 and "chromium is missing" in in_ci.stderr
    local = _ensure_chromium(tmp_path, None)
    assert local.returncode == 0 and "chromium is missing" in local.stderr


def test_the_ci_script_requires_chromium_and_postgresql():
    script = (ROOT / ".ci" / "run").read_text()
    assert "export CI=true" in script and "export CASEWORK_REQUIRE_POSTGRES=1" in script
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
    conftest = (ROOT / "tests" / "browser" / "conftest.py").read_text()
    assert 'os.environ.get("CI") == "true"' in conftest and "pytest.fail(" in conftest
