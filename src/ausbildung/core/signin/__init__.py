"""Signing in safely: password reset and change, the second factor (TOTP with recovery codes), and the audit
of logins.

- `passwords.py`: the reset request (throttled per e-mail address and per client address, the same answer
  whether or not an account exists, the mail through the outbox) and setting a new password (audited).
- `two_factor.py`: who needs a second factor (`STAFF_TWO_FACTOR`, staff roles), setting up a TOTP device with
  ten single-use recovery codes, the code step after the password, disabling and regenerating (audited).
  The rule itself is enforced by the one permission middleware (`core.permissions.PermissionMiddleware`).
- `audit.py`: audit rows of logins, failed logins and logouts (Django's auth signals).
- `views.py`, `forms.py`, `urls.py`: the pages (the "Sicherheit" page of a signed-in person among them).
"""
