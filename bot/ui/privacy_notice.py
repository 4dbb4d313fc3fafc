"""The privacy notice, in two layers: a one-screen summary where people agree, and the full
notice (/privacy, or "Read the full notice") in a few messages.

UU 27/2022 asks for informed consent: every kind of data stored, its purpose, who sees it, how
long it is kept, the controller and how to reach them, and every right. The periods shown come
from bot.domain.retention, the table the daily purge enforces, so the notice cannot drift from
what happens. Every line states what the bot does today; nothing here is a promise it could not
keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.domain.retention import RETENTION, Anchor, DataCategory, RetentionRule, rule_for
from bot.domain.safety import ESCALATE_AFTER
from bot.i18n import N_, Html, Translator
from bot.ui.callbacks import CallbackData


@dataclass(frozen=True)
class ReadFullNotice(CallbackData, prefix="pc:full"):
    """Under the summary: the full notice as new messages, the summary's buttons kept."""


# Each category of bot.domain.retention: what is stored and why (its period is added from the
# rule). tests/journeys/test_privacy_notice.py checks every table about members is covered.
CATEGORY_TEXTS: dict[DataCategory, str] = {
    DataCategory.PROFILE: N_(
        "<b>Your profile</b>: your Telegram account id (only so the bot can write to you), "
        "the alias you choose, your language and timezone, your home province (or “online "
        "only”), the topics you picked, that you confirmed you are 18 or older, whether you "
        "facilitate or coordinate, and whether the bot can currently reach you. Why: to talk "
        "to you in your language and suggest groups that suit you."
    ),
    DataCategory.CONSENTS: N_(
        "<b>Your consent</b>: which version of this notice you agreed to, and when. Why: the "
        "law asks us to be able to show your consent."
    ),
    DataCategory.GROUPS: N_(
        "<b>Your groups</b>: the groups you joined or facilitate, and since when, and whose "
        "announcements you muted. Why: to show you your groups and their meetings."
    ),
    DataCategory.INVITATIONS: N_(
        "<b>Role links</b>: facilitator and coordinator links you made or used. Why: so each "
        "link works once, for its role only."
    ),
    DataCategory.SCHEDULING: N_(
        "<b>Meetings you scheduled</b> (facilitators): that you scheduled them, the "
        "announcements you sent (to whom and how many arrived, never their text) and the "
        "Telegram group chats you linked to a group (never what is written there). Why: to "
        "run the group's calendar and chat, and show you your announcements' reports."
    ),
    DataCategory.MEETING_WATCHES: N_(
        "<b>Meeting notices you asked for</b>: the groups whose next meeting you asked to hear "
        "about, and when you asked. Why: to tell you when one is scheduled."
    ),
    DataCategory.SEATS: N_(
        "<b>Your meetings</b>: whether you are coming, your trial sessions and waitlist places, "
        "and whether you came (facilitators mark this). Why: to keep your seat, remind you, "
        "and help facilitators plan."
    ),
    DataCategory.TRIAL_OUTCOMES: N_(
        "<b>After a trial session</b>: your answer to “join this group?”. Why: to ask only "
        "once, and to let you join later."
    ),
    DataCategory.TIME_POLLS: N_(
        "<b>Time polls</b>: the times you picked when your group was asked which times suit, "
        "and the polls you sent if you facilitate. Why: to find a meeting time."
    ),
    DataCategory.SAFETY_PLAN: N_(
        "<b>Your safety plan</b>: what you write in it. Why: so it is there for you in a hard "
        "moment. Only you can see it, and you can change it at any time."
    ),
    DataCategory.CRISIS_EVENTS: N_(
        "<b>Crisis help shown</b>: that the crisis help was shown to you, when, and how you "
        "reached it (the command, a button, or words the bot noticed) — never what you wrote. "
        "Why: so the network can check that crisis help works and how often it is needed."
    ),
    DataCategory.CRISIS_ALERTS: N_(
        "<b>Crisis alerts</b>: an alert you agreed to send — when, who was told, and when "
        "someone responded. Why: to make sure someone responds."
    ),
    DataCategory.MOODS: N_(
        "<b>Your moods</b>: each quick mood you record (1 to 5), the tags you pick and your "
        "note. Why: to show you how you have been. Only you can see them; your note is never "
        "shown to anyone else."
    ),
    DataCategory.CHECKINS: N_(
        "<b>Your check-ins</b>: your answers to the weekly questionnaire (WHO-5 and three "
        "questions about connection, coping and support, and the PHQ-9 if you choose it), "
        "their scores, and the day and time you want to be asked. Why: to show you your "
        "progress. Facilitators and coordinators see only totals of at least 5 people, never "
        "your answers."
    ),
    DataCategory.MEETING_FEEDBACK: N_(
        "<b>Meeting feedback</b>: how helpful you found a meeting and what you wrote about it. "
        "Why: to improve the meetings. Facilitators receive it without your alias, only "
        "together with at least two other people's answers."
    ),
    DataCategory.QUESTIONS: N_(
        "<b>Anonymous questions</b> (/ask): your questions to your group's facilitators and "
        "their answers, and answers you write if you facilitate. Why: to pass them on and "
        "bring the answer back. Facilitators see a question with its group and a ticket "
        "number only, never your alias; you see an answer as coming from “a facilitator”."
    ),
    DataCategory.BUDDIES: N_(
        "<b>Buddies</b>: that you asked for a buddy in a group, who your buddies were and when. "
        "Why: to pair you with someone new and to end a pairing on time. Your buddy sees only "
        "your alias."
    ),
    DataCategory.BUDDY_MESSAGES: N_(
        "<b>Messages to your buddy</b>: what you and your buddy wrote each other through the "
        "bot. Why: so that a message someone reports can be shown to the group's facilitators. "
        "Nobody else reads them."
    ),
    DataCategory.REPORTS: N_(
        "<b>Reports</b>: a buddy message or pairing you report (the reason, when, and what "
        "the facilitators did), and reports others make about you (the same, never who made "
        "them). Why: to keep buddy messages safe. The group's facilitators see a report with "
        "both aliases and the reported message."
    ),
    DataCategory.RELAY_SUSPENSIONS: N_(
        "<b>Paused buddy messages</b>: if facilitators pause your buddy messages, in which "
        "group and until when. Why: to apply the pause."
    ),
    DataCategory.MODERATION_LOG: N_(
        "<b>Moderation log</b>: what facilitators and coordinators did (a warning, ending a "
        "pairing, a pause, a dismissed report, a removal from a group), who did it, about whom "
        "and when — never what anyone wrote. Why: so the network's coordinators can check "
        "that moderation is fair. Only coordinators see it, with aliases."
    ),
    DataCategory.MESSAGES: N_(
        "<b>Messages the bot sends on its own</b> (reminders, alerts, notices): the kind, when, "
        "and whether it arrived; its text is cleared once it is sent. Why: to send each message "
        "once and lose none."
    ),
    DataCategory.DRAFTS: N_(
        "<b>Unfinished steps</b>: your answers while you are in the middle of something, such "
        "as choosing an alias. Why: so you can carry on after a break."
    ),
}

# The three messages the categories are split over in the full notice.
_PROFILE_PART = frozenset(
    {
        DataCategory.PROFILE,
        DataCategory.CONSENTS,
        DataCategory.GROUPS,
        DataCategory.INVITATIONS,
        DataCategory.SCHEDULING,
        DataCategory.SEATS,
        DataCategory.TRIAL_OUTCOMES,
    }
)


# Buddies and moderation: the third message (the second would exceed Telegram's 4096).
_BUDDY_PART = frozenset(
    {
        DataCategory.BUDDIES,
        DataCategory.BUDDY_MESSAGES,
        DataCategory.REPORTS,
        DataCategory.RELAY_SUSPENSIONS,
        DataCategory.MODERATION_LOG,
    }
)


def retention_text(t: Translator, rule: RetentionRule) -> Html:
    """How long a category is kept, in the words of its rule."""
    if rule.keep_for is None:
        return t("Kept while you are a member; /forget deletes it.")
    if rule.after is Anchor.IDLE:
        return t(
            "Deleted when you finish or cancel, or after {hours} hours without activity.",
            hours=_hours(rule.keep_for),
        )
    phrases = {
        Anchor.SENT_OR_DUE: N_(
            "Deleted {days} days after it was sent (or was due, if it never went out)."
        ),
        Anchor.EXPIRY: N_("Deleted {days} days after the link expires (7 days after it is made)."),
        Anchor.MEETING: N_("Deleted {days} days after the meeting."),
        Anchor.ANSWER: N_("Deleted {days} days after you answered."),
        Anchor.LAST_POLL_TIME: N_("Deleted {days} days after the last time the poll offered."),
        Anchor.EVENT: N_("Deleted {days} days after it happened."),
        Anchor.ANSWERED_OR_ASKED: N_(
            "Deleted {days} days after the answer (or after asking, if nobody answered)."
        ),
        Anchor.SENT: N_("Deleted {days} days after it was sent."),
        Anchor.PAIRING_ENDED: N_(
            "Deleted {days} days after the pairing ends; that you asked for a buddy, as soon as "
            "you stop asking."
        ),
        Anchor.HANDLED_OR_MADE: N_(
            "Deleted {days} days after facilitators acted on it (or after it was made, if "
            "nobody did)."
        ),
        Anchor.PAUSE_END: N_("Deleted once the pause is over."),
        Anchor.ASKED: N_("Deleted once you are told, or {days} days after you asked."),
        Anchor.ALERT_CLOSED: N_(
            "Deleted {days} days after the alert, once someone responded or it was passed on."
        ),
        Anchor.RECORDED: N_("Deleted {days} days after you recorded it."),
        Anchor.CHECKIN_ANSWERED: N_(
            "Your answers are deleted {days} days after you gave them; the day and time you "
            "want to be asked are kept while you are a member."
        ),
    }
    assert rule.after is not None, "a rule with a period says what starts it"
    return t(phrases[rule.after], days=rule.keep_for.days)


def _days(category: DataCategory) -> int:
    period = rule_for(category).keep_for
    assert period is not None, f"{category} has a period"
    return period.days


def _hours(period: timedelta) -> int:
    return int(period.total_seconds() // 3600)


def contact_line(t: Translator, contact: str | None) -> Html:
    """How to reach the controller: PRIVACY_CONTACT, or the coordinators through a facilitator
    (never a made-up address)."""
    if contact:
        return t("Privacy questions and requests: {contact}", contact=contact)
    return t(
        "This network has not published a privacy contact: for privacy questions and requests, "
        "ask a facilitator of your group to pass them on to the network's coordinators."
    )


def notice_summary(t: Translator, contact: str | None) -> Html:
    """The first layer, shown where people agree: one phone screen."""
    minutes = int(ESCALATE_AFTER.total_seconds() // 60)
    lines = [
        t("<b>Your privacy — the short version</b>"),
        t(
            "• <b>What we keep</b>: your alias, language, province and topics; your groups, "
            "meetings and poll answers; your safety plan if you write one; that crisis help was "
            "shown to you; and a log of the messages the bot sends. Never your name, phone "
            "number or Telegram username."
        ),
        t("• <b>Why</b>: only to connect you with peer support groups and to keep you safe."),
        t(
            "• <b>Who sees it</b>: other members only your alias. Your group's facilitators "
            "also see whether you come to meetings. If you agree to it in a crisis, your "
            "facilitator is told; if nobody responds within {minutes} minutes, the other "
            "facilitators and the coordinators are told too.",
            minutes=minutes,
        ),
        t(
            "• <b>Automatic checks</b>: every message is checked for signs of crisis so help "
            "can come at once; the check keeps nothing of what you wrote."
        ),
        t("• <b>Telegram</b> carries every message, on its servers outside Indonesia."),
        t(
            "• <b>How long</b>: your profile while you are a member; meeting records "
            "{seat_days} days, crisis records {crisis_days} days, the message log "
            "{message_days} days.",
            seat_days=_days(DataCategory.SEATS),
            crisis_days=_days(DataCategory.CRISIS_EVENTS),
            message_days=_days(DataCategory.MESSAGES),
        ),
        t(
            "• <b>Your rights</b>: a copy with /mydata, corrections with /settings, "
            "and /forget deletes everything (and withdraws your consent)."
        ),
        "• " + contact_line(t, contact),
        t(
            "Health information is <i>specific personal data</i> under Indonesia's Personal "
            "Data Protection Law (UU No. 27/2022)."
        ),
    ]
    return Html("\n".join(lines))


def full_notice(
    t: Translator,
    contact: str | None,
    version: int,
    rules: tuple[RetentionRule, ...] = RETENTION,
) -> list[Html]:
    """The full notice, one section per message (each well under Telegram's 4096 characters);
    ``rules``: the retention in force (Services.retention), with the network's own periods."""
    return [
        _about(t, contact, version),
        _categories(
            t, t("<b>What we store, why, and for how long</b> (1/3)"), _PROFILE_PART, rules
        ),
        _categories(
            t,
            t("<b>What we store, why, and for how long</b> (2/3)"),
            frozenset(DataCategory) - _PROFILE_PART - _BUDDY_PART,
            rules,
        ),
        _categories(t, t("<b>What we store, why, and for how long</b> (3/3)"), _BUDDY_PART, rules),
        _who_sees_what(t),
        _rights(t, contact),
    ]


def _about(t: Translator, contact: str | None, version: int) -> Html:
    return Html(
        "\n\n".join(
            [
                t("<b>Privacy notice</b> (version {version})", version=version),
                t(
                    "Rangkul is a Telegram bot run by a network of peer support groups in "
                    "Indonesia. The network is the controller of your data: it decides what "
                    "is stored and why."
                ),
                contact_line(t, contact),
                t(
                    "Information about your health is <i>specific personal data</i> under "
                    "Indonesia's Personal Data Protection Law (UU No. 27/2022). We store only "
                    "what is listed here, use it only for these purposes, and never sell it. We "
                    "never store your name, phone number or Telegram username."
                ),
            ]
        )
    )


def _categories(
    t: Translator,
    title: Html,
    part: frozenset[DataCategory],
    rules: tuple[RetentionRule, ...],
) -> Html:
    lines: list[str] = [title]
    for rule in rules:
        if rule.category in part:
            text = t(CATEGORY_TEXTS[rule.category])
            lines.append(f"• {text} <i>{retention_text(t, rule)}</i>")
    return Html("\n\n".join(lines))


def _who_sees_what(t: Translator) -> Html:
    minutes = int(ESCALATE_AFTER.total_seconds() // 60)
    return Html(
        "\n\n".join(
            [
                t("<b>Who sees what</b>"),
                "\n".join(
                    [
                        t("• Other members see only your alias, never your Telegram account."),
                        t(
                            "• Facilitators of a group see the aliases of its members and of "
                            "people coming to a trial session, how many are coming to each "
                            "meeting, and they mark who came. Time poll results show them "
                            "counts, never names."
                        ),
                        t(
                            "• Coordinators manage the groups, see their facilitators' aliases, "
                            "and receive crisis alerts that are passed on to them."
                        ),
                        t(
                            "• Only you see your safety plan, your province, your topics and "
                            "your poll answers."
                        ),
                        t("• Whoever runs the bot's server can technically read its database."),
                    ]
                ),
                t(
                    "<b>Crisis alerts</b>: only if you agree, the bot tells a facilitator of "
                    "your group that you are having a hard time — your alias and the time, "
                    "never what you wrote. If nobody responds within {minutes} minutes, every "
                    "facilitator of the group and the network's coordinators are told too. A "
                    "facilitator may then send you a message through the bot.",
                    minutes=minutes,
                ),
                t(
                    "<b>Automatic checks</b>: every message you send is checked automatically "
                    "for signs that you may be in danger, so the bot can show crisis contacts "
                    "at once. The check keeps nothing of your message; what is kept is only "
                    "what this notice lists."
                ),
                t(
                    "<b>Telegram</b>: every message to and from the bot goes through Telegram, "
                    "which processes it on servers outside Indonesia under its own privacy "
                    "policy. We share your data with no one else beyond the people named above."
                ),
            ]
        )
    )


def _rights(t: Translator, contact: str | None) -> Html:
    return Html(
        "\n".join(
            [
                t("<b>Your rights</b>"),
                t("• <b>Access</b>: /mydata sends you everything we store about you."),
                t("• <b>Portability</b>: that copy is a JSON file other services can read."),
                t(
                    "• <b>Correction</b>: /settings corrects your alias, language, province "
                    "and topics; for anything else, ask (see below)."
                ),
                t(
                    "• <b>Erasure</b>: /forget deletes everything at once, including unfinished "
                    "steps and messages not sent yet."
                ),
                t(
                    "• <b>Withdrawing consent</b>: /forget, at any time. When this notice "
                    "changes you may also answer “Not now”: until you agree, the bot only helps "
                    "with your rights and in a crisis."
                ),
                t(
                    "• <b>Objection and restriction</b>: you may object to any use described "
                    "here or ask to limit it (see below). You can always say no to a crisis "
                    "alert."
                ),
                "• " + contact_line(t, contact),
                t("/privacy shows this notice again."),
            ]
        )
    )
