"""Care episodes: the history the care-leaver category is worked out from."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pathway.extensions import db
from pathway.models.types import UTCDateTime, utcnow

# SSDA903 legal statuses (the ones a leaving care team meets) and reasons episodes end.
LEGAL_STATUSES = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order granted",
    "E1": "Placement order granted",
    "V2": "Single period of accommodation under section 20",
    "V3": "Accommodated under an agreed series of short-term breaks (single placements)",
    "V4": "Accommodated under an agreed series of short-term breaks (multiple placements)",
    "L1": "Under police protection and in local authority accommodation",
    "L2": "Emergency protection order",
    "L3": "Under child assessment order and in local authority accommodation",
    "J1": "Remanded to local authority accommodation or youth detention accommodation",
    "J2": "Placed in local authority accommodation under PACE",
    "J3": "Sentenced to a youth rehabilitation order with residence or intensive fostering",
}
END_REASONS = {
    "E11": "Adopted: application for an adoption order unopposed",
    "E12": "Adopted: consent dispensed with by the court",
    "E13": "Left care to live with parents, relatives or other person with no parental responsibility",
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment determined child is aged 18 or over",
    "E16": "Child moved abroad",
    "E17": "Aged 18 (or over) and remained with current carers (staying put)",
    "E41": "Residence order (or child arrangements order) granted",
    "E45": "Special guardianship order made to former foster carers",
    "E46": "Special guardianship order made to carers other than former foster carers",
    "E47": "Special guardianship order made to former foster carers, who are relatives or friends",
    "E48": "Special guardianship order made to carers other than former foster carers, who are relatives or friends",
    "E4A": "Returned home to live with parents or other person with parental responsibility as part of the care planning process",
    "E4B": "Returned home to live with parents or other person with parental responsibility not as part of the care planning process",
    "E3": "Left care to live independently",
    "E5": "Moved into independent living arrangement (supportive accommodation)",
    "E6": "Transferred to residential care funded by adult social services",
    "E7": "Sentenced to custody",
    "E8": "Period of care ended for any other reason",
    "E9": "Child died",
}


class CareEpisode(db.Model):
    __tablename__ = "care_episode"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)  # exclusive; empty = looked after now
    legal_status: Mapped[str] = mapped_column(String(4))
    end_reason: Mapped[str | None] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    def as_rule(self):
        from pathway.rules.category import CareEpisode as RuleEpisode

        return RuleEpisode(start=self.start_date, end=self.end_date, legal_status=self.legal_status,
                           end_reason=self.end_reason)
