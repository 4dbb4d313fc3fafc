"""The command menus Telegram shows next to the text field, per language."""

from __future__ import annotations

from telegram import BotCommand

from bot.i18n import N_, Translator

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Join Rangkul or open the menu")),
    ("menu", N_("Main menu")),
    ("crisis", N_("Help in a crisis, right now")),
    ("safetyplan", N_("Your personal safety plan")),
    ("help", N_("What you can do")),
    ("groups", N_("Find a support group")),
    ("mygroups", N_("Your groups")),
    ("mymeetings", N_("Your upcoming meetings")),
    ("ask", N_("Ask your facilitators, anonymously")),
    ("buddy", N_("A buddy for encouragement")),
    ("trial", N_("Try a group session")),
    ("events", N_("Open seminars and events")),
    ("mood", N_("How you feel today")),
    ("checkin", N_("The weekly check-in")),
    ("progress", N_("Your progress chart")),
    ("resources", N_("Information and services")),
    ("settings", N_("Your alias, language, province, topics")),
    ("alias", N_("Change your alias")),
    ("language", N_("Change the language")),
    ("privacy", N_("What we store and why")),
    ("mydata", N_("A copy of your data")),
    ("forget", N_("Delete all your data")),
    ("cancel", N_("Stop what you are doing")),
)


# Extra commands in the menus of people with a role (set per chat when the role changes).
COORDINATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("newgroup", N_("Create a group")),
    ("invite_facilitator", N_("Invite a facilitator to a group")),
    ("promote", N_("Make someone a coordinator")),
    ("addresource", N_("Add an entry to the resources")),
    ("impact", N_("Impact report of the network")),
    ("export", N_("Impact figures as a CSV file")),
    ("audit", N_("Moderation log")),
    ("reports", N_("Open reports about buddy messages")),
    ("broadcast", N_("Send an announcement")),
    ("broadcasts", N_("Your recent announcements and their reports")),
)
FACILITATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("newmeeting", N_("Schedule a meeting")),
    ("meetings", N_("Upcoming meetings of your groups")),
    ("attendance", N_("Mark who came to a meeting")),
    ("poll_time", N_("Ask members which times suit them")),
    ("impact", N_("Impact report of your groups")),
    ("reports", N_("Open reports about buddy messages")),
    ("broadcast", N_("Send an announcement to your group")),
    ("broadcasts", N_("Your recent announcements and their reports")),
)


def bot_commands(t: Translator) -> list[BotCommand]:
    return [BotCommand(command, t(description)) for command, description in COMMANDS]


def role_commands(t: Translator, *, coordinator: bool, facilitator: bool) -> list[BotCommand]:
    """Everyone's commands plus those of the person's roles (a command both roles have, like
    /impact, once: as the coordinator's)."""
    extra = (COORDINATOR_COMMANDS if coordinator else ()) + (
        FACILITATOR_COMMANDS if facilitator else ()
    )
    unique = {command: text for command, text in reversed(extra)}
    ordered = [(command, unique.pop(command)) for command, _ in extra if command in unique]
    return bot_commands(t) + [BotCommand(command, t(text)) for command, text in ordered]
