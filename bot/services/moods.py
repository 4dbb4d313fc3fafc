"""Use cases of the quick mood and the progress chart."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.member import Member
from bot.domain.moods import RECENT, Comparison, compare_with_recent, offers_support
from bot.domain.progress import ProgressSeries, progress_series, window_start
from bot.storage.moods import MoodRepository


@dataclass(frozen=True, slots=True)
class MoodRecorded:
    """What the reply at the end of a quick mood says."""

    score: int
    comparison: Comparison
    offer_support: bool


async def record_mood(moods: MoodRepository, clock: Clock, member: Member, score: int) -> int:
    """The tap on the scale: the mood is kept from here on, whatever follows; its id."""
    return await moods.add(member.id, score, clock.now())


async def save_tags(
    moods: MoodRepository, member: Member, mood_id: int, tags: tuple[str, ...]
) -> None:
    """ "Done" under the tags: the ticked ones are kept with the mood."""
    await moods.set_tags(mood_id, member.id, tags)


async def finish_mood(
    moods: MoodRepository, member: Member, mood_id: int, note: str | None
) -> MoodRecorded | None:
    """Keeps the note (if any) and compares the mood with the week before it; None if the mood
    is gone (deleted with everything else in the meantime)."""
    async with moods.transaction() as tx:
        mood = await moods.mood(mood_id, member.id, tx=tx)
        if mood is None:
            return None
        if note is not None:
            await moods.set_note(mood_id, member.id, note, tx=tx)
        earlier, any_before = await moods.before(member.id, mood_id, mood.at - RECENT, tx=tx)
    comparison = compare_with_recent(mood.score, mood.at, earlier, any_before=any_before)
    return MoodRecorded(mood.score, comparison, offers_support(mood.score, comparison))


async def progress(moods: MoodRepository, clock: Clock, member: Member) -> ProgressSeries:
    """The member's WHO-5 scores and daily moods of the last 12 weeks, by day in their zone."""
    now = clock.now()
    since = window_start(now, member.timezone)
    return progress_series(
        now,
        member.timezone,
        await moods.moods_since(member.id, since),
        await moods.who5_since(member.id, since),
    )
