"""Printed documents: the text a reader sees, A4 pages, one embedded font family, page
counts of batches, and that typed text can neither pull in a file nor add an attachment."""
import datetime
import io
import json
import re
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from accounts import account
from canbo.documents import batch as documents_batch
from canbo.documents import forms as documents_forms
from canbo.documents import render as documents
from canbo.documents.forms import FormTexts
from canbo.levels import Rating as RatingLevel
from canbo.models import Rating, Staff, Unit
from canbo.models.cycle import Evaluation

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
A4 = (595.28, 841.89)


def pdftotext(data, tmp_path, layout=True):
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    args = ["pdftotext", "-layout"] if layout else ["pdftotext"]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True, text=True)
    return unicodedata.normalize("NFC", out.stdout)


def pages_text(data, tmp_path):
    return pdftotext(data, tmp_path).split("\f")[:-1]


def ticked(text):
    """The labels printed next to a ticked box ("X  Hoàn thành tốt nhiệm vụ")."""
    labels = "|".join(re.escape(m.label) for m in RatingLevel)
    return re.findall(rf"^\s*X\s+({labels})\s*$", text, re.M)


def page_count(data):
    return len(PdfReader(io.BytesIO(data)).pages)


def form(code, year=2022):
    return documents_batch.form_pdf(Staff.get(Staff.code == code), year)


# --- the place and date line (ND 30/2020 annex I) ---------------------------------------


@pytest.mark.parametrize("day, expected", [
    (datetime.date(2023, 7, 7), "Kim Tân, ngày 07 tháng 7 năm 2023"),
    (datetime.date(2023, 2, 15), "Kim Tân, ngày 15 tháng 02 năm 2023"),
    (datetime.date(2023, 1, 5), "Kim Tân, ngày 05 tháng 01 năm 2023"),
    (datetime.date(2023, 12, 1), "Kim Tân, ngày 01 tháng 12 năm 2023"),
    (None, "Kim Tân, ngày ...... tháng ...... năm ......"),
])
def test_place_date_line(day, expected):
    assert documents.place_date("Kim Tân", day) == expected


# --- the rating forms -----------------------------------------------------------------


@pytest.mark.parametrize("code, form_no, title, leaders", [
    ("KT05", "Mẫu số 01", "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ", True),
    ("KT13", "Mẫu số 02", "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC", False),
])
def test_nd90_form_shows_person_sections_and_levels(demo_db, tmp_path, code, form_no, title,
                                                    leaders):
    data = form(code)
    text = pdftotext(data, tmp_path)
    staff = Staff.get(Staff.code == code)
    for expected in (QUOC_HIEU, TIEU_NGU, form_no, title, "Năm 2022", staff.full_name,
                     "I. KẾT QUẢ TỰ ĐÁNH GIÁ", "II. TỰ NHẬN XÉT, XẾP LOẠI CHẤT LƯỢNG",
                     "III. Ý KIẾN NHẬN XÉT", "IV. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
                     "ỦY BAN NHÂN DÂN", "XÃ KIM TÂN", *[m.label for m in RatingLevel]):
        assert expected in text
    assert ("PHẦN DÀNH RIÊNG CHO" in text) is leaders
    sizes = {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
             for p in PdfReader(io.BytesIO(data)).pages}
    assert sizes == {A4}


@pytest.mark.parametrize("code, level", [("KT18", "HTNV"), ("KT12", "HTTNV"), ("KT13", "HTXSNV")])
def test_self_rating_and_final_rating_are_ticked(demo_db, tmp_path, code, level):
    assert ticked(pdftotext(form(code), tmp_path)) == [RatingLevel(level).label] * 2


def test_a_rating_not_yet_approved_ticks_only_the_self_rating(demo_db, tmp_path):
    rating = Rating.get(Rating.staff == Staff.get(Staff.code == "KT12").id, Rating.year == 2022)
    rating.status, rating.self_level = "PROPOSED", "HTXSNV"
    rating.save()
    assert ticked(pdftotext(form("KT12"), tmp_path)) == [RatingLevel.HTXSNV.label]


def test_texts_from_the_workflow_are_printed(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(documents_forms, "form_texts", lambda ratings: {
        r.id: FormTexts(criteria={1: "Luôn chấp hành tốt chủ trương của Đảng."},
                        strengths="Ưu điểm: tận tụy; khuyết điểm: chậm báo cáo.")
        for r in ratings})
    text = pdftotext(form("KT13"), tmp_path)
    assert "Luôn chấp hành tốt chủ trương của Đảng." in text
    assert "Ưu điểm: tận tụy; khuyết điểm: chậm báo cáo." in text


def test_self_assessment_and_meeting_comments_from_the_workflow(demo_db, tmp_path):
    rating = Rating.get(Rating.staff == Staff.get(Staff.code == "KT13").id, Rating.year == 2022)
    Evaluation.create(rating=rating, criteria=json.dumps(
        {"1": "Kiên định lập trường chính trị.", "II": "Khuyết điểm: còn chậm báo cáo."}),
        meeting_comments="Thống nhất đề nghị mức xuất sắc.", meeting_on=datetime.date(2022, 12, 5))
    text = pdftotext(form("KT13"), tmp_path, layout=False)
    assert "1. Chính trị tư tưởng:\nKiên định lập trường chính trị." in text
    assert "Khuyết điểm: còn chậm báo cáo." in text
    assert "Ý kiến tại cuộc họp đơn vị ngày 05/12/2022: Thống nhất đề nghị mức xuất sắc." in text


def test_a_cadres_leadership_texts_print_under_the_cadre_forms_numbers(demo_db, tmp_path):
    rating = Rating.get(Rating.staff == Staff.get(Staff.code == "KT05").id, Rating.year == 2022)
    Evaluation.create(rating=rating, criteria=json.dumps({"8": "Điều hành quyết liệt."}))
    text = pdftotext(form("KT05"), tmp_path, layout=False)
    assert "7. Năng lực lãnh đạo, quản lý:\nĐiều hành quyết liệt." in text


def _nd335_rating(code="KT13", level="HTTNV"):
    staff = Staff.get(Staff.code == code)
    return Rating.create(staff=staff, unit=staff.unit, year=2026, rule_set="ND335_2025",
                         level=level, self_level=level, status="APPROVED")


def track_year(staff, generals):
    """Confirmed ND 335 months straight into the tables, ``{month: general points}``:
    every assigned product done on time, so a month scores its general points + 70."""
    from canbo.models.tracking import Assignment, Sheet
    from canbo.tracking import catalogue as cat

    officer = account("OFFICER", staff.unit)
    catalogue = cat.open_catalogue(officer, staff.unit, 2026)
    product = catalogue.products.first() or cat.add_product(officer, catalogue, 1, "Văn bản",
                                                            "1")
    for month, general in generals.items():
        Assignment.create(staff=staff, year=2026, month=month, product=product,
                          coefficient=product.coefficient, quantity=2, completed=2)
        Sheet.create(staff=staff, unit=staff.unit, year=2026, month=month,
                     rule_set="ND335_2025", status="CONFIRMED", general=general)


def test_nd335_yearly_form_prints_monthly_totals_and_average(without_demo_2026, tmp_path):
    _nd335_rating()
    track_year(Staff.get(Staff.code == "KT13"), {m: 10 + m for m in range(1, 13)})
    text = pdftotext(form("KT13", 2026), tmp_path)  # months 81 … 92, average 86.5
    assert "PHIẾU XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC" in text
    assert "Năm 2026" in text and "Nguyễn Thị Ngọc Ánh" in text
    assert "81,00" in text and "92,00" in text and "86,50" in text
    assert ticked(text) == [RatingLevel.HTTNV.label] * 2


def test_the_printed_year_average_is_the_one_canbo_score_prints(without_demo_2026, run, tmp_path):
    from decimal import Decimal

    from canbo.models.cycle import Absence

    _nd335_rating()
    staff = Staff.get(Staff.code == "KT13")
    # Maternity leave from 10/06 takes June (21 of its 30 days) and July–November: the
    # year is averaged over the six months worked, June's sheet left out (ND 335 Điều
    # 11.2, 19.3), and 86.125 rounds half up, as the stored points do.
    Absence.create(staff=staff, kind="MATERNITY", starts_on=datetime.date(2026, 6, 10),
                   ends_on=datetime.date(2026, 11, 30))
    track_year(staff, {1: 16, 2: 16, 3: 16, 4: 16, 5: 16, 6: 20, 12: Decimal("16.75")})
    score = next(line for line in run("score", "--year", "2026", "--unit", "KIMTAN")
                 .output.splitlines() if line.startswith("KT13"))
    assert score.split()[-2:] == ["86,13", "HTTNV"]
    text = pdftotext(form("KT13", 2026), tmp_path)
    assert re.search(r"Tổng điểm\s+trung bình\s+86,13\s+cả năm", text)
    # The annex's "Ghi chú" says why June–November are not in the average.
    assert re.search(r"\n\s*7\s+Không tính vào điểm trung bình năm", text)
    assert "IV. ĐỀ XUẤT PHƯƠNG ÁN XỬ LÝ" in text and "CẤP CÓ THẨM QUYỀN XẾP LOẠI" in text


def test_nd335_form_prints_empty_table_until_tracking_lands(without_demo_2026, tmp_path):
    _nd335_rating()
    text = pdftotext(form("KT13", 2026), tmp_path)
    flat = " ".join(pdftotext(form("KT13", 2026), tmp_path, layout=False).split())
    assert "Tổng điểm trung bình cả năm" in flat
    assert not re.search(r"\d+,\d\d", text)


def test_nd335_monthly_sheet_prints_the_tracking_points(without_demo_2026, tmp_path):
    from accounts import account, own_account
    from canbo.tracking import evaluators, sheets

    staff = Staff.get(Staff.code == "KT13")
    evaluators.set_head(account("OFFICER", staff.unit), staff.unit,
                        Staff.get(Staff.code == "KT05"))
    sheet = sheets.sheet_for(staff, 2026, 3)
    scores = {item.code: item.max_points for item in sheet.items}
    scores["I.2"] = 4
    sheets.self_score(own_account(staff), sheet, scores,
                      strengths="Hoàn thành đúng hạn các hồ sơ hộ tịch.")
    text = pdftotext(documents_batch.monthly_pdf(staff, 2026, 3), tmp_path)
    assert "PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC" in text
    assert "(Kỳ theo dõi, đánh giá: tháng 3 năm 2026)" in text
    # The annex's own columns and item texts (Phụ lục II Mẫu số 01; part III = Phụ lục I §3).
    assert "Tiêu chí chấm điểm" in text and "Điểm do cá" in text and "nhân tự chấm" in text
    assert re.search(r"Ý thức kỷ luật, kỷ cương trong thực thi công vụ\s+5\s+4,00", text)
    flat = " ".join(pdftotext(documents_batch.monthly_pdf(staff, 2026, 3), tmp_path,
                              layout=False).split())
    assert ("Chủ động đưa ra quyết định trong phạm vi thẩm quyền, không né tránh; có tinh "
            "thần tiên phong trong thực hiện những nhiệm vụ mới.") in flat
    assert "Ứng dụng công nghệ, chuyển đổi số" not in text
    assert re.search(r"Tổng cộng\s+30\s+29,00", text)
    assert "Hoàn thành đúng hạn các hồ sơ hộ tịch." in text
    # Both signers, with the names the records know: the person and the chairman, their
    # evaluator by default (Điều 10.1.b); the date of the self-assessment is printed.
    assert "CÔNG CHỨC TỰ ĐÁNH GIÁ" in text and "CẤP CÓ THẨM QUYỀN" in text
    assert staff.full_name in text and "Lê Quang Minh" in text
    assert re.search(r"Kim Tân, ngày \d\d tháng \d\d năm 20\d\d", text)


@pytest.mark.parametrize("name, expected", [
    ("mau01", "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ"),
    ("mau02", "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC"),
    ("mau03", "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG VIÊN CHỨC"),
    ("nd335-thang", "PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC"),
    ("nd335-nam", "PHIẾU XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC"),
])
def test_blank_forms(tmp_path, name, expected):
    text = pdftotext(documents_batch.blank_pdf(name), tmp_path)
    assert expected in text and QUOC_HIEU in text
    assert ticked(text) == []


# --- batches --------------------------------------------------------------------------


def test_batch_of_n_people_has_the_pages_of_their_forms(demo_db, tmp_path):
    people = list(Staff.select().where(Staff.code.in_(["KT05", "KT13", "KT18"])))
    singles = [page_count(form(p.code)) for p in people]
    contexts = documents_forms.year_contexts(people, 2022)
    assert page_count(documents_batch.render_batch(contexts, workers=1)) == sum(singles)


def test_unit_year_batch_is_one_pdf_in_staff_list_order(demo_db, tmp_path):
    unit = Unit.get(Unit.code == "KIMTAN")
    # the 20 of 2022 (KT22 of the demo's 2026 joined later)
    people = list(Staff.select().where(Staff.joined_on <= datetime.date(2022, 12, 31))
                  .order_by(Staff.sort_name))
    pages = pages_text(documents_batch.unit_forms_pdf(unit, 2022), tmp_path)
    starts = [i for i, page in enumerate(pages) if "PHIẾU ĐÁNH GIÁ, XẾP LOẠI" in page]
    assert len(starts) == len(people) == 20
    assert [p.full_name in pages[s] for p, s in zip(people, starts)] == [True] * 20
    # Every form restarts its numbering: page 2 of each form is numbered 2, its page 1 not.
    assert all(pages[s + 1].strip().startswith("2") for s in starts)
    assert not any(pages[s].strip().startswith(("1", "2")) for s in starts)


@pytest.mark.parametrize("left_on, printed", [
    (datetime.date(2024, 1, 1), False),  # left on the year's first day: no day in post in it
    (datetime.date(2024, 1, 2), True),
])
def test_a_unit_years_forms_are_for_those_in_post_during_the_year(demo_db, left_on, printed):
    unit = Unit.get(Unit.code == "KIMTAN")
    Staff.create(unit=unit, code="KT90", full_name="Lê Văn Chín", kind="CIVIL_SERVANT",
                 joined_on=datetime.date(2015, 1, 1), left_on=left_on, left_reason="Nghỉ hưu")
    codes = [p.code for p in documents_forms.staff_of_year([unit.id], 2024)]
    assert ("KT90" in codes) is printed


@pytest.mark.parametrize("codes", [["KT13"], None])
def test_batch_data_takes_the_same_few_queries_for_one_or_twenty_people(demo_db, codes):
    from playhouse.test_utils import count_queries

    unit = Unit.get(Unit.code == "KIMTAN")
    people = documents_forms.staff_of_year([unit.id], 2022)
    people = [p for p in people if codes is None or p.code in codes]
    with count_queries() as counter:
        contexts = documents_forms.year_contexts(people, 2022)
    assert len(contexts) == len(people)
    assert counter.count <= 3  # ratings, units, the workflow's texts


def test_parallel_chunks_give_the_same_pages_as_one_render(demo_db, tmp_path, monkeypatch):
    people = list(Staff.select().order_by(Staff.sort_name).limit(4))
    contexts = documents_forms.year_contexts(people, 2022)
    monkeypatch.setattr(documents_batch, "PARALLEL_FROM", 0)
    parallel = documents_batch.render_batch(contexts, chunk_size=1, workers=2)
    single = documents_batch.render_batch(contexts, workers=1)
    assert pages_text(parallel, tmp_path) == pages_text(single, tmp_path)


def test_fonts_are_embedded_and_of_one_family(demo_db, tmp_path):
    path = tmp_path / "forms.pdf"
    path.write_bytes(documents.decision_pdf(Unit.get(Unit.code == "KIMTAN"), 2022))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:]]
    assert rows
    # Subset names look like "KZUJSR+Liberation-Serif-Bold": one family, four faces.
    assert all(row[0].split("+", 1)[1].startswith("Liberation-Serif") for row in rows)
    assert {row[-5] for row in rows} == {"yes"}  # the "emb" column


# --- unit documents -------------------------------------------------------------------


def test_yearly_list_has_names_levels_totals_and_percents(demo_db, tmp_path):
    text = pdftotext(documents.ratings_list_pdf(Unit.get(Unit.code == "KIMTAN"), 2022),
                     tmp_path, layout=False)
    for expected in ("DANH SÁCH KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", "NĂM 2022",
                     "Lê Thị Ơn", "Vương Đình Bảo", "Tự xếp loại", "Kết quả xếp loại",
                     "Tổng số được đánh giá, xếp loại: 20 người",
                     "Hoàn thành xuất sắc nhiệm vụ: 14 người, tỷ lệ 70%",
                     "Hoàn thành tốt nhiệm vụ: 05 người, tỷ lệ 25%",
                     "Hoàn thành nhiệm vụ: 01 người, tỷ lệ 5%", QUOC_HIEU):
        assert expected in text


@pytest.mark.parametrize("deputy, lines", [
    (False, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Quang Minh"]),
    (True, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Thị Ánh"]),
])
def test_decision(demo_db, tmp_path, deputy, lines):
    data = documents.decision_pdf(Unit.get(Unit.code == "KIMTAN"), 2022, number="125",
                                  day=datetime.date(2023, 1, 5), deputy=deputy)
    text = pdftotext(data, tmp_path)
    for expected in ("Số: 125/QĐ-UBND", "Kim Tân, ngày 05 tháng 01 năm 2023", "QUYẾT ĐỊNH",
                     "Căn cứ Nghị định số 90/2020/NĐ-CP", "Điều 1.", "Điều 2.", "Điều 3.",
                     "Nơi nhận:", "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ KIM TÂN", *lines):
        assert expected in text


def test_qualification_structure(demo_db, tmp_path):
    data = documents.qualifications_pdf(Unit.get(Unit.code == "KIMTAN"),
                                         datetime.date(2023, 6, 30), day=datetime.date(2023, 7, 7))
    text = pdftotext(data, tmp_path)
    assert "Tính đến ngày 30/06/2023" in text
    assert re.search(r"Đại học\s+15\s+83,3", text)
    assert re.search(r"Trung cấp\s+3\s+16,7", text)
    assert "Kim Tân, ngày 07 tháng 7 năm 2023" in text


# --- safety ---------------------------------------------------------------------------

EVIL_NAME = '<img src="file:///etc/passwd">'
EVIL_TEXT = '<link rel="attachment" href="file:///etc/passwd">'


def test_typed_html_is_printed_literally_and_attaches_nothing(demo_db, tmp_path):
    staff = Staff.get(Staff.code == "KT13")
    staff.full_name = EVIL_NAME
    staff.save()
    rating = Rating.get(Rating.staff == staff.id, Rating.year == 2022)
    Evaluation.create(rating=rating, criteria=json.dumps({"II": EVIL_TEXT}))
    data = documents_batch.form_pdf(staff, 2022)
    text = pdftotext(data, tmp_path, layout=False)
    assert EVIL_NAME in text and EVIL_TEXT in text
    assert "root:" not in text
    reader = PdfReader(io.BytesIO(data))
    assert reader.attachments == {}
    assert b"/EmbeddedFile" not in data


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://example.com/style.css",
    "https://example.com/font.ttf",
    "data:text/css,body{}",
    (documents.FONT_DIR / ".." / ".." / ".." / "setup.cfg").as_uri(),
    (documents.TEMPLATE_DIR / "form_nd90.html").as_uri(),
])
def test_fetcher_refuses_everything_but_the_package_files(url):
    with pytest.raises(ValueError):
        documents.allowed_path(url)


def test_fetcher_serves_the_package_fonts_and_stylesheet():
    for path in (documents.FONT_DIR / "LiberationSerif-Regular.ttf",
                 documents.TEMPLATE_DIR / "base.css"):
        assert documents.allowed_path(path.as_uri()) == path


def test_markup_reaching_the_renderer_cannot_fetch_or_attach():
    # Even if a template forgot to escape, the fetcher refuses the local file.
    data = documents.html_to_pdf(f"<p>x</p>{EVIL_NAME}{EVIL_TEXT}"
                                 '<link rel="stylesheet" href="http://example.com/a.css">')
    assert PdfReader(io.BytesIO(data)).attachments == {}
    assert b"/EmbeddedFile" not in data


# --- the command line -----------------------------------------------------------------


@pytest.mark.parametrize("args, name", [
    (["form", "--staff", "KT13", "--year", "2022"], "Nguyễn Thị Ngọc Ánh"),
    (["list", "--year", "2022"], "DANH SÁCH KẾT QUẢ"),
    (["decision", "--unit", "KIMTAN", "--year", "2022", "--number", "7"], "Số: 7/QĐ-UBND"),
    (["qualifications", "--at", "2023-06-30"], "CƠ CẤU TRÌNH ĐỘ"),
])
def test_cli_writes_the_pdf(demo_db, run, tmp_path, args, name):
    out = tmp_path / "out.pdf"
    result = run("print", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert name in pdftotext(out.read_bytes(), tmp_path)


def test_cli_unknown_staff_is_one_vietnamese_line(demo_db, run, tmp_path):
    result = run("print", "form", "--staff", "XX99", "--year", "2022",
                 "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "Không có cán bộ, công chức mã «XX99»" in result.output


def test_file_names_are_ascii_and_meaningful():
    assert documents.file_name("phiếu đánh giá", 2022, "KT13", "Nguyễn Thị Ngọc Ánh") == \
        "phieu-danh-gia-2022-kt13-nguyen-thi-ngoc-anh.pdf"


def test_a_form_that_fits_on_two_pages_leaves_no_third_of_its_first_page_empty(
        demo_db, tmp_path, monkeypatch):
    """The self-rating's boxes and its signature were one block: when they did not fit
    under section II.1, page 1 ended a third empty and the form took three pages.  Now
    the boxes stay with their heading and the signature with itself: the boxes end
    page 1, and the form is two pages."""
    said = "Chấp hành nghiêm chỉnh chủ trương, đường lối của Đảng, pháp luật của Nhà nước."
    monkeypatch.setattr(documents_forms, "form_texts", lambda ratings: {
        r.id: FormTexts(criteria={i: said for i in range(1, 10)}, strengths=said * 2,
                        manager_comment=said) for r in ratings})
    data = form("KT13")
    pages = pages_text(data, tmp_path)
    assert len(pages) == 2
    assert "2. Tự xếp loại chất lượng:" in pages[0]
    assert "NGƯỜI CÓ THẨM QUYỀN ĐÁNH GIÁ" in pages[1]
    # the last signature is never alone: it stays with the boxes it signs
    assert "2. Kết quả đánh giá, xếp loại chất lượng:" in pages[1]
