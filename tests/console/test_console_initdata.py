"""Telegram's signed initData: accepted when signed with the bot token and fresh, else refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.console.initdata import InitDataError, make_init_data, verify_init_data

TOKEN = "1234:SECRET"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


class TestVerifyInitData:
    def test_fresh_signed_data_names_the_user(self):
        """Data signed with the bot's token, minutes old, gives the Telegram user id."""
        raw = make_init_data(42, TOKEN, NOW - timedelta(minutes=5))
        assert verify_init_data(raw, TOKEN, NOW, HOUR).telegram_id == 42

    def test_another_bots_token_is_refused(self):
        """Signed with a different token: forged as far as this bot knows."""
        raw = make_init_data(42, "999:OTHER", NOW)
        with pytest.raises(InitDataError, match="signature"):
            verify_init_data(raw, TOKEN, NOW, HOUR)

    def test_a_changed_user_breaks_the_signature(self):
        """Swapping the user id in signed data (to become a therapist) is detected."""
        fields = dict(parse_qsl(make_init_data(42, TOKEN, NOW)))
        fields["user"] = fields["user"].replace("42", "1")
        with pytest.raises(InitDataError, match="signature"):
            verify_init_data(urlencode(fields), TOKEN, NOW, HOUR)

    def test_expired_data_is_refused(self):
        """Older than the configured maximum age: refused even with a good signature."""
        raw = make_init_data(42, TOKEN, NOW - HOUR - timedelta(seconds=1))
        with pytest.raises(InitDataError, match="expired"):
            verify_init_data(raw, TOKEN, NOW, HOUR)

    def test_data_from_the_future_is_refused(self):
        raw = make_init_data(42, TOKEN, NOW + timedelta(hours=2))
        with pytest.raises(InitDataError, match="future"):
            verify_init_data(raw, TOKEN, NOW, HOUR)

    @pytest.mark.parametrize("raw", ["", "hash=abc", "user=%7B%7D&auth_date=1", "a=1&a=2", "%%%"])
    def test_malformed_data_is_refused(self, raw):
        with pytest.raises(InitDataError):
            verify_init_data(raw, TOKEN, NOW, HOUR)
