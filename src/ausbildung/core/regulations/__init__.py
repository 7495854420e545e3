"""Reading German federal training regulations (Ausbildungsordnungen) from their Markdown text.

The parser lives in :mod:`ausbildung.core.regulations.parser` (stdlib only, no Django).
"""
