"""The contact-your-therapist rules: a table of scenarios per rule, with their boundaries.

The first block replays every case from issue 11's "Why" (missed, over-called), then each rule
gets its own boundaries. Times are hours after a session that ended Friday 20 Nov 2026 15:00 UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.safety import CheckIn, TriageInputError, TriageRules, evaluate_triage
from bot.safety.triage import CrisisSignal

SESSION = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def at(hours: float) -> datetime:
    return SESSION + timedelta(hours=hours)


def ci(hours: float, distress: int | None, **extra: object) -> CheckIn:
    return CheckIn(at=at(hours), distress=distress, **extra)  # type: ignore[arg-type]


@dataclass
class Scenario:
    name: str
    checkins: list[CheckIn]
    expected: dict[str, str]  # reason -> the exact rule that fired, in the fixed order
    now: float = 0  # hours after the session; 0 means one hour after the last check-in
    rules: TriageRules = field(default_factory=TriageRules)
    signals: list[CrisisSignal] = field(default_factory=list)
    acknowledged: float | None = None
    urgency: str | None = "auto"  # "auto": "soon" when anything fires, else None
    session_ended_at: datetime | None = SESSION


NOT_HELPED = {"self_care": "tried_not_helped"}
HELPED = {"self_care": "tried_helped"}
SICK_TEXT = "called in sick again today, couldn't get out of bed"

WHY = [
    # --- missed ---
    Scenario(
        "why: 3, 5, 7, 9 within 28 hours is a rapid rise and severe",
        [ci(2, 3), ci(12, 5), ci(20, 7), ci(30, 9)],
        {"severity": "severity_9_10", "rapid_rise": "rapid_rise"},
    ),
    Scenario(
        "why: one 10/10 plus self-care that did not help: contact now",
        [ci(3, 10), ci(3.5, None, **NOT_HELPED)],
        {"severity": "severity_10_coping_failed", "coping_not_working": "coping_failed_at_9_10"},
        urgency="now",
    ),
    Scenario(
        "why: 8, 8, 5, 8, 8, 8 over 3.5 days persists (one better evening resets nothing)",
        [ci(3, 8), ci(21, 8), ci(30, 5), ci(45, 8), ci(69, 8), ci(87, 8)],
        {"persisting": "persisting_most_days"},
    ),
    Scenario(
        "why: typed 'called in sick, couldn't get out of bed' with Partly: contact now",
        [ci(20, None, text=SICK_TEXT, partly_unable=True)],
        {"unable_to_function": "unable_typed_words"},
        urgency="now",
    ),
    Scenario(
        "why: 9 and 9, then 2.5 days of silence alerts the therapist",
        [ci(3, 9), ci(20, 9)],
        {"severity": "severity_9_10", "silence": "silence_after_high"},
        now=20 + 60,
    ),
    # --- over-called ---
    Scenario(
        "why: a clear recovery 9, 7, 6, 3 fires nothing",
        [ci(3, 9), ci(27, 7), ci(51, 6), ci(75, 3)],
        {},
    ),
    Scenario("why: 0, 1, 2 rising below 5 alerts nobody", [ci(3, 0), ci(27, 1), ci(51, 2)], {}),
    Scenario(
        "why: one false alarm is history 24 hours later",
        [ci(3, 2), ci(30, 2)],
        {},
        now=3 + 24 + 1 / 60,
        signals=[CrisisSignal(at(3), "suicidal_thoughts")],
    ),
    Scenario(
        "why: a crisis stays open for 24 hours",
        [],
        {"crisis": "crisis_signal"},
        now=3 + 24,
        signals=[CrisisSignal(at(3), "suicidal_thoughts")],
        urgency="now",
    ),
    Scenario(
        "why: an acknowledged crisis is history",
        [],
        {},
        now=5,
        signals=[CrisisSignal(at(3), "suicidal_thoughts")],
        acknowledged=4,
    ),
    Scenario(
        "why: a new crisis signal after the acknowledgement opens it again",
        [],
        {"crisis": "crisis_signal"},
        now=6,
        signals=[CrisisSignal(at(3), "suicidal_thoughts"), CrisisSignal(at(5), "self_harm")],
        acknowledged=4,
        urgency="now",
    ),
]

RULES = [
    Scenario("no check-ins, nothing to advise", [], {}, now=100),
    Scenario("calm check-ins", [ci(3, 2), ci(27, 1), ci(75, 0)], {}),
    # severity: the latest rating is 9-10
    Scenario("severity: a latest 9 advises contact", [ci(3, 9)], {"severity": "severity_9_10"}),
    Scenario("severity: a latest 8 is below the level", [ci(3, 8)], {}),
    Scenario("severity: a 9 followed by a 3 is past", [ci(3, 9), ci(20, 3)], {}),
    Scenario(
        "severity: 10 with self-care that helped is not 'now'",
        [ci(3, 10, **HELPED)],
        {"severity": "severity_9_10"},
    ),
    Scenario(
        "severity: a therapist's level of 8",
        [ci(3, 8)],
        {"severity": "severity_9_10"},
        rules=TriageRules(severity_level=8),
    ),
    # rapid rise: >= 4 points within 36 hours, ending at >= 7
    Scenario(
        "rapid rise: 3 to 7 within 36 hours", [ci(3, 3), ci(39, 7)], {"rapid_rise": "rapid_rise"}
    ),
    Scenario("rapid rise: 36 hours and a minute is too slow", [ci(3, 3), ci(39 + 1 / 60, 7)], {}),
    Scenario("rapid rise: 4 to 7 is only 3 points", [ci(3, 4), ci(10, 7)], {}),
    Scenario("rapid rise: 2 to 6 ends below 7", [ci(3, 2), ci(10, 6)], {}),
    Scenario("rapid rise: over once the latest rating falls", [ci(3, 2), ci(10, 7), ci(12, 4)], {}),
    Scenario(
        "rapid rise: therapist's 3 points",
        [ci(3, 4), ci(10, 7)],
        {"rapid_rise": "rapid_rise"},
        rules=TriageRules(rise_points=3),
    ),
    # persisting: raised on most of the last persist_days + 1 days, not falling, never below 5
    Scenario(
        "persisting: raised on two of the last three days",
        [ci(27, 7), ci(75, 7)],
        {"persisting": "persisting_most_days"},
        now=76,
    ),
    Scenario(
        "persisting: raised on one of the last three days", [ci(27, 5), ci(51, 5), ci(75, 7)], {}
    ),
    Scenario(
        "persisting: not before three days since the session",
        [ci(3, 7), ci(27, 7)],
        {},
        now=32,  # Saturday 23:00: the session day and one more
    ),
    Scenario(
        "persisting: from the third day on",
        [ci(3, 7), ci(27, 7)],
        {"persisting": "persisting_most_days"},
        now=33,  # Sunday 00:00 UTC
    ),
    Scenario(
        "persisting: exactly at the threshold counts",
        [ci(27, 6), ci(51, 6), ci(75, 6)],
        {"persisting": "persisting_most_days"},
    ),
    Scenario("persisting: one point below the threshold", [ci(27, 5), ci(51, 5), ci(75, 5)], {}),
    Scenario("persisting: a falling 9, 8, 7 is recovery", [ci(27, 9), ci(51, 8), ci(75, 7)], {}),
    Scenario("persisting: 8, 8 then a 3 day is recovery", [ci(27, 8), ci(51, 8), ci(75, 3)], {}),
    Scenario(
        "persisting: 8, 5, 8 is not a falling trend",
        [ci(27, 8), ci(51, 5), ci(75, 8)],
        {"persisting": "persisting_most_days"},
    ),
    Scenario(
        "persisting: a therapist's threshold of 4 still means 5 or more",
        [ci(27, 4), ci(51, 4), ci(75, 4)],
        {},
        rules=TriageRules(distress_threshold=4),
    ),
    Scenario(
        "persisting: a therapist's threshold of 4 with fives",
        [ci(27, 5), ci(51, 5), ci(75, 5)],
        {"persisting": "persisting_most_days"},
        rules=TriageRules(distress_threshold=4),
    ),
    Scenario(
        "persisting: persist_days 3 looks at four days",
        [ci(27, 1), ci(51, 7), ci(75, 7), ci(99, 1)],
        {},
        rules=TriageRules(persist_days=3),
    ),
    # rising: the day's highest rises every day for more than persist_days days, ending at 5+
    Scenario(
        "rising: 3 < 4 < 5 on three days",
        [ci(3, 3), ci(27, 4), ci(51, 5)],
        {"rising": "rising_every_day"},
    ),
    Scenario(
        "rising: the day's highest is what rises",
        [ci(3, 3), ci(4, 1), ci(27, 4), ci(28, 0), ci(51, 5)],
        {"rising": "rising_every_day"},
    ),
    Scenario("rising: 2 < 3 < 4 ends below 5", [ci(3, 2), ci(27, 3), ci(51, 4)], {}),
    Scenario("rising: two days are not enough", [ci(3, 4), ci(27, 5)], {}),
    Scenario("rising: a flat day ends it", [ci(3, 3), ci(27, 5), ci(51, 5)], {}),
    Scenario("rising: a day without ratings ends it", [ci(3, 3), ci(27, 4), ci(75, 5)], {}),
    Scenario(
        "rising: an older streak is not current", [ci(3, 3), ci(27, 4), ci(51, 5), ci(75, 2)], {}
    ),
    # coping not working
    Scenario(
        "coping: two failed attempts and still 7",
        [ci(3, 8, **NOT_HELPED), ci(5, 7, **NOT_HELPED)],
        {"coping_not_working": "coping_attempts"},
    ),
    Scenario(
        "coping: two failed attempts, now 6", [ci(3, 8, **NOT_HELPED), ci(5, 6, **NOT_HELPED)], {}
    ),
    Scenario(
        "coping: attempts that helped do not count", [ci(3, 8, **HELPED), ci(5, 7, **HELPED)], {}
    ),
    Scenario(
        "coping: one failed attempt at 8 is not enough", [ci(3, 8), ci(4, 8, **NOT_HELPED)], {}
    ),
    Scenario(
        "coping: one failed attempt at 9",
        [ci(3, 9, **NOT_HELPED)],
        {"severity": "severity_9_10", "coping_not_working": "coping_failed_at_9_10"},
    ),
    # unable to function
    Scenario(
        "unable: the Yes button",
        [ci(3, 4, unable_to_function=True)],
        {"unable_to_function": "unable_button"},
        urgency="now",
    ),
    Scenario("unable: a Yes 25 hours ago is past", [ci(3, 4, unable_to_function=True)], {}, now=28),
    Scenario(
        "unable: Partly with distress at the threshold",
        [ci(3, 6, partly_unable=True)],
        {"unable_to_function": "unable_partly_with_distress"},
        urgency="now",
    ),
    Scenario("unable: Partly with distress 5", [ci(3, 5, partly_unable=True)], {}),
    Scenario(
        "unable: typed 'can't go to work'",
        [ci(3, 4, text="I can't go to work like this")],
        {"unable_to_function": "unable_typed_words"},
        urgency="now",
    ),
    Scenario(
        "unable: typed in German",
        [ci(3, 4, text="Hab mich krank gemeldet, komme nicht aus dem Bett")],
        {"unable_to_function": "unable_typed_words"},
        urgency="now",
    ),
    Scenario("unable: 'back at work' is not it", [ci(3, 4, text="back at work, felt ok")], {}),
    # silence after high distress: the therapist hears, the client is not advised
    Scenario(
        "silence: 48 hours after an 8",
        [ci(3, 8)],
        {"silence": "silence_after_high"},
        now=51,
        urgency="therapist",
    ),
    Scenario("silence: 47 hours 59 after an 8", [ci(3, 8)], {}, now=51 - 1 / 60),
    Scenario("silence: after a 7 is not worrying", [ci(3, 7)], {}, now=100),
    Scenario("silence: a later answer ends it", [ci(3, 8), ci(20, None, **HELPED)], {}, now=100),
    # crisis in a check-in text
    Scenario(
        "crisis: a check-in text screened as crisis",
        [ci(3, 4, text="I want to die")],
        {"crisis": "crisis_signal"},
        urgency="now",
    ),
    Scenario("crisis: an idiom is not", [ci(3, 4, text="this homework is killing me")], {}),
    Scenario(
        "all at once, in the fixed order",
        [
            ci(27, 8, **NOT_HELPED),
            ci(51, 9, **NOT_HELPED),
            ci(51.5, 10, unable_to_function=True, text="I want to die"),
        ],
        {
            "crisis": "crisis_signal",
            "unable_to_function": "unable_button",
            "severity": "severity_10_coping_failed",
            "persisting": "persisting_most_days",
            "coping_not_working": "coping_attempts",
        },
        urgency="now",
    ),
    Scenario(
        "input order does not matter",
        [ci(75, 7), ci(27, 7), ci(51, 7)],
        {"persisting": "persisting_most_days"},
    ),
]


def _now(scenario: Scenario) -> datetime:
    if scenario.now:
        return at(scenario.now)
    last = max((c.at for c in scenario.checkins), default=SESSION)
    return last + timedelta(hours=1)


@pytest.mark.parametrize("scenario", WHY + RULES, ids=[s.name for s in WHY + RULES])
def test_triage_scenarios(scenario: Scenario) -> None:
    """Each scenario fires exactly the expected reasons, each by its expected rule."""
    result = evaluate_triage(
        scenario.checkins,
        scenario.session_ended_at,
        _now(scenario),
        scenario.rules,
        crisis_signals=scenario.signals,
        acknowledged_at=None if scenario.acknowledged is None else at(scenario.acknowledged),
    )
    assert {f.reason: f.rule for f in result.details} == scenario.expected
    assert result.reasons == tuple(scenario.expected)
    assert result.alert_therapist == bool(scenario.expected)
    assert result.contact_therapist == bool(set(scenario.expected) - {"silence"})
    assert result.crisis == ("crisis" in scenario.expected)
    urgency = scenario.urgency
    if urgency == "auto":
        urgency = "soon" if scenario.expected else None
    assert result.urgency == urgency


class TestFindings:
    def test_a_finding_names_the_check_ins_by_input_index_and_time(self) -> None:
        """Findings point back at the caller's check-ins, so the CLI can show which ones fired."""
        checkins = [ci(75, 7), ci(-5, 9), ci(27, 8), ci(51, 6)]
        result = evaluate_triage(checkins, SESSION, at(76), TriageRules())
        (finding,) = result.details
        assert finding.reason == "persisting"
        assert finding.checkins == (2, 3, 0)
        assert finding.times == (at(27), at(51), at(75))
        assert "3 of the last 3 days" in finding.summary

    def test_the_falling_trend_never_says_stayed_high(self) -> None:
        """A recovery fires nothing, so no client text can say distress stayed high."""
        result = evaluate_triage(
            [ci(3, 9), ci(27, 7), ci(51, 6), ci(75, 3)], SESSION, at(76), TriageRules()
        )
        assert not result.alert_therapist

    def test_coping_finding_lists_the_attempts_and_the_latest_rating(self) -> None:
        """The attempts that did not help and the latest rating are all named."""
        checkins = [ci(3, 8, **NOT_HELPED), ci(5, 5), ci(6, 8, **NOT_HELPED), ci(9, 7)]
        (finding,) = evaluate_triage(checkins, SESSION, at(10), TriageRules()).details
        assert finding.checkins == (0, 2, 3)
        assert "latest distress is 7" in finding.summary

    def test_crisis_finding_names_the_category_never_the_text(self) -> None:
        """The crisis finding carries the screening category; the summary never quotes."""
        checkins = [ci(3, 4, text="My husband hits me")]
        (finding,) = evaluate_triage(checkins, SESSION, at(10), TriageRules()).details
        assert finding.category == "danger_from_others"
        assert "danger from others" in finding.summary
        assert "husband" not in finding.summary

    def test_silence_is_for_the_therapist_only(self) -> None:
        """Silence alerts the therapist without advising the client (who is not there)."""
        result = evaluate_triage([ci(3, 8)], SESSION, at(60), TriageRules())
        assert result.reasons == ("silence",)
        assert result.client_reasons == ()
        assert (result.contact_therapist, result.alert_therapist) == (False, True)


class TestDays:
    def test_day_boundaries_follow_the_given_time_zone(self) -> None:
        """The same check-ins rise on three Berlin days but only two UTC days."""
        start = datetime(2026, 3, 27, 22, 30, tzinfo=UTC)  # 23:30 in Berlin, DST starts on the 29th
        checkins = [
            CheckIn(start, 5),  # Berlin 27th / UTC 27th
            CheckIn(start + timedelta(hours=1), 6),  # Berlin 28th 00:30 / UTC 27th 23:30
            CheckIn(start + timedelta(hours=25), 7),  # Berlin 29th 00:30 (the DST day) / UTC 28th
        ]
        now = start + timedelta(hours=26)
        rules = TriageRules(distress_threshold=10)  # only the rise can fire
        assert evaluate_triage(checkins, None, now, rules).reasons == ()
        assert evaluate_triage(checkins, None, now, rules, tz=BERLIN).reasons == ("rising",)

    def test_mixed_offsets_compare_as_instants(self) -> None:
        """Check-ins written in different offsets are ordered by the instant they happened."""
        checkins = [
            CheckIn(datetime(2026, 11, 21, 19, 0, tzinfo=BERLIN), 7),  # 18:00 UTC Saturday
            CheckIn(datetime(2026, 11, 23, 18, 1, tzinfo=UTC), 7),
        ]
        assert evaluate_triage(checkins, SESSION, at(76), TriageRules()).reasons == ("persisting",)


class TestValidation:
    @pytest.mark.parametrize(
        ("field_name", "value"),
        [
            ("persist_days", 0),
            ("coping_attempts", -1),
            ("distress_threshold", 11),
            ("significant_distress", -1),
            ("persist_days", True),
            ("distress_threshold", 6.5),
            ("severity_level", 11),
            ("rise_hours", 0),
            ("silence_after", -1),
            ("crisis_hold_hours", 0),
        ],
    )
    def test_rules_out_of_range_are_refused_naming_the_field(
        self, field_name: str, value: object
    ) -> None:
        """Thresholds are 0-10 and counts positive; the error names the field and the value."""
        with pytest.raises(TriageInputError, match=rf"{field_name} must be .* not {value!r}"):
            TriageRules(**{field_name: value})  # type: ignore[arg-type]

    def test_a_naive_datetime_is_refused(self) -> None:
        """Times must carry a zone, or day boundaries and the window would be guesses."""
        with pytest.raises(TriageInputError, match=r"at must be a time-zone aware"):
            CheckIn(datetime(2026, 11, 20, 18, 0), 5)
        with pytest.raises(TriageInputError, match=r"now must be a time-zone aware"):
            evaluate_triage([], None, datetime(2026, 11, 20), TriageRules())

    @pytest.mark.parametrize("distress", [-1, 11, True])
    def test_distress_outside_0_to_10_is_refused(self, distress: int) -> None:
        """Distress is a 0-10 rating or absent."""
        with pytest.raises(TriageInputError, match="distress must be 0-10"):
            CheckIn(at(1), distress)

    def test_unknown_self_care_is_refused(self) -> None:
        """self_care lists its valid values in the error."""
        with pytest.raises(TriageInputError, match="none, tried_helped, tried_not_helped"):
            CheckIn(at(1), 5, self_care="maybe")  # type: ignore[arg-type]


_checkins = st.lists(
    st.builds(
        CheckIn,
        # whole hours, so that several check-ins often share an instant
        at=st.integers(min_value=-100, max_value=200).map(at),
        distress=st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
        unable_to_function=st.booleans(),
        self_care=st.sampled_from(["none", "tried_helped", "tried_not_helped"]),
        text=st.sampled_from(
            [None, "ok", "I want to die", "this homework is killing me", "called in sick"]
        ),
        partly_unable=st.booleans(),
    ),
    max_size=12,
)
_rules = st.builds(
    TriageRules,
    persist_days=st.integers(min_value=1, max_value=4),
    distress_threshold=st.integers(min_value=0, max_value=10),
    significant_distress=st.integers(min_value=0, max_value=10),
    coping_attempts=st.integers(min_value=1, max_value=4),
    severity_level=st.integers(min_value=0, max_value=10),
    rise_points=st.integers(min_value=1, max_value=10),
    silence_hours=st.integers(min_value=1, max_value=100),
)


class TestSameInstant:
    def test_check_ins_at_the_same_instant_give_one_verdict_in_any_order(self) -> None:
        """Two check-ins at one instant (a 3 and an 8) are judged the same whichever comes first."""
        first, low, high = ci(3, 8), ci(52, 3), ci(52, 8)
        one = evaluate_triage([first, low, high], SESSION, at(53), TriageRules())
        other = evaluate_triage([first, high, low], SESSION, at(53), TriageRules())
        assert one.reasons == other.reasons == ("persisting",)


class TestProperties:
    @settings(max_examples=150, deadline=None)
    @given(checkins=_checkins, rules=_rules, data=st.data())
    def test_input_order_never_changes_the_verdict(
        self, checkins: list[CheckIn], rules: TriageRules, data: st.DataObject
    ) -> None:
        """Shuffling the check-ins gives the same advice and reasons."""
        shuffled = data.draw(st.permutations(checkins))
        first = evaluate_triage(checkins, SESSION, at(150), rules)
        second = evaluate_triage(shuffled, SESSION, at(150), rules)
        assert (first.contact_therapist, first.crisis, first.reasons) == (
            second.contact_therapist,
            second.crisis,
            second.reasons,
        )

    @settings(max_examples=150, deadline=None)
    @given(checkins=_checkins, rules=_rules)
    def test_only_the_window_matters(self, checkins: list[CheckIn], rules: TriageRules) -> None:
        """Dropping every check-in before the session or after now changes nothing."""
        now = at(150)
        inside = [c for c in checkins if SESSION <= c.at <= now]
        full = evaluate_triage(checkins, SESSION, now, rules)
        window = evaluate_triage(inside, SESSION, now, rules)
        assert full.reasons == window.reasons
        assert full.alert_therapist == bool(full.reasons)
        assert full.contact_therapist == bool(set(full.reasons) - {"silence"})
        assert full.crisis == ("crisis" in full.reasons)

    @settings(max_examples=150, deadline=None)
    @given(checkins=_checkins, rules=_rules)
    def test_findings_only_name_check_ins_inside_the_window(
        self, checkins: list[CheckIn], rules: TriageRules
    ) -> None:
        """Every check-in a finding names exists and lies between the session end and now."""
        now = at(150)
        for finding in evaluate_triage(checkins, SESSION, now, rules).details:
            assert finding.checkins
            for index, when in zip(finding.checkins, finding.times, strict=True):
                assert checkins[index].at == when
                assert SESSION <= when <= now
