"""Texts and keyboards of the privacy rights: export, forget, consent to a new notice."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.member import Member
from bot.i18n import Translator
from bot.ui.callbacks import CallbackData
from bot.ui.keyboards import inline
from bot.ui.onboarding import privacy_notice
from bot.ui.view import View


@dataclass(frozen=True)
class ConfirmForget(CallbackData, prefix="fg:yes"):
    pass


@dataclass(frozen=True)
class KeepData(CallbackData, prefix="fg:no"):
    pass


@dataclass(frozen=True)
class AcceptNotice(CallbackData, prefix="pc:yes"):
    pass


@dataclass(frozen=True)
class DeclineNotice(CallbackData, prefix="pc:no"):
    pass


# What a member asked to agree to a changed notice may still press: the answer, and forgetting.
WITHOUT_CONSENT = (AcceptNotice, DeclineNotice, ConfirmForget, KeepData)


def consent_status(t: Translator, member: Member) -> str:
    return t(
        "You agreed to version {version} of this notice on {date}.",
        version=member.consent_version,
        date=t.format_date(member.consent_at, member.timezone),
    )


def privacy_view(t: Translator, member: Member | None) -> str:
    if member is None:
        return "\n\n".join(
            [privacy_notice(t), t("We don't store anything about you at the moment.")]
        )
    return "\n\n".join([privacy_notice(t), consent_status(t, member)])


def forget_confirm_view(t: Translator) -> View:
    text = t(
        "Do you want me to delete <b>everything</b> Rangkul stores about you — your alias, "
        "your answers and your place in any group? This cannot be undone.\n\n"
        "If you'd like a copy first, use /mydata."
    )
    return text, inline(
        [
            [(t("Yes, delete everything"), ConfirmForget())],
            [(t("No, keep my data"), KeepData())],
        ]
    )


def forgotten_text(t: Translator) -> str:
    return t(
        "Done: everything Rangkul stored about you has been deleted. Take care of yourself. "
        "If you ever want to come back, just send /start."
    )


def kept_text(t: Translator) -> str:
    return t("Okay, nothing was deleted. Send /menu to carry on.")


def nothing_stored_text(t: Translator) -> str:
    return t("Rangkul doesn't store anything about you. Send /start if you'd like to join.")


def new_notice_view(t: Translator) -> View:
    text = "\n\n".join(
        [
            t("Our privacy notice has changed. Please read it and tell us whether you agree."),
            privacy_notice(t),
        ]
    )
    return text, inline(
        [
            [(t("I agree"), AcceptNotice())],
            [(t("Not now"), DeclineNotice())],
        ]
    )


def new_notice_declined_text(t: Translator) -> str:
    return t(
        "Okay. Until you agree, Rangkul won't use your data for anything new. You can still use "
        "/crisis, get a copy with /mydata, or delete everything with /forget. I'll ask again "
        "next time you write."
    )
