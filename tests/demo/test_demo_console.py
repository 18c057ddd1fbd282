"""`make demo` prints a link that opens the therapist console as Dr. Demo."""

from __future__ import annotations

import io
import re
from pathlib import Path

import aiohttp
from rich.console import Console

from bot.config import Config
from bot.demo import run_demo

ROOT = Path(__file__).resolve().parents[2]


async def test_the_demo_prints_a_console_link_that_signs_in_dr_demo(tmp_path):
    out = io.StringIO()
    console = Console(file=out, width=400, highlight=False, color_system=None)
    pages: list[str] = []

    async def read_line() -> str | None:
        if pages:
            return None
        link = re.search(r"(http://127\.0\.0\.1:\d+/console/login/\S+)", out.getvalue())
        assert link, out.getvalue()
        jar = aiohttp.CookieJar(unsafe=True)
        async with (
            aiohttp.ClientSession(cookie_jar=jar) as browser,
            browser.post(link.group(1)) as answer,
        ):
            assert answer.status == 200
            pages.append(await answer.text())
        return "/quit"

    config = Config(flows_dir=ROOT / "flows")
    await run_demo(config, tmp_path / "demo", 1.0, read_line=read_line, console=console, quiet=0.2)
    assert "Caseload" in pages[0]
    assert "Dr. Demo" in pages[0]
