"""Running Rangkul on a server: backups and restores, the health check, webhook mode."""

from __future__ import annotations


class OperationError(Exception):
    """An operation that cannot be done; the message is one line naming the file or setting."""
