"""The import page (preview before writing, then confirm) and the export links."""
import io
import re

import openpyxl
import pytest

from canbo.models import Rating, Staff
from panel_helpers import csrf_token

URL = "/admin/import/"


def xlsx(rows, sheet="Xếp loại"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client, data, name="ds.xlsx", **flags):
    form = {"csrf_token": csrf_token(client, URL), "file": (io.BytesIO(data), name)}
    form.update({k: "1" for k, v in flags.items() if v})
    return client.post(URL, data=form, content_type="multipart/form-data")


def confirm(client, page):
    """Submit the preview's confirm form as the browser would, hidden fields included."""
    html = page.get_data(as_text=True)
    confirm_form = re.search(r'action="[^"]*/confirm">(.*?)</form>', html, re.S).group(1)
    form = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', confirm_form))
    form["csrf_token"] = csrf_token(client, URL)
    return client.post(URL + "confirm", data=form)


@pytest.mark.parametrize("role,status", [("ADMIN", 200), ("OFFICER", 200), ("CHAIRMAN", 200),
                                         ("VIEWER", 200), (None, 302)])
def test_page_access(login_as, role, status):
    assert login_as(role).get(URL).status_code == status


@pytest.mark.parametrize("role,status", [("CHAIRMAN", 403), ("VIEWER", 403)])
def test_only_officers_and_admins_import(login_as, role, status):
    client = login_as(role)
    assert upload(client, xlsx([["Mã", "Năm", "Xếp loại"]])).status_code == status


def test_preview_lists_every_problem_and_writes_nothing(login_as):
    client = login_as("OFFICER")
    data = xlsx([["Mã", "Năm", "Xếp loại"], ["KT01", 2019, "Giỏi"], ["KT02", 1990, "HTNV"],
                 ["KT03", 2019, "HTTNV"]])
    page = upload(client, data)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="problems"' in html
    assert "Giỏi" in html and "1990" in html and html.count("<tr><td>Xếp loại</td>") == 2
    assert 'id="confirm"' not in html  # nothing to confirm while the file has errors
    assert Rating.select().where(Rating.year == 2019).count() == 0


def test_preview_then_confirm_writes_the_file(login_as):
    client = login_as("OFFICER")
    page = upload(client, xlsx([["Mã", "Năm", "Xếp loại"], ["KT03", 2019, "HTTNV"]]))
    assert 'id="confirm"' in page.get_data(as_text=True)
    assert Rating.select().where(Rating.year == 2019).count() == 0
    done = confirm(client, page)
    assert done.status_code == 302
    assert Rating.get(Rating.year == 2019).level == "HTTNV"
    assert "xếp loại thêm mới 1" in client.get(URL).get_data(as_text=True)


def test_skip_invalid_confirms_only_the_valid_rows(login_as):
    client = login_as("OFFICER")
    data = xlsx([["Mã", "Năm", "Xếp loại"], ["KT01", 2019, "Giỏi"], ["KT03", 2019, "HTTNV"]])
    page = upload(client, data, skip_invalid=True)
    assert 'id="confirm"' in page.get_data(as_text=True)
    confirm(client, page)
    assert [r.staff.code for r in Rating.select().where(Rating.year == 2019)] == ["KT03"]


def test_an_officer_cannot_import_into_another_unit(login_as):
    client = login_as("OFFICER")
    rows = [["Mã", "Họ và tên", "Loại", "Đơn vị"], ["Z1", "Lê Văn Tám", "Công chức", "XB"]]
    html = upload(client, xlsx(rows, "Cán bộ")).get_data(as_text=True)
    assert "ngoài phạm vi" in html
    assert not Staff.select().where(Staff.code == "Z1").exists()


def test_a_confirm_token_belongs_to_its_session(login_as):
    page = upload(login_as("OFFICER"), xlsx([["Mã", "Năm", "Xếp loại"], ["KT03", 2019, "HTTNV"]]))
    other = login_as("ADMIN")
    assert confirm(other, page).status_code == 404
    assert Rating.select().where(Rating.year == 2019).count() == 0


@pytest.mark.parametrize("path,sheet", [
    ("export/staff.xlsx", "Cán bộ"),
    ("export/ratings.xlsx?year=2022", "Xếp loại"),
    ("export/report-ratings.xlsx?year=2022", "Xếp loại 2022"),
    ("export/report-qualifications.xlsx?at=2023-06-30", "Trình độ 30-06-2023"),
    ("template/staff.xlsx", "Cán bộ"),
])
def test_export_links_give_workbooks(login_as, path, sheet):
    response = login_as("VIEWER").get(URL + path)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book[sheet].freeze_panes == "A2"


def test_csv_export_has_a_bom(login_as):
    response = login_as("CHAIRMAN").get(URL + "export/staff.csv")
    assert response.data.startswith(b"\xef\xbb\xbf") and "Nguyễn Văn Hùng".encode() in response.data


def test_export_of_a_unit_outside_the_scope_is_404(login_as):
    assert login_as("OFFICER").get(URL + "export/staff.xlsx?unit=XB").status_code == 404
    assert login_as("ADMIN").get(URL + "export/staff.xlsx?unit=XB").status_code == 200


def test_the_preview_lists_the_cells_converted_from_old_fonts(login_as):
    client = login_as("OFFICER")
    data = xlsx([["Mã", "Họ và tên", "Loại"], ["KT90", "Nguyễn Văn Hùng", "Công chức"],
                 ["KT91", "TrÞnh V¨n §øc", "Công chức"], ["KT92", "Ñoã Thò AÙnh", "Cán bộ"]],
                sheet="Cán bộ")
    html = upload(client, data).get_data(as_text=True)
    table = html[html.index('id="converted"'):html.index("</table>", html.index('id="converted"'))]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td>"
                      r"<td><b>(.*?)</b></td><td>(\w+)</td></tr>", table)
    assert rows == [
        ("Cán bộ", "3", "«Họ và tên» (B)", "TrÞnh V¨n §øc", "Trịnh Văn Đức", "TCVN3"),
        ("Cán bộ", "4", "«Họ và tên» (B)", "Ñoã Thò AÙnh", "Đỗ Thị Ánh", "VNI")]
    assert "2 ô gõ bằng phông chữ cũ (TCVN3, VNI) đã được chuyển sang Unicode" in html


def test_a_confirmation_finds_its_upload_whatever_the_token(login_as, monkeypatch):
    """A token of ``secrets.token_urlsafe`` may begin or end with "_": the upload was
    written under it and looked for under ``secure_filename(token)``, without the "_",
    so 1.5% of the confirmations wrote nothing (a CI failure)."""
    import secrets

    monkeypatch.setattr(secrets, "token_urlsafe", lambda n=None: "_edge-of-the-token_")
    client = login_as("OFFICER")
    page = upload(client, xlsx([["Mã", "Năm", "Xếp loại"], ["KT03", 2019, "HTTNV"]]))
    assert confirm(client, page).status_code == 302
    assert Rating.get(Rating.year == 2019).level == "HTTNV"
