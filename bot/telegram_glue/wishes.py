"""What a visitor chose before signing up (a group's trial sessions, a seat at an open event),
shown again: when they choose it, and once sign-up has finished (bot/conversations/onboarding)."""

from __future__ import annotations

from bot.context import RangkulContext
from bot.domain.member import Member
from bot.i18n import Translator
from bot.services import events as event_service
from bot.services import seats
from bot.ui import events as event_views
from bot.ui import meetings as meeting_views
from bot.ui.onboarding import Wish
from bot.ui.view import View


async def trial_sessions(
    context: RangkulContext, t: Translator, member: Member, group_id: int
) -> View | None:
    """The coming meetings of a group ``member`` may try; None if it offers no trials (now)."""
    services = context.services
    group = await services.groups.active(group_id)
    if group is None or not group.offers_trials:
        return None
    meetings = await seats.trial_meetings(services.meetings, services.clock, group)
    return meeting_views.trial_meetings_view(t, group, meetings, member.timezone)


async def open_event(
    context: RangkulContext, t: Translator, member: Member | None, meeting_id: int, tz: str
) -> View | None:
    """An open event's card (the join link for those who may see it); None once it is gone."""
    s = context.services
    found = await event_service.open_event(s.meetings, s.groups, s.clock, meeting_id)
    if found is None:
        return None
    overview, group = found
    link = await event_service.may_see_link(s.meetings, s.groups, overview.meeting, member)
    return event_views.event_view(t, overview, group, tz, show_link=link)


async def wished(
    context: RangkulContext, t: Translator, member: Member, wish: Wish, target: int
) -> View | None:
    """What the new member chose before signing up, as they will now see it."""
    if wish is Wish.TRIAL:
        return await trial_sessions(context, t, member, target)
    return await open_event(context, t, member, target, member.timezone)
