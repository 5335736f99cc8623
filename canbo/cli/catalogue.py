"""``canbo catalogue``: a unit's catalogue of output products (ND 335/2025 Điều 13) from
the command line — import the workbook the commune published, export it, record the
decision that locks it, add a supplement (Điều 13.3), show it."""
import click

from canbo.cli.common import DATE, OUTPUT_FILE, UNIT, YEAR, Group, pass_context
from canbo.db import database
from canbo.records import units, users
from canbo.tracking import catalogue as cat
from canbo.vietnamese import vi_date, vi_decimal

YEAR_OPTION = click.option("--year", type=YEAR, required=True, help="Năm của danh mục.")


@click.group("catalogue", cls=Group)
def catalogue_group():
    """Danh mục sản phẩm/công việc của đơn vị (Điều 13 Nghị định 335/2025): nhập, xuất,
    ghi quyết định phê duyệt, bổ sung, xem."""


@catalogue_group.command("import")
@click.argument("file", metavar="TỆP", type=click.Path(exists=True, dir_okay=False))
@UNIT
@YEAR_OPTION
@click.option("--standard", metavar="TÊN", help="Đơn vị sản phẩm/công việc chuẩn "
              "(ví dụ «Soạn thảo văn bản hành chính đơn giản»).")
@click.option("--standard-points", metavar="ĐIỂM",
              help="Điểm của sản phẩm chuẩn; hệ số = điểm chấm ÷ điểm này khi tệp không có "
                   "cột hệ số.")
@pass_context
def import_cmd(ctx, file, unit, year, standard, standard_points):
    """Nhập danh mục dự thảo từ tệp .xlsx (thay toàn bộ sản phẩm của dự thảo).

    Đọc bảng tính xã công bố kèm quyết định: nhiều trang (lãnh đạo, nhiệm vụ chung, từng
    phòng), dòng tiêu đề tìm theo tên cột (STT, Mã CV, Nhiệm vụ, Công việc chi tiết, Sản
    phẩm đầu ra, Nhóm, Khung điểm, Điểm chấm, Hệ số quy đổi), các dòng «I, II…» là phần.
    Có lỗi thì không ghi gì và thoát với mã 2.
    """
    ctx.open()
    actor = users.operator("cli")
    found = units.find_unit(unit)
    with database.atomic():
        catalogue = cat.open_catalogue(actor, found, year)
        if standard or standard_points:
            cat.set_standard(actor, catalogue, standard or catalogue.standard_product,
                             standard_points or catalogue.standard_points)
        with open(file, "rb") as handle:
            _, skipped, _ = cat.preview_xlsx(actor, catalogue, handle)
            handle.seek(0)
            count = cat.import_xlsx(actor, catalogue, handle)
    click.echo(f"Đã nhập {count} sản phẩm vào danh mục năm {year} của {found.name} "
               "(dự thảo).")
    for title in skipped:
        click.echo(f"Bỏ qua trang «{title}»: không có bảng sản phẩm.")


@catalogue_group.command("export")
@UNIT
@YEAR_OPTION
@click.option("-o", "--output", "output", required=True, metavar="TỆP",
              type=OUTPUT_FILE, help="Tệp .xlsx kết quả.")
@click.option("--layout", type=click.Choice(["commune", "simple"]), default="commune",
              show_default=True, help="commune: đủ các cột và các phần; simple: bốn cột "
              "Nhóm, Sản phẩm, Khung điểm, Hệ số quy đổi.")
@pass_context
def export_cmd(ctx, unit, year, output, layout):
    """Xuất danh mục ra tệp .xlsx (nhập lại được)."""
    ctx.open()
    catalogue = cat.catalogue_for(units.find_unit(unit), year)
    cat.export_xlsx(catalogue, output, layout)
    click.echo(f"Đã xuất {catalogue.products.count()} sản phẩm vào {output}")


@catalogue_group.command("decide")
@UNIT
@YEAR_OPTION
@click.option("--number", required=True, metavar="SỐ", help="Số quyết định, ví dụ 283/QĐ-UBND.")
@click.option("--date", "date", type=DATE, required=True, help="Ngày quyết định (dd/mm/yyyy).")
@click.option("--actor", default="cli", show_default=True, metavar="TÊN",
              help="Người ghi, vào nhật ký thay đổi.")
@pass_context
def decide_cmd(ctx, unit, year, number, date, actor):
    """Ghi quyết định phê duyệt danh mục; sau đó danh mục bị khóa."""
    ctx.open()
    catalogue = cat.catalogue_for(units.find_unit(unit), year)
    cat.decide(users.operator(actor), catalogue, number, date)
    click.echo(f"Đã ghi Quyết định số {catalogue.decision_number} ngày {vi_date(date)}; "
               f"danh mục năm {year} đã khóa.")


@catalogue_group.command("supplement")
@click.argument("file", metavar="TỆP", type=click.Path(exists=True, dir_okay=False))
@UNIT
@YEAR_OPTION
@click.option("--number", required=True, metavar="SỐ", help="Số quyết định bổ sung.")
@click.option("--date", "date", type=DATE, required=True, help="Ngày quyết định (dd/mm/yyyy).")
@click.option("--from", "applies_from", type=DATE, required=True,
              help="Ngày áp dụng các sản phẩm bổ sung (dd/mm/yyyy).")
@pass_context
def supplement_cmd(ctx, file, unit, year, number, date, applies_from):
    """Bổ sung sản phẩm từ tệp .xlsx vào danh mục đã phê duyệt, theo một quyết định mới
    (Điều 13.3 Nghị định 335/2025)."""
    ctx.open()
    catalogue = cat.catalogue_for(units.find_unit(unit), year)
    with open(file, "rb") as handle:
        decision = cat.supplement(users.operator("cli"), catalogue, number, date,
                                  applies_from, handle)
    click.echo(f"Đã bổ sung {decision.products.count()} sản phẩm theo Quyết định số {decision.number}, áp "
               f"dụng từ {vi_date(decision.applies_from)}.")


def render(catalogue):
    """The catalogue as text: its decision, standard, then the products by section."""
    lines = [f"Danh mục sản phẩm năm {catalogue.year} — {catalogue.unit.name} "
             f"({catalogue.unit.code})"]
    lines.append(f"Quyết định số {catalogue.decision_number} ngày "
                 f"{vi_date(catalogue.decision_date)} (ghi bởi {catalogue.decided_by})"
                 if catalogue.locked else "Dự thảo (chưa phê duyệt)")
    if catalogue.standard_product:
        points = (f", {vi_decimal(catalogue.standard_points)} điểm"
                  if catalogue.standard_points is not None else "")
        lines.append(f"Sản phẩm chuẩn: {catalogue.standard_product}{points}, hệ số 1")
    for d in catalogue.decisions.order_by(cat.CatalogueDecision.decided_on):
        lines.append(f"Bổ sung: Quyết định số {d.number} ngày {vi_date(d.decided_on)}, "
                     f"áp dụng từ {vi_date(d.applies_from)}")
    section = None
    products = cat.products_of(catalogue)
    for p in products:
        if p.section != section:
            section = p.section
            lines.append(f"[{section or 'Chung'}]")
        low, high = p.points_min, p.points_max
        span = "" if low is None else (f" khung {vi_decimal(low)}" + (
            f"-{vi_decimal(high)}" if high != low else ""))
        points = f" điểm {vi_decimal(p.points)}" if p.points is not None else ""
        extra = (f" [bổ sung {p.supplement.number}, từ {vi_date(p.supplement.applies_from)}]"
                 if p.supplement_id else "")
        position = f" — {p.job_position}" if p.job_position else ""
        lines.append(f"  N{p.complexity_group} {p.code or '-':<7} {p.name}{position} ·{span}"
                     f"{points} hệ số {vi_decimal(p.coefficient)}{extra}")
    lines.append(f"{len(products)} sản phẩm.")
    return "\n".join(lines) + "\n"


@catalogue_group.command("show")
@UNIT
@YEAR_OPTION
@pass_context
def show_cmd(ctx, unit, year):
    """Xem danh mục: quyết định, sản phẩm chuẩn, các sản phẩm theo phần và nhóm."""
    ctx.open()
    click.echo(render(cat.catalogue_for(units.find_unit(unit), year)), nl=False)
