"""Every conversation's typed draft: stored under its own key, surviving a restart, and read
from what the dict-based drafts before it stored."""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import UTC, datetime

import pytest

import bot.conversations
from bot.conversations import (
    alert_reply,
    broadcast,
    edit_group,
    new_group,
    new_meeting,
    onboarding,
    resources,
    safety_plan,
    time_poll,
)
from bot.domain.groups import EditableField, GroupFormat
from bot.domain.recurrence import Recurrence
from bot.domain.safety import AuthoringDraft, PlanSection
from bot.storage.persistence import to_json
from bot.telegram_glue.drafts import draft_from_json, draft_to_json
from bot.telegram_glue.flow import StepFlow

MODULES = [
    importlib.import_module(f"bot.conversations.{info.name}")
    for info in pkgutil.iter_modules(bot.conversations.__path__)
]
FLOWS = [
    value for module in MODULES for value in vars(module).values() if isinstance(value, StepFlow)
]


def test_every_flow_keeps_its_draft_under_a_key_of_its_own() -> None:
    keys = [flow.key for flow in FLOWS]
    # At least the ten flows there were when this was written: discovery finds them all.
    assert len(keys) == len(set(keys)) >= 10


def test_staff_authoring_drafts_are_the_ones_crisis_detection_knows() -> None:
    authoring = [new_group.FLOW, edit_group.FLOW, new_meeting.FLOW, resources.FLOW, broadcast.FLOW]
    assert {flow.key for flow in authoring} == set(AuthoringDraft)


@pytest.mark.parametrize("flow", FLOWS, ids=lambda flow: flow.key)
def test_a_fresh_draft_survives_a_restart(flow: StepFlow) -> None:
    fresh = flow.draft_type()
    assert draft_from_json(flow.draft_type, json.loads(to_json(draft_to_json(fresh)))) == fresh


AT = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)
STORED = AT.isoformat(timespec="microseconds")  # how the dict drafts stored times

# What the dict-based drafts stored, and what the typed ones read from it.
BEFORE = [
    (
        new_meeting.FLOW,
        {"group_id": 3, "day": "20261203", "tpage": 2, "start": STORED, "duration": 90},
        {"group_id": 3, "day": "20261203", "tpage": 2, "start": AT, "duration": 90},
    ),
    (
        new_meeting.FLOW,
        {"group_id": 3, "start": STORED, "duration": 90, "recurrence": "weekly", "capacity": 8},
        {"recurrence": Recurrence.WEEKLY, "capacity": 8, "place": None, "link": None},
    ),
    (
        time_poll.FLOW,
        {"group_id": 3, "chosen": [STORED], "day": "20261204", "tpage": 1},
        {"group_id": 3, "chosen": [AT], "day": "20261204", "tpage": 1},
    ),
    (
        new_group.FLOW,
        {"step": 11, "name": "Teman", "topics": ["anxiety"], "format": "online", "city": None},
        {"name": "Teman", "topics": ["anxiety"], "format": GroupFormat.ONLINE, "city": None},
    ),
    (
        new_group.FLOW,
        {"offers_trials": False, "trial_seats": 0, "languages": ["id", "en"], "page": 3},
        {"offers_trials": False, "trial_seats": 0, "languages": ["id", "en"], "page": 3},
    ),
    (edit_group.FLOW, {"group_id": 3, "field": "name"}, {"field": EditableField.NAME}),
    (safety_plan.FLOW, {"section": "calming", "edit": True}, {"section": PlanSection.CALMING}),
    (safety_plan.FLOW, {"section": "gone_section"}, {"section": PlanSection.WARNING_SIGNS}),
    (alert_reply.FLOW, {"alert_id": 5}, {"alert_id": 5}),
    (
        onboarding.FLOW,
        {"link": "g-abc", "adult_at": STORED, "consent_at": STORED, "notice_version": 2},
        {"link": "g-abc", "adult_at": AT, "consent_at": AT, "notice_version": 2},
    ),
    # Online only was a "province": null, which now reads as not chosen: the region is asked
    # again rather than taken for a province.
    (onboarding.FLOW, {"alias": "Ayu", "province": None}, {"alias": "Ayu", "region": None}),
    (
        resources.FLOW,
        {"mode": "edit", "tags": ["art", "lukis"], "url": None},
        {"mode": resources.Mode.EDIT, "tags": ["art", "lukis"]},
    ),
]


@pytest.mark.parametrize(("flow", "stored", "expected"), BEFORE)
def test_drafts_stored_before_typed_drafts_still_load(
    flow: StepFlow, stored: dict, expected: dict
) -> None:
    loaded = draft_from_json(flow.draft_type, stored)
    assert {name: getattr(loaded, name) for name in expected} == expected
