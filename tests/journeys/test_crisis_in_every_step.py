"""Crisis detection is the same at every step of every conversation as outside them.

Held-out batch 4 (tests/crisis_heldout.toml: every positive and 20 negatives) is sent at the
steps of onboarding, the alias change, the resource search and a coordinator's /newgroup.
Each message must get the crisis reply exactly when the bot's detector says crisis (which messages
those are comes from the detector, never from a list here, so the test holds whatever the
lexicon becomes), and after any number of crisis replies the step must still take its next
valid answer. The one documented difference: staff writing a group may name the topic
("pencegahan bunuh diri", ``names_the_topic``), which then becomes their content.
"""

from __future__ import annotations

import tomllib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.data_files import crisis_detector
from bot.domain.safety import names_the_topic
from bot.sandbox.emulator import ChatEntry
from bot.ui.crisis import StartGrounding
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.onboarding import onboard_in_english, reach_own_alias_step

HELDOUT = Path(__file__).resolve().parents[1] / "crisis_heldout.toml"
DETECTOR = crisis_detector()  # what the bot screens with: the lexicon, then the model


def _sample() -> list[str]:
    with HELDOUT.open("rb") as fh:
        batch = [e for e in tomllib.load(fh)["example"] if e["batch"] == 4]
    negatives = [e["text"] for e in batch if e["label"] == "none"]
    return [e["text"] for e in batch if e["label"] != "none"] + negatives[::5][:20]


SAMPLE = _sample()


def _is_crisis_reply(entry: ChatEntry) -> bool:
    """The crisis reply, whatever its wording: the emergency number and the grounding offer
    (a directory search may show 112 too, but never offers grounding)."""
    buttons = [b for row in (entry.reply_markup or {}).get("inline_keyboard", []) for b in row]
    grounding = any(StartGrounding.parse(b.get("callback_data")) for b in buttons)
    return "112" in (entry.text or "") and grounding


@dataclass
class Step:
    name: str
    # Brings the person to the step from wherever the step itself moved them.
    reach: Callable[[Person], Awaitable[object]]
    # The next valid answer, asserting it was taken: the step was still open.
    answer: Callable[[Person], Awaitable[object]]
    # A step waiting for text takes every non-crisis message as its answer.
    takes_text: bool = False
    # Staff writing content for others (a draft in bot.domain.safety.AuthoringDraft).
    authoring: bool = False

    def expects_crisis_reply(self, text: str) -> bool:
        if DETECTOR.detect(text) is None:
            return False
        return not (self.authoring and names_the_topic(text, DETECTOR))


async def _probe(world: BotWorld, person: Person, step: Step) -> None:
    member = bool(rows(world, "SELECT 1 FROM members WHERE telegram_id = ?", person.user_id))
    events_before = rows(world, "SELECT count(*) FROM crisis_events")[0][0]
    crisis = [text for text in SAMPLE if step.expects_crisis_reply(text)]
    quiet = [text for text in SAMPLE if text not in crisis]
    assert crisis and quiet, "the sample must hold both"

    await step.reach(person)
    for text in quiet:
        replies = await person.send(text)
        assert not any(map(_is_crisis_reply, replies)), (step.name, text)
        if step.takes_text:
            await step.reach(person)

    await step.reach(person)
    for text in crisis:
        replies = await person.send(text)
        # Only the crisis reply (no safety plan written): the step did not see the message.
        assert [_is_crisis_reply(r) for r in replies] == [True], (step.name, text)
    await step.answer(person)

    events = rows(world, "SELECT count(*) FROM crisis_events")[0][0] - events_before
    assert events == (len(crisis) if member else 0), step.name


async def _nothing(person: Person) -> None:
    return None


async def _press(person: Person, *labels: str) -> None:
    for label in labels:
        await person.press(label)


def _presses(*labels: str, then: str) -> Callable[[Person], Awaitable[None]]:
    """Presses ``labels``; the step that follows, edited into the message pressed last (or, after
    a message that stays as it was, such as the welcome, the newest one), shows ``then`` in its
    text or buttons (which no earlier step had)."""

    async def answer(person: Person) -> None:
        for label in labels:
            message_id, _data = person.button(label)
            await person.press(label)
        [pressed] = [
            m
            for m in person.world.emulator.bot_messages(person.user_id)
            if m.message_id == message_id
        ]
        parts = []
        for shown in (pressed, person.last):
            markup = shown.reply_markup or {}
            parts += [
                shown.text or "",
                *(b["text"] for r in markup.get("inline_keyboard", []) for b in r),
            ]
        assert any(then in part for part in parts), person.last.text

    return answer


async def test_onboarding_steps_detect_as_outside(world: BotWorld) -> None:
    hana = world.person(901, "Hana", "en")

    async def start(person: Person) -> None:
        await person.send("/start")

    async def own_alias(person: Person) -> None:
        # A message taken as the alias moved the person on: they start again (a refused one
        # keeps the step).
        if "Which province" in person.last.text:
            await reach_own_alias_step(person)

    async def typed_alias(person: Person) -> None:
        await person.send("Hana Biru")
        assert "Which province" in person.last.text

    async def finish(person: Person) -> None:
        await _press(person, "Anxiety", "Done")
        assert rows(world, "SELECT alias, province FROM members") == [("Hana Biru", "bali")]

    for step in (
        # Buttons at every step but one; anything typed there gets a hint and the step again.
        Step("language", start, _presses("English", then="Continue")),
        Step("intro", _nothing, _presses("Continue", then="18 or older")),
        Step("age", _nothing, _presses("Yes, I'm 18 or older", then="I agree")),
        Step("consent", _nothing, _presses("I agree", then="Choose my own")),
        Step("alias", _nothing, _presses("Choose my own", then="Type the alias")),
        Step("own alias", own_alias, typed_alias, takes_text=True),
        Step("region", _nothing, _presses("Next", "Bali", then="Done")),
        Step("topics", _nothing, finish),
    ):
        await _probe(world, hana, step)


async def test_member_and_coordinator_steps_detect_as_outside(world: BotWorld) -> None:
    await world.restart(admin_ids=frozenset({902}))
    rina = world.person(902, "Rina", "en")
    await onboard_in_english(rina)

    async def alias_offer(person: Person) -> None:
        await person.send("/alias")

    async def alias_step(person: Person) -> None:
        await person.send("/alias")
        await person.press("Choose my own")

    async def new_alias(person: Person) -> None:
        await person.send("Rina Senja")
        assert rows(world, "SELECT alias FROM members") == [("Rina Senja",)]

    async def search_step(person: Person) -> None:
        await person.send("/resources")
        await person.press("Search")

    async def search(person: Person) -> None:
        await person.send("kecemasan")
        assert "I found" in person.last.text

    async def new_group(person: Person) -> None:
        await person.send("/newgroup")

    async def group_name(person: Person) -> None:
        await person.send("Teman Cerita Denpasar")
        assert "topics" in person.last.text

    for step in (
        # Buttons, but a typed alias is taken too.
        Step(
            "alias offer", alias_offer, _presses("Keep my alias", then="you stay"), takes_text=True
        ),
        Step("own alias", alias_step, new_alias, takes_text=True),
        Step("resource search", search_step, search, takes_text=True),
        Step("new group name", new_group, group_name, takes_text=True, authoring=True),
        Step(
            "new group topics",
            _nothing,
            _presses("Anxiety", "Done", then="In person"),
            authoring=True,
        ),
    ):
        await _probe(world, rina, step)
