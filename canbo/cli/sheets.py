"""``canbo import``, ``canbo template`` and ``canbo export``: spreadsheets in and out."""
import pathlib

import click

from canbo.cli.common import (
    DATE,
    OUTPUT_FILE,
    SUBUNITS,
    UNIT,
    YEAR,
    Group,
    Progress,
    pass_context,
)
from canbo.records import units, users
from canbo.spreadsheets import exporter, importer
from canbo.stats import national

OUTPUT = click.option("-o", "--output", "output", required=True, metavar="TỆP",
                      type=OUTPUT_FILE,
                      help="Tệp kết quả: .xlsx hoặc .csv (UTF-8 có BOM, mở được bằng Excel).")
FORMAT = click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]),
                      help="Định dạng (mặc định theo đuôi tệp).")


@click.command("import")
@click.argument("file", metavar="TỆP", type=click.Path(exists=True, dir_okay=False))
@click.option("--unit", metavar="MÃ",
              help="Đơn vị của các dòng không ghi cột «Đơn vị».")
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra và báo kết quả, không ghi gì.")
@click.option("--skip-invalid", is_flag=True,
              help="Ghi các dòng hợp lệ, bỏ qua và liệt kê các dòng lỗi.")
@click.option("--create-units", is_flag=True,
              help="Tạo đơn vị mới khi cột «Đơn vị» ghi một đơn vị chưa có.")
@pass_context
def import_cmd(ctx, file, unit, dry_run, skip_invalid, create_units):
    """Nhập danh sách cán bộ và kết quả xếp loại từ tệp .xlsx hoặc .csv.

    Mọi dòng được kiểm tra trước khi ghi; có lỗi thì không ghi gì (trừ khi dùng
    --skip-invalid) và thoát với mã 2. Nhập lại cùng tệp không thay đổi gì.
    """
    ctx.open()
    with Progress("Đang nhập") as report:
        result = importer.import_file(
            file, unit=units.find_unit(unit) if unit else None, dry_run=dry_run,
            skip_invalid=skip_invalid, create_units=create_units, actor=users.operator("cli"),
            progress=report)
    for line in result.summary():
        click.echo(line)
    for line in result.problem_lines():
        click.echo(line, err=True)
    if result.refused:
        raise click.exceptions.Exit(2)


@click.command("template")
@click.argument("kind", metavar="LOẠI", type=click.Choice(["staff", "ratings"]))
@OUTPUT
def template_cmd(kind, output):
    """Tạo tệp mẫu để điền: danh sách cán bộ (staff) hoặc kết quả xếp loại (ratings)."""
    tables = exporter.template_tables(kind)
    if pathlib.Path(output).suffix.lower() == ".csv":
        tables = tables[:1]
    exporter.export(tables, output)
    click.echo(f"Đã tạo tệp mẫu {output}")


@click.group("export", cls=Group)
def export_group():
    """Xuất ra tệp .xlsx hoặc .csv: danh sách cán bộ, xếp loại, các báo cáo."""


def _write(table, output, fmt):
    exporter.export([table], output, fmt)
    click.echo(f"Đã xuất {len(table.rows)} dòng vào {output}")


@export_group.command("staff")
@UNIT
@SUBUNITS
@click.option("--in-post-only", is_flag=True, help="Chỉ những người đang công tác.")
@OUTPUT
@FORMAT
@pass_context
def export_staff(ctx, unit, subunits, in_post_only, output, fmt):
    """Danh sách cán bộ, công chức (cùng các cột của tệp mẫu, nhập lại được)."""
    ctx.open()
    table = exporter.staff_table(units.find_unit(unit), subunits, in_post_only)
    _write(table, output, fmt)


@export_group.command("ratings")
@click.option("--year", type=YEAR, required=True, help="Năm đánh giá.")
@UNIT
@SUBUNITS
@OUTPUT
@FORMAT
@pass_context
def export_ratings(ctx, year, unit, subunits, output, fmt):
    """Kết quả xếp loại đã phê duyệt của một năm, từng người."""
    ctx.open()
    _write(exporter.ratings_table(units.find_unit(unit), year, subunits), output, fmt)


@export_group.command("report-ratings")
@click.option("--year", type=YEAR, required=True, help="Năm đánh giá.")
@UNIT
@SUBUNITS
@OUTPUT
@FORMAT
@pass_context
def export_report_ratings(ctx, year, unit, subunits, output, fmt):
    """Báo cáo kết quả xếp loại của một năm: số lượng và tỷ lệ từng mức."""
    ctx.open()
    _write(exporter.ratings_report_table(units.find_unit(unit), year, subunits), output, fmt)


@export_group.command("report-qualifications")
@click.option("--at", "at", type=DATE, required=True, help="Ngày chốt số liệu (dd/mm/yyyy).")
@UNIT
@SUBUNITS
@OUTPUT
@FORMAT
@pass_context
def export_report_qualifications(ctx, at, unit, subunits, output, fmt):
    """Báo cáo cơ cấu trình độ tại một ngày: số lượng và tỷ lệ từng trình độ."""
    ctx.open()
    table = exporter.qualification_report_table(units.find_unit(unit), at, subunits)
    _write(table, output, fmt)


@export_group.command("national")
@click.option("--period", required=True, metavar="KỲ",
              help="Kỳ: YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm), ví dụ 2026-05.")
@UNIT
@SUBUNITS
@OUTPUT
@FORMAT
@click.option("--actor", default="cli", show_default=True, metavar="TÊN",
              help="Tên người xuất, ghi vào nhật ký xuất dữ liệu.")
@pass_context
def export_national(ctx, period, unit, subunits, output, fmt, actor):
    """Kết quả theo dõi, đánh giá và xếp loại để cập nhật Cơ sở dữ liệu quốc gia về cán
    bộ, công chức, viên chức (Điều 26.1.d Nghị định 335/2025, trong 5 ngày kể từ khi
    có kết quả); mỗi lần xuất được ghi vào nhật ký."""
    ctx.open()
    table = national.export(users.operator(actor), units.find_unit(unit),
                            national.parse_period(period), subunits)
    _write(table, output, fmt)
