"""Deep-link payloads of ``/start``: group invitations, one-time role links and referral sources.

Telegram allows 1-64 characters of ``A-Z a-z 0-9 _ -``; anything else is ignored, never echoed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class LinkKind(Enum):
    GROUP_INVITATION = "g"
    REFERRAL = "r"
    FACILITATOR_INVITATION = "f"
    COORDINATOR_PROMOTION = "c"


@dataclass(frozen=True)
class DeepLink:
    kind: LinkKind
    value: str

    @property
    def payload(self) -> str:
        return f"{self.kind.value}-{self.value}"


def parse_deep_link(payload: str | None) -> DeepLink | None:
    """``g-``, ``f-``, ``c-<code>`` or ``r-<source>``; None for anything malformed or unknown."""
    if not payload or not _PAYLOAD.match(payload):
        return None
    prefix, _, value = payload.partition("-")
    if not value:
        return None
    try:
        kind = LinkKind(prefix)
    except ValueError:
        return None
    # Referral sources are counted in aggregate, so keep their vocabulary small and tidy.
    return DeepLink(kind, value.lower() if kind is LinkKind.REFERRAL else value)
