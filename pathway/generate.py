"""A generated council for performance work: `flask pathway generate --young-people N`.

Builds, in an empty database, a council shaped like a real one and scaled by N: one personal adviser
per 100 young people, teams of five advisers, a manager per team, a head of service who manages every
team and an administrator. Young people are aged 16 to 24 (support lasts to 25) with care histories
that make them care leavers, and several years of PA changes, moves, contacts and visits, pathway plans with targets and
contingencies, claims, passport answers, help requests, audit events and management oversight.

Deterministic for a seed and a `today`. Fast: rows are built as dicts and written with Core bulk
inserts in chunks (on PostgreSQL with COPY: the same rows, faster), with ids assigned here (the
database starts empty), and the one staff password is hashed once. Every staff account signs in with
GENERATED_PASSWORD; the emails are printed by the CLI.

The CouncilSetting ``generated_dataset`` records what was generated, so a benchmark can check that
the database it measures holds generated data only.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from operator import itemgetter

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, insert, select, text

from pathway.demo import FAMILY, GIVEN
from pathway.demo_offer import IN_AREA
from pathway.demo_plans import CONTINGENCIES, SITUATION, TARGETS, WORDS
from pathway.extensions import db
from pathway.models import (
    AccommodationMove,
    Allocation,
    AuditEvent,
    CareEpisode,
    Claim,
    ClaimStatus,
    Contact,
    Contingency,
    CouncilSetting,
    Entitlement,
    EntitlementVersion,
    HelpRequest,
    OversightKind,
    OversightNote,
    PassportAnswer,
    PassportItem,
    PassportStatus,
    PathwayPlan,
    Payment,
    PlanAreaEntry,
    PlanStatus,
    ReviewReason,
    ReviewRequest,
    Role,
    Supervision,
    Target,
    TargetStatus,
    Team,
    TeamManager,
    User,
    YoungPerson,
)
from pathway.models.passport import AnsweredBy
from pathway.rules.accommodation import REGISTRATION_REQUIRED
from pathway.rules.contacts import ContactKind
from pathway.rules.dates import age_on, birthday
from pathway.rules.plan_areas import PLAN_AREAS
from pathway.services.offer_file import DEFAULT_OFFER, load_offer, read_offer_file
from pathway.services.passwords import hash_password

GENERATED_PASSWORD = "generated-pathway-password"  # noqa: S105 - documented test password, generated data only # nosec B105
# Generated staff use two-factor sign-in with this documented authenticator key (base32) and these recovery
# codes, the same for every account (each stored encrypted or hashed per account). Generated data only.
GENERATED_TWO_FACTOR_KEY = "GENERATEDPATHWAYBENCHMARKSTAFFKY"
GENERATED_RECOVERY_CODES = tuple(f"gen{c}2-34567" for c in "abcdefghjk")
SETTING_KEY = "generated_dataset"
EMAIL_DOMAIN = "generated.example"
MAX_YOUNG_PEOPLE = 200_000
PEOPLE_PER_ADVISER = 100
ADVISERS_PER_TEAM = 5
HISTORY_YEARS = 4  # the council started using Pathway this long ago: histories start then at the earliest
CHUNK = 5_000

TEAM_PLACES = ["North", "South", "East", "West", "Central", "Coast", "Valley", "Riverside", "Moor", "Harbour"]
OUT_OF_AREA = ["LS1 4AP", "DL3 6AA", "NE1 7RU", "YO1 9QL"]
EET = ["F2", "F5", "P5", "F4", "F1", "P2", "P4", "P1"]
NEET = ["G5", "G4", "G6"]
PROVIDERS = {"C": "Northshire Children's Homes", "D": "Northshire Housing", "E": "Homes with Heart Lodgings",
             "T": "Northshire Foyer", "W": "Station Guest House", "X": "HMP Northshire", "V": "Night Shelter"}
WELLBEING = ["Doing well, sleeping better.", "Worried about money this month.", "Settled and enjoying college.",
             "Low mood; talked about the GP.", "Busy with work, tired but positive."]
NEXT_STEPS = ["Meet again in a month.", "Help with the budget next time.", "Chase the dentist appointment.",
              "Look at college courses together.", "Call the housing officer about repairs."]
NOTES = ["Caught up over a coffee.", "Talked about money and bills.", "Checked in after the move.",
         "Went through the plan targets.", "Quick call to arrange the next visit."]
OVERSIGHT_NOTES = ["Discussed in supervision: keep visits fortnightly until the tenancy is settled.",
                   "Direction: review the contingency plan for money before the next review.",
                   "Case audit: plan in date, visits to standard, voice of the young person is clear."]
HELP_TOPICS = [("money", "My money has run out before payday."), ("housing", "My landlord wants me out."),
               ("health", "I need to see a doctor but I am not registered."), ("other", "Can you call me?"),
               ("unsafe", "Someone keeps coming to my flat and I do not feel safe.")]
# What a young person may claim, by age (slugs from pathway/data/offer.yaml).
CLAIMS_UNDER_18 = ["16-to-19-bursary", "birthday-allowance", "emergency-payment"]
CLAIMS_ADULT = ["setting-up-home-allowance", "driving-lessons", "birthday-allowance", "emergency-payment",
                "deposit-and-bond", "council-tax-reduction"]

# Insert order: parents before children, so foreign keys hold on PostgreSQL too.
TABLES = [Team, User, TeamManager, YoungPerson, CareEpisode, Allocation, AccommodationMove, Contact, PathwayPlan,
          PlanAreaEntry, Target, Contingency, ReviewRequest, HelpRequest, Claim, Payment, PassportAnswer,
          OversightNote, Supervision, AuditEvent, CouncilSetting]


class GenerationRefused(Exception):
    """The generator will not run: the message says why."""


@dataclass
class GeneratedSummary:
    young_people: int = 0
    teams: int = 0
    advisers: int = 0
    managers: int = 0
    young_person_accounts: int = 0
    allocations: int = 0
    moves: int = 0
    contacts: int = 0
    plans: int = 0
    targets: int = 0
    claims: int = 0
    passport_answers: int = 0
    help_requests: int = 0
    oversight_notes: int = 0
    supervisions: int = 0
    audit_events: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"{f.name.replace('_', ' ').capitalize()}: {getattr(self, f.name):,}"
               for f in fields(self) if f.name != "seconds"]
        return [*out, f"Seconds taken: {self.seconds:.1f}"]


def check_size(young_people: int) -> None:
    """Refuse a size that makes no sense, with a message for the person who asked."""
    if isinstance(young_people, bool) or not isinstance(young_people, int):
        raise GenerationRefused("The number of young people must be a whole number.")
    if young_people < 1:
        raise GenerationRefused(f"The number of young people must be at least 1 (you asked for {young_people}).")
    if young_people > MAX_YOUNG_PEOPLE:
        raise GenerationRefused(f"{young_people:,} young people is an absurd size: the most is {MAX_YOUNG_PEOPLE:,} "
                                "(the largest council in England supports about 3,000 care leavers).")


def check_empty() -> None:
    users = db.session.scalar(select(func.count()).select_from(User)) or 0
    people = db.session.scalar(select(func.count()).select_from(YoungPerson)) or 0
    if users or people:
        held = f"{users:,} users" if users else f"{people:,} young people"
        raise GenerationRefused(f"generate builds a new dataset in an empty database; this one already holds {held}.")


def staff_sign_ins(teams: int) -> list[tuple[str, str]]:
    """The staff emails to print: (role, email)."""
    rows = [("Administrator", f"admin@{EMAIL_DOMAIN}"), ("Head of service", f"head.of.service@{EMAIL_DOMAIN}")]
    rows += [(f"Manager of team {k}", f"manager{k}@{EMAIL_DOMAIN}") for k in range(1, min(teams, 3) + 1)]
    rows.append(("Personal adviser", f"adviser1@{EMAIL_DOMAIN}"))
    return rows


class _Writer:
    """Buffers rows per table and writes them with Core bulk inserts, parents first."""

    def __init__(self) -> None:
        self.rows: dict[type, list[dict]] = defaultdict(list)
        self.counts: dict[type, int] = defaultdict(int)
        self.next_ids = {model: (db.session.scalar(select(func.max(model.id))) or 0) + 1
                         for model in TABLES if "id" in model.__table__.c}

    def new_id(self, model) -> int:
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def add(self, model, **row) -> int | None:
        if model in self.next_ids and "id" not in row:
            row["id"] = self.new_id(model)
        self.rows[model].append(row)
        self.counts[model] += 1
        return row.get("id")

    def maybe_flush(self) -> None:
        """Write what is buffered once there is plenty (called between young people, so parents go first)."""
        if sum(len(r) for r in self.rows.values()) >= 10 * CHUNK:
            self.flush()

    def flush(self) -> None:
        for model in TABLES:
            rows = self.rows.pop(model, [])
            by_keys: dict[tuple, list[dict]] = defaultdict(list)
            for row in rows:
                by_keys[tuple(sorted(row))].append(row)
            for keys, group in by_keys.items():
                if db.session.get_bind().dialect.name == "postgresql":
                    _copy(model.__table__, keys, group)
                    continue
                for start in range(0, len(group), CHUNK):
                    db.session.execute(insert(model.__table__), group[start:start + CHUNK])

    def fix_sequences(self) -> None:
        """PostgreSQL: ids were given explicitly, so move each sequence past them."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for model in self.next_ids:
            table = model.__table__.name
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608 # nosec B608 # table names are our models'
                                    f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"))


def _copy(table, keys: tuple[str, ...], rows: list[dict]) -> None:
    """PostgreSQL: write rows with COPY on the session's own connection (in its transaction).

    Faster than multi-row INSERTs (less than half the write time at 2,000 young people), the same rows: each
    value goes through its column's bind processor (enums, UTC datetimes) and a column the row leaves
    out gets its Python-side default, as a Core insert would give it.
    """
    connection = db.session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer
    given = [table.c[k] for k in keys]
    defaulted = [c for c in table.columns if c.name not in keys and c.default is not None
                 and (c.default.is_scalar or c.default.is_callable)]
    columns = given + defaulted
    processors = [(i, p) for i, c in enumerate(columns)
                  if (p := c.type._cached_bind_processor(dialect)) is not None]  # noqa: SLF001 - SQLAlchemy's cache
    defaults = [c.default for c in defaulted]
    pick = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    names = ", ".join(quote.quote(c.name) for c in columns)
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {quote.format_table(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            values = [*pick(row), *(d.arg if d.is_scalar else d.arg(None) for d in defaults)]
            for i, process in processors:
                if values[i] is not None:
                    values[i] = process(values[i])
            copy.write_row(values)


def _at(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, clock(hour, 0), tzinfo=UTC)


def _random_days(rng: random.Random, start: date, end: date, count: int) -> list[date]:
    span = (end - start).days
    if span <= 0 or count <= 0:
        return []
    return sorted({start + timedelta(days=rng.randint(1, span)) for _ in range(count)})


def generate(young_people: int, *, today: date, seed: int = 1, commit: bool = True) -> GeneratedSummary:
    """Build the generated council in the current (empty) database.

    Commits unless ``commit`` is False; then the rows are only flushed, for the caller to commit or roll
    back (loading the offer catalogue first still commits its own rows, as `flask pathway load-offer` does).
    """
    check_size(young_people)
    check_empty()
    started = time.perf_counter()
    rng = random.Random(seed)  # nosec B311 # made-up council data, the same for the same seed
    load_offer(read_offer_file(DEFAULT_OFFER), by=None)  # the council's offer, as `flask pathway load-offer`
    w = _Writer()
    password_hash = hash_password(GENERATED_PASSWORD)
    council = _staff(w, rng, young_people, today, password_hash)
    offer = _offer_terms()
    items = list(db.session.execute(select(PassportItem.id, PassportItem.is_document, PassportItem.title)
                                    .where(PassportItem.active.is_(True)).order_by(PassportItem.id)))
    for n in range(young_people):
        w.maybe_flush()
        _young_person(w, rng, n, council, today, password_hash, offer, items)
    _supervisions(w, rng, council, today)
    w.add(AuditEvent, at=_at(today, 8), user_id=council.admin, role=Role.ADMIN.value, action="generate",
          record_type="council", record_id=None, young_person_id=None, changed_fields=None, request_id=None)
    w.add(CouncilSetting, key=SETTING_KEY, updated_by_id=council.admin,
          value=json.dumps({"young_people": young_people, "seed": seed, "generated_on": today.isoformat()}))
    w.flush()
    w.fix_sequences()
    enrol_staff_two_factor()
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    c = w.counts
    return GeneratedSummary(
        young_people=c[YoungPerson], teams=c[Team], advisers=len(council.advisers), managers=len(council.managers) + 1,
        young_person_accounts=c["accounts"],
        allocations=c[Allocation], moves=c[AccommodationMove], contacts=c[Contact], plans=c[PathwayPlan],
        targets=c[Target], claims=c[Claim], passport_answers=c[PassportAnswer], help_requests=c[HelpRequest],
        oversight_notes=c[OversightNote], supervisions=c[Supervision], audit_events=c[AuditEvent],
        seconds=time.perf_counter() - started,
    )


def enrol_staff_two_factor() -> int:
    """Enrol every staff account in two-factor sign-in with GENERATED_TWO_FACTOR_KEY and
    GENERATED_RECOVERY_CODES, replacing what they had: the secret is encrypted, and the codes hashed,
    with this app's SECRET_KEY. A benchmark that starts a server with a new SECRET_KEY calls this with
    an app holding that key first. Returns how many accounts. No commit."""
    from pathway.models import RecoveryCode, TwoFactor
    from pathway.services.two_factor import encrypt_secret, hash_recovery_code

    staff = list(db.session.scalars(select(User.id).where(User.role != Role.YOUNG_PERSON).order_by(User.id)))
    for start in range(0, len(staff), CHUNK):
        chunk = staff[start:start + CHUNK]
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id.in_(chunk)))
        db.session.execute(delete(TwoFactor).where(TwoFactor.user_id.in_(chunk)))
    now = datetime.now(UTC)
    secret = encrypt_secret(GENERATED_TWO_FACTOR_KEY)
    rows = [{"user_id": uid, "secret": secret, "confirmed_at": now, "failed_attempts": 0, "created_at": now,
             "updated_at": now} for uid in staff]
    codes = [{"user_id": uid, "code_hash": hash_recovery_code(uid, code), "created_at": now}
             for uid in staff for code in GENERATED_RECOVERY_CODES]
    for table, values in ((TwoFactor.__table__, rows), (RecoveryCode.__table__, codes)):
        for start in range(0, len(values), CHUNK):
            db.session.execute(insert(table), values[start:start + CHUNK])
    return len(staff)


@dataclass
class _Council:
    admin: int
    head: int
    managers: list[int]  # one per team, in team order
    teams: list[int]
    advisers: list[tuple[int, int, str]]  # (user id, team index, first name), active
    former: list[tuple[int, int, str]]  # one inactive adviser per team


def _staff(w: _Writer, rng: random.Random, young_people: int, today: date, password_hash: str) -> _Council:
    adviser_count = max(1, math.ceil(young_people / PEOPLE_PER_ADVISER))
    team_count = math.ceil(adviser_count / ADVISERS_PER_TEAM)

    def user(email, name, role, team=None, active=True, started=None):
        return w.add(User, email=email, name=name, role=role, active=active, password_hash=password_hash,
                     failed_sign_ins=0, team_id=team, started_role_on=started, created_at=_at(today, 7))

    teams = []
    for k in range(team_count):
        place = TEAM_PLACES[k % len(TEAM_PLACES)]
        suffix = f" {k // len(TEAM_PLACES) + 1}" if k >= len(TEAM_PLACES) else ""
        teams.append(w.add(Team, name=f"Leaving Care Team {place}{suffix}", created_at=_at(today, 7)))
    admin = user(f"admin@{EMAIL_DOMAIN}", "Alex Morgan", Role.ADMIN)
    head = user(f"head.of.service@{EMAIL_DOMAIN}", "Helen Carter", Role.MANAGER,
                started=today - relativedelta(years=6))
    managers = []
    for k, team in enumerate(teams):
        manager = user(f"manager{k + 1}@{EMAIL_DOMAIN}", f"{GIVEN[(k * 7) % 30]} {FAMILY[(k * 11) % 30]}",
                       Role.MANAGER, started=today - timedelta(days=rng.randint(200, 3000)))
        managers.append(manager)
        w.add(TeamManager, team_id=team, user_id=manager)
        w.add(TeamManager, team_id=team, user_id=head)

    def name(n):
        return GIVEN[(n * 13 + 5) % 30], FAMILY[(n * 17 + 3) % 30]

    advisers = []
    for n in range(adviser_count):
        given, family = name(n)
        team = n // ADVISERS_PER_TEAM
        uid = user(f"adviser{n + 1}@{EMAIL_DOMAIN}", f"{given} {family}", Role.ADVISER, teams[team],
                   started=today - timedelta(days=rng.randint(60, 4000)))
        advisers.append((uid, team, given))
    former = []
    for k, team in enumerate(teams):
        given, family = name(adviser_count + k)
        uid = user(f"former.adviser{k + 1}@{EMAIL_DOMAIN}", f"{given} {family}", Role.ADVISER, team, active=False,
                   started=today - timedelta(days=rng.randint(2000, 4000)))
        former.append((uid, k, given))
    return _Council(admin=admin, head=head, managers=managers, teams=teams, advisers=advisers, former=former)


def _offer_terms() -> dict[str, tuple[int, int, int | None]]:
    """slug -> (entitlement id, current version id, amount in pence)."""
    rows = db.session.execute(
        select(Entitlement.slug, Entitlement.id, Entitlement.current_version_id, EntitlementVersion.amount_pence)
        .join(EntitlementVersion, EntitlementVersion.id == Entitlement.current_version_id)
    )
    return {slug: (eid, vid, amount) for slug, eid, vid, amount in rows}


def _young_person(w: _Writer, rng: random.Random, n: int, council: _Council, today: date, password_hash: str,
                  offer: dict, items: list) -> None:
    age = 16 + n % 9 if n < 9 else rng.randint(16, 24)  # support lasts to the 25th birthday
    dob = today - relativedelta(years=age) - timedelta(days=rng.randint(1, 360))
    d16, d18 = birthday(dob, 16), birthday(dob, 18)
    adviser, team, _ = council.advisers[n % len(council.advisers)]
    if n % 97 == 41:  # a few still allocated to an adviser who has left
        adviser = council.former[team][0]
    manager = council.managers[team]
    given, family = GIVEN[rng.randrange(30)], FAMILY[rng.randrange(30)]
    account = None
    if n % 10 == 0:  # about 1 in 10 can sign in
        account = w.add(User, email=f"young.person{n + 1}@{EMAIL_DOMAIN}", name=f"{given} {family}",
                        role=Role.YOUNG_PERSON, active=True, password_hash=password_hash, failed_sign_ins=0,
                        team_id=None, started_role_on=None, created_at=_at(today, 7))
    person = w.new_id(YoungPerson)
    _care(w, rng, person, dob, d16, d18, age, today)
    start = max(d16, today - relativedelta(years=HISTORY_YEARS))
    periods = _allocations(w, rng, person, start, adviser, team, manager, council, today)

    def pa_on(day: date) -> int:
        for since, who in reversed(periods):
            if since <= day:
                return who
        return periods[0][1]

    moves, unvisited = _moves(w, rng, person, dob, start, today, pa_on)
    activity = _contacts(w, rng, person, start, today, moves, unvisited, pa_on)
    last = moves[-1]
    independent = next((day for day, code, _ in moves if code[0] == "U" and age_on(dob, day) >= 18), None)
    if account:
        w.counts["accounts"] += 1
    w.rows[YoungPerson].append(dict(
        id=person, given_name=given, family_name=family, preferred_name=None, date_of_birth=dob, pronouns=None,
        first_language="English", phone=f"07700 {900000 + n % 100000:06d}",
        email=f"young.person{n + 1}@{EMAIL_DOMAIN}" if account else None, home_postcode=last[2],
        main_activity=activity, independent_move_on=independent, user_id=account, created_at=_at(start, 9)))
    w.counts[YoungPerson] += 1
    _plans(w, rng, person, start, today, moves, pa_on, manager, council.advisers[n % len(council.advisers)][2])
    _offer_and_passport(w, rng, person, dob, today, pa_on, offer, items, account, activity)
    _oversight_and_audit(w, rng, person, start, today, pa_on, manager)


def _care(w, rng, person, dob, d16, d18, age, today) -> None:
    start = birthday(dob, 14) + timedelta(days=rng.randint(20, 400))
    status = "V2" if rng.random() < 0.2 else "C2"
    if age >= 18:
        if rng.random() < 0.75:
            end, reason = d18, rng.choice(["E17", "E3", "E5"])
        else:  # left care at 17: relevant, then former relevant
            end, reason = d16 + timedelta(days=rng.randint(91, 600)), "E5"
    elif (today - d16).days > 60 and rng.random() < 0.5:  # left care after 16: relevant
        end, reason = d16 + timedelta(days=rng.randint(30, (today - d16).days)), "E5"
    else:  # still looked after: eligible
        end, reason = None, None
    w.add(CareEpisode, young_person_id=person, start_date=start, end_date=end, legal_status=status,
          end_reason=reason, created_at=_at(start), version=1)


def _allocations(w, rng, person, start, adviser, team, manager, council, today) -> list[tuple[date, int]]:
    roll = rng.random()
    span_start = start
    if roll < 0.25:
        changes = 0
    elif roll < 0.60:
        changes = 1
    elif roll < 0.85:
        changes = 2
    elif roll < 0.95:
        changes = 3
    else:  # too many changes: three or four in the last 12 months
        changes, span_start = rng.randint(3, 4), max(start, today - timedelta(days=365))
    days = _random_days(rng, span_start, today - timedelta(days=1), changes)
    pool = [a[0] for a in council.advisers if a[1] == team and a[0] != adviser] + [council.former[team][0]]
    history = [rng.choice(pool) for _ in days] + [adviser]
    starts = [start, *days]
    periods = list(zip(starts, history, strict=True))
    for i, (since, who) in enumerate(periods):
        end = periods[i + 1][0] if i + 1 < len(periods) else None
        changed = i > 0
        w.add(Allocation, young_person_id=person, adviser_id=who, start_date=since, end_date=end,
              reason="Caseload change" if changed else "Allocated when support started",
              handover_note="Handover: settled in their flat; prefers texts before visits." if changed else None,
              allocated_by_id=manager, created_at=_at(since, 9))
    return periods


def _moves(w, rng, person, dob, start, today, pa_on) -> tuple[list[tuple[date, str, str]], set[date]]:
    span = (today - start).days
    count = 1 + min(rng.randint(1, 5), span // 90)
    days = [start, *_random_days(rng, start + timedelta(days=30), today - timedelta(days=30), count - 1)]
    unvisited: set[date] = set()
    if rng.random() < 0.08 and span > 40:  # a recent move; half get no visit, so their 7-day flag goes overdue
        recent = today - timedelta(days=rng.randint(2, 25))
        days = [d for d in days if d < recent - timedelta(days=20)] + [recent]
        if rng.random() < 0.5:
            unvisited.add(recent)
    moves = []
    in_area = rng.random() > 0.08
    for day in days:
        age = age_on(dob, day)
        roll = rng.random()
        if roll < 0.02:
            letter = "W"
        elif roll < 0.04:
            letter = "X"
        elif age < 18:
            letter = rng.choice("DDDETCB")
        else:
            letter = rng.choice("UUUUKDETBSVY" + ("ZZ" if age < 21 else ""))
        suitable = letter != "W" and (letter == "X" or rng.random() > 0.06)
        registered = None
        if letter in REGISTRATION_REQUIRED and age < 18:
            registered = rng.random() > 0.05
        postcode = rng.choice(IN_AREA) if in_area else rng.choice(OUT_OF_AREA)
        factors = dict.fromkeys(("safety", "state_of_repair", "facilities", "location", "support", "tenancy",
                                 "affordability", "young_persons_view"), True)
        if not suitable:
            factors[rng.choice(list(factors))] = False
        code = f"{letter}{'1' if suitable else '2'}"
        w.add(AccommodationMove, young_person_id=person, move_in=day, code=code,
              address=f"{rng.randint(1, 120)} {rng.choice(FAMILY)} Street", postcode=postcode,
              provider=PROVIDERS.get(letter), registered_provider=registered, suitability_notes=None,
              suitable=suitable, recorded_by_id=pa_on(day), created_at=_at(day, 15), **factors)
        moves.append((day, code, postcode))
    return moves, unvisited


def _contact_row(w, person, day, hour, kind, reached, by, *, in_touch=None, activity=None, rng=None) -> None:
    visit = reached and kind in (ContactKind.HOME_VISIT, ContactKind.VISIT_ELSEWHERE)
    w.add(Contact, young_person_id=person, contact_at=_at(day, hour), kind=kind.value, reached=reached,
          with_whom=None, seen_alone=True if visit else None,
          accommodation_seen=(kind is ContactKind.HOME_VISIT) if visit else None,
          home_safe_and_suitable=True if visit else None, new_risks="none" if visit else None, risk_notes=None,
          wellbeing=rng.choice(WELLBEING) if visit else None, next_steps=rng.choice(NEXT_STEPS) if visit else None,
          young_persons_view=None, notes=rng.choice(NOTES) if reached else "No answer.", in_touch=in_touch,
          activity=activity, recorded_by_id=by, created_at=_at(day, min(hour + 2, 23)))


KIND_WEIGHTS = [(ContactKind.HOME_VISIT, 40), (ContactKind.VISIT_ELSEWHERE, 10), (ContactKind.OFFICE, 10),
                (ContactKind.PHONE, 25), (ContactKind.VIDEO, 5), (ContactKind.MESSAGE, 10)]


def _contacts(w, rng, person, start, today, moves, unvisited, pa_on) -> str:
    """Contacts every 2 to 5 weeks, a visit after each move; returns the latest activity code."""
    profile = rng.random()
    lost_from = today - timedelta(days=rng.randint(60, 120)) if profile < 0.06 else None  # lost contact
    refuses_from = today - timedelta(days=rng.randint(20, 90)) if 0.06 <= profile < 0.09 else None
    activity = rng.choice(EET if rng.random() < 0.6 else NEET)
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    skip_visits_from = min(unvisited) if unvisited else None
    planned: list[tuple[date, ContactKind | None]] = []
    day = start + timedelta(days=rng.randint(1, 10))
    while day < today:
        planned.append((day, None))
        day += timedelta(days=rng.randint(16, 38))
    planned += [(m + timedelta(days=rng.randint(1, 6)), ContactKind.HOME_VISIT) for m, _, _ in moves
                if m not in unvisited and m + timedelta(days=1) < today]
    planned.sort(key=lambda p: p[0])
    for day, kind in planned:
        if day >= today:
            continue
        by = pa_on(day)
        hour = rng.randint(9, 17)
        kind = kind or rng.choices(kinds, weights)[0]
        if skip_visits_from and day >= skip_visits_from and kind in (ContactKind.HOME_VISIT,
                                                                     ContactKind.VISIT_ELSEWHERE):
            kind = ContactKind.PHONE
        if rng.random() < 0.03:
            activity = rng.choice(EET if rng.random() < 0.6 else NEET)
        if lost_from and day >= lost_from:
            kind = rng.choice([ContactKind.ATTEMPTED_VISIT, ContactKind.PHONE, ContactKind.MESSAGE])
            _contact_row(w, person, day, hour, kind, False, by, in_touch="NO", rng=rng)
            continue
        if refuses_from and day >= refuses_from:
            _contact_row(w, person, day, hour, ContactKind.PHONE, True, by, in_touch="REFU", rng=rng)
            continue
        if kind in (ContactKind.HOME_VISIT, ContactKind.VISIT_ELSEWHERE) and rng.random() < 0.1:
            _contact_row(w, person, day, hour, ContactKind.ATTEMPTED_VISIT, False, by, rng=rng)
            day = day + timedelta(days=rng.randint(2, 7))  # and a visit that saw them a few days later
            if day >= today:
                continue
        reached = kind not in (ContactKind.PHONE, ContactKind.MESSAGE) or rng.random() > 0.04
        recorded = reached and rng.random() < 0.85
        _contact_row(w, person, day, hour, kind, reached, by, in_touch="YES" if recorded else None,
                     activity=activity if recorded else None, rng=rng)
    return activity


def _plans(w, rng, person, start, today, moves, pa_on, manager, pa_name) -> None:
    first = start + timedelta(days=rng.randint(20, 60))
    if first > today - timedelta(days=5):
        return
    dates: list[tuple[date, ReviewReason]] = [(first, ReviewReason.FIRST_PLAN)]
    move_days = [m for m, _, _ in moves[1:]]
    while True:
        last = dates[-1][0]
        due = last + timedelta(days=rng.randint(160, 190))
        moved = next((m for m in move_days if last < m < due and rng.random() < 0.5), None)
        review, reason = (moved + timedelta(days=rng.randint(7, 35)), ReviewReason.MOVE) if moved else (
            due, ReviewReason.SIX_MONTHLY)
        if review > today - timedelta(days=2):
            break
        dates.append((review, reason))
    if rng.random() < 0.12:  # out of date: no review for more than six months
        cutoff = today - timedelta(days=rng.randint(196, 300))
        dates = [d for d in dates if d[0] <= cutoff] or dates[:1]
    previous = None
    for number, (plan_date, reason) in enumerate(dates, start=1):
        status = PlanStatus.ACTIVE if number == len(dates) else PlanStatus.SUPERSEDED
        signed = min(plan_date + timedelta(days=rng.randint(0, 10)), today)
        previous = _plan(w, rng, person, number, status, plan_date, reason, previous, pa_on(plan_date), manager,
                         pa_name, today, signed_on=signed)
    roll = rng.random()
    pending = today - timedelta(days=rng.randint(1, 20))
    if roll < 0.10 and pending > dates[-1][0] + timedelta(days=10):  # waiting for sign-off, or a draft
        status = PlanStatus.SUBMITTED if roll < 0.07 else PlanStatus.DRAFT
        _plan(w, rng, person, len(dates) + 1, status, pending, ReviewReason.SIX_MONTHLY, previous, pa_on(pending),
              manager, pa_name, today, signed_on=None)
    if rng.random() < 0.01:
        w.add(ReviewRequest, young_person_id=person, message="Things have changed: can we look at my plan again?",
              created_at=_at(today - timedelta(days=rng.randint(1, 10))), resolved_at=None, resolved_by_id=None,
              resolved_by_plan_id=None)


def _plan(w, rng, person, number, status, plan_date, reason, based_on, adviser, manager, pa_name, today, *,
          signed_on) -> int:
    signed = status in (PlanStatus.ACTIVE, PlanStatus.SUPERSEDED)
    submitted = signed or status is PlanStatus.SUBMITTED
    plan = w.add(PathwayPlan, young_person_id=person, number=number, status=status, reason=reason,
                 plan_date=plan_date, participants="You, your personal adviser and your support worker",
                 young_person_view="You said the plan is fair and you want more help with money.",
                 based_on_id=based_on, created_at=_at(plan_date, 9), created_by_id=adviser,
                 submitted_at=_at(plan_date, 16) if submitted else None, submitted_by_id=adviser if submitted else None,
                 returned_at=None, return_comments=None, signed_off_at=_at(signed_on, 12) if signed else None,
                 signed_off_by_id=manager if signed else None, signed_off_on=signed_on if signed else None,
                 decided_by_id=manager if signed else None, version=1)
    for position, area in enumerate(PLAN_AREAS):
        words = WORDS.get(area, "")
        w.add(PlanAreaEntry, plan_id=plan, area=area, position=position, current_situation=SITUATION[area],
              young_person_words=words, young_person_words_at=_at(plan_date, 10) if words else None, version=1)
    targets = rng.sample(list(TARGETS.items()), rng.randint(3, 4))
    for position, (area, (what, who, months, how)) in enumerate(targets):
        due = plan_date + timedelta(days=30 * max(months, 1))
        if status is PlanStatus.SUPERSEDED:
            state = rng.choices([TargetStatus.DONE, TargetStatus.NOT_NEEDED, TargetStatus.IN_PROGRESS], [7, 1, 2])[0]
        else:
            state = rng.choice([TargetStatus.NOT_STARTED, TargetStatus.IN_PROGRESS, TargetStatus.DONE])
        w.add(Target, plan_id=plan, area=area, position=position, what=what.format(pa=pa_name),
              responsible=who, responsible_name=None,
              due_on=due, how_we_know=how.format(pa=pa_name), status=state, status_reason=None, version=1)
    for area, wrong, do, who in rng.sample(CONTINGENCIES, rng.randint(2, 3)):
        w.add(Contingency, plan_id=plan, area=area, what_might_go_wrong=wrong, what_we_will_do=do.format(pa=pa_name),
              who=who, version=1)
    return plan


def _offer_and_passport(w, rng, person, dob, today, pa_on, offer, items, account, activity) -> None:
    age = age_on(dob, today)
    if rng.random() < 0.3 and offer:
        slugs = [s for s in (CLAIMS_ADULT if age >= 18 else CLAIMS_UNDER_18) if s in offer]
        for slug in rng.sample(slugs, min(len(slugs), rng.randint(1, 2))):
            eid, vid, amount = offer[slug]
            asked = today - timedelta(days=rng.randint(1, 400))
            by = pa_on(asked)
            roll = rng.random()
            status = ClaimStatus.APPROVED if roll < 0.65 else ClaimStatus.REQUESTED if roll < 0.85 else (
                ClaimStatus.DECLINED)
            if status is ClaimStatus.REQUESTED:
                asked = today - timedelta(days=rng.randint(1, 20))
            decided = min(asked + timedelta(days=rng.randint(1, 14)), today) if status is not ClaimStatus.REQUESTED \
                else None
            approved = (amount or rng.randint(20, 300) * 100) if status is ClaimStatus.APPROVED else None
            claim = w.add(Claim, young_person_id=person, entitlement_id=eid, entitlement_version_id=vid, status=status,
                          requested_on=asked, request_note="Asked at a visit", recorded_by_id=by, decided_on=decided,
                          decided_by_id=by if decided else None, approved_pence=approved,
                          decline_reason="You have had this already this year." if status is ClaimStatus.DECLINED
                          else None, created_at=_at(asked), version=1)
            if approved:
                w.add(Payment, claim_id=claim, paid_on=decided, amount_pence=approved // 2 or approved,
                      note="First payment", recorded_by_id=by, created_at=_at(decided, 15))
    if items and (account or rng.random() < 0.4):
        for item_id, is_document, title in rng.sample(items, min(len(items), rng.randint(3, 8))):
            when = today - timedelta(days=rng.randint(1, 300))
            by_them = account is not None and rng.random() < 0.5
            status = rng.choice([PassportStatus.LEARNING, PassportStatus.CAN_DO, PassportStatus.CAN_DO,
                                 PassportStatus.NOT_STARTED, PassportStatus.NOT_RELEVANT])
            w.add(PassportAnswer, young_person_id=person, item_id=item_id, status=status,
                  answered_by_id=account if by_them else pa_on(when),
                  by_role=AnsweredBy.YOUNG_PERSON if by_them else AnsweredBy.ADVISER, confirmed=not by_them,
                  note=None, held=rng.random() < 0.7 if is_document else None,
                  where_kept="In the safe at the leaving care office" if is_document else None,
                  expires_on=today + timedelta(days=rng.randint(-30, 900)) if title == "Passport" else None,
                  created_at=_at(when, 14))
    if rng.random() < 0.015:
        topic, message = rng.choice(HELP_TOPICS)
        made = datetime.combine(today, clock(8, 0), tzinfo=UTC) - timedelta(hours=rng.randint(1, 24 * 30))
        replied = rng.random() < 0.7
        w.add(HelpRequest, young_person_id=person, topic=topic, unsafe=topic == "unsafe", how_to_reach="Text me",
              message=message, created_at=made, reply="I will call you this afternoon." if replied else None,
              replied_at=made + timedelta(hours=3) if replied else None,
              replied_by_id=pa_on(made.date()) if replied else None)


def _oversight_and_audit(w, rng, person, start, today, pa_on, manager) -> None:
    if rng.random() < 0.25:
        for _ in range(rng.randint(1, 2)):
            noted = max(start, today - timedelta(days=rng.randint(1, 540)))
            kind = rng.choice(list(OversightKind))
            w.add(OversightNote, young_person_id=person, kind=kind.value, noted_on=noted,
                  note=OVERSIGHT_NOTES[list(OversightKind).index(kind)], adviser_id=pa_on(noted), by_id=manager,
                  created_at=_at(noted, 16))
    for _ in range(rng.randint(2, 4)):
        day = max(start, today - timedelta(days=rng.randint(0, 90)))
        by_manager = rng.random() < 0.15
        w.add(AuditEvent, at=_at(day, rng.randint(9, 17)), user_id=manager if by_manager else pa_on(day),
              role=(Role.MANAGER if by_manager else Role.ADVISER).value, action="view", record_type="young_person",
              record_id=person, young_person_id=person, changed_fields=None, request_id=None)


def _supervisions(w, rng, council: _Council, today: date) -> None:
    for uid, team, _ in council.advisers:
        last = today - timedelta(days=rng.randint(1, 30) if rng.random() < 0.8 else rng.randint(50, 100))
        day = today - timedelta(days=365)
        while day < last:
            w.add(Supervision, adviser_id=uid, held_on=day, notes="Caseload, visits and plans reviewed.",
                  by_id=council.managers[team], created_at=_at(day, 15))
            day += timedelta(days=rng.randint(28, 45))
        w.add(Supervision, adviser_id=uid, held_on=last, notes="Caseload, visits and plans reviewed.",
              by_id=council.managers[team], created_at=_at(last, 15))
