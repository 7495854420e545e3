"""A refused request is one line in the log, not a traceback.

Attack: an outsider probing URLs they may not open made Django log every 403 (PermissionDenied) with the
exception's traceback: the log fills with stack frames, real faults drown in them.

Defence: the console handler's filter (core.logging.ClientErrorsWithoutTraceback) keeps the one-line
message of a 4xx record and drops its traceback; 5xx records keep theirs.
"""

from __future__ import annotations

import io
import logging

from django.urls import reverse


def test_a_403_is_logged_as_one_line(client_for):
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        response = client_for("pupil").get(reverse("core:contract_list"))
    finally:
        console.setStream(previous)
    assert response.status_code == 403
    logged = stream.getvalue().strip().splitlines()
    assert len(logged) == 1, logged
    assert "Forbidden (Permission denied): /vertraege/" in logged[0]
    assert "Traceback" not in stream.getvalue()
