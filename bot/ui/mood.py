"""The quick mood's buttons and screens: the scale, the tags, the private note and the reply.

Every step's buttons carry the sitting they belong to (a number drawn when it starts), so a
button of an earlier sitting is told apart from the one under way.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.moods import NOTE_MAX_CHARS, SCORES, TAGS, Comparison, tags_from_mask
from bot.i18n import N_, Translator
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.crisis import StartGrounding
from bot.ui.keyboards import Button, in_rows, inline
from bot.ui.view import View


@dataclass(frozen=True)
class StartMood(
    CallbackData,
    prefix="md:start",
    own_idempotence="says the mood check-in is already open below",
):
    """ "How am I today": the menu's and the distress reply's way into the quick mood."""


@dataclass(frozen=True)
class ChooseMood(
    CallbackData,
    prefix="md:score",
    own_idempotence="a press from an ended or earlier step of the sitting says so itself",
):
    sitting: Natural
    score: Natural


@dataclass(frozen=True)
class ToggleMoodTag(
    CallbackData,
    prefix="md:tag",
    own_idempotence="a press from an ended or earlier step of the sitting says so itself",
):
    """Ticks or unticks a tag: carries the selection it leads to and the one it was shown
    with, so a second tap on an old screen changes nothing."""

    sitting: Natural
    mask: Natural
    shown: Natural


@dataclass(frozen=True)
class SaveMoodTags(
    CallbackData,
    prefix="md:tags",
    own_idempotence="a press from an ended or earlier step of the sitting says so itself",
):
    sitting: Natural
    mask: Natural


@dataclass(frozen=True)
class AddMoodNote(
    CallbackData,
    prefix="md:note",
    own_idempotence="a press from an ended or earlier step of the sitting says so itself",
):
    sitting: Natural


@dataclass(frozen=True)
class SkipMoodNote(
    CallbackData,
    prefix="md:skip",
    own_idempotence="a press from an ended or earlier step of the sitting says so itself",
):
    sitting: Natural


@dataclass(frozen=True)
class ShowProgress(CallbackData, prefix="md:progress"):
    """ "My progress": the chart of moods and WHO-5 scores (also /progress)."""


SCORE_LABELS: dict[int, str] = {
    1: N_("😞 Very low"),
    2: N_("🙁 Low"),
    3: N_("😐 Okay"),
    4: N_("🙂 Good"),
    5: N_("😄 Very good"),
}

TAG_LABELS: dict[str, str] = {
    "sleep": N_("Sleep"),
    "energy": N_("Energy"),
    "anxiety": N_("Anxiety"),
    "loneliness": N_("Loneliness"),
    "hope": N_("Hope"),
    "stress": N_("Stress"),
    "health": N_("Body & health"),
    "relationships": N_("Relationships"),
    "work": N_("Work or study"),
}

COMPARISONS: dict[Comparison, str] = {
    Comparison.FIRST: N_(
        "This is your first one. From now on I can tell you how each day compares with your "
        "recent days."
    ),
    Comparison.NONE_RECENT: N_(
        "It's your first one in a week, so there is nothing recent to compare it with."
    ),
    Comparison.MUCH_BETTER: N_("Today is quite a bit better than your past week."),
    Comparison.BETTER: N_("Today is a little better than your past week."),
    Comparison.SAME: N_("Today is about the same as your past week."),
    Comparison.HARDER: N_("Today is a little harder than your past week."),
    Comparison.MUCH_HARDER: N_("Today is a lot harder than your past week."),
}


def scale_view(t: Translator, sitting: int) -> View:
    text = t("<b>How are you feeling today?</b>\nOne tap is enough.")
    rows = [[(t(SCORE_LABELS[score]), ChooseMood(sitting, score))] for score in SCORES]
    return text, inline(rows)


def tags_view(t: Translator, sitting: int, score: int, mask: int) -> View:
    chosen = set(tags_from_mask(mask))
    buttons: list[Button] = []
    for index, key in enumerate(TAGS):
        label = t(TAG_LABELS[key])
        toggled = ToggleMoodTag(sitting, mask ^ 1 << index, mask)
        buttons.append((f"✓ {label}" if key in chosen else label, toggled))
    text = "\n\n".join(
        [
            t("Saved: {mood}.", mood=t(SCORE_LABELS[score])),
            t("Did any of these play a part? Tap as many as you like, then <b>Done</b>."),
        ]
    )
    return text, inline([*in_rows(buttons, 2), [(t("Done"), SaveMoodTags(sitting, mask))]])


def note_offer_view(t: Translator, sitting: int) -> View:
    text = t("Would you like to add a few words about today? Only you will ever see your note.")
    return text, inline(
        [
            [(t("📝 Add a note (only you will see it)"), AddMoodNote(sitting))],
            [(t("Skip"), SkipMoodNote(sitting))],
        ]
    )


def note_prompt_view(t: Translator, sitting: int) -> View:
    text = t(
        "Write your note below, up to {limit} characters. Only you will see it: it is in your "
        "/mydata copy and nowhere else.",
        limit=NOTE_MAX_CHARS,
    )
    return text, inline([[(t("Skip"), SkipMoodNote(sitting))]])


def note_too_long_text(t: Translator, length: int) -> str:
    return t(
        "That's a little long for a note: it has {length} characters, and a note fits "
        "{limit}. Could you shorten it and send it again?",
        length=length,
        limit=NOTE_MAX_CHARS,
    )


def note_empty_text(t: Translator) -> str:
    return t("That note looks empty. Write a few words, or tap <b>Skip</b>.")


def note_not_text_hint(t: Translator) -> str:
    return t(
        "A note can only be text, so I haven't kept that. Write a few words, or tap <b>Skip</b>."
    )


def tap_a_button_hint(t: Translator) -> str:
    return t("Please tap one of the buttons.")


def recorded_view(t: Translator, comparison: Comparison, *, offer_support: bool) -> View:
    """The one message at the end: thanks, and how today compares with the week before."""
    thanks = t("Thank you for checking in.")
    text = f"💛 {thanks} {t(COMPARISONS[comparison])}"
    rows: list[list[Button]] = []
    if offer_support:
        text += "\n\n" + t(
            "If today is heavy, a short grounding exercise may help. And /crisis has people "
            "you can reach at any time."
        )
        rows.append([(t("🌿 Grounding exercise now"), StartGrounding())])
    rows.append([(t("📈 My progress"), ShowProgress())])
    return text, inline(rows)


def step_done_text(t: Translator) -> str:
    """A toast for a button whose step has passed (a double tap, an old screen)."""
    return t("That's already done, so nothing changed.")


def sitting_over_text(t: Translator) -> str:
    """A toast for a button of a mood check-in that has ended."""
    return t("This mood check-in has ended. Send /mood for a new one.")


def already_open_text(t: Translator) -> str:
    """A toast for "How am I today" while a mood check-in is already open."""
    return t("Your mood check-in is already open in the chat. Send /mood to start over.")
