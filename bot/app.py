"""The composition root: build_application() wires settings, storage, handlers and jobs.

The CLI, the sandbox and the journey tests all call build_application() and setup(), so what is
tested is what runs.
"""

from __future__ import annotations

import random
from datetime import timedelta

from telegram import BotCommandScopeAllPrivateChats, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import RangkulContext
from bot.conversations.alert_reply import build_alert_reply_conversation
from bot.conversations.alias import build_alias_conversation
from bot.conversations.edit_group import build_edit_group_conversation
from bot.conversations.new_group import build_new_group_conversation
from bot.conversations.new_meeting import build_new_meeting_conversation
from bot.conversations.onboarding import build_onboarding_conversation, drop_leftovers
from bot.conversations.resources import (
    build_resource_editor_conversation,
    build_resource_search_conversation,
)
from bot.conversations.safety_plan import build_safety_plan_conversation
from bot.conversations.time_poll import build_time_poll_conversation
from bot.domain.contacts import load_contacts
from bot.domain.resources import load_resources
from bot.handlers import groups, meetings, menu, privacy, resources, safety
from bot.handlers.edits import edited_message_handler
from bot.handlers.errors import on_error
from bot.handlers.public_chats import public_chat_handler
from bot.handlers.reachability import reachability_handler
from bot.i18n import LANGUAGES, get_translator
from bot.jobs.dispatcher import (
    OUTBOX_SHARE_OF_RATE,
    OutboxDispatcher,
    Renderer,
    install_dispatcher,
    recover,
)
from bot.jobs.planner import install_planner, plan_ahead
from bot.notifications.meetings import meeting_renderers
from bot.notifications.safety import safety_renderers
from bot.rate_limiter import ChatRateLimiter
from bot.services.container import Services
from bot.storage.database import Database
from bot.storage.persistence import SqlitePersistence
from bot.telegram_glue.endings import ask_to_forget, cancel
from bot.telegram_glue.roles import set_role_menus
from bot.ui import menu as menu_ui
from bot.ui import privacy as privacy_ui
from bot.ui.callbacks import on_button
from bot.ui.commands import bot_commands
from bot.update_processor import PerUserUpdateProcessor

# Handler groups run in ascending order; order matters.
PUBLIC = -3  # group chats and edited messages: answered here and stopped, before anything else
SAFETY = -2  # /crisis and crisis help: first, from any state, and they stop further handling
GUARDS = -1  # consent to a changed privacy notice
FEATURES = 0  # conversations first, then single-step commands, then catch-alls


class RangkulApplication(Application):
    """PTB's Application, writing persistence right after each update.

    PTB writes conversation states and user_data on a timer; writing them after every update
    (whichever handler group stopped it, safety handlers included) means a crash or restart
    never loses the step someone was on.
    """

    async def process_update(self, update: object) -> None:
        await super().process_update(update)
        await self.update_persistence()


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    notice_version: int = 1,
    rate_limiter: BaseRateLimiter | None = None,
) -> Application:
    """A ready-to-start Application; ``request`` lets the sandbox and tests route the Bot API,
    ``rate_limiter`` replaces the one ``settings.max_rate`` asks for (tests: injected time)."""
    db = Database(settings.database_path)
    clock = clock or SystemClock()
    persistence = SqlitePersistence(db, clock=clock)
    builder = (
        ApplicationBuilder()
        .application_class(RangkulApplication)
        .token(settings.token or "")
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .persistence(persistence)
        .context_types(ContextTypes(context=RangkulContext))
        # Every message is HTML (user text is escaped by the translator); previews would
        # clutter contact lists.
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(PerUserUpdateProcessor())
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if rate_limiter is None and settings.max_rate > 0:
        # Ours, not PTB's AIORateLimiter: a 429 for one chat must not pause every chat.
        rate_limiter = ChatRateLimiter(settings.max_rate)
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    application = builder.build()
    application.bot_data["services"] = Services(
        settings=settings,
        clock=clock,
        db=db,
        contacts=load_contacts(),
        notice_version=notice_version,
        rng=rng or random.Random(),
    )
    # Features add the renderers of their outbox kinds to this dict, e.g.
    # renderers.update(meeting_renderers()); the dispatcher reads it live.
    renderers: dict[str, Renderer] = {}
    renderers.update(meeting_renderers())
    renderers.update(safety_renderers())
    application.bot_data["outbox_renderers"] = renderers
    install_dispatcher(
        application,
        OutboxDispatcher(
            application.bot_data["services"],
            renderers,
            pace_per_second=settings.max_rate * OUTBOX_SHARE_OF_RATE,
        ),
    )
    install_planner(application)
    _register_handlers(application)
    persistence.conversation_timeouts = {
        handler.name: _as_timedelta(handler.conversation_timeout)
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler)
        and handler.name
        and handler.conversation_timeout
    }
    return application


def _as_timedelta(value: float | timedelta) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def _register_handlers(application: Application) -> None:
    add = application.add_handler

    # Group chats are public: nothing below (conversations, drafts, personal replies) sees them.
    add(public_chat_handler(), PUBLIC)
    # An edit is screened for crisis words, never taken as an answer to a step.
    add(edited_message_handler(), PUBLIC)

    add(CommandHandler("crisis", safety.crisis), SAFETY)
    add(on_button(menu_ui.NeedHelp, safety.crisis), SAFETY)
    # Crisis words after a command: before the conversations below, which also take commands.
    add(safety.command_screen(), SAFETY)
    # The safety plan keeps its own answers (crisis words included) before detection reads text.
    add(build_safety_plan_conversation(), SAFETY)
    # A facilitator's message to the person of an alert screens its own text, before detection.
    add(build_alert_reply_conversation(), SAFETY)
    for handler in safety.handlers():  # grounding, alert consent and acknowledgement, detection
        add(handler, SAFETY)

    add(on_button(privacy_ui.AcceptNotice, privacy.accept_new_notice), GUARDS)
    add(on_button(privacy_ui.DeclineNotice, privacy.decline_new_notice), GUARDS)
    # Before the consent guard: blocking or unblocking the bot is no moment to ask for consent.
    add(reachability_handler(), GUARDS)
    add(TypeHandler(Update, privacy.require_current_consent), GUARDS)

    add(build_onboarding_conversation(), FEATURES)
    add(build_alias_conversation(), FEATURES)
    add(build_new_group_conversation(), FEATURES)
    add(build_edit_group_conversation(), FEATURES)
    add(build_new_meeting_conversation(), FEATURES)
    add(build_time_poll_conversation(), FEATURES)
    add(build_resource_search_conversation(), FEATURES)
    add(build_resource_editor_conversation(), FEATURES)
    for command, callback in (
        ("menu", menu.show_menu),
        ("help", menu.show_help),
        ("language", menu.ask_language),
        ("privacy", privacy.show_privacy),
        ("mydata", privacy.send_my_data),
        ("forget", ask_to_forget),
        ("cancel", cancel),
        ("resources", resources.show_resources),
    ):
        add(CommandHandler(command, callback), FEATURES)
    add(on_button(menu_ui.OpenHelp, menu.show_help), FEATURES)
    add(on_button(menu_ui.ChangeLanguage, menu.ask_language), FEATURES)
    add(on_button(menu_ui.OpenPrivacy, privacy.show_privacy), FEATURES)
    add(on_button(menu_ui.SetLanguage, menu.set_language), FEATURES)
    add(on_button(privacy_ui.ConfirmForget, privacy.confirm_forget), FEATURES)
    add(on_button(privacy_ui.KeepData, privacy.keep_data), FEATURES)
    for handler in groups.handlers():
        add(handler, FEATURES)
    for handler in meetings.handlers():
        add(handler, FEATURES)
    for handler in resources.handlers():
        add(handler, FEATURES)
    add(MessageHandler(filters.ChatType.PRIVATE, menu.unknown_input), FEATURES)
    add(CallbackQueryHandler(menu.expired_button), FEATURES)

    application.add_error_handler(on_error)


async def setup(application: Application) -> None:
    """Start-up work, called by every way of running the bot (bot.polling, the sandbox, the
    journey harness) right after ``Application.initialize``; PTB's post_init is not used because
    only its own run_polling calls it."""
    services: Services = application.bot_data["services"]
    await services.db.connection()  # opens and migrates now, so a bad path fails at start
    await recover(application)  # before the outbox job first runs (jobs start with the app)
    await drop_leftovers(application)  # onboarding state of people who have joined since
    # The data file seeds the directory; edits made in the bot are never overwritten.
    await services.resources.start(load_resources(contacts=services.contacts))
    default_lang = services.settings.default_language
    scope = BotCommandScopeAllPrivateChats()
    for lang in LANGUAGES:
        await application.bot.set_my_commands(
            bot_commands(get_translator(lang)), scope=scope, language_code=lang
        )
    await application.bot.set_my_commands(bot_commands(get_translator(default_lang)), scope=scope)
    await set_role_menus(application)  # coordinators' and facilitators' own menus


async def teardown(application: Application) -> None:
    """Closes the database after PTB has flushed persistence."""
    services: Services = application.bot_data["services"]
    await services.db.close()


async def catch_up(application: Application) -> None:
    """One planner pass, then one outbox pass, now: the sandbox runs this right after moving its
    clock, so reminders that became due appear at once rather than on the next heartbeat."""
    await plan_ahead(application.bot_data["services"])
    await application.bot_data["outbox_dispatcher"].run_once(application.bot)
