"""Therapists register sessions and set follow-up timing in Telegram: typed or with buttons.

/session                         -> pick the client, the day, the time, once or weekly
/session Sam tue 15:00 weekly    -> the same, typed (optional length: 60m)
/timing                          -> your defaults, with presets to tap
/timing Sam 2h,1d                -> one client's offsets (also: quiet 22:00-08:00,
                                    reminder 4h|off, max 2)
"""

from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config, parse_duration
from bot.dialogue.contracts import Button, Keyboard
from bot.scheduling.policy import Policy
from bot.scheduling.sessions import OverlapError, SessionService
from bot.scheduling.timing import TimingChange
from bot.service.identity import find_client_of
from bot.service.names import client_name, client_title
from bot.service.outgoing import Batch
from bot.service.ports import Incoming
from bot.service.session_changes import (
    MOVE,
    SessionChanges,
    booked_text,
    overlap_question,
    pick_client,
)
from bot.service.therapists import TherapistCommands
from bot.service.timewords import (
    DAYS,
    TimeWordsError,
    is_clock_word,
    join_meridiem,
    parse_clock_word,
    parse_day,
)
from bot.storage.models import Client, Therapist

HOURS = tuple(f"{h:02d}00" for h in range(8, 20))
PRESETS = (("3h", "1d", "3d"), ("1d", "3d"), ("3h", "1d"), ("1d",))
# A session typed for a weekday means its next occurrence, counted from 12 hours ago, so one
# that ended this afternoon still gets its follow-ups.
LOOKBACK = timedelta(hours=12)


def register_session_commands(commands: TherapistCommands, sessions: SessionService) -> None:
    handler = SessionCommands(commands.config, sessions)
    changes = SessionChanges(sessions)
    commands.extra["session"] = handler.session
    commands.extra["timing"] = handler.timing
    commands.extra["sessions"] = changes.list_command
    commands.taps["ss"] = handler.session_tap
    commands.taps["tt"] = handler.timing_tap
    commands.taps["sx"] = changes.tap
    commands.replies[MOVE] = changes.typed_time
    commands.pickers["sessions"] = changes.show


class SessionCommands:
    def __init__(self, config: Config, sessions: SessionService) -> None:
        self.config = config
        self.sessions = sessions

    # ---- /session ------------------------------------------------------------------------------
    async def session(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        words = join_meridiem(incoming.text).split()
        chat = incoming.chat_id
        if not words:
            await pick_client(
                s, batch, therapist, chat, "Which client is the session with?", "ss:c"
            )
            return
        if len(words) < 3:
            batch.say(
                chat,
                "Use: /session NAME DAY HH:MM [weekly] [50m], e.g. /session Sam tue 15:00 weekly",
            )
            return
        # A name may have spaces ("Sam K."): it ends where a day is followed by a time.
        at = next((i for i in range(1, len(words) - 1) if is_clock_word(words[i + 1])), 1)
        client = await find_client_of(s, therapist, " ".join(words[:at]))
        zone = ZoneInfo(client.timezone)
        day = parse_day(words[at], now.astimezone(zone).date())
        clock = parse_clock_word(words[at + 1])
        rest = words[at + 2 :]
        weekly = "weekly" in (w.lower() for w in rest)
        lengths = [w for w in rest if w.lower() != "weekly"]
        length = parse_duration(lengths[0]) if lengths else None
        starts = datetime.combine(day, clock, tzinfo=zone)
        if starts < now - LOOKBACK and words[at].lower()[:3] in DAYS:
            starts += timedelta(weeks=1)
        await s.commit()  # the session service writes in its own transaction
        await self._register(s, batch, chat, therapist, client, starts, weekly, length, now)

    async def session_tap(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        parts = (incoming.data or "").split(":")
        chat = incoming.chat_id
        client = await _own_client(s, therapist, parts[2] if len(parts) > 2 else "")
        if client is None:
            batch.say(chat, "That client is not one of yours any more.")
            return
        zone = ZoneInfo(client.timezone)
        name = await client_title(s, client)
        if parts[1] == "c":
            today = now.astimezone(zone).date()
            days = [today + timedelta(days=n) for n in range(-1, 7)]
            buttons = _rows(
                [Button(f"{d:%a %d %b}", f"ss:d:{client.id}:{d:%Y%m%d}") for d in days], 2
            )
            batch.say(chat, f"Which day is the session with {name}?", buttons)
        elif parts[1] == "d" and len(parts) == 4:
            buttons = _rows(
                [Button(f"{h[:2]}:{h[2:]}", f"ss:t:{client.id}:{parts[3]}:{h}") for h in HOURS], 4
            )
            batch.say(chat, f"What time does it start ({html.escape(client.timezone)})?", buttons)
        elif parts[1] == "t" and len(parts) == 5:
            base = f"ss:w:{client.id}:{parts[3]}:{parts[4]}"
            buttons = ((Button("Just this once", f"{base}:0"), Button("Every week", f"{base}:1")),)
            batch.say(chat, "Once, or every week at this time?", buttons)
        elif parts[1] == "w" and len(parts) == 6:
            day = datetime.strptime(parts[3], "%Y%m%d").date()
            starts = datetime.combine(day, time(int(parts[4][:2]), int(parts[4][2:])), tzinfo=zone)
            await s.commit()  # the session service writes in its own transaction
            await self._register(
                s, batch, chat, therapist, client, starts, parts[5] == "1", None, now
            )

    async def _register(
        self,
        s: AsyncSession,
        batch: Batch,
        chat: int,
        therapist: Therapist,
        client: Client,
        starts: datetime,
        weekly: bool,
        length: timedelta | None,
        now: datetime,
    ) -> None:
        """Book it, or first ask "This overlaps ... Book anyway?" (the buttons book it)."""
        assert client.id is not None
        try:
            session = await self.sessions.register(
                client.id,
                starts,
                now,
                length=length,
                weekly=weekly,
                source="telegram",
                allow_overlap=False,
            )
        except OverlapError as exc:
            minutes = int((length or self.config.followups.session_length).total_seconds() // 60)
            async with self.sessions.db.session() as read:
                text, buttons = await overlap_question(
                    read, therapist, client, exc.clashes, starts, weekly, minutes
                )
            batch.say(chat, text, buttons)
            return
        policy = await self.sessions.policy_for_client(client.id)
        batch.say(
            chat, booked_text(therapist, client, session, policy.describe()["offsets"], False)
        )

    # ---- /timing -------------------------------------------------------------------------------
    async def timing(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        assert therapist.id is not None
        words = incoming.text.split()
        chat = incoming.chat_id
        client: Client | None = None
        if words and not _looks_like_setting(words[0]):
            # The name is every word up to the first setting ("Sam K. 2h,1d").
            at = next((i for i, w in enumerate(words) if _looks_like_setting(w)), len(words))
            client = await find_client_of(s, therapist, " ".join(words[:at]))
            words = words[at:]
        if words:
            change = parse_timing_words(words)
            await s.commit()  # the session service writes in its own transaction
            await self.sessions.set_timing(therapist.id, change, now, client.id if client else None)
        await self._show_timing(batch, chat, therapist, client)

    async def timing_tap(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        assert therapist.id is not None
        parts = (incoming.data or "").split(":")
        if len(parts) != 4 or not parts[3].isdigit() or int(parts[3]) >= len(PRESETS):
            return
        client = None if parts[2] == "0" else await _own_client(s, therapist, parts[2])
        if parts[2] != "0" and client is None:
            batch.say(incoming.chat_id, "That client is not one of yours any more.")
            return
        change = TimingChange(offsets=list(PRESETS[int(parts[3])]))
        await s.commit()  # the session service writes in its own transaction
        await self.sessions.set_timing(therapist.id, change, now, client.id if client else None)
        await self._show_timing(batch, incoming.chat_id, therapist, client)

    async def _show_timing(
        self, batch: Batch, chat: int, therapist: Therapist, client: Client | None
    ) -> None:
        assert therapist.id is not None
        if client is not None and client.id is not None:
            policy = await self.sessions.policy_for_client(client.id)
            who, target = f"{html.escape(client_name(client))}'s follow-ups", str(client.id)
        else:
            policy = await self._therapist_policy(therapist.id)
            who, target = "Your default follow-ups", "0"
        buttons = _rows(
            [Button(" · ".join(p), f"tt:o:{target}:{n}") for n, p in enumerate(PRESETS)], 2
        )
        batch.say(
            chat,
            f"<b>{who}</b>\n{describe(policy)}\nTap a preset, or type e.g. /timing 3h,1d,3d",
            buttons,
        )

    async def _therapist_policy(self, therapist_id: int) -> Policy:
        from bot.scheduling.timing import therapist_policy

        async with self.sessions.db.session() as s:
            return await therapist_policy(s, self.sessions.clinic, therapist_id)


def describe(policy: Policy) -> str:
    d = policy.describe()
    return (
        f"After a session: {d['offsets']}\nQuiet hours: {d['quiet_hours']}\n"
        f"Reminder if no answer: {d['reminder_after']}\nAt most {d['max_pings_per_day']} a day"
    )


def parse_timing_words(words: list[str]) -> TimingChange:
    """`3h,1d,3d`, `quiet 22:00-08:00`, `reminder 4h|off`, `max 2`, in any order."""
    fields: dict[str, object] = {}
    i = 0
    while i < len(words):
        word = words[i].lower()
        value = words[i + 1] if i + 1 < len(words) else ""
        if word in ("quiet", "reminder", "max"):
            if not value:
                raise TimingWordsError(
                    f"'{word}' needs a value, e.g. quiet 22:00-08:00, reminder 4h, max 2"
                )
            key = {
                "quiet": "quiet_hours",
                "reminder": "reminder_after",
                "max": "max_pings_per_day",
            }[word]
            fields[key] = value
            i += 2
        else:
            fields["offsets"] = [o for o in word.split(",") if o]
            i += 1
    return TimingChange(**fields)  # type: ignore[arg-type]


TimingWordsError = TimeWordsError  # a /timing command that could not be read


def _looks_like_setting(word: str) -> bool:
    return word.lower() in ("quiet", "reminder", "max") or bool(
        re.match(r"^\d+[mhdw]", word.lower())
    )


async def _own_client(s: AsyncSession, therapist: Therapist, client_id: str) -> Client | None:
    if not client_id.isdigit():
        return None
    client = await s.get(Client, int(client_id))
    return client if client is not None and client.therapist_id == therapist.id else None


def _rows(buttons: list[Button], per_row: int) -> Keyboard:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
