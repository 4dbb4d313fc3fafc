"""Every button is idempotent by construction: a press whose step has passed changes nothing.

Every button handler runs :func:`stop_if_passed` first: ``on_button`` (bot/ui/callbacks.py)
brings it along, every conversation adds it to its other button handlers (conversation.py),
and the answer to a button nothing takes any more has it too (bot/handlers/menu.py). So every
button, present or added later, gets it without doing anything; an action whose handler gives
a more specific answer itself opts out, with the reason, by declaring ``own_idempotence``.
A press is passed, and gets a short toast instead of its handler, when

- its button is no longer on the message it was pressed under, and the bot has edited that
  message since it was sent: the step it showed has moved on (the second tap of a double tap
  that Telegram sent after the bot's reply to the first), or
- the same button on the same, unchanged message was the last one pressed there, moments ago:
  both taps of a quick double tap reach the bot before its reply to the first, so both show
  the old message (so does a second tap on a button that posts new messages).

A deliberate second press later, or one after the message changed (another alias suggestion),
runs as usual. What was pressed is kept in memory only, per application, for a few seconds.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.ext import ApplicationHandlerStop

from bot.context import RangkulContext

# Longer than any double tap (and a slow network's retry), shorter than a deliberate second
# look: pressing "Grounding exercise now" again a minute later must work.
REPEAT_WINDOW = timedelta(seconds=5)
_KEY = "recent_presses"


@dataclass
class RecentPresses:
    """The last press handled on each message in the last REPEAT_WINDOW: (chat, message) ->
    (data, the message as pressed, when)."""

    last: dict[tuple[int, int], tuple[str, str, datetime]] = field(default_factory=dict)

    def repeated(self, message: tuple[int, int], data: str, shown: str, now: datetime) -> bool:
        """Whether this press repeats the one just handled on the same, unchanged message
        (paging forth, back and forth again is no repeat); records it."""
        for old in [k for k, (_, _, at) in self.last.items() if now - at >= REPEAT_WINDOW]:
            del self.last[old]
        before = self.last.get(message)
        self.last[message] = (data, shown, now)
        return before is not None and before[:2] == (data, shown)


def _message_digest(message: Message) -> str:
    """What the person saw when pressing: the text and the buttons."""
    markup = message.reply_markup.to_dict() if message.reply_markup else None
    shown = json.dumps([message.text, message.caption, markup], sort_keys=True)
    return hashlib.sha256(shown.encode()).hexdigest()


def _buttons_of(message: Message) -> set[str]:
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup is not None else ()
    return {str(b.callback_data) for row in rows for b in row if b.callback_data is not None}


def is_passed(query: CallbackQuery, presses: RecentPresses, now: datetime) -> bool:
    """Whether ``query`` presses a button whose step has passed (see the module's docstring).
    A message too old for Telegram to send with the press cannot be judged: it runs."""
    message = query.message
    if not isinstance(message, Message) or query.data is None:
        return False
    if query.data not in _buttons_of(message):
        # Edited since it was sent: the step it showed has moved on. Data never on an unedited
        # message is forged; its handler refuses it with the reason.
        return message.edit_date is not None
    where = (message.chat.id, message.message_id)
    return presses.repeated(where, query.data, _message_digest(message), now)


async def stop_if_passed(update: Update, context: RangkulContext) -> None:
    """A press whose step has passed gets the toast and stops here (ApplicationHandlerStop):
    its handler and every later handler group leave it alone, and a conversation stays in the
    state it was in."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return  # nothing to judge (see is_passed)
    presses: RecentPresses = context.bot_data.setdefault(_KEY, RecentPresses())
    if not is_passed(query, presses, context.services.clock.now()):
        return
    t = (await context.session(update)).t
    await query.answer(t("This has already been taken care of."))
    raise ApplicationHandlerStop


Callback = Callable[..., Coroutine[Any, Any, Any]]


def once_per_step(callback: Callback) -> Callback:
    """``callback`` behind :func:`stop_if_passed`: for a button handler that is no on_button
    one (which brings the guard along), such as a flow's catch-all for its stale buttons."""

    @functools.wraps(callback)
    async def run(update: Update, context: RangkulContext, *rest: Any) -> Any:
        await stop_if_passed(update, context)
        return await callback(update, context, *rest)

    return run
