"""`checkin run` tells the clinic which of its clients' countries have no crisis lines."""

from __future__ import annotations

from bot.config import Config
from bot.service.coverage import crisis_coverage
from bot.storage.models import Client, Therapist


async def _clients(db, countries: list[str | None]) -> None:
    async with db.session() as s:
        therapist = Therapist(telegram_id=1, name="Dr. Ruiz")
        s.add(therapist)
        await s.flush()
        for n, country in enumerate(countries, start=10):
            s.add(Client(therapist_id=therapist.id, telegram_id=n, chat_id=n, country=country))


async def test_names_each_country_without_an_entry_with_its_client_count(db) -> None:
    """Kenya twice and Peru once lack entries; France and the UK have theirs."""
    await _clients(db, ["KE", "FR", "KE", "GB", "PE"])
    async with db.session() as s:
        lines = await crisis_coverage(s, Config())
    assert len(lines) == 1
    assert "KE (Kenya, 2 client(s))" in lines[0]
    assert "PE (Peru, 1 client(s))" in lines[0]
    assert "FR" not in lines[0]
    assert "112 and https://findahelpline.com" in lines[0]
    assert "crisis.regions" in lines[0]


async def test_counts_clients_who_have_not_told_their_country(db) -> None:
    """Clients from before the country question: counted, with what they are shown."""
    await _clients(db, [None, None, "GB"])
    async with db.session() as s:
        lines = await crisis_coverage(s, Config())
        with_default = await crisis_coverage(
            s, Config.model_validate({"crisis": {"default_region": "GB"}})
        )
    assert lines == [
        "Crisis lines: 2 client(s) have not told their country yet and are shown 112 and "
        "https://findahelpline.com; they can set it with /country."
    ]
    assert "the lines of GB (crisis.default_region)" in with_default[0]


async def test_says_nothing_when_every_country_is_covered(db) -> None:
    await _clients(db, ["GB", "DE", "US"])
    async with db.session() as s:
        assert await crisis_coverage(s, Config()) == []
