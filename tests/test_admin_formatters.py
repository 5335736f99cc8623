"""How values read on the panel: a rule set by its short name, never its code."""
import re

from admin_views.formatters import rule_set_short


def test_a_rule_set_reads_as_its_short_name():
    assert rule_set_short("ND90_ND48_2023") == "NĐ 90/2020 + NĐ 48/2023"
    assert rule_set_short("ND335_2025") == "NĐ 335/2025"
    assert rule_set_short(None) == ""


def test_the_cycle_pages_list_names_the_rule_set(login_as, csrf):
    officer = login_as("OFFICER")
    page = "/admin/workflow/?unit=KIMTAN&year=2024"
    officer.post("/admin/workflow/action", data={
        "csrf_token": csrf(officer, page), "action": "open", "unit": "KIMTAN", "year": 2024})
    html = officer.get(page).get_data(as_text=True)
    progress = html[html.index('id="progress"'):]
    assert "NĐ 90/2020 + NĐ 48/2023" in progress
    assert not re.search(r">\s*ND\d+_", progress)  # no code where a name is expected
