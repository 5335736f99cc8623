"""ND 335/2025 in people's hands: evaluators, heads, supplements, results with evidence.

- ``user.must_change_password``: a one-time password asks for a new one at first login;
- ``head``: the head of a using agency or department (Điều 10.1), ``evaluator``: who
  evaluates whom in a year (one per person per period);
- ``catalogue.standard_points``, ``catalogue_decision`` (supplements, Điều 13.3) and the
  product's section, code, task, output, points, job position and supplement; the
  product's unique name becomes unique within its section;
- ``work_package`` (Điều 18.1.c), and the assignment's dates, evidence, reassignment
  (Điều 18.1.d), taken-over and urgent work; ``evidence`` files;
- ``outside_month``: a transferred person's months at the old unit (Điều 19.3);
- ``sheet.submitted_at`` / ``returned_reason``; the setting's first tracked month and
  the monthly deadline's working day.
"""
from peewee import *  # noqa: F403


def up(migrator, db):
    def stub(name):
        class Meta:
            database = db
            table_name = name
        return type(name.title(), (Model,), {"Meta": Meta})

    Staff, Unit, Department = stub('staff'), stub('unit'), stub('department')
    Catalogue, Product, Assignment = stub('catalogue'), stub('product'), stub('assignment')

    class Head(Model):
        unit = ForeignKeyField(Unit, on_delete='CASCADE')
        department = ForeignKeyField(Department, null=True, on_delete='CASCADE')
        staff = ForeignKeyField(Staff, on_delete='CASCADE')

        class Meta:
            database = db
            table_name = 'head'

    class Evaluator(Model):
        staff = ForeignKeyField(Staff, on_delete='CASCADE')
        year = IntegerField()
        from_month = IntegerField(default=1)
        to_month = IntegerField(default=12)
        evaluator = ForeignKeyField(Staff, null=True, on_delete='RESTRICT')
        agency = CharField(max_length=200, null=True)
        set_by = CharField(max_length=64)

        class Meta:
            database = db
            table_name = 'evaluator'
            indexes = ((('staff', 'year', 'from_month'), True),)

    class CatalogueDecision(Model):
        catalogue = ForeignKeyField(Catalogue, on_delete='CASCADE')
        number = CharField(max_length=50)
        decided_on = DateField()
        applies_from = DateField()
        decided_by = CharField(max_length=64)
        note = TextField(null=True)

        class Meta:
            database = db
            table_name = 'catalogue_decision'

    class WorkPackage(Model):
        product = ForeignKeyField(Product, on_delete='RESTRICT')
        year = IntegerField()
        name = CharField(max_length=300)
        units = IntegerField()
        owner = ForeignKeyField(Staff, on_delete='RESTRICT')
        created_by = CharField(max_length=64)

        class Meta:
            database = db
            table_name = 'work_package'

    class Evidence(Model):
        assignment = ForeignKeyField(Assignment, on_delete='CASCADE')
        filename = CharField(max_length=200)
        content_type = CharField(max_length=100)
        size = IntegerField()
        data = BlobField()
        uploaded_by = CharField(max_length=64)
        uploaded_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'evidence'

    class OutsideMonth(Model):
        staff = ForeignKeyField(Staff, on_delete='CASCADE')
        year = IntegerField()
        month = IntegerField()
        unit_name = CharField(max_length=200)
        score = DecimalField(max_digits=9, decimal_places=6)
        entered_by = CharField(max_length=64)

        class Meta:
            database = db
            table_name = 'outside_month'
            indexes = ((('staff', 'year', 'month'), True),)

    db.create_tables([Head, Evaluator, CatalogueDecision, WorkPackage, Evidence, OutsideMonth])
    migrator.migrate(
        migrator.add_column('user', 'must_change_password', BooleanField(default=False)),
        migrator.add_column('catalogue', 'standard_points',
                            DecimalField(max_digits=7, decimal_places=2, null=True)),
        migrator.add_column('product', 'section', CharField(max_length=200, default='')),
        migrator.add_column('product', 'code', CharField(max_length=32, null=True)),
        migrator.add_column('product', 'task', TextField(null=True)),
        migrator.add_column('product', 'output', TextField(null=True)),
        migrator.add_column('product', 'points',
                            DecimalField(max_digits=7, decimal_places=2, null=True)),
        migrator.add_column('product', 'job_position', CharField(max_length=200, null=True)),
        migrator.add_column('product', 'supplement_id', ForeignKeyField(
            CatalogueDecision, null=True, on_delete='RESTRICT', field=CatalogueDecision.id)),
        migrator.drop_index('product', 'product_catalogue_id_name'),
        migrator.add_index('product', ('catalogue_id', 'section', 'name'), True),
        migrator.add_column('assignment', 'assigned_on', DateField(null=True)),
        migrator.add_column('assignment', 'assigned_by', CharField(max_length=64, null=True)),
        migrator.add_column('assignment', 'completed_on', DateField(null=True)),
        migrator.add_column('assignment', 'evidence', TextField(null=True)),
        migrator.add_column('assignment', 'reassigned_to_id', ForeignKeyField(
            Assignment, null=True, on_delete='SET NULL', field=Assignment.id)),
        migrator.add_column('assignment', 'taken_over_from_id', ForeignKeyField(
            Staff, null=True, on_delete='RESTRICT', field=Staff.id)),
        migrator.add_column('assignment', 'urgent', BooleanField(default=False)),
        migrator.add_column('assignment', 'package_id', ForeignKeyField(
            WorkPackage, null=True, on_delete='RESTRICT', field=WorkPackage.id)),
        migrator.add_column('sheet', 'submitted_at', DateTimeField(null=True)),
        migrator.add_column('sheet', 'returned_reason', TextField(null=True)),
        migrator.add_column('tracking_setting', 'first_month', IntegerField(null=True)),
        migrator.add_column('tracking_setting', 'deadline_working_day',
                            IntegerField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        *(migrator.drop_column(t, c) for t, c in (
            ('tracking_setting', 'deadline_working_day'), ('tracking_setting', 'first_month'),
            ('sheet', 'returned_reason'), ('sheet', 'submitted_at'),
            ('assignment', 'package_id'), ('assignment', 'urgent'),
            ('assignment', 'taken_over_from_id'), ('assignment', 'reassigned_to_id'),
            ('assignment', 'evidence'), ('assignment', 'completed_on'),
            ('assignment', 'assigned_by'), ('assignment', 'assigned_on'))),
        migrator.drop_index('product', 'product_catalogue_id_section_name'),
        *(migrator.drop_column('product', c) for c in (
            'supplement_id', 'job_position', 'points', 'output', 'task', 'code', 'section')),
        migrator.add_index('product', ('catalogue_id', 'name'), True),
        migrator.drop_column('catalogue', 'standard_points'),
        migrator.drop_column('user', 'must_change_password'),
    )
    for table in ('outside_month', 'evidence', 'work_package', 'catalogue_decision',
                  'evaluator', 'head'):
        migrator.migrate(migrator.drop_table(table))
