"""Feedback after meetings: the question with its 1-5 buttons, the comment step, and the
anonymous batch facilitators receive."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.feedback import MAX_COMMENT, RATINGS, DeliveredAnswer
from bot.domain.groups import Group
from bot.domain.meetings import Meeting
from bot.domain.safety import AnswerProblem
from bot.i18n import Html, Translator
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import inline
from bot.ui.meeting_picker import when
from bot.ui.view import View


@dataclass(frozen=True)
class Rate(
    CallbackData,
    prefix="fb:rate",
    own_idempotence="says this one is already answered",
):
    meeting_id: Natural
    rating: Natural


@dataclass(frozen=True)
class SkipComment(CallbackData, prefix="fb:skip"):
    meeting_id: Natural


def _stars(rating: int) -> str:
    return "★" * rating + "☆" * (max(RATINGS) - rating)


def question_view(t: Translator, group: Group, meeting: Meeting, tz: str) -> View:
    text = t(
        "🌱 How helpful was today's meeting of <b>{group}</b> ({when})?\n\n"
        "1 is not helpful, 5 is very helpful. Your answer goes to the facilitators without "
        "your name, only together with at least two other people's answers.",
        group=group.name,
        when=when(t, meeting.starts_at, tz),
    )
    return text, inline([[(str(n), Rate(meeting.id, n)) for n in RATINGS]])


def comment_prompt_view(t: Translator, meeting_id: int, rating: int) -> View:
    text = t(
        "Thank you! You chose {stars} ({rating}/5).\n\n"
        "Is there something that helped, or something that could be better? Write it in one "
        "message (up to {limit} characters), or press Skip.",
        stars=_stars(rating),
        rating=rating,
        limit=MAX_COMMENT,
    )
    return text, inline([[(t("Skip"), SkipComment(meeting_id))]])


def already_answered_text(t: Translator) -> Html:
    return t("You have already answered this one. Thank you!")


def not_asked_text(t: Translator) -> Html:
    return t("This question is not for you, or it has passed.")


def comment_saved_text(t: Translator) -> Html:
    return t(
        "Thank you for your feedback 💚 It goes to the facilitators without your name, "
        "together with other people's answers."
    )


def skipped_text(t: Translator) -> Html:
    return t("Thank you for your answer 💚")


def comment_closed_text(t: Translator) -> Html:
    return t(
        "Thank you. Your rating has already been passed on with other answers, so this comment "
        "was not added."
    )


def comment_problem_text(t: Translator, problem: AnswerProblem | None) -> Html:
    """Text only, and not too long: what to send instead (anything else: text, kindly)."""
    if problem is AnswerProblem.TOO_LONG:
        return t(
            "That is a little long: please keep it to {limit} characters, or press Skip.",
            limit=MAX_COMMENT,
        )
    return t("Please write your comment as a text message, or press Skip.")


def batch_text(
    t: Translator, group: Group, meeting: Meeting, tz: str, answers: Sequence[DeliveredAnswer]
) -> Html:
    """The answers of one batch, in the order given (shuffled by the caller), without names."""
    lines = [
        t(
            "💬 <b>Feedback</b> on the meeting of <b>{group}</b> ({when}): {count} answers, "
            "without names and in random order.",
            group=group.name,
            when=when(t, meeting.starts_at, tz),
            count=len(answers),
        )
    ]
    for answer in answers:
        stars, rating = _stars(answer.rating), answer.rating
        if answer.comment:
            line = t(
                "{stars} {rating}/5\n“{comment}”",
                stars=stars,
                rating=rating,
                comment=answer.comment,
            )
        else:
            line = t("{stars} {rating}/5", stars=stars, rating=rating)
        lines.append(line)
    return Html("\n\n".join(lines))
