"""The contact-your-therapist rules: a table of scenarios per rule, with their boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.safety import CheckIn, TriageInputError, TriageRules, evaluate_triage

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
    expected: tuple[str, ...]
    rules: TriageRules = field(default_factory=TriageRules)
    now: datetime = field(default_factory=lambda: at(24 * 7))
    session_ended_at: datetime | None = SESSION


NOT_HELPED = {"self_care": "tried_not_helped"}
HELPED = {"self_care": "tried_helped"}

SCENARIOS = [
    Scenario("no check-ins, nothing to advise", [], ()),
    Scenario("calm check-ins", [ci(3, 2), ci(27, 1), ci(75, 0)], ()),
    # persisting: raised on check-ins spanning MORE than persist_days days
    Scenario("raised exactly 48 hours is not more than 2 days", [ci(3, 7), ci(51, 7)], ()),
    Scenario(
        "raised 48 hours and 1 minute is more than 2 days",
        [ci(3, 7), ci(51 + 1 / 60, 7)],
        ("persisting",),
    ),
    Scenario(
        "exactly at the threshold counts as raised",
        [ci(3, 6), ci(30, 6), ci(52, 6)],
        ("persisting",),
    ),
    Scenario("one point below the threshold is not raised", [ci(3, 5), ci(30, 5), ci(52, 5)], ()),
    Scenario("a lower check-in in between breaks the run", [ci(3, 8), ci(30, 5), ci(52, 8)], ()),
    Scenario(
        "a check-in without a distress rating does not break the run",
        [ci(3, 8), ci(30, None), ci(52, 8)],
        ("persisting",),
    ),
    Scenario(
        "a later run that lasts long enough fires after an earlier short one",
        [ci(3, 8), ci(20, 2), ci(24, 7), ci(50, 7), ci(73, 9)],
        ("persisting",),
    ),
    Scenario(
        "persist_days override to 3 needs more than 72 hours",
        [ci(3, 7), ci(51 + 1 / 60, 7)],
        (),
        rules=TriageRules(persist_days=3),
    ),
    Scenario(
        "distress_threshold override to 8 ignores sevens",
        [ci(3, 7), ci(30, 7), ci(53, 7)],
        (),
        rules=TriageRules(distress_threshold=8),
    ),
    # persisting: rising from each day to the next (daily maximum, UTC days)
    Scenario(
        "rising three days in a row below the threshold",
        [ci(3, 2), ci(20, 3), ci(44, 4)],
        ("persisting",),
    ),
    Scenario(
        "the daily maximum is what rises",
        [ci(3, 2), ci(4, 1), ci(20, 3), ci(21, 0), ci(44, 4)],
        ("persisting",),
    ),
    Scenario("rising on only two days is not enough", [ci(3, 2), ci(20, 4)], ()),
    Scenario("a flat day ends the rise", [ci(3, 2), ci(20, 3), ci(44, 3)], ()),
    Scenario("a day without check-ins ends the rise", [ci(3, 2), ci(20, 3), ci(68, 4)], ()),
    Scenario(
        "persist_days 3 needs four rising days",
        [ci(3, 1), ci(20, 2), ci(44, 3)],
        (),
        rules=TriageRules(persist_days=3),
    ),
    Scenario(
        "persist_days 3 with four rising days fires",
        [ci(3, 1), ci(20, 2), ci(44, 3), ci(68, 4)],
        ("persisting",),
        rules=TriageRules(persist_days=3),
    ),
    # coping_not_working
    Scenario(
        "two attempts that did not help and latest distress 7",
        [ci(3, 8, **NOT_HELPED), ci(6, 7, **NOT_HELPED)],
        ("coping_not_working",),
    ),
    Scenario(
        "latest distress exactly at significant_distress counts",
        [ci(3, 9, **NOT_HELPED), ci(5, 8, **NOT_HELPED), ci(7, 7)],
        ("coping_not_working",),
    ),
    Scenario(
        "latest distress below significant_distress does not",
        [ci(3, 9, **NOT_HELPED), ci(5, 9, **NOT_HELPED), ci(7, 6)],
        (),
    ),
    Scenario("one attempt is not enough", [ci(3, 9, **NOT_HELPED), ci(7, 9)], ()),
    Scenario(
        "attempts that helped do not count",
        [ci(3, 9, **HELPED), ci(5, 9, **HELPED), ci(7, 9, **NOT_HELPED)],
        (),
    ),
    Scenario(
        "coping_attempts override to 1",
        [ci(3, 9, **NOT_HELPED)],
        ("coping_not_working",),
        rules=TriageRules(coping_attempts=1),
    ),
    Scenario(
        "significant_distress override to 9",
        [ci(3, 8, **NOT_HELPED), ci(5, 8, **NOT_HELPED)],
        (),
        rules=TriageRules(significant_distress=9),
    ),
    # unable_to_function
    Scenario(
        "unable to function fires even with low distress",
        [ci(3, 3, unable_to_function=True)],
        ("unable_to_function",),
    ),
    Scenario(
        "unable to function without a rating",
        [ci(3, None, unable_to_function=True)],
        ("unable_to_function",),
    ),
    # crisis
    Scenario("crisis text", [ci(3, 4, text="I don't want to wake up tomorrow")], ("crisis",)),
    Scenario("an idiom is not a crisis", [ci(3, 4, text="this homework is killing me")], ()),
    Scenario("a concern is not a crisis", [ci(3, 4, text="I feel hopeless")], ()),
    # the window: since the session ended, up to now
    Scenario(
        "history from before the session is ignored",
        [
            ci(-80, 9),
            ci(-50, 9, unable_to_function=True, text="I want to die"),
            ci(-1, 9),
            ci(3, 2),
        ],
        (),
    ),
    Scenario(
        "a check-in exactly when the session ended counts",
        [ci(0, 5, unable_to_function=True)],
        ("unable_to_function",),
    ),
    Scenario(
        "check-ins after now are ignored",
        [ci(3, 2), ci(30, 8, unable_to_function=True, text="I want to die")],
        (),
        now=at(29),
    ),
    Scenario(
        "a check-in exactly at now counts",
        [ci(29, 8, unable_to_function=True)],
        ("unable_to_function",),
        now=at(29),
    ),
    Scenario(
        "without a session every check-in up to now counts",
        [ci(-80, 9, unable_to_function=True)],
        ("unable_to_function",),
        session_ended_at=None,
    ),
    Scenario(
        "all four rules, reported in the fixed order",
        [
            ci(3, 8, text="I want to kill myself"),
            ci(27, 8, **NOT_HELPED),
            ci(52, 9, unable_to_function=True, **NOT_HELPED),
        ],
        ("persisting", "coping_not_working", "unable_to_function", "crisis"),
    ),
    Scenario(
        "input order does not matter",
        [ci(52, 7), ci(3, 7), ci(30, 7)],
        ("persisting",),
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_triage_scenarios(scenario: Scenario) -> None:
    """Each scenario advises contact exactly when a rule fires, with the rules named in order."""
    result = evaluate_triage(
        scenario.checkins, scenario.session_ended_at, scenario.now, scenario.rules
    )
    assert result.reasons == scenario.expected
    assert result.contact_therapist == bool(scenario.expected)
    assert result.crisis == ("crisis" in scenario.expected)
    assert tuple(dict.fromkeys(f.rule for f in result.details)) == scenario.expected


class TestFindings:
    def test_a_finding_names_the_check_ins_by_input_index_and_time(self) -> None:
        """Findings point back at the caller's check-ins, so the CLI can show which ones fired."""
        checkins = [ci(52, 7), ci(-5, 9), ci(3, 7), ci(30, 6)]
        result = evaluate_triage(checkins, SESSION, at(100), TriageRules())
        (finding,) = result.details
        assert finding.rule == "persisting"
        assert finding.checkins == (2, 3, 0)
        assert finding.times == (at(3), at(30), at(52))
        assert "3 check-ins" in finding.summary

    def test_raised_and_rising_both_appear_under_persisting(self) -> None:
        """When distress is both high and climbing, both findings are kept; the reason once."""
        checkins = [ci(3, 6), ci(27, 7), ci(52, 8)]
        result = evaluate_triage(checkins, SESSION, at(100), TriageRules())
        assert result.reasons == ("persisting",)
        summaries = [f.summary for f in result.details]
        assert len(summaries) == 2
        assert "none lower in between" in summaries[0]
        assert "rose every day for 3 days in a row (6 < 7 < 8" in summaries[1]

    def test_coping_finding_lists_the_attempts_and_the_latest_rating(self) -> None:
        """The attempts that did not help and the latest rating are all named."""
        checkins = [ci(3, 8, **NOT_HELPED), ci(5, 2), ci(6, 8, **NOT_HELPED), ci(9, 7)]
        (finding,) = evaluate_triage(checkins, SESSION, at(10), TriageRules()).details
        assert finding.checkins == (0, 2, 3)
        assert "latest distress is 7" in finding.summary

    def test_crisis_finding_names_the_screening_reasons(self) -> None:
        """The crisis finding says which categories the text matched (never the text itself)."""
        checkins = [ci(3, 4, text="My husband hits me")]
        (finding,) = evaluate_triage(checkins, SESSION, at(10), TriageRules()).details
        assert finding.summary == "text screened as crisis (abuse)"
        assert "husband" not in finding.summary


class TestDays:
    def test_day_boundaries_follow_the_given_time_zone(self) -> None:
        """The same check-ins rise on three Berlin days but only two UTC days."""
        start = datetime(2026, 3, 27, 22, 30, tzinfo=UTC)  # 23:30 in Berlin, DST starts on the 29th
        checkins = [
            CheckIn(start, 2),  # Berlin 27th / UTC 27th
            CheckIn(start + timedelta(hours=1), 3),  # Berlin 28th 00:30 / UTC 27th 23:30
            CheckIn(start + timedelta(hours=25), 4),  # Berlin 29th 00:30 (the DST day) / UTC 28th
        ]
        now = start + timedelta(days=3)
        assert evaluate_triage(checkins, None, now, TriageRules()).reasons == ()
        assert evaluate_triage(checkins, None, now, TriageRules(), tz=BERLIN).reasons == (
            "persisting",
        )

    def test_mixed_offsets_compare_as_instants(self) -> None:
        """Check-ins written in different offsets are ordered by the instant they happened."""
        checkins = [
            CheckIn(datetime(2026, 11, 20, 19, 0, tzinfo=BERLIN), 7),  # 18:00 UTC
            CheckIn(datetime(2026, 11, 22, 18, 1, tzinfo=UTC), 7),
        ]
        assert evaluate_triage(checkins, SESSION, at(100), TriageRules()).reasons == ("persisting",)


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
        text=st.sampled_from([None, "ok", "I want to die", "this homework is killing me"]),
    ),
    max_size=12,
)
_rules = st.builds(
    TriageRules,
    persist_days=st.integers(min_value=1, max_value=4),
    distress_threshold=st.integers(min_value=0, max_value=10),
    significant_distress=st.integers(min_value=0, max_value=10),
    coping_attempts=st.integers(min_value=1, max_value=4),
)


class TestSameInstant:
    def test_check_ins_at_the_same_instant_give_one_verdict_in_any_order(self) -> None:
        """Two check-ins at one instant (a 3 and an 8) are judged the same whichever comes first."""
        first, low, high = ci(3, 8), ci(52, 3), ci(52, 8)
        one = evaluate_triage([first, low, high], SESSION, at(100), TriageRules())
        other = evaluate_triage([first, high, low], SESSION, at(100), TriageRules())
        assert one.reasons == other.reasons == ()


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
        assert full.contact_therapist == bool(full.reasons)
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
