"""Labels for stable codes, marked for extraction and translated where they are shown."""

from __future__ import annotations

from bot.i18n import N_

TOPIC_LABELS: dict[str, str] = {
    "depression": N_("Depression"),
    "bipolar": N_("Bipolar"),
    "anxiety": N_("Anxiety"),
    "psychosis": N_("Schizophrenia / psychosis"),
    "trauma": N_("Trauma"),
    "addiction": N_("Addiction recovery"),
    "caregivers": N_("Caregivers / family"),
    "other": N_("Other"),
}

# Not translated: each language is offered under its own name, so anyone can find theirs.
LANGUAGE_NAMES: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}
