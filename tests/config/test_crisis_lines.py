"""The crisis lines table: shipped for 25+ countries, checked at load, overridable by a clinic."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.config import Config, load_config
from bot.config.helplines import load_regions, shipped_path, shipped_regions
from bot.config.models import COUNTRIES_OFFERED
from bot.errors import ConfigError
from bot.service.context import lines_for_country

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def _phones(code: str, part: str = "resources") -> list[str]:
    region = shipped_regions()[code]
    return [p for line in getattr(region, part) for p in line.phones]


class TestShippedTable:
    def test_at_least_25_countries_each_with_an_emergency_number_and_a_line(self) -> None:
        """Every entry has the national emergency number and at least one crisis line."""
        table = shipped_regions()
        assert len(table) >= 25
        for code, region in table.items():
            assert region.emergency, code
            assert region.resources, code

    def test_every_country_onboarding_offers_has_an_entry(self) -> None:
        """The country buttons, and the countries of every city the time-zone question names."""
        asked = yaml.safe_load((FLOWS / "timezone.yaml").read_text(encoding="utf-8"))
        zones = next(s for s in asked["steps"] if s["id"] == "timezone")
        cities = {o["value"] for o in zones["options"]} - {"other"}
        city_countries = {
            "Europe/London": "GB",
            "Europe/Berlin": "DE",  # "Berlin / Paris"
            "America/New_York": "US",
            "America/Chicago": "US",
            "America/Denver": "US",
            "America/Los_Angeles": "US",
            "Asia/Kolkata": "IN",
            "Australia/Sydney": "AU",
        }
        assert cities == set(city_countries)
        # Paris, and the typed examples Manchester, Toronto, München, Graz.
        needed = {*city_countries.values(), "FR", "CA", "AT", *COUNTRIES_OFFERED}
        assert needed <= set(shipped_regions())

    def test_germany_has_both_telefonseelsorge_numbers_and_116_123(self) -> None:
        assert {"0800 111 0 111", "0800 111 0 222", "116 123"} <= set(_phones("DE"))
        assert shipped_regions()["DE"].police == "110"
        assert "116 016" in _phones("DE", "violence")

    def test_the_uk_has_samaritans_shout_and_nhs_111(self) -> None:
        gb = shipped_regions()["GB"]
        assert gb.emergency == "999"
        assert "116 123" in _phones("GB")
        assert "111" in _phones("GB")
        shout = next(r for r in gb.resources if r.name == "Shout")
        assert (shout.keyword, shout.text) == ("SHOUT", "85258")

    @pytest.mark.parametrize(
        ("code", "emergency", "line"),
        [
            ("US", "911", "988"),
            ("CA", "911", "988"),
            ("FR", "15", "3114"),
            ("AU", "000", "13 11 14"),
        ],
    )
    def test_national_numbers(self, code: str, emergency: str, line: str) -> None:
        assert shipped_regions()[code].emergency == emergency
        assert line in _phones(code)

    def test_the_file_is_package_data(self) -> None:
        """It is read from the installed package, beside bot/config."""
        assert shipped_path().name == "crisis_lines.yaml"
        assert shipped_path().exists()


class TestClientLines:
    """What a client in a country gets, through the service's own lookup."""

    @pytest.mark.parametrize(
        ("country", "emergency", "present", "absent"),
        [
            ("FR", "15", ["3114", "3919"], ["116 123", "999", "0800 111 0 111"]),
            ("AU", "000", ["13 11 14", "1800 737 732"], ["988", "999", "112"]),
            ("CA", "911", ["988"], ["999", "116 123", "13 11 14"]),
        ],
    )
    def test_a_client_gets_their_own_countrys_numbers(self, country, emergency, present, absent):
        lines = lines_for_country(Config(), country)
        numbers = [lines.emergency, lines.police] + [
            r.phone or r.text for r in (*lines.resources, *lines.violence)
        ]
        joined = " | ".join(n for n in numbers if n)
        assert lines.emergency == emergency
        for number in present:
            assert number in joined
        for number in absent:
            assert number not in joined.split(" | ")

    @pytest.mark.parametrize("country", ["KE", None])
    def test_a_country_without_an_entry_gets_112_and_the_directory_only(self, country) -> None:
        """Kenya (no entry) or no country at all: never another country's national number."""
        lines = lines_for_country(Config(), country)
        assert lines.emergency == "112"
        assert not lines.country_known
        assert lines.resources == ()
        assert lines.violence == ()
        assert lines.directory_url == "https://findahelpline.com"


class TestClinicOverrides:
    def test_a_clinic_replaces_one_country_and_adds_another(self, tmp_path: Path) -> None:
        path = tmp_path / "config.yaml"
        path.write_text(
            "crisis:\n"
            "  default_region: KE\n"
            "  regions:\n"
            "    GB:\n"
            "      emergency: '999'\n"
            "      resources: [{name: 'Our own line', phone: '0800 000 000'}]\n"
            "    KE:\n"
            "      emergency: '999'\n"
            "      resources: [{name: 'A Kenyan line', phone: '1199'}]\n",
            encoding="utf-8",
        )
        table = load_config(path, {}).crisis.table()
        assert [r.name for r in table["GB"].resources] == ["Our own line"]
        assert table["KE"].resources[0].phones == ("1199",)
        assert table["FR"] == shipped_regions()["FR"]

    def test_a_bad_entry_fails_at_load_with_line_and_fix(self, tmp_path: Path) -> None:
        path = tmp_path / "config.yaml"
        path.write_text(
            "crisis:\n  regions:\n    FR:\n      emergency: 'fifteen'\n"
            "      resources: [{name: 'Nothing'}]\n",
            encoding="utf-8",
        )
        with pytest.raises(ConfigError) as caught:
            load_config(path, {})
        problems = "\n".join(caught.value.problems)
        assert "config.yaml:4" in problems
        assert "not a phone number" in problems
        assert "needs at least one of phone, text or url" in problems

    def test_a_default_region_without_lines_is_refused(self) -> None:
        with pytest.raises(ValueError, match="no crisis lines"):
            Config.model_validate({"crisis": {"default_region": "KE"}})

    def test_a_malformed_table_names_file_line_and_the_norway_trap(self, tmp_path: Path) -> None:
        """A bare NO (read as false by YAML) and a missing emergency number are both reported."""
        path = tmp_path / "lines.yaml"
        path.write_text(
            "NO:\n  emergency: '112'\n  resources: [{name: A, phone: '1'}]\nSE:\n  resources: []\n",
            encoding="utf-8",
        )
        with pytest.raises(ConfigError) as caught:
            load_regions(path)
        problems = "\n".join(caught.value.problems)
        assert f"{path}:1" in problems
        assert '"NO" in quotes' in problems
        assert "SE.emergency" in problems
