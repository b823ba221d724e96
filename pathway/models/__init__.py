"""The domain models, one module per area. Import from here."""

from pathway.models.audit import AuditEvent
from pathway.models.auth import AuthSession, OneTimeToken, RecoveryCode, TokenPurpose, TwoFactor
from pathway.models.break_glass import BreakGlassGrant
from pathway.models.cache import CacheVersion
from pathway.models.care import CareEpisode
from pathway.models.contact import AccommodationMove, Contact, FlagAction, HelpRequest, ReminderSent
from pathway.models.mail import OutboxEmail
from pathway.models.offer import (
    Claim,
    ClaimStatus,
    CouncilSetting,
    Entitlement,
    EntitlementVersion,
    Frequency,
    MoneyPeriod,
    MoneyPlan,
    OfferQuestion,
    Payment,
    Scope,
)
from pathway.models.oversight import FlagCache, OversightKind, OversightNote, Supervision
from pathway.models.passport import AnsweredBy, PassportAnswer, PassportGroup, PassportItem, PassportStatus
from pathway.models.people import Allocation, Role, Team, TeamManager, User, YoungPerson
from pathway.models.plans import (
    Contingency,
    PathwayPlan,
    PlanAreaEntry,
    PlanStatus,
    Responsible,
    ReviewReason,
    ReviewRequest,
    Target,
    TargetStatus,
)
from pathway.models.rights import RecordDeletion
from pathway.models.saved_forms import SavedForm

__all__ = [
    "RecordDeletion",
    "CacheVersion",
    "BreakGlassGrant",
    "FlagCache",
    "OversightKind",
    "OversightNote",
    "Supervision",
    "AccommodationMove",
    "Contact",
    "FlagAction",
    "HelpRequest",
    "ReminderSent",
    "Claim",
    "ClaimStatus",
    "CouncilSetting",
    "Entitlement",
    "EntitlementVersion",
    "Frequency",
    "MoneyPeriod",
    "MoneyPlan",
    "OfferQuestion",
    "Payment",
    "Scope",
    "Allocation",
    "CareEpisode",
    "Contingency",
    "PathwayPlan",
    "PlanAreaEntry",
    "PlanStatus",
    "Responsible",
    "ReviewReason",
    "ReviewRequest",
    "SavedForm",
    "Target",
    "TargetStatus",
    "AuditEvent",
    "AuthSession",
    "OneTimeToken",
    "RecoveryCode",
    "TwoFactor",
    "OutboxEmail",
    "Role",
    "Team",
    "TeamManager",
    "TokenPurpose",
    "User",
    "YoungPerson",
    "AnsweredBy",
    "PassportAnswer",
    "PassportGroup",
    "PassportItem",
    "PassportStatus",
]
