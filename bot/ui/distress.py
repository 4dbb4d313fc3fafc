"""The distress reply: a few warm words that name the feeling first, then small next steps
(grounding, the safety plan, the group's facilitator or a group, resources) with the crisis
reply one tap away.

Safe-messaging practice (as in Indonesia's Press Council regulation No. 2/2019 on reporting
suicide, and the tiered replies of peer-support apps): validate before offering anything, no
diagnosis, no platitudes ("stay positive"), no promise the bot cannot keep, and honest that
this is a bot.
Nothing the person wrote is repeated back: the reply is shaped by the concept alone.
"""

from __future__ import annotations

from bot.domain.distress_detection import DistressConcept
from bot.i18n import N_, Translator
from bot.ui.crisis import LetFacilitatorKnow, OpenSafetyPlan, StartGrounding
from bot.ui.groups import BrowseHome
from bot.ui.keyboards import Button, inline
from bot.ui.menu import NeedHelp
from bot.ui.mood import StartMood
from bot.ui.resources import ResourcesHome
from bot.ui.view import View

VALIDATIONS: dict[DistressConcept, str] = {
    DistressConcept.CANT_GO_ON: N_(
        "It sounds like you've been holding on for a long time and your strength is running "
        "out. That is really hard, and it makes sense that you feel this way."
    ),
    DistressConcept.HOPELESS: N_(
        "It sounds like things feel really dark right now, as if nothing will change. Feeling "
        "hopeless is painful, and you don't have to carry it on your own."
    ),
    DistressConcept.BURDEN: N_(
        "It hurts to feel like a burden to the people around you. Needing support is human, "
        "and you are allowed to ask for it."
    ),
    DistressConcept.DISAPPEAR: N_(
        "Wanting to get away from everything tells me how heavy things are for you right now. "
        "Thank you for telling me."
    ),
    DistressConcept.WORTHLESS: N_(
        "That's a painful way to feel about yourself, and I'm sorry you're carrying it. How "
        "you feel right now matters here."
    ),
    DistressConcept.PANIC: N_(
        "That sounds really frightening. When panic or worry takes over, everything can feel "
        "urgent at once. Slowing your breathing for a moment can help your body settle."
    ),
    DistressConcept.LONELINESS: N_(
        "Feeling alone is so heavy. I'm glad you wrote it here instead of keeping it all inside."
    ),
    DistressConcept.NUMBNESS: N_(
        "Feeling empty or numb can be really unsettling. You're not strange for feeling this "
        "way, and you don't have to explain it."
    ),
    DistressConcept.OVERWHELM: N_(
        "That sounds like a lot to deal with all at once. It's okay to take it one small step "
        "at a time."
    ),
    DistressConcept.SADNESS: N_(
        "I'm sorry it hurts so much right now. It's okay to cry, and it's okay not to be okay."
    ),
    DistressConcept.SLEEPLESS: N_(
        "Nights without sleep make everything feel heavier. I'm sorry the nights are so hard "
        "right now."
    ),
    DistressConcept.EXHAUSTION: N_(
        "That sounds exhausting. It makes sense to feel worn out when you've been carrying so much."
    ),
    # The model knows that something hurts, not what: words that fit any feeling.
    DistressConcept.MODEL: N_(
        "It sounds like you're going through something hard right now. Thank you for telling "
        "me. What you feel matters here, and you don't have to carry it alone."
    ),
}

# Feelings close to thoughts of not wanting to live: the reply asks plainly, which safe-
# messaging guidance recommends (asking does not put the idea in anyone's head). The model's
# signal too: it was trained on crisis messages as well, and may be catching one the crisis
# tier missed.
_ASK_ABOUT_SAFETY = frozenset(
    {
        DistressConcept.CANT_GO_ON,
        DistressConcept.HOPELESS,
        DistressConcept.BURDEN,
        DistressConcept.DISAPPEAR,
        DistressConcept.WORTHLESS,
        DistressConcept.MODEL,
    }
)


def distress_text(t: Translator, concept: DistressConcept) -> str:
    parts = [
        f"💛 {t(VALIDATIONS[concept])}",
        t(
            "I'm a bot, so I can't listen the way a person can. But here are a few small things "
            "that might help right now:"
        ),
    ]
    if concept in _ASK_ABOUT_SAFETY:
        parts.append(
            t(
                "If you are having thoughts of ending your life, or you are in danger, please "
                "tap <b>🆘 Need help now</b>: there are people you can reach right away."
            )
        )
    return "\n\n".join(parts)


def distress_view(
    t: Translator, concept: DistressConcept, *, can_alert: bool, member: bool = False
) -> View:
    """The reply with its next steps. ``can_alert``: the person is in a group with a
    facilitator, who can be told (after consent, asked by the next button); everyone else is
    offered a group to join. ``member``: they have joined, so they can also record how they
    feel (the quick mood)."""
    people: Button = (
        (t("🤝 Let my facilitator know"), LetFacilitatorKnow())
        if can_alert
        else (t("👥 Find a group"), BrowseHome())
    )
    mood: list[list[Button]] = [[(t("🙂 Check in with my mood"), StartMood())]] if member else []
    rows: list[list[Button]] = [
        [(t("🌿 Grounding exercise now"), StartGrounding())],
        [(t("📝 My safety plan"), OpenSafetyPlan())],
        [people],
        [(t("📚 Resources"), ResourcesHome())],
        *mood,
        [(t("🆘 Need help now"), NeedHelp())],
    ]
    return distress_text(t, concept), inline(rows)
