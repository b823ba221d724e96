"""Loading a council's offer from a YAML or CSV file: every line checked first, then all or nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pathway.extensions import db
from pathway.models import Entitlement, Frequency, Scope, User
from pathway.rules import offer as rules
from pathway.rules.category import Category
from pathway.services import offer as offer_service

ACTIVITY_CODES = {"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6"}
CONDITION_KEYS = {
    "age_from", "age_under", "categories", "in_area_only", "activities", "needs_independent_move",
    "needs_pa_decision", "age_on_reference", "min_continuous_care_days", "starts_on", "ends_on",
}
REQUIRED = ("slug", "name", "scope", "description", "frequency", "how_to_claim")
CATEGORIES = {c.value for c in Category} - {"not_care_leaver"}


class OfferFileError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Entry:
    line: int
    slug: str
    terms: dict = field(default_factory=dict)


def read_offer_file(path: str | Path) -> list[Entry]:
    path = Path(path)
    if not path.exists():
        raise OfferFileError([f"{path}: no such file"])
    text = path.read_text(encoding="utf-8-sig")
    raw = _read_csv(text) if path.suffix.lower() == ".csv" else _read_yaml(text)
    errors: list[str] = []
    entries: list[Entry] = []
    seen: set[str] = set()
    for line, item in raw:
        entry, problems = _check(line, item)
        if entry and entry.slug in seen:
            problems.append(f"Line {line}: the slug {entry.slug!r} appears more than once")
        errors += problems
        if entry and not problems:
            seen.add(entry.slug)
            entries.append(entry)
    if errors:
        raise OfferFileError(errors)
    if not entries:
        raise OfferFileError(["The file has no entitlements in it"])
    return entries


def _read_yaml(text: str) -> list[tuple[int, dict]]:
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None or not isinstance(node, yaml.SequenceNode):
                raise OfferFileError(["Line 1: the file must be a list of entitlements (each starting with '- slug:')"])
            items = [(item.start_mark.line + 1, loader.construct_object(item, deep=True)) for item in node.value]
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"Line {mark.line + 1}: " if mark else ""
        raise OfferFileError([f"{where}this is not valid YAML ({getattr(error, 'problem', None) or error})"]) from None
    return items


def _read_csv(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    for row in reader:
        conditions = {k: v for k, v in row.items() if k in CONDITION_KEYS and v not in (None, "")}
        item = {k: v for k, v in row.items() if k not in CONDITION_KEYS and k is not None}
        for key in ("categories", "activities"):
            if key in conditions:
                conditions[key] = [part.strip() for part in conditions[key].split(";") if part.strip()]
        for key in ("in_area_only", "needs_independent_move", "needs_pa_decision"):
            if key in conditions:
                conditions[key] = conditions[key].strip().lower() in {"true", "yes", "1"}
        item["conditions"] = conditions
        rows.append((reader.line_num, item))
    return rows


def _pence(line: int, label: str, value) -> tuple[int | None, list[str]]:
    if value is None or str(value).strip().lower() in {"", "varies"}:
        return None, []
    try:
        return rules.parse_money(str(value)), []
    except ValueError as error:
        return None, [f"Line {line}: {label}: {error}"]


def _check(line: int, item) -> tuple[Entry | None, list[str]]:
    if not isinstance(item, dict):
        return None, [f"Line {line}: each entitlement must be a set of fields, like 'slug: driving-lessons'"]
    problems = [f"Line {line}: {key} is missing" for key in REQUIRED if not str(item.get(key) or "").strip()]
    unknown = set(item) - set(REQUIRED) - {"amount", "cap", "conditions"}
    problems += [f"Line {line}: unknown field {key!r}" for key in sorted(unknown)]
    slug = str(item.get("slug") or "").strip()
    if slug and (len(slug) > 80 or not all(c.isalnum() or c == "-" for c in slug) or slug != slug.lower()):
        problems.append(f"Line {line}: slug must be lower-case letters, numbers and hyphens, like driving-lessons")
    scope = frequency = None
    if item.get("scope"):
        try:
            scope = Scope(str(item["scope"]).strip())
        except ValueError:
            problems.append(f"Line {line}: scope must be national or local")
    if item.get("frequency"):
        try:
            frequency = Frequency(str(item["frequency"]).strip())
        except ValueError:
            problems.append(f"Line {line}: frequency must be one_off, yearly or per_claim")
    amount, amount_problems = _pence(line, "amount", item.get("amount"))
    cap, cap_problems = _pence(line, "cap", item.get("cap"))
    problems += amount_problems + cap_problems
    if len(str(item.get("name") or "")) > 120:
        problems.append(f"Line {line}: name must be 120 characters or fewer")
    conditions = item.get("conditions") or {}
    if not isinstance(conditions, dict):
        problems.append(f"Line {line}: conditions must be a set of fields")
        conditions = {}
    problems += [f"Line {line}: unknown condition {key!r}" for key in sorted(set(conditions) - CONDITION_KEYS)]
    terms = {}
    for key in ("age_from", "age_under", "min_continuous_care_days"):
        value = conditions.get(key)
        if value in (None, ""):
            terms[key] = None
        elif str(value).isdigit() and int(value) <= 30000:
            terms[key] = int(value)
        else:
            problems.append(f"Line {line}: {key} must be a whole number")
    categories = [str(c).strip() for c in conditions.get("categories") or []]
    problems += [f"Line {line}: unknown category {c!r} (use {', '.join(sorted(CATEGORIES))})" for c in categories
                 if c not in CATEGORIES]
    activities = [str(a).strip().upper() for a in conditions.get("activities") or []]
    problems += [f"Line {line}: unknown activity code {a!r}" for a in activities if a not in ACTIVITY_CODES]
    reference = conditions.get("age_on_reference")
    if reference not in (None, ""):
        parts = str(reference).split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or not (1 <= int(parts[0]) <= 12 and 1 <= int(parts[1]) <= 31):
            problems.append(f"Line {line}: age_on_reference must be a month and day, like \"08-31\"")
    if problems:
        return None, problems
    terms.update(
        name=str(item["name"]).strip(), description=str(item["description"]).strip(), scope=scope,
        amount_pence=amount, cap_pence=cap, frequency=frequency, how_to_claim=str(item["how_to_claim"]).strip(),
        categories=",".join(categories) or None, activities=",".join(activities) or None,
        in_area_only=bool(conditions.get("in_area_only")), needs_independent_move=bool(conditions.get("needs_independent_move")),
        needs_pa_decision=bool(conditions.get("needs_pa_decision")),
        age_on_reference=str(reference) if reference not in (None, "") else None, starts_on=None, ends_on=None,
    )
    return Entry(line, slug, terms), []


def load_offer(entries: list[Entry], *, by: User | None) -> tuple[int, int]:
    """Create new entitlements and give changed ones a new version of their terms. Commits once.
    Returns (created, changed)."""
    from sqlalchemy import select

    created = changed = 0
    try:
        for position, entry in enumerate(entries):
            existing = db.session.scalar(select(Entitlement).where(Entitlement.slug == entry.slug))
            if existing is None:
                offer_service.create_entitlement(slug=entry.slug, by=by, position=position, **entry.terms)
                created += 1
            else:
                existing.position = position
                if _change_terms_without_commit(existing, entry.terms, by):
                    changed += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return created, changed


def _change_terms_without_commit(entitlement: Entitlement, terms: dict, by: User | None) -> bool:
    from pathway.models import EntitlementVersion
    from pathway.services import audit

    current = entitlement.current
    different = [k for k in offer_service.TERM_FIELDS if getattr(current, k) != terms.get(k)]
    if not different:
        return False
    version = EntitlementVersion(entitlement_id=entitlement.id, number=current.number + 1,
                                 created_by_id=by.id if by else None, **{k: terms.get(k) for k in offer_service.TERM_FIELDS})
    db.session.add(version)
    db.session.flush()
    entitlement.current_version_id = version.id
    audit.record("update", "entitlement", entitlement.id, fields=different, user=by)
    return True


DEFAULT_OFFER = Path(__file__).resolve().parent.parent / "data" / "offer.yaml"
