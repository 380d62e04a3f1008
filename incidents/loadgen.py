"""Fictional load data at any size, written straight into the tables for speed.

`manage.py generate_load_data` is the only caller. Rows are built as plain tuples and written
with COPY on PostgreSQL (executemany elsewhere), a block of settings at a time, so 2.5 million
incidents take minutes rather than the hours the services would need. Because the services are
bypassed, everything they would keep consistent is kept here by hand: ids, references and their
counters, each row's setting, and (once the audit chain exists) the per-setting hash chains.
Every setting made here has `is_generated` set; the command refuses a database holding any other.
"""

import io
import json
import math
import queue
import random
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction

from incidents import audit_chain, rules, workflow
from incidents.loadgen_casework import (
    COLUMNS,
    CONVERSATION_HELD,
    DELETION_ASKED,
    DISCLOSURE_SOURCES,
    FROM_DISCLOSURE,
    PARENTS_DECIDED,
    RISK_ASSESSED,
    VIEWED,
    Case,
    CaseWork,
    age_on,
    hyphenated,
    ts,
)
from incidents.models import (
    AccessLogEntry,
    AuditChainHead,
    ChronologyEntry,
    Decision,
    Incident,
    Involvement,
    Membership,
    ReferenceCounter,
    Setting,
    User,
    YoungPerson,
)

DEFAULT_PASSWORD = "generated-load-2026"  # noqa: S105 # nosec B105 # fictional accounts, printed on purpose
LONG_CHRONOLOGY_MARKER = "[long chronology]"
STAFF_ROLES = (
    ("dsl", Membership.Role.DSL),
    ("deputy", Membership.Role.DEPUTY),
    ("head", Membership.Role.HEADTEACHER),
    ("staff", Membership.Role.STAFF),
)

FIRST_NAMES = (
    "Amelia Olivia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Evie Poppy Ella Harper Sienna "
    "Noah Oliver George Arthur Leo Muhammad Harry Oscar Archie Henry Theodore Freddie Jack Charlie Theo Alfie "
    "Jacob Thomas Finley Arlo Aisha Zara Maryam Priya Kai Rohan Tariq Yusuf Chloe Ruby Daniel Ethan"
).split()
LAST_NAMES = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker "
    "White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris "
    "Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young "
    "Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Khan Ali Begum"
).split()
PLATFORMS = ("Snapchat", "Instagram", "WhatsApp", "TikTok", "Discord", "iMessage", "Telegram", "")
SUMMARIES = (
    "A pupil told their form tutor that a picture of them was being passed around a group chat.",
    "A parent phoned to say their child had been asked for a picture by someone met online.",
    "IT monitoring flagged a message on a school device; nothing was opened or viewed.",
    "A friend reported that an older student was pressuring a younger one to send a picture.",
    "A student said a picture they sent to a partner had been shared after the relationship ended.",
    "Staff overheard pupils talking about a picture shared on a social media account.",
)
NOTES = (
    "Spoke with the young person; they are being supported by their head of year.",
    "Parents informed after discussion with the young person.",
    "Advice given on reporting to the platform (Report Remove).",
    "Checked in with the young person; no new concerns.",
    "Discussed with the deputy DSL; plan unchanged.",
)
# Final status, with its share of incidents and the path the chronology records to reach it.
STATUS_MIX = (
    (workflow.CLOSED, 0.55, (workflow.UNDER_REVIEW, workflow.MANAGED_IN_SETTING, workflow.CLOSED)),
    (workflow.MANAGED_IN_SETTING, 0.15, (workflow.UNDER_REVIEW, workflow.MANAGED_IN_SETTING)),
    (workflow.REFERRED, 0.12, (workflow.UNDER_REVIEW, workflow.REFERRED)),
    (workflow.UNDER_REVIEW, 0.10, (workflow.UNDER_REVIEW,)),
    (workflow.REPORTED, 0.08, ()),
)
STATUS_WEIGHTS = [share for _, share, _ in STATUS_MIX]
STATUS_LABELS = {value: str(label) for value, label in Incident.Status.choices}
# Of incidents with each final status, the share judged aggravated.
AGGRAVATED_SHARE = {
    workflow.CLOSED: 0.05,
    workflow.MANAGED_IN_SETTING: 0.05,
    workflow.REFERRED: 0.75,
    workflow.UNDER_REVIEW: 0.3,
    workflow.REPORTED: 0.0,
}
NO_DETAILS: dict = {}
INVOLVEMENT_ROLES = [choice for choice in Involvement.Role.values]
HISTORY_DAYS = 3 * 365


@dataclass
class Plan:
    """How many incidents each setting gets, and which settings a trust groups together."""

    incidents_per_setting: list[int]
    trusts: list[list[int]]  # indexes into incidents_per_setting; trusts of one are stand-alone schools


def make_plan(*, settings: int, incidents: int, rng: random.Random) -> Plan:
    """Most settings small, a few large: log-normal weights, the largest setting first.

    Real settings differ by two orders of magnitude (a primary school against a large college or
    a pupil referral service), and the benchmarks sign in to the largest, so it comes first.
    """
    if settings < 1:
        raise ValueError("At least one setting is needed.")
    weights = sorted((rng.lognormvariate(0, 1.1) for _ in range(settings)), reverse=True)
    total = sum(weights)
    shares = [incidents * w / total for w in weights]
    counts = [math.floor(s) for s in shares]
    # Largest remainders first, so the counts add up to exactly what was asked for.
    for i in sorted(range(settings), key=lambda i: shares[i] - counts[i], reverse=True)[: incidents - sum(counts)]:
        counts[i] += 1
    order = list(range(settings))
    rng.shuffle(order)
    trusts: list[list[int]] = []
    while order:
        # About half of schools are in a trust; trust sizes are heavy-tailed (a few run dozens).
        size = 1 if rng.random() < 0.5 else min(len(order), 1 + int(rng.paretovariate(1.1)))
        trusts.append(sorted(order[:size]))
        del order[:size]
    return Plan(incidents_per_setting=counts, trusts=trusts)


@dataclass
class Table:
    model: type
    columns: Sequence[str]
    rows: list[tuple] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.model._meta.db_table


# Characters handed to COPY per read: psycopg2 reads 8 KiB at a time by default, and each read takes the
# interpreter from the thread building the next block.
COPY_CHUNK = 1 << 20


class Writer:
    """Writes blocks of tables: COPY on PostgreSQL, executemany on SQLite (tests and small runs).

    Each block is one transaction, parents before children. On PostgreSQL, outside a transaction,
    a block is written by a thread of its own (with its own connection) while the generator builds
    the next: Python builds rows on one core while PostgreSQL writes them on the other, instead of
    each waiting for the other. The COPY text is made by the generator's thread (it needs the
    interpreter; the writer's thread mostly waits on the socket), and at most one block waits to
    be written, so memory stays at about two blocks.
    """

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.rows_written = 0
        # Only a superuser may turn off row triggers (foreign-key checks); anyone else loads with them on.
        self.skip_row_triggers = self.postgres and _is_superuser()
        self.background = self.postgres and not connection.in_atomic_block
        self._queue: queue.Queue[list[tuple[str, list[str], object]] | None] = queue.Queue(maxsize=1)
        self._failure: BaseException | None = None
        self._thread: threading.Thread | None = None

    def submit(self, tables: Iterable[Table]) -> None:
        """Write these tables' rows as one transaction (in the background where it can) and empty them."""
        block = [self._payload(table) for table in tables if table.rows]
        if not self.background:
            self._write_block(block)
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._write_in_background, name="loadgen-copy", daemon=True)
            self._thread.start()
        self._raise_failure()
        self._queue.put(block)

    def finish(self) -> None:
        """Wait for the last block; raise what went wrong in the writer's thread, if anything did."""
        self.stop()
        self._raise_failure()

    def stop(self) -> None:
        """Let the writer's thread write what it was given, then end it (and close its connection)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise RuntimeError("writing the generated rows failed; nothing after the failed block was written") from (
                self._failure
            )

    def _payload(self, table: Table) -> tuple[str, list[str], object]:
        if self.postgres:
            data: object = "".join("\t".join(map(_copy_text, row)) + "\n" for row in table.rows)
        else:
            data = list(table.rows)
        self.rows_written += len(table.rows)
        table.rows.clear()
        return table.name, table.columns, data

    def _write_block(self, block: list[tuple[str, list[str], object]]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if self.skip_row_triggers:
                # The rows are consistent by construction (the tests check every reference), so PostgreSQL
                # need not check each foreign key row by row; append-only triggers fire on UPDATE and DELETE only.
                cursor.execute("SET LOCAL session_replication_role = replica")
            for name, columns, data in block:
                cols = ", ".join(f'"{c}"' for c in columns)
                if self.postgres:
                    # nosemgrep: ysi-raw-sql-from-strings - table and column names from model metadata
                    cursor.copy_expert(f'COPY "{name}" ({cols}) FROM STDIN', io.StringIO(data), size=COPY_CHUNK)
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    # nosemgrep: ysi-raw-sql-from-strings - names from model metadata, values bound
                    cursor.executemany(f'INSERT INTO "{name}" ({cols}) VALUES ({marks})', data)  # noqa: S608 # nosec B608 # names from model metadata, values bound

    def _write_in_background(self) -> None:
        try:
            while (block := self._queue.get()) is not None:
                if self._failure is None:
                    try:
                        self._write_block(block)
                    except BaseException as error:  # noqa: BLE001 - handed to the generator's thread
                        self._failure = error
        finally:
            connection.close()  # this thread's own connection


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


_ts = ts


def _next_ids() -> dict[type, int]:
    models = (Setting, User, Membership, YoungPerson, Incident, Involvement, *COLUMNS, ChronologyEntry,
              AccessLogEntry, ReferenceCounter, AuditChainHead)
    with connection.cursor() as cursor:
        ids = {}
        for model in models:
            # nosemgrep: ysi-raw-sql-from-strings - a model's table name
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')  # noqa: S608 # nosec B608 # a model's table name
            ids[model] = cursor.fetchone()[0] + 1
    return ids


class Generator(CaseWork):
    def __init__(self, *, seed: int, password: str, long_chronology: int, block_incidents: int = 20_000,
                 progress: Callable[[str], None] = lambda line: None) -> None:
        self.rng = random.Random(seed)  # noqa: S311 # nosec B311 # fictional data, reproducible on purpose
        self.password_hash = make_password(password)
        self.long_chronology = long_chronology
        self.block_incidents = block_incidents
        self.progress = progress
        self.now = datetime.now(tz=UTC).replace(microsecond=0)
        self.ids = _next_ids()
        self.tables = {
            Setting: Table(Setting, ["id", "code", "name", "kind", "child_term", "place_term", "mash_phone",
                                     "mash_email", "police_non_emergency", "lado_phone", "lado_email", "rule_set",
                                     "reference_prefix", "created_at", "is_generated"]),
            User: Table(User, ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
                               "is_staff", "is_active", "date_joined", "phone"]),
            Membership: Table(Membership, ["id", "setting_id", "user_id", "role", "is_active", "created_at"]),
            YoungPerson: Table(YoungPerson, ["id", "setting_id", "code", "first_name", "last_name", "date_of_birth",
                                             "sex", "year_group", "additional_needs", "additional_needs_note",
                                             "known_to_social_care", "version", "created_at", "updated_at"]),
            Incident: Table(Incident, ["id", "setting_id", "code", "reference", "status", "reported_at",
                                       "occurred_on", "occurred_on_is_approximate", "came_to_attention", "summary",
                                       "creates_and_shares_own", "shares_anothers", "possesses_anothers",
                                       "platforms", "spread", "classification", "classification_subtype",
                                       "adults_involved", "adults_description", "owner_id", "created_by_id",
                                       "created_at", "updated_at", "version"]),
            Involvement: Table(Involvement, ["id", "setting_id", "code", "incident_id", "young_person_id", "role",
                                             "created_at"]),
            # The casework, parents before children (incidents/loadgen_casework.py).
            **{model: Table(model, columns) for model, columns in COLUMNS.items()},
            ChronologyEntry: Table(ChronologyEntry, ["id", *audit_chain.CHRONOLOGY_FIELDS, "prev_hash",
                                                     "entry_hash"]),
            AccessLogEntry: Table(AccessLogEntry, ["id", *audit_chain.ACCESS_FIELDS, "prev_hash", "entry_hash"]),
            ReferenceCounter: Table(ReferenceCounter, ["id", "setting_id", "year", "last_number"]),
            AuditChainHead: Table(AuditChainHead, ["id", "key", "setting_id", "last_hash", "length", "updated_at"]),
        }
        self.writer = Writer()
        self.counts = dict.fromkeys(self.tables, 0)
        # Codes must differ between runs into one database, so they do not come from the seeded generator.
        self.code_rng = random.Random()  # noqa: S311 # nosec B311 # unique, not secret
        self._init_casework()

    def _id(self, model: type) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def _code(self) -> str:
        """A UUID's 32 hex digits (what COPY takes; and hyphenated where a hash reads it, see `_uuid`)."""
        return f"{self.code_rng.getrandbits(128):032x}"

    def _add(self, model: type, row: tuple) -> None:
        self.tables[model].rows.append(row)
        self.counts[model] += 1

    def _chained(self, model: type, fields: tuple[str, ...], values: tuple) -> None:
        """Append an entry to its setting's hash chain exactly as incidents.services.audit would.

        `values` follow `fields`, with `at` as an aware datetime; it is hashed with the same function the
        verifier uses, so `verify_audit_trail` accepts generated chains like any other.
        """
        chain = self.chains[model]
        row = dict(zip(fields, values, strict=True))
        digest = audit_chain.entry_hash(fields, row, chain[0])
        row["at"] = _ts(row["at"])
        if "details" in row:
            row["details"] = json.dumps(row["details"])
        self._add(model, (self._id(model), *row.values(), chain[0], digest))
        chain[0], chain[1] = digest, chain[1] + 1

    def _close_chains(self, setting_id: int) -> None:
        for model, (last_hash, length) in self.chains.items():
            if length:
                key = audit_chain.chain_key(model._meta.db_table, setting_id)
                self._add(AuditChainHead, (self._id(AuditChainHead), key, setting_id, last_hash, length,
                                           _ts(self.now)))

    # -- the whole run ---------------------------------------------------------------------------

    def run(self, plan: Plan) -> None:
        setting_ids = [self._id(Setting) for _ in plan.incidents_per_setting]
        trust_of = {}
        for members in plan.trusts:
            for index in members:
                trust_of[index] = members
        pending = 0
        done = 0
        try:
            for index, count in enumerate(plan.incidents_per_setting):
                self._setting(index, setting_ids[index], count, long_chronology=index == 0)
                members = trust_of[index]
                if len(members) > 1 and index == members[-1]:
                    self._trust_lead([setting_ids[i] for i in members])
                pending += count
                done += count
                if pending >= self.block_incidents or index == len(plan.incidents_per_setting) - 1:
                    self._flush()
                    pending = 0
                    self.progress(f"{index + 1} settings, {done} incidents built")
            self.writer.finish()
        finally:
            self.writer.stop()  # a failure on either side never leaves the writer's thread behind
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.tables)):
                cursor.execute(sql)

    def _flush(self) -> None:
        # Parents before children, so foreign keys hold at every statement; one block per transaction.
        self.writer.submit(self.tables.values())

    # -- one setting -----------------------------------------------------------------------------

    def _setting(self, index: int, setting_id: int, incidents: int, *, long_chronology: bool) -> None:
        rng = self.rng
        self.chains = {ChronologyEntry: [audit_chain.GENESIS, 0], AccessLogEntry: [audit_chain.GENESIS, 0]}
        # Numbered by id, so a second run into the same database makes new names, not clashes.
        number = setting_id
        created = self.now - timedelta(days=HISTORY_DAYS + 30)
        kind = Setting.Kind.SCHOOL if rng.random() < 0.9 else Setting.Kind.COLLEGE
        place = "college" if kind == Setting.Kind.COLLEGE else "school"
        child = "student" if kind == Setting.Kind.COLLEGE else "pupil"
        self._add(Setting, (
            setting_id, uuid.uuid4().hex, f"Generated {place.title()} {number:05d}", kind, child, place, "", "",
            "101", "", "", rules.DEFAULT_RULE_SET, "GEN", _ts(created), 1,
        ))
        self.staff, self.staff_names = {}, {}
        for suffix, role in STAFF_ROLES:
            last_name = f"Setting{number:05d}"
            user_id = self._user(f"gen{number:05d}-{suffix}", suffix.title(), last_name, created)
            self._add(Membership, (self._id(Membership), setting_id, user_id, role, 1, _ts(created)))
            self.staff[role] = user_id
            self.staff_names[role] = f"{suffix.title()} {last_name}"  # as str(user) gives it
        readers = [(self.staff[role], role) for role in (Membership.Role.DSL, Membership.Role.DEPUTY,
                                                           Membership.Role.HEADTEACHER)]

        people = [self._young_person(setting_id, created) for _ in range(max(3, round(incidents * 1.1)))]
        counters: dict[int, int] = {}
        for n in range(incidents):
            self._incident(setting_id, people, counters, readers, long=long_chronology and n == 0)
        for year, last in counters.items():
            self._add(ReferenceCounter, (self._id(ReferenceCounter), setting_id, year, last))
        self._close_chains(setting_id)

    def _user(self, username: str, first: str, last: str, joined: datetime) -> int:
        user_id = self._id(User)
        self._add(User, (user_id, self.password_hash, 0, username, first, last, f"{username}@generated.invalid",
                         0, 1, _ts(joined), ""))
        return user_id

    def _trust_lead(self, setting_ids: list[int]) -> None:
        """A trust's safeguarding lead reads every school in it: the cross-setting reader.

        Written after the trust's last setting, so every membership's setting is in the same block or an earlier one.
        """
        created = self.now - timedelta(days=HISTORY_DAYS + 30)
        number = setting_ids[0]
        user_id = self._user(f"gen-trust{number:05d}-lead", "Trust", f"Lead{number:05d}", created)
        for setting_id in setting_ids:
            self._add(Membership, (self._id(Membership), setting_id, user_id, Membership.Role.AUDITOR, 1,
                                   _ts(created)))

    def _young_person(self, setting_id: int, created: datetime) -> tuple[int, date]:
        rng = self.rng
        person_id = self._id(YoungPerson)
        born = (self.now - timedelta(days=rng.randint(11 * 365, 18 * 365 - 30))).date()
        needs = rng.random() < 0.15
        self._add(YoungPerson, (
            person_id, setting_id, uuid.uuid4().hex, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES),
            born.isoformat(), rng.choice(YoungPerson.Sex.values), f"Year {rng.randint(7, 13)}", int(needs),
            "Support plan in place." if needs else "", int(rng.random() < 0.1), 1, _ts(created), _ts(created),
        ))
        return person_id, born

    def _incident(self, setting_id: int, people: list[tuple[int, date]], counters: dict[int, int],
                  readers: list[tuple[int, str]], *, long: bool) -> None:
        rng = self.rng
        dsl = self.staff[Membership.Role.DSL]
        incident_id = self._id(Incident)
        code = self._code()
        reported = self.now - timedelta(seconds=rng.randint(3600, HISTORY_DAYS * 86400))
        year = reported.year
        counters[year] = counters.get(year, 0) + 1
        reference = f"GEN-{year}-{counters[year]:04d}"
        status, _, path = rng.choices(STATUS_MIX, weights=STATUS_WEIGHTS)[0]
        # Aggravated incidents are mostly the referred ones; the rules would refer most of them.
        aggravated = rng.random() < AGGRAVATED_SHARE[status]
        if status == workflow.REPORTED:
            classification, subtype = Incident.Classification.UNCLASSIFIED, ""
        elif aggravated:
            classification, subtype = Incident.Classification.AGGRAVATED, rng.choice(Incident.AGGRAVATED_SUBTYPES)
        else:
            classification, subtype = Incident.Classification.EXPERIMENTAL, rng.choice(Incident.EXPERIMENTAL_SUBTYPES)
        adult_involved = subtype == Incident.Subtype.ADULT_INVOLVED
        involved = rng.sample(people, k=min(len(people), rng.choice((1, 1, 2, 2, 2, 3))))
        occurred = reported - timedelta(days=rng.randint(0, 10))
        # Nobody can be involved before they were born: the generator keeps the rule the services check.
        occurred_on = max(occurred.date(), *(born for _, born in involved))
        summary = rng.choice(SUMMARIES)
        if long:
            summary = f"{LONG_CHRONOLOGY_MARKER} {summary}"
        disclosed = rng.random() < FROM_DISCLOSURE
        source, came_to_attention = (rng.choice(DISCLOSURE_SOURCES) if disclosed
                                     else (None, rng.choice(Incident.CameToAttention.values)))
        creator = self.staff[Membership.Role.STAFF] if disclosed else dsl
        updated = reported + timedelta(days=len(path) * 7)
        self._add(Incident, (
            incident_id, setting_id, code, reference, status, _ts(reported), occurred_on.isoformat(),
            int(rng.random() < 0.2), came_to_attention, summary, int(rng.random() < 0.6),
            int(rng.random() < 0.4), int(rng.random() < 0.5), rng.choice(PLATFORMS),
            rng.choice(Incident.Spread.values), classification, subtype,
            Incident.AdultsInvolved.YES if adult_involved else Incident.AdultsInvolved.NO,
            "", dsl, creator, _ts(reported), _ts(min(updated, self.now)), 1 + len(path),
        ))

        case = Case(setting_id, incident_id, hyphenated(code), reference, status, reported, reported, involved,
                    tuple(sorted(min(age_on(born, occurred_on), rules.OLDEST_AGE) for _, born in involved)),
                    classification, adult_involved)
        self._entry(case, creator, ChronologyEntry.Kind.CREATED, f"Incident {reference} recorded (status: Reported).")
        if disclosed:
            self._disclosure(case, source, summary, acknowledged=status != workflow.REPORTED or rng.random() < 0.7)
        for (person_id, _), role in zip(involved, rng.sample(INVOLVEMENT_ROLES, k=len(involved)), strict=True):
            at = self._when(case, minutes=rng.randint(1, 30))
            self._add(Involvement, (self._id(Involvement), setting_id, self._code(), incident_id, person_id, role,
                                    _ts(at)))
            self._entry(case, dsl, ChronologyEntry.Kind.PERSON_ADDED, f"Young person added ({role}).")
        if path:
            self._when(case, days=rng.randint(1, 7))
            self._status(case, workflow.REPORTED, workflow.UNDER_REVIEW)
        if status not in (workflow.REPORTED, workflow.UNDER_REVIEW):
            self._casework(case, viewing=rng.random() < VIEWED)
        for _ in range(self.long_chronology if long else int(rng.random() < 0.5)):
            self._when(case, hours=rng.randint(1, 48))
            self._entry(case, dsl, ChronologyEntry.Kind.NOTE, rng.choice(NOTES))

        path_text = f"/incidents/{case.code}/"
        for _ in range(rng.randint(1, 5)):
            seen = min(self.now, reported + timedelta(hours=rng.randint(1, 24 * 60)))
            reader, role = rng.choice(readers)
            self._chained(AccessLogEntry, audit_chain.ACCESS_FIELDS,
                          (setting_id, incident_id, reader, role, seen, AccessLogEntry.Action.VIEW_INCIDENT, path_text,
                           "127.0.0.1"))

    def _casework(self, case: Case, *, viewing: bool) -> None:
        """The review, the decision and what followed, for an incident referred, managed or closed."""
        rng = self.rng
        outcome = self._review(case, rule_set=rules.DEFAULT_RULE_SET, viewing=viewing)
        first_person = case.people[0][0]
        if outcome in Decision.REFERRALS:
            self._referral(case, outcome)
        elif rng.random() < RISK_ASSESSED:
            self._risk_assessment(case, rules.DEFAULT_RULE_SET)
        if viewing:
            self._viewing(case, first_person)
        if rng.random() < PARENTS_DECIDED:
            self._parents(case, first_person)
        if rng.random() < CONVERSATION_HELD:
            self._conversation(case, first_person)
        if rng.random() < DELETION_ASKED:
            self._deletion(case, first_person, confirm=case.status == workflow.CLOSED or rng.random() < 0.5)
        if case.status == workflow.CLOSED:
            self._when(case, days=rng.randint(1, 14))
            self._status(case, workflow.MANAGED_IN_SETTING, workflow.CLOSED)

    def _entry(self, case: Case, actor: int, kind: str, text: str, details: dict | None = None, *,
               at: datetime | None = None) -> None:
        self._chained(ChronologyEntry, audit_chain.CHRONOLOGY_FIELDS,
                      (case.setting_id, case.incident_id, at or case.at, actor, kind, text,
                       NO_DETAILS if details is None else details))

    def _status(self, case: Case, previous: str, status: str) -> None:
        self._entry(case, self.staff[Membership.Role.DSL], ChronologyEntry.Kind.STATUS,
                    f"Status: {STATUS_LABELS[previous]} → {STATUS_LABELS[status]}.")


def refusal_reason() -> str | None:
    """Why this database must not receive load data, or None if it may."""
    real = Setting.objects.filter(is_generated=False)
    count = real.count()
    if count:
        names = ", ".join(real.order_by("id").values_list("name", flat=True)[:3])
        return (
            f"This database holds {count} setting(s) that generate_load_data did not make ({names}"
            f"{', …' if count > 3 else ''}). Load data must never sit beside real records: use an empty "
            "database (for example DATABASE_URL=postgres://…/ysi_load) and migrate it first."
        )
    return None


def summarise(counts: dict[type, int]) -> Iterable[str]:
    for model, count in counts.items():
        yield f"{model._meta.verbose_name_plural}: {count}"
