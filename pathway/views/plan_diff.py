"""What changed between two versions of a plan: word-level differences per area, and targets and
contingency plans added, removed or changed."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from pathway.models import PathwayPlan
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea

# Words keep their trailing space, so a changed phrase reads as one removed and one added run.
_TOKENS = re.compile(r"\s*\S+\s*|\s+")


@dataclass
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass
class TextChange:
    label: str
    segments: list[Segment]


@dataclass
class AreaChanges:
    area: PlanArea
    texts: list[TextChange] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.texts or self.added or self.removed or self.changed)


def word_diff(old: str, new: str) -> list[Segment]:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
        if op in ("delete", "replace"):
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("added", "".join(b[j1:j2])))
    return segments


def _target_line(t) -> str:
    return f"{t.what} (by {t.due_on.day} {t.due_on:%B %Y}; {t.status.label.lower()})"


def _contingency_line(c) -> str:
    return f"If {c.what_might_go_wrong}: {c.what_we_will_do} ({c.who})"


def compare_plans(older: PathwayPlan, newer: PathwayPlan) -> list[AreaChanges]:
    """Changes per area, in Schedule 1 order; areas with no changes are left out."""
    old_areas = {a.area: a for a in older.areas}
    new_areas = {a.area: a for a in newer.areas}
    result = []
    for area in PLAN_AREAS:
        changes = AreaChanges(area)
        for attr, label in (("current_situation", "How things are now"), ("young_person_words", "In their words")):
            old_text = getattr(old_areas.get(area), attr, "") or ""
            new_text = getattr(new_areas.get(area), attr, "") or ""
            if old_text != new_text:
                changes.texts.append(TextChange(label, word_diff(old_text, new_text)))
        old_targets = {t.what: t for t in older.targets if t.area is area}
        new_targets = {t.what: t for t in newer.targets if t.area is area}
        changes.added += [_target_line(t) for w, t in new_targets.items() if w not in old_targets]
        changes.removed += [_target_line(t) for w, t in old_targets.items() if w not in new_targets]
        for what in old_targets.keys() & new_targets.keys():
            before, after = _target_line(old_targets[what]), _target_line(new_targets[what])
            if before != after or old_targets[what].how_we_know != new_targets[what].how_we_know:
                changes.changed.append(f"{before} → {after}")
        old_c = {_contingency_line(c) for c in older.contingencies if c.area is area}
        new_c = {_contingency_line(c) for c in newer.contingencies if c.area is area}
        changes.added += sorted(f"Contingency plan: {c}" for c in new_c - old_c)
        changes.removed += sorted(f"Contingency plan: {c}" for c in old_c - new_c)
        if changes.any:
            result.append(changes)
    return result
