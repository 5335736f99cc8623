"""Checking what a person typed or a workbook held for a catalogue (ND 335/2025 Điều 13).

``clean_product`` turns raw values — a form's text, a workbook's cells — into a product's
fields: a name, the texts within their lengths and without control characters, a group
1–5 (N1–N5, at most five groups, Điều 13.1.a), a points range ("11-50"), points within
it, a finite coefficient, or the points ÷ the standard product's when none is given
(Điều 13.1.c).  It reports every problem, each led by where it is (a product's name, or
a sheet, row and column), so that a form and a workbook are checked by the same rules.
"""
import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from canbo.errors import InvalidInput
from canbo.models.tracking import MAX_GROUPS
from canbo.tracking import catalogue_xlsx
from canbo.vietnamese import fold, nfc, parse_decimal, vi_decimal

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
CENT = Decimal("0.01")
MAX_POINTS = Decimal("99999.99")  # Product.points: 7 digits, 2 decimals
MAX_COEFFICIENT = Decimal("9999.99")  # Product.coefficient: 6 digits, 2 decimals
#: Text fields of a product: what the messages call it, its longest length, one line?
TEXTS = {
    "section": ("phần", 200, True),
    "code": ("mã công việc", 32, True),
    "task": ("nhiệm vụ", 2000, False),
    "name": ("tên sản phẩm/công việc", 300, True),
    "output": ("sản phẩm đầu ra", 2000, False),
    "job_position": ("vị trí việc làm", 200, True),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_group(value, row=None):
    """1–5 from ``3``, ``"N3"``, ``"Nhóm 3"`` or ``"III"`` (at most 5 groups, Điều 13)."""
    text = fold(str(value if value is not None else "")).strip()
    match = re.search(r"(\d+)", text)
    number = int(match.group(1)) if match else ROMAN.get(text.replace("nhom", "").strip())
    if number is None or not 1 <= number <= MAX_GROUPS:
        where = f"dòng {row}: " if row else ""
        raise InvalidInput(f"{where}nhóm «{value}» không hợp lệ; cho phép 1 – {MAX_GROUPS} "
                           f"(N1 – N{MAX_GROUPS}).", row=row, value=value)
    return number


def _number(value, what, row=None):
    """``vietnamese.parse_decimal`` of a required cell, the message led by its row."""
    return parse_decimal(value, f"dòng {row}: {what}" if row else what, required=True)


def parse_range(value, row=None):
    """``(min, max)`` from ``"1–10"``, ``"11 - 50"``, ``"5"`` or a number; None when empty."""
    if value is None or str(value).strip() == "":
        return None, None
    if isinstance(value, (int, float)):
        number = _number(value, "khung điểm", row)
        return number, number
    parts = [p for p in re.split(r"\s*[–—-]\s*", str(value).strip()) if p]
    if len(parts) not in (1, 2):
        parts = []
    numbers = [_number(p, "khung điểm", row) for p in parts]
    if not numbers or numbers[0] > numbers[-1]:
        where = f"dòng {row}: " if row else ""
        raise InvalidInput(f"{where}khung điểm «{value}» không hợp lệ (ví dụ 11-50).",
                           row=row, value=value)
    return numbers[0], numbers[-1]


def clean_text(value, field):
    what, limit, one_line = TEXTS[field]
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = nfc(str(value)).replace("\r\n", "\n").strip()
    if _CONTROL.search(text):
        raise InvalidInput(f"{what} có ký tự điều khiển không in được; hãy gõ lại.")
    if one_line:
        text = " ".join(text.split())
    if len(text) > limit:
        raise InvalidInput(f"{what} dài {len(text)} ký tự, quá giới hạn {limit}.")
    return text


def bounded(value, what, low, high, strict_low=False):
    if value is None:
        return None
    if value < low or (strict_low and value == low) or value > high:
        sign = ">" if strict_low else "≥"
        raise InvalidInput(f"{what} «{vi_decimal(value)}» phải {sign} {vi_decimal(low)} và ≤ "
                           f"{vi_decimal(high)}.")
    return value.quantize(CENT, ROUND_HALF_UP)


def derived_coefficient(points, standard_points):
    """The coefficient of a product worth ``points`` (Điều 13.1.c): its points divided by
    the standard product's, to two decimals."""
    return (Decimal(points) / Decimal(standard_points)).quantize(CENT, ROUND_HALF_UP)


def clean_product(catalogue, values, place=None):
    """``(fields, errors)``: the model fields of a product from raw ``values`` (``group``,
    ``range`` or ``points_min``/``points_max``, ``points``, ``coefficient`` and the
    ``TEXTS``), and every problem found, each led by ``place(field)`` (default: the
    product's name)."""
    errors, out, failed = [], {}, set()
    lead = place or (lambda field: f"Sản phẩm «{str(values.get('name') or '').strip()}»")

    def check(field, function, *args):
        try:
            return function(*args)
        except InvalidInput as exc:
            errors.append(f"{lead(field)}: {exc.message}")
            failed.add(field)
            return None

    for field in TEXTS:
        out[field] = check(field, clean_text, values.get(field), field) or ""
    if not out["name"] and "name" not in failed:
        errors.append(f"{lead('name')}: tên sản phẩm/công việc còn trống.")
    for field in ("code", "task", "output", "job_position"):
        out[field] = out[field] or None
    group = values.get("group")
    if group in (None, "") or not str(group).strip():
        errors.append(f"{lead('group')}: nhóm còn trống; cho phép 1 – {MAX_GROUPS} (N1 – "
                      f"N{MAX_GROUPS}).")
    else:
        out["complexity_group"] = check("group", parse_group, group)
    if "range" in values:
        low, high = check("range", parse_range, values.get("range")) or (None, None)
    else:
        low = check("range", parse_decimal, values.get("points_min"), "điểm tối thiểu")
        high = check("range", parse_decimal, values.get("points_max"), "điểm tối đa")
        low, high = (high if low is None else low), (low if high is None else high)
        if low is not None and low > high:
            errors.append(f"{lead('range')}: khung điểm {vi_decimal(low)}-{vi_decimal(high)} "
                          "không hợp lệ: điểm tối thiểu lớn hơn điểm tối đa.")
    out["points_min"] = check("range", bounded, low, "khung điểm", 0, MAX_POINTS)
    out["points_max"] = check("range", bounded, high, "khung điểm", 0, MAX_POINTS)
    points = check("points", parse_decimal, values.get("points"), "điểm chấm")
    points = out["points"] = check("points", bounded, points, "điểm chấm", 0, MAX_POINTS)
    if points is not None and out["points_min"] is not None and not (
            out["points_min"] <= points <= out["points_max"]):
        errors.append(f"{lead('points')}: điểm chấm {vi_decimal(points)} nằm ngoài khung "
                      f"điểm {vi_decimal(out['points_min'])}-{vi_decimal(out['points_max'])}.")
    coefficient = check("coefficient", parse_decimal, values.get("coefficient"),
                        "hệ số quy đổi")
    if coefficient is None and points is not None and catalogue.standard_points:
        coefficient = derived_coefficient(points, catalogue.standard_points)
    elif coefficient is None and not failed & {"coefficient", "points"}:
        errors.append(
            f"{lead('coefficient')}: hệ số quy đổi còn trống; hãy ghi hệ số quy đổi, hoặc "
            "điểm chấm khi danh mục đã có điểm của sản phẩm chuẩn (hệ số = điểm chấm ÷ "
            "điểm sản phẩm chuẩn)." if points is None else
            f"{lead('coefficient')}: chưa có điểm của sản phẩm chuẩn nên chưa tính được hệ "
            "số quy đổi từ điểm chấm; hãy ghi sản phẩm chuẩn và điểm của nó trước.")
    if coefficient is not None:
        coefficient = check("coefficient", bounded, coefficient, "hệ số quy đổi", 0,
                            MAX_COEFFICIENT, True)
        if coefficient == 0:
            errors.append(f"{lead('coefficient')}: hệ số quy đổi phải lớn hơn 0.")
    out["coefficient"] = coefficient
    return out, errors


def refuse(errors):
    if errors:
        shown = errors[:5] + ([f"… và {len(errors) - 5} lỗi khác"] if len(errors) > 5 else [])
        raise InvalidInput(" | ".join(shown) if len(errors) == 1 else
                           f"Có {len(errors)} lỗi, chưa ghi gì: " + " | ".join(shown),
                           errors=errors)


def decision_number_of(number):
    text = " ".join(str(number or "").split())
    if not text:
        raise InvalidInput("Số quyết định còn trống (ví dụ 283/QĐ-UBND).", field="number")
    if _CONTROL.search(text) or len(text) > 50:
        raise InvalidInput(f"Số quyết định «{text[:60]}» không hợp lệ: tối đa 50 ký tự, "
                           "không có ký tự điều khiển.", field="number")
    return text


def required_date(value, what):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        raise InvalidInput(f"{what} còn trống hoặc không hợp lệ; hãy viết dd/mm/yyyy.",
                           field=what)
    return value


def clean_all(catalogue, products):
    """``(fields of each product, errors)``; a product twice in the same section is one
    of the errors, naming both places."""
    cleaned, errors, seen = [], [], {}
    for item in products:
        if isinstance(item, catalogue_xlsx.Row):
            values, place = dict(item.values, section=item.section), item.place
            here = item.place()
        else:
            values, place, here = item, None, None
        fields, problems = clean_product(catalogue, values, place)
        errors.extend(problems)
        if problems:
            continue
        key = (fields["section"], fields["name"])
        if key in seen:
            errors.append(f"{here or 'Sản phẩm'}: «{fields['name']}» trùng với "
                          f"{seen[key] or 'một sản phẩm khác'} (cùng phần).")
        seen[key] = here
        cleaned.append(fields)
    return cleaned, errors
