"""Accounts: self sign-up of pupils and applicants (with the guardian's consent under 16), registration and
verification of companies, invitations into organisations and guardianships, leaving and removing members.

`services.py` writes (each state change audited, mail through the outbox), `selectors.py` reads through the
person's scopes, `views.py`/`forms.py`/`urls.py` the pages (docs/permissions.md).
"""
