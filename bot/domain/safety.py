"""Personal safety plans and facilitator alerts as plain data (pure, no I/O).

The six sections follow the Stanley-Brown safety planning steps; a section the person skipped
is simply absent. Answers are the person's own words and only ever shown back to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.crisis_detection import CrisisCategory, CrisisSignal, Detector
from bot.domain.lexicon_text import normalise
from bot.domain.messages import PlannedMessage, instant_text

# Nobody acknowledged a consented alert by then: every facilitator and the coordinators get it.
ESCALATE_AFTER = timedelta(minutes=30)
# Outbox kinds (rendered by bot.notifications.safety): the alert to a facilitator (or, on
# escalation, to every facilitator and coordinator), "your facilitator knows" to the
# person, and a facilitator's message to the person. A relayed text lives only in the outbox
# payload, which the outbox empties as soon as the row is sent, skipped, failed or cancelled.
ALERT_KIND = "crisis_alert"
ALERT_SEEN_KIND = "crisis_alert_seen"
RELAY_KIND = "crisis_relay"
MAX_ANSWER_CHARS = 1000
# A facilitator's message relayed to the person they were alerted about.
MAX_RELAY_CHARS = 1000


class PlanSection(StrEnum):
    WARNING_SIGNS = "warning_signs"
    CALMING = "calming"
    DISTRACTIONS = "distractions"
    HELPERS = "helpers"
    PROFESSIONALS = "professionals"
    ENVIRONMENT = "environment"


SECTIONS: tuple[PlanSection, ...] = tuple(PlanSection)


class CrisisSource(StrEnum):
    """How the crisis reply was reached (recorded; the words that triggered it never are)."""

    COMMAND = "command"
    DETECTED = "detected"
    BUTTON = "button"


class CrisisReplyKind(StrEnum):
    """What the crisis reply puts first (its value travels in callback data: keep it short)."""

    # Harm already done (an overdose taken): an ambulance and the emergency department first;
    # the safety plan is offered, never in the way.
    MEDICAL = "med"
    # Danger from another person: the police, 112 and, for violence and abuse, SAPA 129 first.
    VIOLENCE = "vio"
    # Thoughts of suicide or self-harm, or someone asking for help (/crisis, "Need help now"):
    # their own safety plan first, as they wrote it for this moment, then the essentials.
    PLAN_FIRST = "plan"


def reply_kind(signal: CrisisSignal | None) -> CrisisReplyKind:
    """The crisis reply that fits what was recognised; ``None`` when the person asked for
    help themselves."""
    if signal is None:
        return CrisisReplyKind.PLAN_FIRST
    match signal.category:
        case CrisisCategory.MEDICAL:
            return CrisisReplyKind.MEDICAL
        case CrisisCategory.VIOLENCE:
            return CrisisReplyKind.VIOLENCE
        case _:
            return CrisisReplyKind.PLAN_FIRST


@dataclass(frozen=True, slots=True)
class SafetyPlan:
    answers: dict[PlanSection, str]

    @property
    def is_empty(self) -> bool:
        return not self.answers

    def ordered(self) -> list[tuple[PlanSection, str]]:
        """Answered sections in the plan's order."""
        return [(s, self.answers[s]) for s in SECTIONS if s in self.answers]


class AnswerProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


def clean_answer(
    text: str | None, max_chars: int = MAX_ANSWER_CHARS
) -> tuple[str | None, AnswerProblem | None]:
    """The answer (or relayed message) to store, trimmed, or why it cannot be stored."""
    answer = (text or "").strip()
    if not answer:
        return None, AnswerProblem.EMPTY
    if len(answer) > max_chars:
        return None, AnswerProblem.TOO_LONG
    return answer, None


# Acute danger, beyond crisis words: the lexicon's rules that name preparations or a farewell,
# and, in the same clause as crisis words, a time or an intention ("malam ini", "akan",
# "tonight", "going to"). A conditional clause ("kalau…", "when…") is how a safety plan
# describes a hard moment, so it does not count as acute on its own.
_ACUTE_RULES = frozenset({"preparations", "farewell-note"})
_CLAUSE = re.compile(r"[.,;:!?\n]+")
_IMMINENT = re.compile(
    r"\b(?:akan|bakal|bakalan|malam ini|nanti malam|hari ini|saat ini|sekarang|besok|siap|rencana|"
    r"berencana|tonight|today|right now|now|tomorrow|going to|gonna|will|about to|ready|"
    r"plan|planning)\b"
)
_CONDITIONAL = re.compile(
    r"\b(?:kalau|kalo|klo|jika|jikalau|apabila|bila|ketika|saat(?! ini)|when|whenever|if)\b"
)


def is_acute(text: str | None, detector: Detector) -> bool:
    """Whether ``text`` signals acute danger, not only crisis thoughts: an immediate-danger
    signal, preparations or a farewell, or crisis words with a time or an intention."""
    if not text:
        return False
    signal = detector.detect(text)
    if signal is None:
        return False
    if signal.category.is_immediate_danger:
        return True
    return any(_acute_clause(clause, detector) for clause in _CLAUSE.split(text))


def _acute_clause(clause: str, detector: Detector) -> bool:
    signal: CrisisSignal | None = detector.detect(clause)
    if signal is None:
        return False
    form = normalise(clause)[0]
    if _CONDITIONAL.search(form):
        return False
    return signal.rule in _ACUTE_RULES or _IMMINENT.search(form) is not None


# Naming suicide or self-harm as a subject ("pencegahan bunuh diri", "self-harm support"), as
# opposed to the other rules, which all describe someone's own wish, plan or situation.
_TOPIC_RULES = frozenset({"suicide-named", "self-harm-named"})
_FIRST_PERSON = re.compile(
    r"\b(?:aku|saya|gue|gua|gw|ane|diriku|hidupku|nyawaku|i|im|ive|id|me|my|myself)\b"
)


def names_the_topic(text: str | None, detector: Detector) -> bool:
    """Whether ``text`` names suicide or self-harm as a subject, not as the writer's own
    state: a topic rule only, nothing in the first person, nothing acute. Staff writing a
    group, a meeting place or a resource may use such words (bot/handlers/safety.py); any
    other crisis wording from them still gets the full reply."""
    if not text:
        return False
    signal = detector.detect(text)
    if signal is None or signal.rule not in _TOPIC_RULES:
        return False
    first_person = any(_FIRST_PERSON.search(form) for form in normalise(text))
    return not first_person and not is_acute(text, detector)


class AuthoringDraft(StrEnum):
    """The user_data keys under which staff authoring conversations keep their drafts.

    While one is present a coordinator or facilitator is writing content for others (a
    group, a meeting place, a resource, an announcement), where words like "suicide
    prevention" may be the topic rather than a disclosure: crisis detection then adds a short
    note instead of stopping the step, if the text only names the topic (:func:`names_the_topic`;
    bot/handlers/safety.py). Declared in one place, so the conversations that own these
    drafts and the safety handler agree on them.
    """

    NEW_GROUP = "new_group"
    EDIT_GROUP = "group_edit"
    NEW_MEETING = "new_meeting"
    RESOURCE = "resource_draft"
    BROADCAST = "broadcast"


@dataclass(frozen=True, slots=True)
class CrisisAlert:
    """A consented alert about one member, for their group's facilitators."""

    id: int
    member_id: int
    alias: str  # of the person the alert is about (what facilitators may see)
    group_id: int | None
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by_alias: str | None
    escalated_at: datetime | None

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class AlertOutcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"  # an unacknowledged alert of the last 30 minutes exists
    NO_FACILITATOR = "no_facilitator"


class AckOutcome(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    ALREADY = "already"
    NOT_ALLOWED = "not_allowed"
    GONE = "gone"


class RelayOutcome(StrEnum):
    SENT = "sent"
    INVALID = "invalid"  # empty or too long: see ``problem``
    CRISIS = "crisis"  # the sender's own text has crisis language: nothing is sent
    NOT_ALLOWED = "not_allowed"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class Relayed:
    outcome: RelayOutcome
    alert: CrisisAlert | None = None
    problem: AnswerProblem | None = None
    crisis: CrisisSignal | None = None  # what ``CRISIS`` recognised, for the sender's reply


@dataclass(frozen=True, slots=True)
class SavedAnswer:
    problem: AnswerProblem | None
    # Crisis language in the answer: it is still saved (a plan names hard moments on purpose),
    # and the person is shown a short, gentle note with contacts...
    crisis: CrisisSignal | None = None
    # ... or, when it signals acute danger (an intention, a time, preparations), the full
    # crisis reply.
    acute: bool = False


# --- what the outbox carries about alerts ---------------------------------------------------


def alert_message(
    alert_id: int, about: int, recipient: int, now: datetime, *, escalation: bool
) -> PlannedMessage:
    """The alert to one facilitator now, or (``escalation``) to one of everyone told when
    nobody acknowledged in time; per alert and recipient, so nobody is told twice."""
    role = f"escalation:{recipient}" if escalation else "first"
    return PlannedMessage(
        member_id=recipient,
        kind=ALERT_KIND,
        not_before=now,
        dedupe_key=f"{ALERT_KIND}:{alert_id}:{role}",
        payload={"alert_id": alert_id, "escalation": escalation},
        about_member_id=about,
    )


def alert_prefix(alert_id: int) -> str:
    """Dedupe-key prefix of every alert message of one alert (":" keeps 1 from matching 12)."""
    return f"{ALERT_KIND}:{alert_id}:"


def alert_seen_message(alert_id: int, member_id: int, now: datetime) -> PlannedMessage:
    """ "Your facilitator knows you may need support", to the person."""
    return PlannedMessage(
        member_id=member_id,
        kind=ALERT_SEEN_KIND,
        not_before=now,
        dedupe_key=f"{ALERT_SEEN_KIND}:{alert_id}",
        payload={"alert_id": alert_id},
    )


def relay_message(
    alert_id: int, sender_id: int, recipient_id: int, text: str, now: datetime
) -> PlannedMessage:
    """A facilitator's message to the person; each is a message of its own (the key holds its
    moment), and the sender's /forget takes it along while it is unsent (their own words)."""
    return PlannedMessage(
        member_id=recipient_id,
        kind=RELAY_KIND,
        not_before=now,
        dedupe_key=f"{RELAY_KIND}:{alert_id}:{sender_id}:{instant_text(now)}",
        payload={"alert_id": alert_id, "from": sender_id, "text": text},
        about_member_id=sender_id,
    )
