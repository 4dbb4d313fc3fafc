"""Rangkul: a Telegram bot for a network of peer support groups in Indonesia."""

import os

# PTB 22 reports durations (RetryAfter.retry_after) as timedelta only when asked to; opting in
# now silences its deprecation warning and matches the next major version.
os.environ.setdefault("PTB_TIMEDELTA", "true")
