"""click's own words in Vietnamese: "Cách dùng", "Tùy chọn", "[bắt buộc]", its errors.

click ships no translations; it marks its texts for gettext instead (each of its modules
does ``from gettext import gettext as _`` and ``from gettext import ngettext``).  Going
through gettext itself would mean compiling a ``.mo`` catalogue, binding it to the
process-wide default domain (click uses no domain of its own) and depending on
``$LANGUAGE``/``$LANG`` — while ``canbo`` speaks Vietnamese whatever the locale.  So
``install()`` points those two names of click's modules at ``translate``/``ntranslate``,
which look click's message ids up in ``MESSAGES`` (a message not there stays as click
wrote it).  This is gettext's own contract — the message id in, the translation out,
the ``{placeholders}`` kept — without the catalogue file; a click upgrade that changes an
id is caught by ``tests/test_cli_vietnamese.py``, which checks that every id is still in
click's sources and that no help page or usage error of ``canbo`` is in English.

The words click does not pass through gettext — the ``[OPTIONS]`` and ``[COMMAND]``
placeholders of a usage line — are translated by ``VietnameseFormatter``, the help
formatter of every command's context.  The metavars of our own options (``SỐ``, ``TỆP``)
are set where the options are declared.

``install()`` runs when ``canbo.cli.common`` is imported, before any command is
declared (a ``click.Path`` names itself "file" when it is made).
"""
import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

#: click's message id → Vietnamese; the ``{names}`` are click's and must be kept.
MESSAGES = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "required": "bắt buộc",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "(dynamic)": "(tùy lúc chạy)",
    "deprecated": "không còn dùng",
    "Aborted!": "Đã hủy.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem «{command} {option}» để biết cách dùng.",
    "Missing command.": "Thiếu lệnh.",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "argument": "tham số",
    "option": "tùy chọn",
    "parameter": "tham số",
    "Invalid value for {param_hint}: {message}": "Giá trị của {param_hint} không hợp lệ: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "unknown error": "lỗi không rõ",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Argument {name!r} takes {nargs} values.": "Tham số {name!r} cần {nargs} giá trị.",
    "Invalid start character for option ({option})": "Ký tự đầu của tùy chọn không hợp lệ ({option})",
    "Value must be an iterable.": "Giá trị phải là một danh sách.",
    "Do you want to continue?": "Tiếp tục?",
    "Confirm the action without prompting.": "Xác nhận luôn, không hỏi lại.",
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "Lỗi: hai lần nhập không khớp nhau.",
    "Error: invalid input": "Lỗi: giá trị nhập không hợp lệ",
    "Press any key to continue...": "Nhấn một phím bất kỳ để tiếp tục...",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là số hợp lệ.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} không phải là giá trị có/không; dùng một trong: {states}",
    "{value!r} is not a valid UUID.": "{value!r} không phải là UUID hợp lệ.",
    "{name} {filename!r} is a file.": "{name} «{filename}» là một tệp, không phải thư mục.",
    "{name} {filename!r} is a directory.": "{name} «{filename}» là một thư mục, không phải tệp.",
    "{name} {filename!r} is not readable.": "Không đọc được {name} «{filename}».",
    "{name} {filename!r} is not writable.": "Không ghi được vào {name} «{filename}».",
    "{name} {filename!r} is not executable.": "{name} «{filename}» không chạy được.",
    "{name} {filename!r} does not exist.": "{name} «{filename}» không có.",
}

#: click's (singular, plural) message ids → Vietnamese, which has one form for both
#: (click passes both forms' fields, "{choice}" and "{choices}", with the same value).
PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        "Thừa tham số: {args}.",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        "Có phải ý bạn là: {possibilities}?",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        "Tùy chọn {name!r} cần {nargs} giá trị.",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        "Cần {nargs} giá trị nhưng chỉ có {len}.",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        "{value!r} không phải là một trong: {choices}.",
    ("{value!r} does not match the format {format}.",
     "{value!r} does not match the formats {formats}."):
        "{value!r} không đúng dạng {formats}.",
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        "Cần {len_type} giá trị nhưng có {len_value}.",
}

#: click's usage placeholders (not passed through gettext) → Vietnamese.
USAGE_WORDS = {
    "[OPTIONS]": "[TÙY_CHỌN]",
    "[COMMAND] [ARGS]...": "[LỆNH] [THAM_SỐ]...",
    "COMMAND [ARGS]...": "LỆNH [THAM_SỐ]...",
}

MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
           click.termui, click.types)


def translate(message):
    return MESSAGES.get(message, message)


def ntranslate(singular, plural, n):
    vietnamese = PLURALS.get((singular, plural))
    if vietnamese is None:
        return singular if n == 1 else plural
    return vietnamese


class VietnameseFormatter(click.HelpFormatter):
    """click's help formatter with the usage line's placeholders in Vietnamese."""

    def write_usage(self, prog, args="", prefix=None):
        for english, vietnamese in USAGE_WORDS.items():
            args = args.replace(english, vietnamese)
        super().write_usage(prog, args, prefix)


def install():
    """Make click speak Vietnamese in this process (see the module's docstring)."""
    for module in MODULES:
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = ntranslate
    click.Context.formatter_class = VietnameseFormatter
