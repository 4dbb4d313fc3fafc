"""Texts and keyboards of the onboarding steps: each view takes plain data and a translator."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Annotated

from telegram import InlineKeyboardMarkup

from bot.domain.alias import MAX_LENGTH, AliasProblem
from bot.domain.choices import Choices
from bot.domain.contacts import CrisisContact
from bot.domain.groups import Group
from bot.domain.regions import ONLINE_ONLY, province_by_code
from bot.domain.topics import TOPICS
from bot.i18n import LANGUAGES, Translator, get_translator
from bot.ui.callbacks import CallbackData, MaxLen, Natural
from bot.ui.crisis import (
    crisis_intro_line,
    emergency_lines,
    link_buttons,
    talk_lines,
    violence_lines,
)
from bot.ui.groups import GroupList, ListFilter, OpenCard
from bot.ui.keyboards import Button, inline
from bot.ui.labels import LANGUAGE_NAMES, TOPIC_LABELS
from bot.ui.pickers import ProvinceCode, province_label, province_rows, topic_rows
from bot.ui.privacy_notice import ReadFullNotice, notice_summary
from bot.ui.view import View

# Field types shared by the buttons of several features.
LanguageCode = Annotated[str, MaxLen(8)]
Alias = Annotated[str, MaxLen(MAX_LENGTH)]


@dataclass(frozen=True)
class ChooseLanguage(CallbackData, prefix="ob:lang"):
    code: LanguageCode


class Wish(enum.StrEnum):
    """What a visitor was doing when asked to sign up first; sign-up ends there."""

    TRIAL = "t"  # trying a session of a group: the target is the group
    SEAT = "s"  # a seat at an open event: the target is the meeting


@dataclass(frozen=True)
class SignUpFor(CallbackData, prefix="ob:for"):
    """Starts sign-up in ``code`` (the language the visitor sees), remembering their wish."""

    code: LanguageCode
    wish: Wish
    target: Natural


@dataclass(frozen=True)
class ReadIntro(CallbackData, prefix="ob:next"):
    pass


@dataclass(frozen=True)
class ConfirmAdult(CallbackData, prefix="ob:age:adult"):
    pass


@dataclass(frozen=True)
class UnderAge(CallbackData, prefix="ob:age:minor"):
    pass


@dataclass(frozen=True)
class GiveConsent(CallbackData, prefix="ob:consent:yes"):
    pass


@dataclass(frozen=True)
class DeclineConsent(CallbackData, prefix="ob:consent:no"):
    pass


@dataclass(frozen=True)
class TakeAlias(CallbackData, prefix="ob:alias:take"):
    """Carries the suggestion it offers; None on buttons sent before it did (the draft's)."""

    suggestion: Alias | None = None


@dataclass(frozen=True)
class AnotherAlias(CallbackData, prefix="ob:alias:reroll"):
    pass


@dataclass(frozen=True)
class OwnAlias(CallbackData, prefix="ob:alias:own"):
    pass


@dataclass(frozen=True)
class RegionPage(CallbackData, prefix="ob:page"):
    page: Natural


@dataclass(frozen=True)
class ChooseRegion(CallbackData, prefix="ob:region"):
    code: ProvinceCode


@dataclass(frozen=True)
class ToggleTopic(CallbackData, prefix="ob:topic"):
    """The whole selection the press leads to (``topics_mask``), not the one topic."""

    mask: Natural


@dataclass(frozen=True)
class FinishTopics(CallbackData, prefix="ob:topics"):
    mask: Natural


def language_view(t: Translator, choose: Callable[[str], CallbackData] = ChooseLanguage) -> View:
    """Language choice; shared by onboarding and /language (each with its own action)."""
    text = t("Hello! 👋 Which language would you like me to use?")
    buttons = [(name, choose(code)) for code, name in LANGUAGE_NAMES.items()]
    return text, inline([buttons])


def intro_view(t: Translator) -> View:
    text = "\n\n".join(
        [
            t("<b>Welcome to Rangkul</b> 🤝"),
            t(
                "Rangkul connects people with lived experience of mental-health conditions to "
                "peer support groups across Indonesia, led by peer facilitators: find a group "
                "near you or online, and try a session without any commitment."
            ),
            t("Rangkul is not an emergency service."),
            crisis_intro_line(t),
        ]
    )
    return text, inline([[(t("Continue"), ReadIntro())]])


def age_view(t: Translator) -> View:
    text = t(
        "Rangkul's groups are for adults. Are you 18 years old or older?\n\n"
        "<i>We only ask so we can follow Indonesia's rules for children's data; "
        "we don't store your age.</i>"
    )
    return text, inline(
        [
            [(t("Yes, I'm 18 or older"), ConfirmAdult())],
            [(t("No, I'm under 18"), UnderAge())],
        ]
    )


def consent_view(t: Translator, contact: str | None) -> View:
    """The notice's summary and the question; the full notice is one button away."""
    text = "\n\n".join(
        [
            notice_summary(t, contact),
            t("Do you agree to Rangkul storing and using this for these purposes?"),
        ]
    )
    return text, inline(
        [
            [(t("I agree"), GiveConsent())],
            [(t("Not now"), DeclineConsent())],
            [(t("📄 Read the full notice"), ReadFullNotice())],
        ]
    )


def declined_text(t: Translator) -> str:
    return "\n\n".join(
        [
            t(
                "That's completely fine. We haven't stored anything about you. If you change your "
                "mind, just send /start."
            ),
            crisis_intro_line(t),
        ]
    )


def minor_view(t: Translator, contacts: Sequence[CrisisContact]) -> View:
    """Under 18: Rangkul is for adults, and where to turn now (nothing is stored). Short and
    their own, without the adults' crisis reply (which offers a group's facilitator)."""
    text = "\n\n".join(
        [
            t(
                "Thank you for telling me. Rangkul's groups are for adults, so I can't sign you "
                "up, and I haven't stored anything about you. You still deserve support."
            ),
            emergency_lines(t),
            talk_lines(t),
            violence_lines(t, contacts),
            t(
                "Talking to an adult you trust — a parent, a teacher, a school counsellor — "
                "helps too."
            ),
        ]
    )
    links = link_buttons(t, None, contacts)
    return text, InlineKeyboardMarkup([[button] for button in links]) if links else None


def alias_view(t: Translator, suggestion: str) -> View:
    text = t(
        "Here people know each other only by an alias, never by name. How about "
        "<b>{alias}</b>?\n\nYou can take it, ask for another one, or choose your own.",
        alias=suggestion,
    )
    return text, inline(alias_choice_rows(t, TakeAlias(suggestion), AnotherAlias(), OwnAlias()))


def alias_choice_rows(
    t: Translator, take: CallbackData, another: CallbackData, own: CallbackData
) -> list[list[Button]]:
    """Take / re-roll / own alias; shared by onboarding and /alias (each with its own actions).

    "Use this alias" carries the suggestion it offers, so it takes what the person sees even if
    the draft holding it was lost (a crash between the reply and the state write)."""
    return [
        [(t("Use this alias"), take)],
        [(t("Another one"), another), (t("Choose my own"), own)],
    ]


def own_alias_prompt(t: Translator) -> str:
    return t(
        "Type the alias you'd like (3 to 24 characters). Please don't use your real name, "
        "a @username, a phone number, an e-mail address or a link."
    )


def alias_refusal(t: Translator, problem: AliasProblem | None) -> str:
    """Why an alias was refused; ``None`` means it is already taken."""
    reasons = {
        None: t("Someone is already using that alias. Please try a different one."),
        AliasProblem.TOO_SHORT: t("That alias is too short: please use at least 3 characters."),
        AliasProblem.TOO_LONG: t("That alias is too long: please use at most 24 characters."),
        AliasProblem.HANDLE: t(
            "Please leave out @usernames: an alias keeps your Telegram account private."
        ),
        AliasProblem.PHONE: t("Please leave out phone numbers: they could identify you."),
        AliasProblem.EMAIL: t("Please leave out e-mail addresses: they could identify you."),
        AliasProblem.LINK: t("Please leave out links and web addresses."),
        AliasProblem.INVALID_CHARS: t(
            "Please use letters, numbers, spaces and simple punctuation only (no line breaks "
            "or symbols like &lt; and &gt;)."
        ),
    }
    return reasons[problem]


def region_view(t: Translator, page_index: int) -> View:
    rows = province_rows(t, page_index, ChooseRegion, RegionPage)
    rows.append([(t("🌐 Online only"), ChooseRegion(ONLINE_ONLY))])
    text = t(
        "Which province do you live in? It helps us show groups near you and meeting times in "
        'your timezone. If you prefer online groups, choose "Online only".'
    )
    return text, inline(rows)


def topics_view(t: Translator, chosen: Collection[str]) -> View:
    rows = topic_rows(t, chosen, ToggleTopic, FinishTopics)
    text = t(
        "Which topics matter to you? Choose as many as you like (or none), then press "
        '"Done". This only helps us suggest groups.'
    )
    return text, inline(rows)


def sign_up_for_view(t: Translator, wish: Wish, target: int) -> View:
    """A visitor's trial or seat needs an account: a button that starts sign-up and, at its
    end, takes them back to what they chose."""
    if wish is Wish.TRIAL:
        text = t(
            "To try a session, please sign up first: it takes a minute, and you choose an alias "
            "(no real name needed). Afterwards I'll bring you straight back to this group's "
            "sessions."
        )
    else:
        text = t(
            "To reserve a seat, please sign up first: it takes a minute, and you choose an "
            "alias (no real name needed). Afterwards I'll bring you straight back to this event."
        )
    return text, inline([[(t("📝 Sign up"), SignUpFor(t.lang, wish, target))]])


def carry_on_note(t: Translator) -> str:
    """/start in the middle of sign-up: it goes on where the person was."""
    return t(
        "You're in the middle of signing up, so let's carry on where you left off. "
        "(To start again from the beginning, send /cancel and then /start.)"
    )


def understood_note(t: Translator, region: str) -> str:
    """A typed province (or "online") was understood: which one, since a typo was forgiven."""
    province = province_by_code(region)
    name = province_label(t, province) if province is not None else t("🌐 Online only")
    return t("Got it: <b>{answer}</b>.", answer=name)


def suggestions_view(t: Translator, groups: Sequence[Group]) -> View:
    """At the end of sign-up: groups that match the topics chosen, and the way to all of them."""
    rows: list[list[Button]] = [[(g.name, OpenCard(g.id))] for g in groups]
    rows.append([(t("✨ All groups for you"), GroupList(ListFilter.SUGGESTED, None, 0))])
    text = t("✨ These groups match the topics you chose, the nearest first. Have a look:")
    return text, inline(rows)


# Typed answers at the steps with a list: what the buttons say in either language (and, for a
# label such as "Caregivers / family", each of its halves).
DONE = "done"


def _said(label: str) -> tuple[str, ...]:
    said = [get_translator(lang)(label) for lang in LANGUAGES]
    return (*said, *(part for whole in said for part in re.split(r"\s*/\s*", whole)))


@functools.cache
def _topic_choices() -> Choices:
    names = {code: _said(TOPIC_LABELS[code]) for code in TOPICS}
    return Choices.of({**names, DONE: _said("Done")}, codes={code: (code,) for code in TOPICS})


@functools.cache
def _language_choices() -> Choices:
    return Choices.of(
        {
            "id": (LANGUAGE_NAMES["id"], "Indonesia", "Indonesian", "Bahasa"),
            "en": (LANGUAGE_NAMES["en"], "Inggris", "Bahasa Inggris"),
        },
        codes={code: (code,) for code in LANGUAGES},
    )


def typed_language(text: str) -> str | None:
    """The language a typed answer names ("english", "Bahasa Indonesia"), or None."""
    return _language_choices().find(text)


def typed_topic(text: str) -> str | None:
    """The topic a typed answer names (its label in either language), :data:`DONE`, or None."""
    return _topic_choices().find(text)


def use_buttons_hint(t: Translator) -> str:
    return t("Please choose one of the buttons below 🙂")
