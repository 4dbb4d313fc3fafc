"""Privacy rights: /privacy, /mydata, /forget, and consent to a changed privacy notice."""

from __future__ import annotations

import json
from io import BytesIO

from telegram import CallbackQuery, InputFile, Message, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, CommandHandler, TypeHandler

from bot.context import RangkulContext, Session
from bot.domain.member import Member
from bot.i18n import Translator, get_translator
from bot.narrowing import chat_of, query_of, user_of
from bot.services import privacy as privacy_service
from bot.services.profile import renew_consent
from bot.telegram_glue.chat import follow_up, main_menu, show
from bot.telegram_glue.endings import ask_to_forget
from bot.telegram_glue.roles import refresh_role_menu
from bot.ui import privacy as views
from bot.ui.callbacks import on_button
from bot.ui.menu import OpenPrivacy
from bot.ui.privacy_notice import ReadFullNotice

# Commands a person may use while they have not agreed to a changed notice: their rights and
# safety never wait for consent.
ALWAYS_ALLOWED_COMMANDS = frozenset({"crisis", "privacy", "mydata", "forget", "cancel", "help"})


async def show_privacy(
    update: Update, context: RangkulContext, _: OpenPrivacy | None = None
) -> None:
    """/privacy: the full notice, then the person's consent record."""
    await _send_notice(update, context, joining=False)


async def read_full_notice(update: Update, context: RangkulContext, _: ReadFullNotice) -> None:
    """ "Read the full notice" under a summary: the full notice as new messages (the summary
    stays as it was), then the question again for whoever still has to answer it."""
    await _send_notice(update, context, joining=True)


async def _send_notice(update: Update, context: RangkulContext, *, joining: bool) -> None:
    session = await context.session(update)
    s = context.services
    first, *rest = views.privacy_view(
        session.t,
        s.settings.privacy_contact,
        s.notice_version,
        session.member,
        joining=joining,
        rules=s.retention,
    )
    await show(update, *first, edit=not joining)
    for page in rest:
        await follow_up(update, *page)


async def send_my_data(update: Update, context: RangkulContext) -> None:
    """/mydata: a short summary to read, then everything stored about the sender as a JSON
    document."""
    session = await context.session(update)
    s = context.services
    data = await privacy_service.export_member_data(
        s.members,
        s.exports(),
        s.clock,
        user_of(update).id,
    )
    if data is None:
        await show(update, views.nothing_stored_text(session.t))
        return
    summary = privacy_service.summarise_export(data, s.clock.now())
    if summary is not None:
        await show(update, views.my_data_summary(session.t, summary))
    document = InputFile(
        BytesIO(json.dumps(data, ensure_ascii=False, indent=2).encode()),
        filename="rangkul-mydata.json",
    )
    await chat_of(update).send_document(
        document,
        caption=session.t("Everything Rangkul stores about you."),
    )


async def keep_data(update: Update, context: RangkulContext, action: views.KeepData) -> None:
    """ "No" to "delete everything?" (after it was done elsewhere: a toast, nothing else)."""
    session = await context.session(update)
    if session.member is None and not context.user_data:
        await query_of(update).answer(views.already_forgotten_text(_asked_in(session, action)))
        return
    await show(update, views.kept_text(session.t))


async def confirm_forget(
    update: Update, context: RangkulContext, action: views.ConfirmForget
) -> None:
    """ "Yes" to "delete everything?": every row about the person goes, in memory too, and
    their own command menu (a facilitator's or coordinator's) with it. Pressed again (a double
    tap, an old message) once nothing is left: a toast in the language of the question, and
    nothing else. A person's updates are handled one after another
    (bot/update_processor.py), so two presses never delete at the same time."""
    session = await context.session(update)
    t = _asked_in(session, action)
    stale = _stale_question_text(t, query_of(update), session.member)
    if stale is not None:
        await query_of(update).answer(stale, show_alert=True)
        return
    user_id = user_of(update).id
    s = context.services
    if not await privacy_service.forget_member(s.members, s.buddies, s.outbox, s.clock, user_id):
        await query_of(update).answer(views.already_forgotten_text(t))
        return
    context.application.drop_user_data(user_id)
    await refresh_role_menu(context.bot, context.services, user_id)
    await show(update, views.forgotten_text(t))


def _stale_question_text(t: Translator, query: CallbackQuery, member: Member | None) -> str | None:
    """Why "delete everything" cannot be taken from this message, or None. A question asked
    before this account was made (they forgot, then joined again) must not delete the new one,
    and one too old for Telegram to send with the press cannot be checked: they can ask again."""
    if member is None:
        return None  # nothing to delete: the caller says so
    # PTB reads an inaccessible message as a Message with date 0: is_accessible tells them apart.
    if not isinstance(query.message, Message) or not query.message.is_accessible:
        return views.question_too_old_text(t)
    if query.message.date < member.created_at.replace(microsecond=0):
        return views.asked_for_earlier_account_text(t)
    return None


def _asked_in(session: Session, action: views.ConfirmForget | views.KeepData) -> Translator:
    """The member's language; once they are gone, the one the question was asked in."""
    if session.member is not None or action.lang is None:
        return session.t
    return get_translator(action.lang)


async def require_current_consent(update: Update, context: RangkulContext) -> None:
    """Guard: a member who agreed to an older notice is asked again before anything else."""
    session = await context.session(update)
    member = session.member
    if member is None or member.consent_version >= context.services.notice_version:
        return
    if _is_allowed_without_consent(update):
        return
    contact = context.services.settings.privacy_contact
    await show(update, *views.new_notice_view(session.t, contact), edit=False)
    raise ApplicationHandlerStop


async def decline_new_notice(
    update: Update, context: RangkulContext, _: views.DeclineNotice
) -> None:
    """ "Not now" to a changed notice: respected, and asked again next time."""
    session = await context.session(update)
    await show(update, views.new_notice_declined_text(session.t))
    raise ApplicationHandlerStop


async def accept_new_notice(update: Update, context: RangkulContext, _: views.AcceptNotice) -> None:
    """ "I agree" to a changed notice: recorded as a new consent (proof of consent)."""
    session = await context.session(update)
    member = session.member
    if member is None:
        await query_of(update).answer()
        raise ApplicationHandlerStop
    s = context.services
    await renew_consent(s.members, s.clock, member, s.notice_version)
    await show(update, *main_menu(session))
    raise ApplicationHandlerStop


def _is_allowed_without_consent(update: Update) -> bool:
    query = update.callback_query
    if query is not None:
        return any(action.parse(query.data) for action in views.WITHOUT_CONSENT)
    text = update.effective_message.text if update.effective_message else None
    if not text or not text.startswith("/"):
        return False
    command = text[1:].split(maxsplit=1)[0].split("@")[0].lower() if len(text) > 1 else ""
    return command in ALWAYS_ALLOWED_COMMANDS


def consent_guard() -> list[BaseHandler]:
    """For the guards group: the changed notice's answers, then the guard that asks first."""
    return [
        on_button(views.AcceptNotice, accept_new_notice),
        on_button(views.DeclineNotice, decline_new_notice),
        TypeHandler(Update, require_current_consent),
    ]


def handlers() -> list[BaseHandler]:
    """The privacy commands and buttons, for the features group."""
    return [
        CommandHandler("privacy", show_privacy),
        CommandHandler("mydata", send_my_data),
        CommandHandler("forget", ask_to_forget),
        on_button(OpenPrivacy, show_privacy),
        on_button(ReadFullNotice, read_full_notice),
        on_button(views.ConfirmForget, confirm_forget),
        on_button(views.KeepData, keep_data),
    ]
