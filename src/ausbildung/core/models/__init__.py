from .accounts import Invitation, Signup
from .audit import AuditLog, ReadAccess
from .contracts import ContractTrainer, TrainingContract
from .digest import DigestPreference
from .occupations import (
    FrameworkItem,
    FrameworkPlan,
    FrameworkPosition,
    Occupation,
    ProfilePosition,
    Specialisation,
)
from .organisations import Organisation, TrainingSite
from .outbox import FormSubmission, OutgoingMail
from .people import ROLE_ORGANISATION_KINDS, Guardianship, Membership, Role, User
from .regions import Region
from .tokens import ApiToken

__all__ = [
    "ROLE_ORGANISATION_KINDS",
    "ApiToken",
    "AuditLog",
    "ContractTrainer",
    "DigestPreference",
    "FormSubmission",
    "FrameworkItem",
    "FrameworkPlan",
    "FrameworkPosition",
    "Guardianship",
    "Invitation",
    "Membership",
    "Occupation",
    "Organisation",
    "OutgoingMail",
    "ProfilePosition",
    "ReadAccess",
    "Region",
    "Role",
    "Signup",
    "Specialisation",
    "TrainingContract",
    "TrainingSite",
    "User",
]
