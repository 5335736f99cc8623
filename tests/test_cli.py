import json
import pathlib

import click
import pytest
from click.testing import CliRunner

from canbo.cli import cli

README = (pathlib.Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def command_paths(group=cli, prefix=("canbo",)):
    for name, command in group.commands.items():
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from command_paths(command, path)


@pytest.mark.parametrize("path,command", list(command_paths()), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help_and_is_in_the_readme(path, command):
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    assert f"`{' '.join(path)}" in README, f"README.md does not document `{' '.join(path)}`"
    result = CliRunner().invoke(cli, [*path[1:], "--help"])
    assert result.exit_code == 0 and "Cách dùng:" in result.output


def test_demo_twice_changes_nothing(run):
    first = run("demo")
    assert first.exit_code == 0 and first.output.strip() == "KIMTAN"
    before = run("report", "ratings", "--year", "2022", "--format", "json").output
    assert run("demo").output.strip() == "KIMTAN"
    from canbo.models import Qualification, Rating, Staff
    from canbo.records import demo

    # the 20 people and their histories, and KT22 transferred in on 01/07/2026 with two
    # qualifications (demo_2026)
    history = sum(len(demo.qualifications(p[0])) for p in demo.PEOPLE) + 2
    assert (Staff.select().count(), Rating.select().count(), Qualification.select().count()) == (
        21, 40, history)
    assert run("report", "ratings", "--year", "2022", "--format", "json").output == before


def test_reports_from_the_command_line(run):
    run("demo")
    text = run("report", "ratings", "--year", "2021").output
    assert ("Năm 2021: 20 đồng chí. 16 đồng chí hoàn thành xuất sắc nhiệm vụ = 80%, "
            "04 đồng chí hoàn thành tốt nhiệm vụ = 20%.") in text
    data = json.loads(run("report", "qualifications", "--at", "2023-06-30", "--unit", "KIMTAN",
                          "--format", "json").output)
    assert data["unit"] == "KIMTAN" and data["at"] == "2023-06-30" and data["total"] == 18
    csv_lines = run("report", "ratings", "--year", "2022", "--format", "csv").output.splitlines()
    assert csv_lines[0] == "code,label,count,percent"
    assert csv_lines[1] == "HTXSNV,Hoàn thành xuất sắc nhiệm vụ,14,70.0"


@pytest.mark.parametrize(
    "args,message",
    [
        (["report", "ratings", "--year", "2022", "--unit", "NOPE"], "Không có đơn vị mã «NOPE»"),
        (["report", "qualifications", "--at", "2023-02-30"], "Ngày «2023-02-30»"),
        (["report", "ratings", "--year", "2019"], "không có kết quả xếp loại nào của năm 2019"),
        (["report", "ratings", "--year", "hai"], "Năm «hai» không hợp lệ"),
    ],
)
def test_bad_input_is_one_vietnamese_line_and_status_2(run, args, message):
    run("demo")
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: ") and message in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


def test_an_unreachable_database_is_status_2():
    result = CliRunner().invoke(
        cli, ["--db", "postgresql://x:y@127.0.0.1:1/none", "report", "ratings", "--year", "2022"])
    assert result.exit_code == 2 and "Không kết nối được cơ sở dữ liệu" in result.stderr


def test_a_database_never_initialised_asks_for_init(tmp_path):
    result = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{tmp_path / 'new.db'}", "report", "ratings", "--year", "2022"])
    assert result.exit_code == 2 and "canbo init" in result.stderr


def test_init_then_backup_and_restore(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()
    assert "sẵn sàng" in runner.invoke(cli, ["--db", url, "init"]).output
    runner.invoke(cli, ["--db", url, "demo"])
    copy = tmp_path / "copy.db"
    assert runner.invoke(cli, ["--db", url, "backup", str(copy)]).exit_code == 0
    other = f"sqlite:///{tmp_path / 'd.db'}"
    assert runner.invoke(cli, ["--db", other, "restore", "--yes", str(copy)]).exit_code == 0
    out = runner.invoke(cli, ["--db", other, "report", "ratings", "--year", "2021"]).output
    assert "16 đồng chí hoàn thành xuất sắc nhiệm vụ = 80%" in out
