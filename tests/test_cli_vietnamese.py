"""The command line speaks Vietnamese: click's own texts (canbo/cli/click_vi.py) and every
failure as one Vietnamese line on stderr with exit status 2 (canbo/cli/common.py)."""
import pathlib
import re

import click
import pytest
from click.testing import CliRunner

from canbo.cli import cli, click_vi

ENGLISH = ["Usage:", "Options:", "Commands:", "Show this message", "Show the version",
           "[required]", "default:", "[OPTIONS]", "COMMAND", "[ARGS]", "Error:"]
#: click's metavars for parameters that declare none: a command must name its own.
ENGLISH_METAVARS = re.compile(r"\b(TEXT|INTEGER|FLOAT|FILENAME|FILE|PATH|DIRECTORY|BOOLEAN"
                              r"|RANGE|USERNAME|KIND)\b")


def command_paths(group=cli, prefix=("canbo",)):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path
        if isinstance(command, click.Group):
            yield from command_paths(command, path)


@pytest.mark.parametrize("path", [("canbo",), *command_paths()], ids=" ".join)
def test_every_help_page_is_vietnamese(path):
    result = CliRunner().invoke(cli, [*path[1:], "--help"], prog_name="canbo")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith(f"Cách dùng: {' '.join(path)} [TÙY_CHỌN]"), text
    assert "Tùy chọn:" in text
    assert re.search(r"-h, --help +Hiện hướng dẫn này rồi thoát\.", text), text
    for words in ENGLISH:
        assert words not in text, (words, text)
    assert not ENGLISH_METAVARS.search(text), ENGLISH_METAVARS.search(text)


def test_required_and_default_are_vietnamese():
    text = CliRunner().invoke(cli, ["print", "month", "--help"]).output
    assert "[1<=x<=12; bắt buộc]" in text
    text = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert "[mặc định: 8000]" in text


@pytest.mark.parametrize("args, expected", [
    (["import", "khong-co.xlsx"],
     "Lỗi: Giá trị của 'TỆP' không hợp lệ: Tệp «khong-co.xlsx» không có. "
     "Xem «canbo import --help»."),
    (["print", "month", "--staff", "A", "--year", "2026", "--month", "13"],
     "Lỗi: Giá trị của '--month' không hợp lệ: 13 không nằm trong khoảng 1<=x<=12. "
     "Xem «canbo print month --help»."),
    (["report", "ratings"],
     "Lỗi: Thiếu tùy chọn '--year'. Xem «canbo report ratings --help»."),
    (["khong-co"], "Lỗi: Không có lệnh 'khong-co'. Xem «canbo --help»."),
    (["--khong-co"], "Lỗi: Không có tùy chọn '--khong-co'. Xem «canbo --help»."),
    (["print", "blank", "mau09"],
     "Lỗi: Giá trị của 'LOẠI' không hợp lệ: 'mau09' không phải là một trong: 'mau01', "
     "'mau02', 'mau03', 'nd335-thang', 'nd335-nam'. Xem «canbo print blank --help»."),
    (["user", "add"],
     "Lỗi: Thiếu tham số 'TÊN_ĐĂNG_NHẬP'. Xem «canbo user add --help»."),
    (["report", "ratings", "--year", "2022", "thua"],
     "Lỗi: Thừa tham số: thua. Xem «canbo report ratings --help»."),
], ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_usage_errors_are_one_vietnamese_line(args, expected):
    result = CliRunner().invoke(cli, args, prog_name="canbo")
    assert result.exit_code == 2
    assert result.stderr == expected + "\n"
    assert result.stdout == ""


@pytest.mark.parametrize("args", [
    ["print", "form", "--staff", "KT01", "--year", "2022", "-o", "{missing}/phieu.pdf"],
    ["export", "staff", "-o", "{missing}/ds.xlsx"],
    ["print", "blank", "mau01", "-o", "{missing}/trang.pdf"],
    ["user", "bulk", "--unit", "KIMTAN", "-o", "{missing}/phieu.pdf"],
], ids=lambda v: " ".join(v[:2]))
def test_a_missing_output_folder_is_one_line_before_any_work(tmp_path, args):
    missing = tmp_path / "khong-co"
    args = [a.format(missing=missing) for a in args]
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path}/x.db", *args])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"Lỗi: Không có thư mục «{missing}» để ghi --output "
                             f"«{args[-1]}»; hãy tạo thư mục trước hoặc chọn thư mục khác.\n")
    assert not (tmp_path / "x.db").exists()  # refused before the database was opened


def test_a_file_error_while_running_is_one_vietnamese_line(tmp_path):
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["print", "blank", "mau01", "-o", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "là một thư mục, không phải tệp" in result.stderr


def test_every_translated_id_is_still_one_of_clicks():
    """A click upgrade that rewords a message shows here, not as English in a user's
    terminal."""
    sources = "".join(p.read_text(encoding="utf-8")
                      for p in pathlib.Path(click.__file__).parent.glob("*.py"))
    ids = list(click_vi.MESSAGES) + [m for pair in click_vi.PLURALS for m in pair]
    for message in ids:
        assert repr(message)[1:-1] in sources or message in sources, message
    for english in click_vi.USAGE_WORDS:
        assert english in sources, english
