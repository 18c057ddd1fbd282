"""The configuration, as pydantic models. The defaults equal `config.example.yaml`.

Unknown keys are errors everywhere (`extra="forbid"`): a misspelt key must never be silently ignored.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ByteSize,
    ConfigDict,
    Field,
    SecretStr,
    field_serializer,
    field_validator,
    model_validator,
)

from bot.config.durations import Duration
from bot.config.suggest import suggest_zones
from bot.yamlguard import DEFAULT_MAX_BYTES


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        close = suggest_zones(name, n=2)
        hint = f"Did you mean {' or '.join(close)}?" if close else "Use a name like Europe/London."
        raise ValueError(
            f"{name!r} is not a time zone (IANA, like Europe/London). {hint}"
        ) from None
    return name


TimeZoneName = Annotated[str, AfterValidator(_check_zone)]
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _parse_clock(value: object) -> time:
    if isinstance(value, time):
        return value
    # YAML 1.1 reads 21:30 unquoted as a sexagesimal integer (1290): read it back as HH:MM.
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < 24 * 60:
            return time(value // 60, value % 60)
        value = f"{value // 60}:{value % 60:02d}"
    if isinstance(value, str) and (m := _CLOCK.match(value.strip())):
        return time(int(m.group(1)), int(m.group(2)))
    raise ValueError(f"{value!r} is not a time of day; use HH:MM from 00:00 to 23:59, like 21:30")


class QuietHours(StrictModel):
    """Local hours in which no ping is sent; a follow-up due inside them moves to `end`."""

    start: time = time(21, 30)
    end: time = time(8, 30)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: object) -> time:
        return _parse_clock(value)

    @field_serializer("start", "end")
    def _as_text(self, value: time) -> str:
        return value.strftime("%H:%M")

    def contains(self, local: time) -> bool:
        """Whether a local time of day falls inside the quiet hours (which may span midnight)."""
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


class ClinicConfig(StrictModel):
    name: str = "Demo Clinic"
    timezone: TimeZoneName = "Europe/London"
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = Field(
        default_factory=lambda: ["en"], min_length=1
    )
    default_language: str = "en"

    @model_validator(mode="after")
    def _default_language_is_configured(self) -> ClinicConfig:
        if self.default_language not in self.languages:
            raise ValueError(
                f"default_language {self.default_language!r} is not in languages {self.languages}; "
                "add it to languages or pick one of them"
            )
        return self


class TelegramConfig(StrictModel):
    api_base_url: str = "https://api.telegram.org/bot"
    bot_username: str | None = None
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    listen: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8443
    path: str = "/telegram"
    # Telegram's setWebhook max_connections: how many updates it posts at once. 1 keeps every
    # chat's updates in the order Telegram has them across replicas, at the cost of throughput.
    webhook_max_connections: Annotated[int, Field(ge=1, le=100)] = 40
    send_lease: Duration = timedelta(minutes=5)
    send_deadline: Duration = timedelta(hours=1)

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> TelegramConfig:
        if self.mode == "webhook" and not self.webhook_url:
            raise ValueError(
                "mode 'webhook' needs webhook_url (the public https URL Telegram posts to)"
            )
        return self


_PHONE = re.compile(r"^\+?[0-9][0-9 ()/-]*[0-9]$")
COUNTRY_CODE = r"^[A-Z]{2}$"


def _check_number(value: str) -> str:
    if not _PHONE.match(value.strip()):
        raise ValueError(
            f"{value!r} is not a phone number; use digits with optional spaces, dashes, brackets "
            "and a leading +, like '0800 111 0 111'"
        )
    return value.strip()


PhoneNumber = Annotated[str, AfterValidator(_check_number)]


class CrisisResourceConfig(StrictModel):
    """One line: a name and at least one way to reach it (phone, text, url)."""

    name: Annotated[str, Field(min_length=1)]
    # One number or several ("0800 111 0 111", "0800 111 0 222", "116 123").
    phone: PhoneNumber | list[PhoneNumber] | None = None
    text: PhoneNumber | None = None  # a number to text
    keyword: str | None = None  # what to text to it ("SHOUT")
    url: Annotated[str, Field(pattern=r"^https://\S+$")] | None = None

    @model_validator(mode="after")
    def _reachable(self) -> CrisisResourceConfig:
        if not (self.phone or self.text or self.url):
            raise ValueError(f"{self.name!r} needs at least one of phone, text or url")
        if self.keyword and not self.text:
            raise ValueError(f"{self.name!r} has a keyword but no text number to send it to")
        return self

    @property
    def phones(self) -> tuple[str, ...]:
        if self.phone is None:
            return ()
        return (self.phone,) if isinstance(self.phone, str) else tuple(self.phone)


class CrisisRegionConfig(StrictModel):
    """A country's help: emergency number, police (if different), crisis and violence lines."""

    emergency: PhoneNumber
    police: PhoneNumber | None = None
    resources: list[CrisisResourceConfig] = Field(default_factory=list)
    violence: list[CrisisResourceConfig] = Field(default_factory=list)


# Offered as buttons when onboarding asks for the client's country: every country whose cities
# the time-zone question names (London, Berlin / Paris, New York..., India, Sydney, Madrid, Toronto,
# Amsterdam) and their neighbours. Any other country can be typed.
COUNTRIES_OFFERED = ("GB", "IE", "US", "CA", "AU", "DE", "AT", "CH", "FR", "NL", "ES", "IN")


class CrisisConfig(StrictModel):
    # The country assumed for a client who has not told us theirs (clients who joined before
    # onboarding asked). null: such clients get the international fallback, never a guess.
    default_region: Annotated[str, Field(pattern=COUNTRY_CODE)] | None = None
    # The clinic's own countries: added to or replacing the shipped table (bot/config/crisis_lines.yaml).
    regions: dict[Annotated[str, Field(pattern=COUNTRY_CODE)], CrisisRegionConfig] = Field(
        default_factory=dict
    )
    # Offered as buttons when onboarding asks for the client's country (others can be typed).
    countries_offered: list[Annotated[str, Field(pattern=COUNTRY_CODE)]] = Field(
        default_factory=lambda: list(COUNTRIES_OFFERED)
    )
    # Without an entry for the client's country: this number and an international directory.
    fallback_emergency: PhoneNumber = "112"
    directory_url: Annotated[str, Field(pattern=r"^https://\S+$")] = "https://findahelpline.com"
    alert_window: Duration = timedelta(hours=6)

    @model_validator(mode="after")
    def _default_region_exists(self) -> CrisisConfig:
        if self.default_region is not None and self.default_region not in self.table():
            raise ValueError(
                f"default_region {self.default_region!r} has no crisis lines (neither shipped nor "
                f"under regions); add it under regions or use null"
            )
        return self

    def table(self) -> dict[str, CrisisRegionConfig]:
        """The shipped crisis lines with the clinic's own entries on top."""
        from bot.config.helplines import shipped_regions  # the table validates with these models

        return {**shipped_regions(), **self.regions}


class ContactConfig(StrictModel):
    """How a client reaches their therapist; placeholders: {name}, {contact}, {hours}."""

    template: str = "{name} at {contact} ({hours})"
    default_hours: str = "weekdays 9:00-17:00"


class FollowUpConfig(StrictModel):
    offsets: list[Duration] = Field(
        default_factory=lambda: [timedelta(hours=3), timedelta(days=1), timedelta(days=3)]
    )
    day_before_next_session: bool = False
    quiet_hours: QuietHours = Field(default_factory=QuietHours)
    reminder_after: Duration | None = timedelta(hours=4)
    max_pings_per_day: Annotated[int, Field(ge=1, le=24)] = 3
    useful_window: Duration = timedelta(hours=12)
    session_length: Duration = timedelta(minutes=50)


class TriageConfig(StrictModel):
    persist_days: Annotated[int, Field(ge=1, le=30)] = 2
    distress_threshold: Annotated[int, Field(ge=0, le=10)] = 6
    significant_distress: Annotated[int, Field(ge=0, le=10)] = 7
    coping_attempts: Annotated[int, Field(ge=1, le=20)] = 2
    severity_level: Annotated[int, Field(ge=0, le=10)] = 9
    rise_points: Annotated[int, Field(ge=1, le=10)] = 4
    rise_hours: Annotated[int, Field(ge=1, le=336)] = 36
    rise_to: Annotated[int, Field(ge=0, le=10)] = 7
    silence_after: Annotated[int, Field(ge=0, le=10)] = 8
    silence_hours: Annotated[int, Field(ge=1, le=336)] = 48
    crisis_hold_hours: Annotated[int, Field(ge=1, le=336)] = 24
    unable_hours: Annotated[int, Field(ge=1, le=336)] = 24


class AlertsConfig(StrictModel):
    """How therapist alerts reach someone (docs/safety.md, "Alerts")."""

    # Who gets an alert when the therapist cannot be reached (never opened the bot, blocked it,
    # or sends keep failing): an on-call therapist's or an admin group's Telegram chat id.
    fallback_chat_id: int | None = None
    # Failed sends to the therapist before the fallback gets a copy (sends keep being retried).
    escalate_after_attempts: Annotated[int, Field(ge=1, le=20)] = 3
    retry_base: Duration = timedelta(minutes=1)  # backoff: 1m, 2m, 4m, ... capped at retry_max
    retry_max: Duration = timedelta(minutes=10)
    # Clinic policy: alert the therapist when a client speaks of harming someone else. Off by
    # default; the client still gets the crisis response. Turn on only with a duty-to-warn policy.
    harm_to_others: bool = False


class InviteConfig(StrictModel):
    ttl: Duration = timedelta(days=14)


class RetentionConfig(StrictModel):
    """How long data is kept; the daily retention job deletes anything older."""

    stopped_clients: Duration = timedelta(days=180)
    processed_updates: Duration = timedelta(days=7)
    sent_messages: Duration = timedelta(days=30)


class ConsoleConfig(StrictModel):
    """The therapist console: a web page served by `checkin run` (Mini App and login links).

    Off by default: it opens a port, and a clinic should put it behind its HTTPS proxy first.
    When on, it listens on localhost unless told otherwise (docs/console.md).
    """

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8088  # 0: any free port (tests, the demo)
    # The address therapists open (behind the clinic's proxy), e.g. https://console.example.org.
    # The Mini App button needs https; without a public URL, links use http://listen:port.
    public_url: Annotated[str, Field(pattern=r"^https?://[^\s/]+(/\S*)?$")] | None = None
    init_data_max_age: Duration = timedelta(hours=1)  # Telegram's signed initData older: refused
    login_link_ttl: Duration = timedelta(minutes=10)
    idle_timeout: Duration = timedelta(minutes=30)  # a session unused this long ends
    session_max_age: Duration = timedelta(hours=12)  # and every session ends after this


class Config(StrictModel):
    clinic: ClinicConfig = Field(default_factory=ClinicConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    database_url: str = "sqlite:///checkin.sqlite3"
    crisis: CrisisConfig = Field(default_factory=CrisisConfig)
    therapist_contact: ContactConfig = Field(default_factory=ContactConfig)
    followups: FollowUpConfig = Field(default_factory=FollowUpConfig)
    triage: TriageConfig = Field(default_factory=TriageConfig)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    invites: InviteConfig = Field(default_factory=InviteConfig)
    retention: RetentionConfig = Field(default_factory=RetentionConfig)
    console: ConsoleConfig = Field(default_factory=ConsoleConfig)
    flows_dir: Path = Path("flows")
    # The largest flow or triage-scenario YAML file that is read (e.g. "1MiB", "512KB"); larger
    # files are refused before reading. The configuration file itself is always held to 1 MiB.
    yaml_max_file_size: Annotated[ByteSize, Field(ge=1024)] = ByteSize(DEFAULT_MAX_BYTES)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Secrets: never read from the file, only from the environment (see load_config).
    bot_token: SecretStr | None = Field(default=None, exclude=True)
    webhook_secret: SecretStr | None = Field(default=None, exclude=True)
