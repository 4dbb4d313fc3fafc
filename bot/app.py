"""The composition root: build_application() wires settings, storage, handlers and jobs.

The CLI, the sandbox and the journey tests all call build_application() and setup(), so what is
tested is what runs.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from telegram import BotCommandScopeAllPrivateChats, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    BaseRateLimiter,
    ContextTypes,
    ConversationHandler,
    Defaults,
)
from telegram.request import BaseRequest

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import RangkulContext
from bot.conversations import (
    alert_reply,
    alias,
    answer_question,
    ask,
    broadcast,
    buddy_message,
    checkin,
    edit_group,
    feedback,
    mood,
    new_group,
    new_meeting,
    onboarding,
    safety_plan,
    time_poll,
)
from bot.conversations import resources as resource_conversations
from bot.conversations import settings as settings_conversation
from bot.data_files import (
    crisis_contacts,
    crisis_detector,
    distress_detector,
    phq9,
    resource_directory,
    who5,
)
from bot.handlers import (
    broadcasts,
    buddies,
    edits,
    events,
    groups,
    impact,
    meetings,
    menu,
    moderation,
    privacy,
    progress,
    public_chats,
    reachability,
    resources,
    safety,
)
from bot.handlers.errors import on_error
from bot.i18n import LANGUAGES, get_translator
from bot.jobs.broadcast_progress import install_broadcast_progress, show_progress
from bot.jobs.dispatcher import OutboxDispatcher, Renderer, install_dispatcher, recover
from bot.jobs.planner import install_planner, plan_ahead
from bot.jobs.retention import install_retention
from bot.notifications.broadcasts import broadcast_renderers
from bot.notifications.buddies import buddy_renderers
from bot.notifications.call_requests import call_request_renderers
from bot.notifications.checkins import checkin_renderers
from bot.notifications.feedback import feedback_renderers
from bot.notifications.group_chats import group_chat_posters, group_chat_renderers
from bot.notifications.meeting_watch import meeting_watch_renderers
from bot.notifications.meetings import meeting_renderers
from bot.notifications.moderation import moderation_renderers
from bot.notifications.questions import question_renderers
from bot.notifications.safety import safety_renderers
from bot.rate_limiter import ChatRateLimiter
from bot.services.container import NOTICE_VERSION, Services
from bot.services.resources import load_directory
from bot.storage.database import Database
from bot.storage.persistence import SqlitePersistence
from bot.telegram_glue.roles import install_role_menus
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
        if self._persistence_is_behind():
            await self.update_persistence()

    def _persistence_is_behind(self) -> bool:
        """Whether the store lacks something of this update: a conversation state, a deletion,
        a changed user_data. PTB marks every sender's user_data after every update, and an
        update_persistence() that then writes nothing still cost each /help a fifth of its CPU
        (a lock all updates share, a task, deep copies). What is left to write is PTB's own
        criterion (its tracked conversation writes and deletions), and for user_data the
        persistence's own check, so no write is ever skipped; data kinds this persistence
        does not compare (chat_data, bot_data, callback_data, when stored) always write."""
        persistence = self.persistence
        if not isinstance(persistence, SqlitePersistence):
            return True
        stored = persistence.store_data
        if stored.chat_data or stored.bot_data or stored.callback_data:
            return True
        if (
            self._user_ids_to_be_deleted_in_persistence
            or self._chat_ids_to_be_deleted_in_persistence
        ):
            return True
        # TrackingDict keeps the keys written since the last save (PTB's own trigger).
        if any(
            states._write_access_keys
            for states in self._conversation_handler_conversations.values()
        ):
            return True
        if not stored.user_data:
            return False
        pending = self._user_ids_to_be_updated_in_persistence
        if any(
            not persistence.user_data_is_stored(user_id, self.user_data.get(user_id, {}))
            for user_id in pending
        ):
            return True
        # All as stored: what update_persistence() would have done with them is nothing, so
        # they are done (and the set stays at one person, not everyone of the last seconds).
        pending.clear()
        return False


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    notice_version: int = NOTICE_VERSION,
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
        contacts=crisis_contacts(),
        notice_version=notice_version,
        rng=rng or random.Random(),
    )
    # Features add the renderers of their outbox kinds to this dict, e.g.
    # renderers.update(meeting_renderers()); the dispatcher reads it live.
    renderers: dict[str, Renderer] = {}
    renderers.update(meeting_renderers())
    renderers.update(meeting_watch_renderers())
    renderers.update(safety_renderers())
    renderers.update(call_request_renderers())
    renderers.update(checkin_renderers())
    renderers.update(feedback_renderers())
    renderers.update(question_renderers())
    renderers.update(buddy_renderers())
    renderers.update(moderation_renderers())
    renderers.update(broadcast_renderers())
    renderers.update(group_chat_renderers())
    application.bot_data["outbox_renderers"] = renderers
    # No pacing of its own: the rate limiter paces the outbox behind replies (and with
    # TELEGRAM_MAX_RATE=0 nothing is paced at all).
    dispatcher = OutboxDispatcher(
        application.bot_data["services"],
        renderers,
        pace_per_second=0,
        posters=group_chat_posters(),
    )
    install_dispatcher(application, dispatcher)
    install_planner(application)
    install_broadcast_progress(application)
    install_retention(application)
    install_role_menus(application)  # in the background, never in front of getUpdates
    application.add_handlers(_handlers())
    application.add_error_handler(on_error)
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


# Sequence, not list: PTB's add_handlers takes a dict, and dict values are invariant.
def _handlers() -> dict[int, Sequence[BaseHandler[Any, RangkulContext, Any]]]:
    """Every feature's handlers, group by group, in the order they are tried.

    In a group the first handler that takes an update is the only one there to see it, so the
    order below is the behaviour: conversations before commands and buttons (at their steps
    they take text, and the safety plan any command), catch-alls last. Commands and buttons of
    different modules never take the same update (each command has one handler; callback
    prefixes are unique by construction, bot/ui/callbacks.py), so among them order is free.
    """
    return {
        # Group chats are public: nothing below (conversations, drafts, personal replies) sees
        # them. An edit is screened for crisis words, never taken as an answer to a step.
        PUBLIC: [*public_chats.handlers(), *edits.handlers()],
        SAFETY: [
            # /crisis, "Need help now", crisis words after a command: before the conversations
            # below, which also take commands.
            *safety.before_conversations(),
            # The private end of the crisis deep link /crisis posts in a group chat, before
            # the safety plan's conversation (which takes any command at its steps).
            *public_chats.safety_handlers(),
            # The safety plan keeps its own answers (crisis words included) before detection.
            *safety_plan.handlers(),
            # A facilitator's message to the person of an alert screens its own text.
            *alert_reply.handlers(),
            # Anonymous questions and their answers screen their own texts, to say what was
            # held back (a question with crisis words is not sent: bot/conversations/ask.py).
            *ask.handlers(),
            *answer_question.handlers(),
            # Messages between buddies, likewise (bot/conversations/buddy_message.py).
            *buddy_message.handlers(),
            *safety.after_conversations(),  # grounding, alert buttons, crisis detection last
        ],
        # Blocking or unblocking the bot is no moment to ask for consent: before the guard.
        GUARDS: [*reachability.handlers(), *privacy.consent_guard()],
        FEATURES: [
            *onboarding.handlers(),
            *alias.handlers(),
            *settings_conversation.handlers(),
            *checkin.handlers(),
            *new_group.handlers(),
            *edit_group.handlers(),
            *new_meeting.handlers(),
            *time_poll.handlers(),
            *resource_conversations.handlers(),
            *feedback.handlers(),
            *mood.handlers(),
            *broadcast.handlers(),
            # Last of the conversations: an open search takes any text no other flow awaits.
            *resource_conversations.search_handlers(),
            *menu.handlers(),
            *privacy.handlers(),
            *resources.handlers(),
            *groups.handlers(),
            *meetings.handlers(),
            *events.handlers(),
            *impact.handlers(),
            *feedback.buttons(),
            *ask.buttons(),
            *buddies.handlers(),
            *buddy_message.buttons(),
            *moderation.handlers(),
            *progress.handlers(),
            *broadcasts.handlers(),
            *public_chats.private_handlers(),  # choosing the group of a linked chat
            *menu.catch_alls(),
        ],
    }


async def setup(application: Application) -> None:
    """Start-up work, called by every way of running the bot (bot.polling, the sandbox, the
    journey harness) right after ``Application.initialize``; PTB's post_init is not used because
    only its own run_polling calls it."""
    services: Services = application.bot_data["services"]
    await services.db.connection()  # opens and migrates now, so a bad path fails at start
    await recover(application)  # before the outbox job first runs (jobs start with the app)
    await onboarding.drop_leftovers(application)  # of people who have joined since
    # The data file seeds the directory; edits made in the bot are never overwritten.
    await load_directory(
        services.resource_store, services.resources, services.clock, resource_directory()
    )
    crisis_detector()  # loaded now: a bad edit of a lexicon or model stops start-up
    distress_detector()
    who5()  # the questionnaires' instruments, likewise
    phq9()
    default_lang = services.settings.default_language
    scope = BotCommandScopeAllPrivateChats()
    for lang in LANGUAGES:
        await application.bot.set_my_commands(
            bot_commands(get_translator(lang)), scope=scope, language_code=lang
        )
    await application.bot.set_my_commands(bot_commands(get_translator(default_lang)), scope=scope)


async def teardown(application: Application) -> None:
    """Closes the database after PTB has flushed persistence."""
    services: Services = application.bot_data["services"]
    await services.db.close()


async def catch_up(application: Application) -> None:
    """One planner pass, one outbox pass, then one look at running announcements, now: the
    sandbox runs this right after moving its clock, so reminders that became due appear at once
    rather than on the next heartbeat."""
    services = application.bot_data["services"]
    await plan_ahead(services)
    await application.bot_data["outbox_dispatcher"].run_once(application.bot)
    await show_progress(services, application.bot)
