"""Single-step commands and buttons: /menu, /help, /language, /cancel, unknown input, expired
buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.i18n import LANGUAGES, get_translator
from bot.narrowing import query_of
from bot.services.profile import change_language
from bot.telegram_glue.chat import follow_up, main_menu, show
from bot.telegram_glue.distress_reply import answer_distress
from bot.telegram_glue.endings import cancel
from bot.telegram_glue.presses import once_per_step
from bot.telegram_glue.roles import refresh_role_menu
from bot.ui.callbacks import on_button
from bot.ui.menu import (
    ChangeLanguage,
    OpenHelp,
    SetLanguage,
    expired_button_text,
    help_text,
    join_first_text,
    language_choice_view,
    unknown_input_text,
    visitor_menu_view,
)


async def show_menu(update: Update, context: RangkulContext) -> None:
    """/menu: the main menu for members; for everyone else, what they can do without joining
    and a way to join."""
    session = await context.session(update)
    if session.member is None:
        await show(update, *visitor_menu_view(session.t), edit=False)
        return
    view = main_menu(session)
    await show(update, *view, edit=False)


async def show_help(update: Update, context: RangkulContext, _: OpenHelp | None = None) -> None:
    """/help: what this person can do, for their role."""
    session = await context.session(update)
    text = help_text(
        session.t,
        registered=session.member is not None,
        coordinator=session.is_coordinator,
        facilitator=session.is_facilitator,
    )
    await show(update, text, edit=False)


async def ask_language(
    update: Update, context: RangkulContext, _: ChangeLanguage | None = None
) -> None:
    """/language: the language buttons (members only; newcomers choose at /start)."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t))
        return
    await show(update, *language_choice_view(session.t), edit=False)


async def set_language(update: Update, context: RangkulContext, action: SetLanguage) -> None:
    """A language button: store it and answer in the new language (their own command menu
    too, at once)."""
    session = await context.session(update)
    lang = action.code
    if session.member is None or lang not in LANGUAGES:
        await query_of(update).answer(expired_button_text(session.t))
        return
    await change_language(context.services.members, session.member, lang)
    context.forget_session()
    await refresh_role_menu(context.bot, context.services, session.member.telegram_id)
    t = get_translator(lang)
    await show(update, t("Okay, I'll speak English from now on."))
    await follow_up(update, *main_menu(session, t))


async def unknown_input(update: Update, context: RangkulContext) -> None:
    """Text or commands nobody handles: a feeling gets the distress reply ("capek banget",
    "I feel so alone"), anything else a short, kind pointer to the menu, never an echo of what
    was sent. Crisis language never gets here (the safety group answers it and stops)."""
    message = update.message
    is_command = message is not None and (message.text or "").startswith("/")
    if not is_command and await answer_distress(update, context):
        return
    session = await context.session(update)
    await show(update, unknown_input_text(session.t, registered=session.member is not None))


async def expired_button(update: Update, context: RangkulContext) -> None:
    """A button from an old message whose flow has moved on."""
    session = await context.session(update)
    await query_of(update).answer(expired_button_text(session.t), show_alert=True)


def handlers() -> list[BaseHandler]:
    """The menu's commands and buttons, for the features group (/cancel here: outside any
    conversation it only drops drafts and says so)."""
    return [
        CommandHandler("menu", show_menu),
        CommandHandler("help", show_help),
        CommandHandler("language", ask_language),
        CommandHandler("cancel", cancel),
        on_button(OpenHelp, show_help),
        on_button(ChangeLanguage, ask_language),
        on_button(SetLanguage, set_language),
    ]


def catch_alls() -> list[BaseHandler]:
    """Last of all: a private message nothing took, and a button nothing parsed."""
    return [
        MessageHandler(filters.ChatType.PRIVATE, unknown_input),
        # A double tap on a button whose flow has just ended is no expired button.
        CallbackQueryHandler(once_per_step(expired_button)),
    ]
