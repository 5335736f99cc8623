"""``rating.points`` keeps six decimal places instead of two.

A level is decided on the unrounded year average (ND 335/2025 has no rounding rule):
two places turned 89.995833… into 90.00 and HTXSNV.  ``scoring.stored_points`` cuts
the average to six places, which decides exactly as the true value does.  Existing
two-place values are kept as they are.
"""
from peewee import *  # noqa: F403


def up(migrator, db):
    migrator.migrate(migrator.alter_column_type(
        'rating', 'points', DecimalField(max_digits=9, decimal_places=6, null=True)))


def down(migrator, db):
    migrator.migrate(migrator.alter_column_type(
        'rating', 'points', DecimalField(max_digits=5, decimal_places=2, null=True)))
