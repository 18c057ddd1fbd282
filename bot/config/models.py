"""The configuration, as pydantic models. The defaults equal `config.example.yaml`.

Unknown keys are errors everywhere (`extra="forbid"`): a misspelt key must never be silently ignored.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

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
from bot.yamlguard import DEFAULT_MAX_BYTES


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        close = sorted(z for z in available_timezones() if name.split("/")[-1].lower() in z.lower())
        hint = f" Did you mean {', '.join(close[:3])}?" if close else ""
        raise ValueError(
            f"{name!r} is not an IANA time zone; use a name like Europe/London.{hint}"
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

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> TelegramConfig:
        if self.mode == "webhook" and not self.webhook_url:
            raise ValueError(
                "mode 'webhook' needs webhook_url (the public https URL Telegram posts to)"
            )
        return self


class CrisisResourceConfig(StrictModel):
    name: str
    phone: str | None = None
    text: str | None = None
    url: str | None = None


class CrisisRegionConfig(StrictModel):
    emergency: str
    resources: list[CrisisResourceConfig] = Field(default_factory=list)


def _default_regions() -> dict[str, CrisisRegionConfig]:
    r = CrisisResourceConfig
    return {
        "US": CrisisRegionConfig(
            emergency="911",
            resources=[
                r(
                    name="988 Suicide & Crisis Lifeline",
                    phone="988",
                    text="988",
                    url="https://988lifeline.org",
                )
            ],
        ),
        "GB": CrisisRegionConfig(
            emergency="999",
            resources=[
                r(name="Samaritans", phone="116 123", url="https://www.samaritans.org"),
                r(name="Shout", text="85258"),
            ],
        ),
        "IE": CrisisRegionConfig(
            emergency="112",
            resources=[r(name="Samaritans", phone="116 123", url="https://www.samaritans.ie")],
        ),
        "DE": CrisisRegionConfig(
            emergency="112",
            resources=[
                r(
                    name="Telefonseelsorge",
                    phone="0800 111 0 111",
                    url="https://www.telefonseelsorge.de",
                )
            ],
        ),
    }


class CrisisConfig(StrictModel):
    default_region: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "GB"
    regions: dict[str, CrisisRegionConfig] = Field(default_factory=_default_regions)
    alert_window: Duration = timedelta(hours=6)

    @model_validator(mode="after")
    def _default_region_exists(self) -> CrisisConfig:
        if self.default_region not in self.regions:
            raise ValueError(
                f"default_region {self.default_region!r} has no entry in regions "
                f"({', '.join(sorted(self.regions))}); add it"
            )
        return self


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
    flows_dir: Path = Path("flows")
    # The largest flow or triage-scenario YAML file that is read (e.g. "1MiB", "512KB"); larger
    # files are refused before reading. The configuration file itself is always held to 1 MiB.
    yaml_max_file_size: Annotated[ByteSize, Field(ge=1024)] = ByteSize(DEFAULT_MAX_BYTES)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Secrets: never read from the file, only from the environment (see load_config).
    bot_token: SecretStr | None = Field(default=None, exclude=True)
    webhook_secret: SecretStr | None = Field(default=None, exclude=True)
