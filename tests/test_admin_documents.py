"""Printing from the panel: who may download which document, and what they receive."""
import io

import pytest
from pypdf import PdfReader

from canbo.models import Staff

PAGE = "/admin/documents/?unit=KIMTAN&year=2022"


def form_url(code="KT13", year=2022):
    return f"/admin/documents/form/{Staff.get(Staff.code == code).id}/{year}"


@pytest.mark.parametrize("role, status", [
    (None, 302), ("ADMIN", 200), ("OFFICER", 200), ("CHAIRMAN", 200), ("VIEWER", 403),
])
def test_who_opens_the_printing_page(login_as, role, status):
    response = login_as(role).get(PAGE)
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        assert "Nguyễn Thị Ngọc Ánh" in html and "Phiếu đánh giá (PDF)" in html


@pytest.mark.parametrize("role, status", [
    (None, 302), ("OFFICER", 200), ("VIEWER", 403), ("OFFICER_B", 404),
])
def test_who_downloads_a_persons_form(login_as, role, status):
    assert login_as(role).get(form_url()).status_code == status


def test_the_form_arrives_as_a_pdf_with_a_meaningful_name(login_as):
    response = login_as("CHAIRMAN").get(form_url())
    assert response.mimetype == "application/pdf"
    assert 'filename="phieu-danh-gia-2022-kt13-nguyen-thi-ngoc-anh.pdf"' in \
        response.headers["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC" in text


@pytest.mark.parametrize("url, name", [
    ("/admin/documents/list?unit=KIMTAN&year=2022", "danh-sach-xep-loai-2022-kimtan.pdf"),
    ("/admin/documents/decision?unit=KIMTAN&year=2022&number=12&date=05/01/2023&deputy=1",
     "quyet-dinh-cong-nhan-xep-loai-2022-kimtan.pdf"),
    ("/admin/documents/qualifications?unit=KIMTAN&year=2022&at=30/06/2023",
     "co-cau-trinh-do-kimtan-2023-06-30.pdf"),
    ("/admin/documents/blank/mau03?unit=KIMTAN&year=2022", "phieu-trang-mau03-2022.pdf"),
])
def test_cycle_documents_download(login_as, url, name):
    response = login_as("OFFICER").get(url)
    assert response.status_code == 200
    assert f'filename="{name}"' in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF")


def test_another_communes_documents_are_404(login_as):
    client = login_as("OFFICER_B")
    assert client.get("/admin/documents/list?unit=KIMTAN&year=2022").status_code == 404


def test_nothing_to_print_is_flashed_not_a_crash(login_as):
    response = login_as("OFFICER").get("/admin/documents/list?unit=KIMTAN&year=2030",
                                       follow_redirects=True)
    assert response.status_code == 200
    assert "không có bản ghi xếp loại nào của năm 2030" in response.get_data(as_text=True)
