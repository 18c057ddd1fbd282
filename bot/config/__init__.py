"""Configuration: typed models, human durations, and the loader."""

from bot.config.durations import Duration, format_duration, parse_duration
from bot.config.loader import load_config, resolve_config_path
from bot.config.models import (
    ClinicConfig,
    Config,
    ConsoleConfig,
    CrisisConfig,
    CrisisRegionConfig,
    CrisisResourceConfig,
    FollowUpConfig,
    QuietHours,
    TelegramConfig,
    TriageConfig,
)

__all__ = [
    "ClinicConfig",
    "Config",
    "ConsoleConfig",
    "CrisisConfig",
    "CrisisRegionConfig",
    "CrisisResourceConfig",
    "Duration",
    "FollowUpConfig",
    "QuietHours",
    "TelegramConfig",
    "TriageConfig",
    "format_duration",
    "load_config",
    "parse_duration",
    "resolve_config_path",
]
