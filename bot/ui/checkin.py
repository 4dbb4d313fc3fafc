"""The weekly questionnaire's buttons."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.questionnaires import Purpose
from bot.ui.callbacks import CallbackData


@dataclass(frozen=True)
class StartCheckin(CallbackData, prefix="ck:start"):
    """ "Start" under a check-in prompt or offer: begins the questionnaire, or resumes the one
    left halfway."""

    purpose: Purpose
