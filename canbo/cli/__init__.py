"""The ``canbo`` command: a thin click layer over the library, one module per family.

Each module declares its commands; this one builds the root group and adds them
explicitly, so no command module imports the group back.  ``serve`` imports the web
panel only when it runs.
"""
import click

from canbo import db as dbm
from canbo.cli import (
    catalogue,
    check,
    database,
    printing,
    remind,
    reports,
    score,
    serve,
    sheets,
    users,
    worker,
)
from canbo.cli.common import Context, Group


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "url",
    envvar="CANBO_DATABASE_URL",
    metavar="URL",
    help="Cơ sở dữ liệu: sqlite:///đường/dẫn.db hoặc postgresql://… "
    f"(mặc định $CANBO_DATABASE_URL, hoặc {dbm.DEFAULT_URL}).",
)
@click.version_option(package_name="canbo")
@click.pass_context
def cli(ctx, url):
    """canbo — hồ sơ và đánh giá, xếp loại chất lượng cán bộ, công chức."""
    ctx.obj = Context(url)


for command in (
    database.init, database.demo, database.backup_cmd, database.restore_cmd,
    reports.report, check.check, printing.print_group, score.score,
    catalogue.catalogue_group,
    sheets.import_cmd, sheets.template_cmd, sheets.export_group,
    users.user_group, remind.remind, serve.serve, worker.worker,
):
    cli.add_command(command)


def main():
    cli(prog_name="canbo")
