""" "Ausbildungsbetrieb werden": winning companies without apprentices as new training companies (a focus area).

Today it holds a guided self-check for such companies (issue #6).

`facts` holds the rules with their paragraphs, `ratio` the guidance on apprentices per skilled staff,
`check` evaluates the answers; `services` files the request with the competent chamber, `selectors` reads
requests through the scopes, `pdf` renders the summary for the chamber's training adviser; `access` holds the
URL rules and the areas.
"""
