"""The domain models, one module per area. Import from here."""

from pathway.models.audit import AuditEvent
from pathway.models.auth import AuthSession, OneTimeToken, TokenPurpose
from pathway.models.mail import OutboxEmail
from pathway.models.people import Allocation, Role, Team, TeamManager, User, YoungPerson

__all__ = [
    "Allocation",
    "AuditEvent",
    "AuthSession",
    "OneTimeToken",
    "OutboxEmail",
    "Role",
    "Team",
    "TeamManager",
    "TokenPurpose",
    "User",
    "YoungPerson",
]
