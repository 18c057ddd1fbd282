"""`checkin demo` from a scripted keyboard: the product works with no token and no internet."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
CHECKIN = str(Path(sys.executable).with_name("checkin"))


async def test_demo_onboards_and_checks_in_from_a_script(tmp_path):
    """Tapping by number through country and consent, then /checkin, a crisis line, /quit."""
    script = "1\n1\n2\n1\n/checkin\n3\nI want to kill myself\n/quit\n"
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "CHECKIN_CONFIG")}
    proc = await asyncio.create_subprocess_exec(
        CHECKIN,
        "demo",
        "--folder",
        str(tmp_path / "demo"),
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(script.encode()), 240)
    text = out.decode()
    assert proc.returncode == 0, err.decode()
    assert "All set, Sam" in text
    assert "how strong is any discomfort" in text
    assert "Samaritans" in text
    assert "Demo over" in text
    assert (tmp_path / "demo" / "demo.sqlite3").exists()
