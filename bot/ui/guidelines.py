"""The group guidelines, shown to everyone who joins a group (also in /resources: the
"group-guidelines" entry of data/resources.toml says the same in one paragraph)."""

from __future__ import annotations

from bot.i18n import N_, Html, Translator
from bot.ui.view import View

GUIDELINES: tuple[str, ...] = (
    N_(
        "🗣 <b>Share the air</b>: leave room for everyone to speak, and keep your turn short "
        "enough for others."
    ),
    N_(
        "🤐 <b>What is said here stays here</b>: never repeat someone's story or name outside "
        "the group."
    ),
    N_(
        "💬 <b>Speak with “I”</b>: share your own experience (“I felt…”) rather than telling "
        "others what they should do."
    ),
    N_(
        "🤍 <b>It is OK not to share</b>: listening is taking part too, and you can pass at "
        "any time."
    ),
    N_(
        "🛡 <b>No talk of methods of self-harm</b>, so the group stays safe for everyone. If "
        "you are struggling, say so: you will be listened to, and /crisis shows people you "
        "can reach right now."
    ),
)


def guidelines_text(t: Translator) -> Html:
    lines = [t("<b>Our group guidelines</b> 🌱"), *(t(point) for point in GUIDELINES)]
    return Html("\n".join(lines))


def with_guidelines(t: Translator, view: View) -> View:
    """A welcome to a group with the guidelines below it, in the same message: they belong to
    the moment someone joins."""
    text, markup = view
    return f"{text}\n\n{guidelines_text(t)}", markup
