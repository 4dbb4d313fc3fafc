"""The crisis reply's choice (``reply_kind``) and the sizes of its views, with the shipped
contacts, in both languages."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest

from bot.data_files import crisis_contacts
from bot.domain.contacts import contact_by_id, contacts_for
from bot.domain.crisis_detection import CrisisCategory, CrisisSignal
from bot.domain.regions import PROVINCES
from bot.domain.safety import CrisisReplyKind, reply_kind
from bot.i18n import get_translator
from bot.ui import crisis as views
from bot.ui.onboarding import minor_view
from bot.ui.public_chats import public_crisis_view

LANGS = ("id", "en")
FIRST_MESSAGE_MAX = 500
# What the under-18 answer and the group-chat reply were before they got their own short texts.
MINOR_BEFORE = 2500
GROUP_BEFORE = 1600


def shown(text: str) -> str:
    """The text as Telegram shows it: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


@pytest.mark.parametrize(
    ("category", "kind"),
    [
        (CrisisCategory.MEDICAL, CrisisReplyKind.MEDICAL),
        (CrisisCategory.VIOLENCE, CrisisReplyKind.VIOLENCE),
        (CrisisCategory.SUICIDAL, CrisisReplyKind.PLAN_FIRST),
        (CrisisCategory.SELF_HARM, CrisisReplyKind.PLAN_FIRST),
    ],
)
def test_the_reply_fits_what_was_recognised(
    category: CrisisCategory, kind: CrisisReplyKind
) -> None:
    assert reply_kind(CrisisSignal(category, "some-rule")) is kind


def test_asking_for_help_puts_the_plan_first() -> None:
    assert reply_kind(None) is CrisisReplyKind.PLAN_FIRST


def test_every_category_has_a_reply() -> None:
    for category in CrisisCategory:
        assert reply_kind(CrisisSignal(category, "x")) in CrisisReplyKind


def test_the_entries_the_short_reply_names_are_in_the_data() -> None:
    contacts = crisis_contacts()
    sapa = contact_by_id(contacts, views.VIOLENCE_LINE)
    online = contact_by_id(contacts, views.ONLINE_SUPPORT)
    assert sapa is not None and sapa.whatsapp_link == "https://wa.me/628111129129"
    assert sapa.kind == "violence_line" and sapa.is_national
    assert online is not None and online.url is not None and online.url.startswith("https://")
    police = contact_by_id(contacts, "polisi-110")
    assert police is not None and police.kind == "police" and police.phone == "110"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", list(CrisisReplyKind))
def test_the_first_message_is_short(lang: str, kind: CrisisReplyKind) -> None:
    t = get_translator(lang)
    text, _ = views.crisis_view(t, contacts_for(crisis_contacts(), "jkt"), kind, can_alert=True)
    assert len(shown(text)) <= FIRST_MESSAGE_MAX
    assert "119" in text and "112" in text


@pytest.mark.parametrize("lang", LANGS)
def test_every_province_fits_one_message_when_expanded(lang: str) -> None:
    t = get_translator(lang)
    for province in PROVINCES:
        for kind in CrisisReplyKind:
            contacts = contacts_for(crisis_contacts(), province.code)
            text, _ = views.crisis_view(t, contacts, kind, can_alert=True, expanded=True)
            assert len(shown(text)) <= 4096, (province.code, kind)


def test_the_buttons_fit_the_reply() -> None:
    t = get_translator("en")
    contacts = contacts_for(crisis_contacts(), None)

    def labels(kind: CrisisReplyKind, **flags: bool) -> list[str]:
        _, markup = views.crisis_view(t, contacts, kind, **flags)
        assert markup is not None
        return [b.text for row in markup.inline_keyboard for b in row]

    assert labels(CrisisReplyKind.PLAN_FIRST, can_alert=False) == [
        "📞 More contacts",
        "🌐 Healing119.id",
        "🌿 Grounding exercise now",
        "📝 My safety plan",
    ]
    assert "💬 SAPA 129 on WhatsApp" in labels(CrisisReplyKind.VIOLENCE, can_alert=False)
    assert "🤝 Let my facilitator know" in labels(CrisisReplyKind.MEDICAL, can_alert=True)
    assert "📞 More contacts" not in labels(CrisisReplyKind.MEDICAL, can_alert=False, expanded=True)


def test_missing_entries_leave_their_lines_and_links_out() -> None:
    t = get_translator("en")
    only_112 = tuple(c for c in crisis_contacts() if c.id == "darurat-112")
    text, markup = views.crisis_view(t, only_112, CrisisReplyKind.VIOLENCE, can_alert=False)
    assert "SAPA 129" in text and "WhatsApp" not in text
    assert markup is not None
    assert all(b.url is None for row in markup.inline_keyboard for b in row)


@pytest.mark.parametrize("lang", LANGS)
def test_minors_and_group_chats_get_shorter_replies(lang: str) -> None:
    t = get_translator(lang)
    minor, markup = minor_view(t, crisis_contacts())
    assert len(shown(minor)) < MINOR_BEFORE / 3
    assert "facilitator" not in minor.lower() and "fasilitator" not in minor.lower()
    assert markup is not None and markup.inline_keyboard[0][0].url == "https://wa.me/628111129129"
    group, _ = public_crisis_view(t, "https://t.me/RangkulBot")
    assert len(shown(group)) < GROUP_BEFORE / 3
    assert "110" in group and "119" in group


def test_whatsapp_links_use_the_international_number() -> None:
    sapa = contact_by_id(crisis_contacts(), views.VIOLENCE_LINE)
    assert sapa is not None
    for written in ("0811-3855-472", "+62 811 3855 472"):
        assert replace(sapa, whatsapp=written).whatsapp_link == "https://wa.me/628113855472"
    assert replace(sapa, whatsapp=None).whatsapp_link is None
