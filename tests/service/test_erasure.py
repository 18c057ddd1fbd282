"""The client-data registry: every table has a rule, so export and erasure never miss one."""

from __future__ import annotations

import pytest
from sqlmodel import SQLModel

from bot.storage.client_data import RULES, MissingRuleError, Owned, Unlinked, rule_for


def test_every_table_has_an_erasure_rule():
    """A new table without a rule in bot/storage/client_data.py fails here (and erasure refuses)."""
    missing = sorted(set(SQLModel.metadata.tables) - set(RULES))
    assert missing == [], f"add a client-data rule for {missing} in bot/storage/client_data.py"
    stale = sorted(set(RULES) - set(SQLModel.metadata.tables))
    assert stale == [], f"rules for tables that no longer exist: {stale}"


def test_rules_name_real_columns():
    """Each rule's column exists in its table (a renamed column cannot silently escape erasure)."""
    for name, rule in RULES.items():
        if isinstance(rule, Owned | Unlinked):
            assert rule.column in SQLModel.metadata.tables[name].c, f"{name}.{rule.column}"


def test_a_table_without_a_rule_stops_erasure():
    with pytest.raises(MissingRuleError, match=r"bot/storage/client_data\.py"):
        rule_for("new_table_nobody_classified")
