"""Seed the editable lists of titles and departments (REFERENCE.md §8).

Commune cadre titles per ND 33/2023, commune civil-servant titles, and the departments
of a commune since 01/07/2025. Rows are only added when missing, so the user's own edits
survive; they are data from here on, never enums.
"""
from peewee import *  # noqa: F403

CADRE = [
    ("Bí thư Đảng ủy", "NONE"),
    ("Phó Bí thư Đảng ủy", "NONE"),
    ("Chủ tịch HĐND", "NONE"),
    ("Phó Chủ tịch HĐND", "NONE"),
    ("Chủ tịch UBND", "HEAD"),
    ("Phó Chủ tịch UBND", "DEPUTY"),
    ("Chủ tịch UB MTTQ", "NONE"),
    ("Bí thư Đoàn TNCS Hồ Chí Minh", "NONE"),
    ("Chủ tịch Hội Liên hiệp Phụ nữ", "NONE"),
    ("Chủ tịch Hội Nông dân", "NONE"),
    ("Chủ tịch Hội Cựu chiến binh", "NONE"),
]
CIVIL_SERVANT = [
    "Chỉ huy trưởng Quân sự",
    "Văn phòng – thống kê",
    "Địa chính – xây dựng",
    "Địa chính – xây dựng – đô thị và môi trường",
    "Địa chính – nông nghiệp và môi trường",
    "Tài chính – kế toán",
    "Tư pháp – hộ tịch",
    "Văn hóa – xã hội",
]
DEPARTMENTS = ["Văn phòng HĐND và UBND", "Phòng Kinh tế", "Phòng Văn hóa – Xã hội"]


def up(migrator, db):
    class Title(Model):
        name = CharField(unique=True, max_length=200)
        kind = CharField(null=True, max_length=20)
        leader_role = CharField(max_length=10, default="NONE")
        position = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "title"

    class Department(Model):
        name = CharField(max_length=200)
        unit = IntegerField(null=True, column_name="unit_id")

        class Meta:
            database = db
            table_name = "department"

    rows = [(name, "CADRE", role) for name, role in CADRE]
    rows += [(name, "CIVIL_SERVANT", "NONE") for name in CIVIL_SERVANT]
    for position, (name, kind, role) in enumerate(rows, 1):
        if not Title.select().where(Title.name == name).exists():
            Title.create(name=name, kind=kind, leader_role=role, position=position)
    for name in DEPARTMENTS:
        if not Department.select().where(Department.name == name, Department.unit.is_null()).exists():
            Department.create(name=name, unit=None)
