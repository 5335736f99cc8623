"""The stored records: units, staff, their qualification histories, yearly ratings,
the editable lists of titles and departments, user accounts and the audit log.

Schema changes go through ``canbo/migrations`` (see ``db.py``); a test checks that the
migrated schema matches these models.
"""
import datetime
import json

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from canbo.db import FIELD_NAMES, BaseModel
from canbo.errors import InvalidInput, StaleRecord
from canbo.levels import (
    FINAL_STATUSES,
    Gender,
    LeaderRole,
    QualificationKind,
    RatingStatus,
    StaffKind,
)
from canbo.vietnamese import fold, nfc, sort_string, vi_date


def now():
    return datetime.datetime.now().replace(microsecond=0)


#: How the fields of a versioned record are named when a save is refused as stale:
#: ``FIELD_NAMES`` (the one table of field names in messages), and the staff record's
#: and the rating's own.
VERSIONED_LABELS = {
    **FIELD_NAMES,
    "birth_date": "Ngày sinh", "gender": "Giới tính", "kind": "Loại", "unit": "Đơn vị",
    "title": "Chức vụ, chức danh", "department": "Phòng, ban", "leader_role": "Lãnh đạo",
    "party_member": "Đảng viên", "joined_on": "Ngày vào cơ quan",
    "left_on": "Ngày nghỉ / chuyển công tác", "left_reason": "Lý do nghỉ / chuyển công tác",
    "staff": "Họ và tên", "rule_set": "Căn cứ", "level": "Mức xếp loại",
    "self_level": "Tự xếp loại", "original_label": "Ghi trên hồ sơ gốc",
    "status": "Trạng thái", "not_eligible_reason": "Lý do không đánh giá",
}


class Versioned:
    """A record two people may edit at once (a staff record, a rating): every save raises
    its ``version`` by one with ``UPDATE … WHERE id = ? AND version = ?``, the version the
    copy being saved was read at.  When someone else saved in between, nothing is written
    and ``StaleRecord`` says who changed what, and the value it has now: the second of two
    forms opened at the same time no longer silently undoes the first (issue 16).  Every
    change to a rating is kept and audited (ND 90/2020 Điều 19; ND 335/2025 Điều 24).

    A model using it declares ``version = IntegerField(default=1)`` (migration 0015) and
    lists in ``version_ignores`` the columns its ``save`` computes."""

    version_ignores = ()

    def save(self, force_insert=False, only=None):
        if force_insert or self._pk is None:
            return super().save(force_insert=force_insert, only=only)
        read_at = self.version
        mine = set(self._dirty)
        self.version = read_at + 1
        if only is not None:
            only = list(only) + [type(self).version]
        self._read_at = read_at
        try:
            rows = super().save(only=only)
        except BaseException:
            self.version = read_at
            raise
        finally:
            self._read_at = None
        if not rows:
            self.version = read_at
            current = type(self).get_or_none(type(self)._meta.primary_key == self._pk)
            if current is not None:
                raise self._stale(read_at, current, mine)
        return rows

    def _pk_expr(self):
        expr = super()._pk_expr()
        read_at = getattr(self, "_read_at", None)
        return expr if read_at is None else expr & (type(self).version == read_at)

    def _stale(self, read_at, current, mine):
        """The ``StaleRecord`` of a save of this copy (read at version ``read_at``) over
        ``current``: what changed meanwhile is taken from the audit log, which records
        every panel change with its version; a change made without an entry there is
        shown as the saved values that differ from this copy's (first those this copy did
        not set itself)."""
        actor, at, names = None, None, []
        entries = (AuditLog.select().where((AuditLog.table_name == self._meta.table_name)
                                           & (AuditLog.row_id == self._pk))
                   .order_by(AuditLog.id.desc()).limit(50))
        for entry in entries:
            try:
                changes = json.loads(entry.changes or "{}")
                step = int(changes.get("version", [None])[0])
            except (ValueError, TypeError, AttributeError, IndexError):
                continue
            if step < read_at:
                break
            actor, at = actor or entry.actor, at or entry.at
            names.extend(n for n in changes if n not in names)
        fields = [f for f in self._meta.sorted_fields
                  if not f.primary_key and f.name != "version"
                  and f.name not in self.version_ignores]
        if names:
            shown = [f for f in fields if f.name in names]
        else:
            differ = [f for f in fields
                      if current.__data__.get(f.name) != self.__data__.get(f.name)]
            shown = [f for f in differ if f.name not in mine] or differ
        values = {VERSIONED_LABELS.get(f.name, f.name): _shown(current, f) for f in shown}
        who = f"tài khoản «{actor}»" if actor and actor != "system" else "người khác"
        when = f" lúc {at:%H:%M} ngày {vi_date(at)}" if isinstance(at, datetime.datetime) else ""
        what = "; ".join(f"{label} nay là «{value}»" for label, value in values.items())
        message = (f"Không lưu được: trong lúc bạn sửa, {who} đã sửa {current.describe()}"
                   f"{when}" + (f": {what}" if what else "") + ". Nội dung bạn nhập chưa "
                   "được lưu và vẫn còn trên biểu mẫu; hãy xem lại rồi bấm Lưu lần nữa nếu "
                   "vẫn muốn ghi đè.")
        return StaleRecord(message, changes=values, actor=actor, version=read_at,
                           current=current.version)


def _shown(row, field):
    """A stored value as a person reads it."""
    from canbo.levels import Rating as RatingLevel

    value = row.__data__.get(field.name)
    if value is None:
        return "(trống)"
    if isinstance(field, ForeignKeyField):
        return str(getattr(row, field.name))
    if isinstance(field, BooleanField):
        return "có" if value else "không"
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return vi_date(value)
    if field.choices:
        return dict(field.choices).get(value, value)
    if field.name in ("level", "self_level"):
        return RatingLevel.labels().get(value, value)
    return str(value)


class Unit(BaseModel):
    """A body that rates its staff: a commune's People's Committee, a district, a province."""

    code = CharField(max_length=32, unique=True)
    name = CharField(max_length=200)
    place_name = CharField(max_length=100, help_text="Địa danh ghi ở dòng ngày tháng")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")

    def __str__(self):
        return self.name


class Title(BaseModel):
    """A post (chức vụ, chức danh), editable; seeded from REFERENCE.md §8.  Of every unit
    when ``unit`` is empty (the seeded ones: only the admin changes them), else a unit's
    own addition (``canbo.records.lists``)."""

    name = CharField(max_length=200, unique=True)
    kind = CharField(max_length=20, choices=StaffKind.choices(), null=True)
    leader_role = CharField(max_length=10, choices=LeaderRole.choices(), default="NONE")
    position = IntegerField(default=0)
    unit = ForeignKeyField(Unit, null=True, backref="titles", on_delete="CASCADE")

    def __str__(self):
        return self.name


class Department(BaseModel):
    """A department (phòng ban) of a unit, or of every unit when ``unit`` is empty."""

    name = CharField(max_length=200)
    unit = ForeignKeyField(Unit, null=True, backref="departments", on_delete="CASCADE")

    class Meta:
        indexes = ((("name", "unit"), True),)

    def __str__(self):
        return self.name


def check_personal_id(value):
    """The personal identification number (số định danh cá nhân, the 12 digits of the
    citizen identity card) with spaces taken out, ``None`` when empty; ``InvalidInput``
    naming what is allowed otherwise."""
    text = "".join(str(value or "").split())
    if not text:
        return None
    if len(text) != 12 or not text.isascii() or not text.isdigit():
        raise InvalidInput(f"Số định danh cá nhân «{value}» không hợp lệ; phải gồm đúng 12 "
                           "chữ số (số căn cước).", field="personal_id")
    return text


class Staff(Versioned, BaseModel):
    """A person on the unit's staff, in post or archived (``left_on`` set); never deleted."""

    unit = ForeignKeyField(Unit, backref="staff", on_delete="RESTRICT")
    code = CharField(max_length=32)
    full_name = CharField(max_length=200)
    search_name = CharField(max_length=200, index=True)
    sort_name = CharField(max_length=400, index=True)
    birth_date = DateField(null=True)
    gender = CharField(max_length=1, choices=Gender.choices(), null=True)
    ethnicity = CharField(max_length=50, default="Kinh")
    kind = CharField(max_length=20, choices=StaffKind.choices())
    title = ForeignKeyField(Title, null=True, backref="staff", on_delete="SET NULL")
    department = ForeignKeyField(Department, null=True, backref="staff", on_delete="SET NULL")
    leader_role = CharField(max_length=10, choices=LeaderRole.choices(), default="NONE")
    party_member = BooleanField(default=False)
    joined_on = DateField(null=True)
    left_on = DateField(null=True)
    left_reason = CharField(max_length=300, null=True)
    # What the national database of cadres, civil servants and public employees keys a
    # person by (ND 335/2025 Điều 26.1.d): the 12-digit personal identification number,
    # the civil-service rank code (mã ngạch) and the job position (vị trí việc làm).
    personal_id = CharField(max_length=12, null=True, unique=True)
    rank_code = CharField(max_length=20, null=True)
    job_position = CharField(max_length=200, null=True)
    # raised by every save (Versioned); DEFAULT 1 in the database too (migration 0015)
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    version_ignores = ("search_name", "sort_name")

    class Meta:
        indexes = (
            (("unit", "code"), True),
            (("unit", "joined_on", "left_on"), False),
        )

    @staticmethod
    def derived(full_name):
        """The columns computed from a name: NFC spelling, search form, sort form."""
        full_name = " ".join(nfc(full_name).split())
        return {
            "full_name": full_name,
            "search_name": fold(full_name),
            "sort_name": sort_string(full_name),
        }

    def save(self, *args, **kwargs):
        for field, value in self.derived(self.full_name).items():
            if getattr(self, field) != value:  # what the caller set stays told apart
                setattr(self, field, value)
        self.personal_id = check_personal_id(self.personal_id)
        return super().save(*args, **kwargs)

    @property
    def in_post(self):
        return self.left_on is None

    @property
    def writes_leaders_part(self):
        """Whether the person writes the leaders' part of the ND 90 form (criteria 7–9,
        "phần dành riêng cho … lãnh đạo, quản lý"): a head or a deputy, and every cadre —
        a commune's cadres hold its elected leading posts (Bí thư, Chủ tịch …), which
        ``leader_role`` does not mark (it marks who leads the People's Committee)."""
        return (self.kind == StaffKind.CADRE.code
                or self.leader_role in (LeaderRole.HEAD.code, LeaderRole.DEPUTY.code))

    def in_post_on(self, day):
        """``units.in_post_on`` for this one person, without a query: joined on or before
        ``day`` and not left by then (``left_on`` is the first day out)."""
        joined = self.joined_on is None or self.joined_on <= day
        return joined and (self.left_on is None or self.left_on > day)

    def check_dates(self, today=None, reason_known=True):
        """Refuse impossible dates with ``InvalidInput`` naming the ``field`` (and ``value``).

        Records of people long retired are kept, so only the impossible is refused: a
        birth before 1900 or less than 15 years (the youngest working age) before
        ``today``; joining or leaving on or before the birth; leaving on or before
        joining — ``left_on`` is the first day out (``units.in_post_on``), so leaving on
        the day of joining would leave no day in post.  An archived person carries the
        date and the reason together (REFERENCE.md §10, "Đã nghỉ / chuyển công tác");
        ``reason_known=False`` skips that pairing when the reason is not being set (a
        spreadsheet without the column).  The panel's forms and the importer both call it.
        """
        today = today or datetime.date.today()
        born, joined, left = self.birth_date, self.joined_on, self.left_on
        latest = datetime.date(today.year - 15, today.month, min(today.day, 28))  # no 29/2
        if born and not datetime.date(1900, 1, 1) <= born <= latest:
            raise InvalidInput(f"Ngày sinh {vi_date(born)} không hợp lý; cho phép: từ năm 1900 "
                               f"đến người đủ 15 tuổi (sinh đến ngày {vi_date(latest)}).",
                               field="birth_date", value=born)
        for field, label, day in (("joined_on", "Ngày vào làm", joined),
                                  ("left_on", "Ngày nghỉ / chuyển công tác", left)):
            if day and born and day <= born:
                raise InvalidInput(f"{label} {vi_date(day)} phải sau ngày sinh "
                                   f"({vi_date(born)}).", field=field, value=day)
        if joined and left and left <= joined:
            raise InvalidInput(f"Ngày nghỉ / chuyển công tác {vi_date(left)} phải sau ngày vào "
                               f"làm ({vi_date(joined)}).", field="left_on", value=left)
        reason = (self.left_reason or "").strip()
        if reason_known and left and not reason:
            raise InvalidInput("Hãy ghi lý do nghỉ / chuyển công tác cùng với ngày.",
                               field="left_reason", value=None)
        if reason_known and reason and not left:
            raise InvalidInput("Có lý do nghỉ / chuyển công tác nhưng thiếu ngày nghỉ.",
                               field="left_reason", value=reason)

    def __str__(self):
        return self.full_name

    def describe(self):
        return f"hồ sơ của {self.full_name}"


class Qualification(BaseModel):
    """One level a person reached, with the date it was awarded.

    The level held on a date is the highest awarded on or before it, so that a past
    date is answered by a query, never by a stored copy.  ``rank`` is the level's place
    in its list (0 = highest), kept so SQL can take the MIN.
    """

    staff = ForeignKeyField(Staff, backref="qualifications", on_delete="CASCADE")
    kind = CharField(max_length=20, choices=QualificationKind.choices())
    level = CharField(max_length=10)
    rank = IntegerField()
    major = CharField(max_length=200, null=True)
    awarded_on = DateField(null=True)

    class Meta:
        indexes = ((("staff", "kind", "awarded_on"), False),)

    def save(self, *args, **kwargs):
        try:
            kind = QualificationKind(self.kind)
        except ValueError as exc:
            raise InvalidInput(f"Loại trình độ «{self.kind}» không có; cho phép: " + ", ".join(
                k.label for k in QualificationKind) + ".") from exc
        try:
            self.rank = kind.levels(self.level).rank
        except ValueError as exc:
            raise InvalidInput(f"Trình độ «{self.level}» không thuộc «{kind.label}»; cho phép: "
                               + ", ".join(m.label for m in kind.levels) + ".") from exc
        return super().save(*args, **kwargs)

    @classmethod
    def highest(cls, at=None, kind=None):
        """The highest level of each kind per person: a SELECT of ``staff_id``, ``kind``
        and ``best`` (the MIN of ``rank``), one row per person and kind, to filter
        further, join or use as a subquery.

        With ``at``, only what was awarded on or before it counts (an undated
        qualification counts from always); without it, everything recorded.  The
        qualification report, the staff list's filter and the staff export all ask here,
        so "Đại học" means the same person on every screen (REFERENCE.md §8).
        """
        query = cls.select(cls.staff.alias("staff_id"), cls.kind.alias("kind"),
                           fn.MIN(cls.rank).alias("best"))
        if at is not None:
            query = query.where(cls.awarded_on.is_null() | (cls.awarded_on <= at))
        if kind is not None:
            query = query.where(cls.kind == kind)
        return query.group_by(cls.staff, cls.kind)


class Rating(Versioned, BaseModel):
    """A person's rating for a year, judged under the rule set it was made under.

    ``unit`` is the unit that rated (it stays when the person moves); ``original_label``
    keeps the wording of a historical record (e.g. ND 56/2015's HTNV label) while
    ``level`` holds its modern code for statistics.
    """

    staff = ForeignKeyField(Staff, backref="ratings", on_delete="RESTRICT")
    unit = ForeignKeyField(Unit, backref="ratings", on_delete="RESTRICT")
    year = IntegerField()
    rule_set = CharField(max_length=20)
    level = CharField(max_length=10, null=True)
    self_level = CharField(max_length=10, null=True)
    original_label = CharField(max_length=200, null=True)
    # six places: the true average is what decides (scoring.stored_points); shown rounded
    points = DecimalField(max_digits=9, decimal_places=6, null=True)
    status = CharField(max_length=20, choices=RatingStatus.choices(), default="OPEN")
    # Why a person is not rated this year (status NOT_ELIGIBLE; set by workflow.open_cycle).
    not_eligible_reason = CharField(max_length=300, null=True)
    note = TextField(null=True)
    updated_at = DateTimeField(default=now)
    # raised by every save (Versioned); DEFAULT 1 in the database too (migration 0015)
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    version_ignores = ("updated_at",)

    class Meta:
        indexes = (
            (("staff", "year"), True),
            (("year", "unit", "level"), False),
        )

    @property
    def is_final(self):
        return self.status in FINAL_STATUSES

    def describe(self):
        return f"bản xếp loại năm {self.year} của {self.staff.full_name}"


class User(BaseModel):
    """An account of the admin panel. Passwords are stored as werkzeug hashes only."""

    username = CharField(max_length=64, unique=True)
    password_hash = CharField(max_length=255)
    role = CharField(max_length=20)
    unit = ForeignKeyField(Unit, null=True, backref="users", on_delete="RESTRICT")
    staff = ForeignKeyField(Staff, null=True, backref="accounts", on_delete="SET NULL")
    active = BooleanField(default=True)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField(default=now)
    # A one-time password (bulk accounts, a reset): the first login asks for a new one.
    must_change_password = BooleanField(default=False)
    # Where the reminders of ``canbo remind`` go; none: no reminders.
    email = CharField(max_length=254, null=True)
    # Raised by ``users.end_sessions``: a session made before carries an older number.
    session_version = IntegerField(default=0)

    def __str__(self):
        return self.username


class AuditLog(BaseModel):
    """Who changed what, when and why (Nhật ký thay đổi). Rows are only ever added."""

    at = DateTimeField(default=now, index=True)
    actor = CharField(max_length=64)
    action = CharField(max_length=40)
    table_name = CharField(max_length=40)
    row_id = IntegerField(null=True)
    changes = TextField(default="{}")
    reason = TextField(null=True)

    class Meta:
        indexes = ((("table_name", "row_id"), False),)


class NationalExport(BaseModel):
    """One export of results to the national database (ND 335/2025 Điều 26.1.d: within
    5 days of being final): which period of which unit, when, by whom, how many rows."""

    at = DateTimeField(default=now, index=True)
    actor = CharField(max_length=64)
    unit = ForeignKeyField(Unit, backref="national_exports", on_delete="CASCADE")
    period = CharField(max_length=7)  # YYYY-MM, YYYY-Qn or YYYY
    with_subunits = BooleanField(default=True)
    rows = IntegerField()


#: Every model, in dependency order (backup, restore and the schema drift test use it).
MODELS = [Unit, Title, Department, Staff, Qualification, Rating, User, AuditLog,
          NationalExport]
