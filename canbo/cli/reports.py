"""``canbo report …``: the ratings of a year, the qualification structure, the yearly report."""
import pathlib

import click

from canbo.cli.common import (
    DATE,
    FORMAT,
    OUTPUT_FILE,
    SUBUNITS,
    UNIT,
    YEAR,
    Group,
    UserError,
    pass_context,
)
from canbo.records import units
from canbo.stats import reports, yearly_report


@click.group(cls=Group)
def report():
    """Báo cáo: kết quả xếp loại của một năm, cơ cấu trình độ tại một ngày."""


@report.command("ratings")
@click.option("--year", type=YEAR, required=True, help="Năm đánh giá.")
@UNIT
@SUBUNITS
@FORMAT
@pass_context
def report_ratings(ctx, year, unit, subunits, fmt):
    """Kết quả xếp loại chất lượng của đơn vị trong một năm: số lượng và tỷ lệ."""
    ctx.open()
    result = reports.ratings_report(units.find_unit(unit), year, subunits)
    click.echo(reports.render(result, fmt), nl=False)


@report.command("qualifications")
@click.option("--at", "at", type=DATE, required=True, help="Ngày chốt số liệu (dd/mm/yyyy).")
@UNIT
@SUBUNITS
@FORMAT
@pass_context
def report_qualifications(ctx, at, unit, subunits, fmt):
    """Cơ cấu trình độ chuyên môn, lý luận chính trị, quản lý nhà nước tại một ngày."""
    ctx.open()
    result = reports.qualification_report(units.find_unit(unit), at, subunits)
    click.echo(reports.render(result, fmt), nl=False)


@report.command("year")
@click.option("--year", type=YEAR, required=True, help="Năm báo cáo.")
@UNIT
@SUBUNITS
@click.option("--at", "at", type=DATE,
              help="Ngày chốt số liệu trình độ (mặc định 31/12 của năm báo cáo, "
                   "hoặc hôm nay nếu năm chưa hết).")
@click.option("--years", type=click.IntRange(1, 10), default=5, show_default=True, metavar="SỐ",
              help="Số năm gần nhất có kết quả xếp loại đưa vào báo cáo.")
@click.option("--format", "fmt", type=click.Choice(["text", "pdf"]), default="text",
              show_default=True, help="Dạng kết quả: văn bản để dán vào báo cáo, hoặc PDF.")
@click.option("-o", "--output", type=OUTPUT_FILE,
              help="Tệp PDF cần ghi (mặc định bao-cao-nam-NĂM-MÃ.pdf).")
@pass_context
def report_year(ctx, year, unit, subunits, at, years, fmt, output):
    """Báo cáo năm: mục chất lượng đội ngũ cán bộ, công chức (kết quả xếp loại các năm
    gần nhất và cơ cấu trình độ), theo văn phong báo cáo, để dán vào báo cáo của đơn vị.
    """
    ctx.open()
    found = units.find_unit(unit)
    result = yearly_report.yearly_report(found, year, at, subunits, years)
    if fmt == "text":
        if output:
            raise UserError("--output chỉ dùng với --format pdf; văn bản được in ra màn hình.")
        click.echo(yearly_report.render_text(result), nl=False)
        return
    path = pathlib.Path(output or f"bao-cao-nam-{year}-{found.code}.pdf")
    path.write_bytes(yearly_report.render_pdf(result))
    click.echo(f"Đã ghi {path}")
