"""The panel speaks Vietnamese by default, with our catalog over Flask-Admin's."""
import pathlib

import flask_admin
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = pathlib.Path(__file__).resolve().parents[1]
OURS = ROOT / "translations" / "vi" / "LC_MESSAGES"
THEIRS = pathlib.Path(flask_admin.__file__).parent / "translations" / "vi" / "LC_MESSAGES"


def catalog(path):
    with open(path, "rb") as f:
        return read_po(f) if path.suffix == ".po" else read_mo(f)


@pytest.mark.parametrize("domain", ["admin", "wtforms"])
def test_compiled_catalog_matches_its_source(domain):
    po, mo = catalog(OURS / f"{domain}.po"), catalog(OURS / f"{domain}.mo")
    def pairs(cat):
        def text(x):  # plural entries are a tuple in .po and a list in .mo
            return str(tuple(x)) if isinstance(x, (list, tuple)) else str(x)

        return {text(m.id): text(m.string) for m in cat if m.id}

    assert pairs(po) == pairs(mo)


def test_our_catalog_covers_flask_admins_and_never_says_ky_luc():
    ours = catalog(OURS / "admin.po")
    for message in catalog(THEIRS / "admin.po"):
        if message.id:
            assert ours.get(message.id) is not None and ours.get(message.id).string, message.id
    strings = " ".join(str(m.string) for m in ours).lower()
    assert "kỷ lục" not in strings and "mặt hàng" not in strings


def test_list_page_uses_the_glossary(login_as):
    html = login_as("OFFICER").get("/admin/staff/").get_data(as_text=True)
    for words in ["Thêm mới", "Xuất ra tệp", "Thêm bộ lọc", "50 dòng", "Họ và tên",
                  "Tìm họ tên (có dấu hoặc không)"]:
        assert words in html
    assert "mặt hàng" not in html and "Kết xuất" not in html


def test_there_is_no_half_english_switch(login_as):
    """The panel's own screens are Vietnamese only, so Flask-Admin's buttons are too."""
    client = login_as("OFFICER")
    html = client.get("/admin/staff/?lang=en").get_data(as_text=True)
    assert "Thêm bộ lọc" in html and "Add Filter" not in html
    assert 'href="?lang=en"' not in html and '>EN<' not in html
    assert "Thêm bộ lọc" in client.get("/admin/staff/").get_data(as_text=True)


def test_form_errors_are_in_vietnamese(login_as, csrf):
    client = login_as("OFFICER")
    html = client.post("/admin/staff/new/", data={"csrf_token": csrf(client), "code": "",
                                                  "full_name": ""}).get_data(as_text=True)
    assert "Trường này bắt buộc." in html and "This field is required" not in html
