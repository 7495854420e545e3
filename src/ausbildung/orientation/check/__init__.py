"""The interest check (Interessencheck), one part of the orientation area.

`items` holds the item set and its pure scoring, `ranking` ranks the catalogue's occupations by fit,
`services` saves the answers screen by screen and completes the check (audited), `result` presents a completed
check, `forms` and `views` are its pages. The RIASEC model (`orientation.riasec`) and the occupations' interest
profiles (`orientation.derive`) stay at the app's top: the explorer uses them too.
"""
