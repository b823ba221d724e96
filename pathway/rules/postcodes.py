"""Postcodes and the council's area (issue 4, DOMAIN.md "Entitlements": residence in the council's area).

A council's area is a setting: a list of postcode districts such as "TS1-TS8, TS10, DL1". A young
person's accommodation postcode decides whether they live in the area; a personal adviser can
override that with a reason (not here: this module only reads postcodes).

The shape of a postcode follows the Royal Mail / BS 7666 format that GOV.UK services validate:

- an outward code (area letters + district): A9, A99, AA9, AA99, A9A or AA9A, where the first letter
  is not Q, V or X, the second letter of a two-letter area is not I, J or Z, and a trailing district
  letter is one Royal Mail uses in that position;
- an inward code: a digit and two letters, not C, I, K, M, O or V.

Case and spaces do not matter ("ts1 3bx", "TS13BX"). A two-digit district never starts with 0
("TS01" is not a district). Non-geographic codes (GIR 0AA, BFPO, overseas territories) are not
read as postcodes: ``in_area`` then answers "unknown", which a personal adviser resolves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_AREA = r"[A-PR-UWYZ][A-HK-Y]?"
_NUMBER = r"(?:[0-9]|[1-9][0-9])"
_OUTWARD = (
    r"(?:[A-PR-UWYZ][A-HK-Y]?" + _NUMBER + r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"

_POSTCODE_RE = re.compile(rf"(?P<outward>{_OUTWARD})(?P<inward>{_INWARD})")
_DISTRICT_RE = re.compile(_OUTWARD)
_RANGE_END_RE = re.compile(rf"(?P<area>{_AREA})?(?P<number>{_NUMBER})")
_NUMBERED_DISTRICT_RE = re.compile(rf"(?P<area>{_AREA})(?P<number>{_NUMBER})")
_SEPARATORS = re.compile(r"[,;\s]+")
_DASH = re.compile(r"\s*[-\u2010-\u2015]\s*")


def normalise_postcode(postcode: str | None) -> str | None:
    """Return ``postcode`` in the standard form "TS1 3BX", or None if it is missing or not a postcode.

    Ignores case and every space, so "ts1 3bx", " TS13BX " and "TS1  3BX" all give "TS1 3BX".
    """
    if postcode is None:
        return None
    compact = "".join(postcode.split()).upper()
    match = _POSTCODE_RE.fullmatch(compact)
    if match is None:
        return None
    return f"{match['outward']} {match['inward']}"


def outward_code(postcode: str | None) -> str | None:
    """Return the outward code (postcode district) of a full postcode: "ts1 3bx" -> "TS1".

    Returns None when ``postcode`` is missing or is not a full UK postcode (an outward code on its
    own, such as "TS1", is not a postcode).
    """
    normalised = normalise_postcode(postcode)
    return None if normalised is None else normalised.split(" ")[0]


def parse_districts(spec: str | Iterable[str]) -> frozenset[str]:
    """Read the council's area setting into a set of postcode districts.

    ``spec`` is text such as "TS1-TS8, TS10, DL1" (parts separated by commas, semicolons, spaces or
    new lines) or an iterable of such parts. A range runs between two numbered districts of the same
    postcode area, lowest first: "TS1-TS8" or the short form "TS1-8". Case and spaces do not matter;
    empty parts (a trailing comma) are ignored, so an empty setting gives an empty set.

    Raises ``ValueError`` naming the first part that is not a district or a range.
    """
    text = spec if isinstance(spec, str) else ",".join(spec)
    districts: set[str] = set()
    for part in _SEPARATORS.split(_DASH.sub("-", text)):
        if part:
            districts.update(_parse_part(part))
    return frozenset(districts)


def _parse_part(part: str) -> set[str]:
    compact = part.upper()
    sides = compact.split("-")
    if len(sides) == 1:
        if _DISTRICT_RE.fullmatch(compact) is None:
            raise ValueError(f'"{part}" is not a postcode district: enter districts like TS1 or ranges like TS1-TS8')
        return {compact}
    if len(sides) != 2:
        raise ValueError(f'"{part}" is not a postcode district range: enter a range like TS1-TS8')
    start = _NUMBERED_DISTRICT_RE.fullmatch(sides[0])
    end = _RANGE_END_RE.fullmatch(sides[1])
    if start is None or end is None:
        raise ValueError(f'"{part}" is not a postcode district range: enter a range like TS1-TS8')
    area = start["area"]
    if end["area"] is not None and end["area"] != area:
        raise ValueError(f'"{part}" mixes postcode areas: a range must stay in one area, like TS1-TS8')
    low, high = int(start["number"]), int(end["number"])
    if low > high:
        raise ValueError(f'"{part}" goes backwards: put the lower district first, like TS1-TS8')
    return {f"{area}{number}" for number in range(low, high + 1)}


def in_area(postcode: str | None, districts: frozenset[str]) -> bool | None:
    """Return whether ``postcode`` is in one of the council's ``districts``.

    None means unknown, not "out of area": the postcode is missing or not a postcode, or the council
    has not set its districts. A district without a letter also covers its lettered sub-districts
    ("W1" covers "W1A 1AA" and "EC1" covers "EC1A 1BB").
    """
    district = outward_code(postcode)
    if district is None or not districts:
        return None
    if district in districts:
        return True
    return district[-1].isalpha() and district[:-1] in districts
