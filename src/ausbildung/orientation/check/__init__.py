"""The interest check (Interessencheck): pages, form and result. Items and scoring live in `orientation.items`,
the writes in `orientation.services`."""
