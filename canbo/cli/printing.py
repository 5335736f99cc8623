"""``canbo print …``: the printed documents as PDF files (a thin layer over documents*.py)."""
import datetime

import click

from canbo.cli.common import DATE, OUTPUT_FILE, SUBUNITS, UNIT, YEAR, Progress, pass_context
from canbo.documents import batch as documents_batch
from canbo.documents import render as documents
from canbo.documents import review
from canbo.records import units

OUTPUT = click.option(
    "-o", "--output", "output", type=OUTPUT_FILE,
    metavar="TỆP.pdf", help="Tệp PDF ghi ra (mặc định: một tên có nghĩa trong thư mục hiện tại).",
)
YEAR_OPT = click.option("--year", type=YEAR, required=True, help="Năm đánh giá.")
DAY = click.option("--date", "day", type=DATE,
                   help="Ngày ghi ở dòng địa danh, ngày tháng (bỏ trống: để trống viết tay).")


def _save(output, default_name, data=None):
    """Write ``data`` (bytes) to ``output`` or the default name; report the page count."""
    path = output or default_name
    if data is not None:
        with open(path, "wb") as f:
            f.write(data)
    from pypdf import PdfReader

    pages = len(PdfReader(path).pages)
    click.echo(f"Đã ghi {path} ({pages} trang).")


@click.group("print")
def print_group():
    """In văn bản ra tệp PDF: phiếu đánh giá, danh sách, quyết định, cơ cấu trình độ."""


@print_group.command("form")
@click.option("--staff", "code", required=True, metavar="MÃ", help="Mã cán bộ, công chức.")
@YEAR_OPT
@click.option("--unit", metavar="MÃ", help="Mã đơn vị, khi cùng mã người có ở nhiều đơn vị.")
@OUTPUT
@pass_context
def print_form(ctx, code, year, unit, output):
    """Phiếu đánh giá, xếp loại chất lượng của một người trong một năm.

    Mẫu theo quy định của kết quả xếp loại: Nghị định 90/2020 (Mẫu 01 cán bộ, 02 công
    chức, 03 viên chức) hoặc Nghị định 335/2025 (Mẫu 02, công chức từ năm 2026).
    """
    ctx.open()
    staff = documents_batch.find_staff(code, units.find_unit(unit) if unit else None)
    data = documents_batch.form_pdf(staff, year)
    _save(output, documents.file_name("phieu danh gia", year, staff.code, staff.full_name), data)


@print_group.command("forms")
@UNIT
@YEAR_OPT
@click.option("--subunits/--no-subunits", default=False, show_default=True,
              help="In cả phiếu của các đơn vị trực thuộc.")
@click.option("--workers", type=click.IntRange(1, 16), default=None, metavar="SỐ",
              help="Số tiến trình in song song (mặc định: theo số lõi CPU, tối đa 4).")
@OUTPUT
@pass_context
def print_forms(ctx, unit, year, subunits, workers, output):
    """Tất cả phiếu đánh giá của một đơn vị trong một năm, thành MỘT tệp PDF.

    Thứ tự theo danh sách cán bộ, công chức (theo tên); mỗi phiếu đánh số trang riêng.
    Trên màn hình có thanh tiến độ (số phiếu đã in, thời gian còn lại).
    """
    ctx.open()
    found = units.find_unit(unit)
    path = output or documents.file_name("phieu danh gia", year, found.code)
    with Progress("Đang in phiếu") as report:
        documents_batch.unit_forms_pdf(found, year, subunits, target=path, workers=workers,
                                       progress=report)
    _save(path, path)


@print_group.command("blank")
@click.argument("kind", metavar="LOẠI", type=click.Choice(list(documents_batch.BLANK_FORMS)))
@click.option("--year", type=YEAR, help="Năm in sẵn trên phiếu.")
@click.option("--unit", metavar="MÃ", help="Mã đơn vị in sẵn trên phiếu.")
@OUTPUT
@pass_context
def print_blank(ctx, kind, year, unit, output):
    """Phiếu trắng để điền tay. LOẠI: mau01, mau02, mau03 (Nghị định 90/2020),
    nd335-thang (Mẫu 01 hằng tháng), nd335-nam (Mẫu 02 cả năm) — Nghị định 335/2025."""
    found = None
    if unit:  # without a unit the form needs no database
        ctx.open()
        found = units.find_unit(unit)
    data = documents_batch.blank_pdf(kind, found, year)
    _save(output, documents.file_name("phieu trang", kind, year or ""), data)


@print_group.command("month")
@click.option("--staff", "code", required=True, metavar="MÃ", help="Mã công chức.")
@YEAR_OPT
@click.option("--month", type=click.IntRange(1, 12), required=True, metavar="THÁNG", help="Tháng (1–12).")
@click.option("--unit", metavar="MÃ", help="Mã đơn vị, khi cùng mã người có ở nhiều đơn vị.")
@OUTPUT
@pass_context
def print_month(ctx, code, year, month, unit, output):
    """Phiếu theo dõi, đánh giá công chức hằng tháng (Mẫu 01, Nghị định 335/2025) với
    điểm đã chấm trong phần theo dõi (để trống khi chưa chấm)."""
    ctx.open()
    staff = documents_batch.find_staff(code, units.find_unit(unit) if unit else None)
    data = documents_batch.monthly_pdf(staff, year, month)
    _save(output, documents.file_name("phieu theo doi", year, f"thang {month}", staff.code,
                                      staff.full_name), data)


@print_group.command("list")
@UNIT
@YEAR_OPT
@SUBUNITS
@DAY
@OUTPUT
@pass_context
def print_list(ctx, unit, year, subunits, day, output):
    """Danh sách kết quả đánh giá, xếp loại chất lượng của đơn vị trong một năm,
    với tổng số và tỷ lệ từng mức."""
    ctx.open()
    found = units.find_unit(unit)
    data = documents.ratings_list_pdf(found, year, subunits, day)
    _save(output, documents.file_name("danh sach xep loai", year, found.code), data)


@print_group.command("decision")
@UNIT
@YEAR_OPT
@click.option("--number", metavar="SỐ", default="",
              help="Số quyết định, ví dụ 125 (in «Số: 125/QĐ-UBND»).")
@DAY
@click.option("--deputy", is_flag=True, help="Phó Chủ tịch ký thay (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH).")
@click.option("--signer", metavar="HỌ TÊN",
              help="Họ tên người ký (mặc định: Chủ tịch, hoặc Phó Chủ tịch khi --deputy).")
@SUBUNITS
@click.option("--with-list/--no-list", default=True, show_default=True,
              help="Kèm danh sách kết quả sau quyết định.")
@OUTPUT
@pass_context
def print_decision(ctx, unit, year, number, day, deputy, signer, subunits, with_list, output):
    """Quyết định của Chủ tịch công nhận kết quả đánh giá, xếp loại chất lượng năm."""
    ctx.open()
    found = units.find_unit(unit)
    data = documents.decision_pdf(found, year, number, day, deputy, signer, subunits, with_list)
    _save(output, documents.file_name("quyet dinh cong nhan xep loai", year, found.code), data)


@print_group.command("qualifications")
@UNIT
@click.option("--at", "at", type=DATE, required=True, help="Ngày chốt số liệu (dd/mm/yyyy).")
@SUBUNITS
@click.option("--date", "day", type=DATE, help="Ngày ghi ở dòng địa danh (mặc định: hôm nay).")
@OUTPUT
@pass_context
def print_qualifications(ctx, unit, at, subunits, day, output):
    """Cơ cấu trình độ chuyên môn, lý luận chính trị, quản lý nhà nước tại một ngày."""
    ctx.open()
    found = units.find_unit(unit)
    data = documents.qualifications_pdf(found, at, subunits, day or datetime.date.today())
    _save(output, documents.file_name("co cau trinh do", found.code, at.isoformat()), data)


# --- the papers of the ND 335 yearly review (Điều 21, 22, 24) ------------------------------

STAFF_OPT = click.option("--staff", "code", metavar="MÃ", help="Mã công chức.")


def _person(code, unit):
    return documents_batch.find_staff(code, units.find_unit(unit) if unit else None)


@print_group.command("minutes")
@UNIT
@YEAR_OPT
@STAFF_OPT
@click.option("--chair", metavar="HỌ TÊN",
              help="Người chủ trì (mặc định: người đứng đầu đơn vị đang công tác).")
@click.option("--secretary", metavar="HỌ TÊN", default="", help="Thư ký cuộc họp.")
@click.option("--place", metavar="ĐỊA ĐIỂM", default="",
              help="Địa điểm họp (mặc định: trụ sở của đơn vị).")
@click.option("--present", type=int, metavar="SỐ", help="Số người có mặt.")
@OUTPUT
@pass_context
def print_minutes(ctx, unit, year, code, chair, secretary, place, present, output):
    """Biên bản cuộc họp nhận xét, đánh giá, xếp loại chất lượng công chức năm (Điều 21
    Nghị định 335/2025): ngày họp, thành phần, ý kiến tại cuộc họp, điểm và mức đề xuất
    của từng người; với --staff chỉ trích phần của người đó."""
    ctx.open()
    found = units.find_unit(unit)
    staff = documents_batch.find_staff(code, found) if code else None
    meeting = review.Meeting(chair=chair or "", secretary=secretary, place=place,
                             present=present)
    data = review.minutes_pdf(found, year, staff, meeting)
    _save(output, documents.file_name("bien ban hop xep loai", year, found.code,
                                      staff.code if staff else ""), data)


@print_group.command("notice")
@UNIT
@YEAR_OPT
@STAFF_OPT
@OUTPUT
@pass_context
def print_notice(ctx, unit, year, code, output):
    """Thông báo bằng văn bản kết quả xếp loại chất lượng cho công chức (Điều 21, 22 Nghị
    định 335/2025); không có --staff: thông báo của mọi người đã có kết quả, một tệp."""
    ctx.open()
    if code:
        staff = _person(code, unit)
        data = review.notice_pdf(staff, year)
        name = documents.file_name("thong bao ket qua xep loai", year, staff.code,
                                   staff.full_name)
    else:
        found = units.find_unit(unit)
        data = review.unit_notices_pdf(found, year)
        name = documents.file_name("thong bao ket qua xep loai", year, found.code)
    _save(output, name, data)


@print_group.command("announcement")
@UNIT
@YEAR_OPT
@DAY
@OUTPUT
@pass_context
def print_announcement(ctx, unit, year, day, output):
    """Danh sách công khai kết quả xếp loại chất lượng công chức năm (Điều 21 Nghị định
    335/2025): điểm, mức xếp loại, tổng số từng mức (ngày mặc định: ngày thông báo)."""
    ctx.open()
    found = units.find_unit(unit)
    data = review.announcement_pdf(found, year, day)
    _save(output, documents.file_name("cong khai ket qua xep loai", year, found.code), data)


@print_group.command("file")
@click.option("--staff", "code", required=True, metavar="MÃ", help="Mã công chức.")
@YEAR_OPT
@click.option("--unit", metavar="MÃ", help="Mã đơn vị, khi cùng mã người có ở nhiều đơn vị.")
@OUTPUT
@pass_context
def print_file(ctx, code, year, unit, output):
    """Hồ sơ điện tử xếp loại chất lượng năm của một công chức (Điều 24 Nghị định
    335/2025) thành MỘT tệp PDF: biên bản (phần của người đó), phiếu hằng tháng, phiếu
    năm, nhận xét của cấp ủy, kiến nghị và trả lời."""
    ctx.open()
    staff = _person(code, unit)
    _save(output, review.file_download_name(staff, year), review.file_pdf(staff, year))
