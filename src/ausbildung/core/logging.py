"""Logging helpers named in settings.LOGGING."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer is the client's mistake or a refusal, not a fault of ours: one line, no traceback.

    Django logs a refused request (PermissionDenied → 403, SuspiciousOperation → 400) with the exception's
    traceback attached; every outsider's probe would fill the log with stack frames. Records of 5xx
    answers and records without a status keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
