"""Statutory and local rules for leaving care, as pure functions.

Nothing in this package touches Flask, the database or the clock: every rule that depends on
"now" takes ``today`` as an argument. Each module cites the rule it encodes:

- ``dates``: calendar months, birthdays and England & Wales working days.
- ``category``: who is a care leaver (Children Act 1989 Sch 2 para 19B, ss23A, 23C, 24).
- ``reviews``: needs assessment and pathway plan review dates (CPPCR 2010 reg 42).
- ``visits``: personal adviser visits and contact (CLR 2010 reg 8; local contact standard).
- ``keydates``: the key dates shown on a young person's record.
- ``plan_areas`` and ``plan_quality``: the ten Schedule 1 areas and checks on a draft plan.
- ``offer`` and ``postcodes``: who can get each entitlement of the local offer, and the council's area
  (Children and Social Work Act 2017 s2).
- ``passport``: when a document's expiry should be flagged.
- ``accommodation``: SSDA903 accommodation codes, suitability (Schedule 2 factors), staying put
  (s23CZA) and Ofsted-registered supported accommodation (Supported Accommodation (England) Regs 2023).
- ``contacts``: contacts and visits, and in-touch status (SSDA903).
- ``flags``: risk flags computed from a person's history and today, so they are right on any date.
- ``worklist``: next visit and contact due, and the order of a PA's worklist.
"""
