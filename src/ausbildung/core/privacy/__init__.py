"""Data-protection rights: the registry of personal data, the copy (Art. 15/20), erasure (Art. 17) and the
record of processing activities (Art. 30). See `registry` for how an app declares its data."""

from .registry import (
    ExportFile,
    Kept,
    NotPersonal,
    PersonalData,
    not_personal_models,
    personal_data_kinds,
    register_not_personal,
    register_personal_data,
    registered_models,
)

__all__ = [
    "ExportFile",
    "Kept",
    "NotPersonal",
    "PersonalData",
    "not_personal_models",
    "personal_data_kinds",
    "register_not_personal",
    "register_personal_data",
    "registered_models",
]
