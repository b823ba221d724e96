"""The ten areas every pathway plan and review must cover (CLR 2010 Schedule 1).

The values are stable strings for the database and forms; ``title`` is the heading shown to
people, and ``number`` is the area's place in Schedule 1.
"""

from __future__ import annotations

from enum import Enum


class PlanArea(Enum):
    """A Schedule 1 pathway plan area, in Schedule order."""

    CONTACT_SUPPORT = "contact_support"
    EDUCATION_TRAINING = "education_training"
    EMPLOYMENT = "employment"
    CONTINGENCY = "contingency"
    ACCOMMODATION = "accommodation"
    FAMILY_RELATIONSHIPS = "family_relationships"
    INDEPENDENT_LIVING = "independent_living"
    FINANCE = "finance"
    HEALTH = "health"
    IDENTITY = "identity"

    @property
    def title(self) -> str:
        """Human heading, for example "Financial support"."""
        return _TITLES[self]

    @property
    def number(self) -> int:
        """Position in CLR 2010 Schedule 1, from 1 to 10."""
        return list(PlanArea).index(self) + 1


_TITLES = {
    PlanArea.CONTACT_SUPPORT: "Contact and personal support",
    PlanArea.EDUCATION_TRAINING: "Education or training",
    PlanArea.EMPLOYMENT: "Employment or other purposeful activity",
    PlanArea.CONTINGENCY: "Contingency plans",
    PlanArea.ACCOMMODATION: "Accommodation",
    PlanArea.FAMILY_RELATIONSHIPS: "Family and social relationships",
    PlanArea.INDEPENDENT_LIVING: "Practical and independent living skills",
    PlanArea.FINANCE: "Financial support",
    PlanArea.HEALTH: "Health and development, including mental health",
    PlanArea.IDENTITY: "Identity: religion, racial origin, culture and language",
}

PLAN_AREAS: tuple[PlanArea, ...] = tuple(PlanArea)
"""All ten areas in Schedule 1 order."""
