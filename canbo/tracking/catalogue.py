"""A unit's catalogue of output products (ND 335/2025 Điều 13): edit, decide, supplement.

The personnel officer prepares the catalogue (``catalogue.edit``): the standard product
and its points (Điều 13.1.b), the products in at most five complexity groups (13.1.a)
with their points range, points and the coefficient that converts each to the
standard product (13.1.c) — the points divided by the standard's when no coefficient is
given.  The chairman's decision (number and date, ``catalogue.decide``) locks it; work is
then assigned from it.  Nothing decided is edited in place: a product the year brings
later is added by a further numbered decision, a supplement (Điều 13.3, 26.1.c), and
applies from the date that decision says.

Every change takes the acting user first and checks their permission and unit
(``users.require``), runs in one transaction and goes to the audit log.  Every value a
person typed or a workbook held passes ``clean_product``, whose messages name the field
(and, for a workbook, the sheet, row and column).  Workbooks are read and written by
``catalogue_xlsx``.
"""
import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from peewee import JOIN

from canbo.db import database
from canbo.errors import InvalidInput, NoData, RuleViolation
from canbo.models.tracking import MAX_GROUPS, Catalogue, CatalogueDecision, Product
from canbo.records import audit
from canbo.records.users import require
from canbo.tracking import catalogue_xlsx
from canbo.tracking.catalogue_xlsx import SIMPLE_HEADERS as HEADERS  # noqa: F401
from canbo.vietnamese import fold, nfc, parse_decimal, vi_date, vi_decimal

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


def open_catalogue(actor, unit, year):
    """The unit's catalogue of ``year``, created empty (a draft) when there is none."""
    require(actor, "catalogue.edit", "lập danh mục sản phẩm", unit.id)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput(f"Năm «{year}» không hợp lệ; hãy viết bốn chữ số, ví dụ 2026.")
    with database.atomic():
        catalogue, created = Catalogue.get_or_create(unit=unit, year=year)
        if created:
            audit.record(actor, "catalogue.open", catalogue, changes={"year": [None, year]})
    return catalogue


def catalogue_for(unit, year):
    """The unit's catalogue of ``year`` (``NoData`` when there is none)."""
    found = Catalogue.get_or_none(Catalogue.unit == unit, Catalogue.year == year)
    if found is None:
        raise NoData(f"{unit.name} chưa có danh mục sản phẩm năm {year}.", year=year)
    return found


def products_of(catalogue):
    """The catalogue's products in reading order — by section (in the order the sections
    first appear), then group, then position — with their supplement in the same query."""
    rows = list(Product.select(Product, CatalogueDecision)
                .join(CatalogueDecision, join_type=JOIN.LEFT_OUTER)
                .where(Product.catalogue == catalogue)
                .order_by(Product.position, Product.id))
    first = {}
    for p in rows:
        first.setdefault(p.section, len(first))
        p.catalogue = catalogue
    return sorted(rows, key=lambda p: (first[p.section], p.complexity_group, p.position, p.id))


def check_editable(actor, catalogue):
    """Refuse unless ``actor`` may edit ``catalogue`` (``catalogue.edit``, its unit) and
    it is still a draft."""
    require(actor, "catalogue.edit", "sửa danh mục sản phẩm", catalogue.unit_id)
    _check_open(catalogue)


def check_supplement(actor, catalogue):
    """Refuse unless ``actor`` may add a supplement to ``catalogue`` (``catalogue.decide``,
    its unit) and it is decided."""
    require(actor, "catalogue.decide", "ghi quyết định bổ sung danh mục sản phẩm",
            catalogue.unit_id)
    if not catalogue.locked:
        raise RuleViolation(f"Danh mục sản phẩm năm {catalogue.year} chưa được phê duyệt: "
                            "hãy thêm sản phẩm trực tiếp vào dự thảo.")


def _check_open(catalogue):
    if catalogue.locked:
        raise RuleViolation(
            f"Danh mục sản phẩm năm {catalogue.year} đã được phê duyệt (quyết định số "
            f"{catalogue.decision_number}); không sửa được. Sản phẩm mới được bổ sung bằng "
            "một quyết định khác (Điều 13.3 Nghị định 335/2025).", catalogue=catalogue.id)


# --- checking what a person typed or a workbook held -------------------------------------


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


def _clean_text(value, field):
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


def _bounded(value, what, low, high, strict_low=False):
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
        out[field] = check(field, _clean_text, values.get(field), field) or ""
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
    out["points_min"] = check("range", _bounded, low, "khung điểm", 0, MAX_POINTS)
    out["points_max"] = check("range", _bounded, high, "khung điểm", 0, MAX_POINTS)
    points = check("points", parse_decimal, values.get("points"), "điểm chấm")
    points = out["points"] = check("points", _bounded, points, "điểm chấm", 0, MAX_POINTS)
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
        coefficient = check("coefficient", _bounded, coefficient, "hệ số quy đổi", 0,
                            MAX_COEFFICIENT, True)
        if coefficient == 0:
            errors.append(f"{lead('coefficient')}: hệ số quy đổi phải lớn hơn 0.")
    out["coefficient"] = coefficient
    return out, errors


def _refuse(errors):
    if errors:
        shown = errors[:5] + ([f"… và {len(errors) - 5} lỗi khác"] if len(errors) > 5 else [])
        raise InvalidInput(" | ".join(shown) if len(errors) == 1 else
                           f"Có {len(errors)} lỗi, chưa ghi gì: " + " | ".join(shown),
                           errors=errors)


def _check_unique(catalogue, fields, exclude=None):
    query = Product.select().where(Product.catalogue == catalogue,
                                   Product.section == fields["section"],
                                   Product.name == fields["name"])
    if exclude is not None:
        query = query.where(Product.id != exclude.id)
    if query.exists():
        where = f" trong phần «{fields['section']}»" if fields["section"] else ""
        raise InvalidInput(f"Danh mục đã có sản phẩm «{fields['name']}»{where}.",
                           field="name")


def _next_position(catalogue):
    last = (Product.select(Product.position).where(Product.catalogue == catalogue)
            .order_by(Product.position.desc()).first())
    return last.position + 1 if last else 0


# --- editing a draft -------------------------------------------------------------------


def add_product(actor, catalogue, group, name, coefficient=None, points_min=None,
                points_max=None, **more):
    """Add a product to an undecided catalogue.  ``more``: ``section``, ``code``,
    ``task``, ``output``, ``points``, ``job_position``, or ``range`` ("11-50")."""
    check_editable(actor, catalogue)
    values = dict(more, group=group, name=name, coefficient=coefficient)
    if "range" not in values:
        values.update(points_min=points_min, points_max=points_max)
    fields, errors = clean_product(catalogue, values)
    _refuse(errors)
    with database.atomic():
        return _create(actor, catalogue, fields)


def _create(actor, catalogue, fields, supplement=None):
    _check_unique(catalogue, fields)
    product = Product.create(catalogue=catalogue, position=_next_position(catalogue),
                             supplement=supplement, **fields)
    audit.record(actor, "catalogue.add_product", product,
                 changes=audit.diff({}, audit.snapshot(product)))
    return product


def edit_product(actor, product, values):
    """Change a product of an undecided catalogue; ``values`` as for ``add_product``
    (every field: what is not given becomes empty)."""
    catalogue = product.catalogue
    check_editable(actor, catalogue)
    fields, errors = clean_product(catalogue, values)
    _refuse(errors)
    with database.atomic():
        _check_unique(catalogue, fields, exclude=product)
        before = audit.snapshot(product)
        for key, value in fields.items():
            setattr(product, key, value)
        product.save()
        audit.record(actor, "catalogue.edit_product", product,
                     changes=audit.diff(before, audit.snapshot(product)))
    return product


def delete_product(actor, product, reason=None):
    """Remove a product from an undecided catalogue."""
    catalogue = product.catalogue
    check_editable(actor, catalogue)
    with database.atomic():
        audit.record(actor, "catalogue.delete_product", product,
                     changes=audit.diff(audit.snapshot(product), {}), reason=reason)
        product.delete_instance()


def set_standard(actor, catalogue, name, points):
    """The standard product and its points (Điều 13.1.b); coefficients that were derived
    from the old points follow the new ones."""
    check_editable(actor, catalogue)
    try:
        text = _clean_text(name, "name")
    except InvalidInput as exc:
        raise InvalidInput("Sản phẩm chuẩn: " + exc.message, field="standard_product") from exc
    if not text:
        raise InvalidInput("Sản phẩm chuẩn: hãy ghi tên đơn vị sản phẩm/công việc chuẩn "
                           "(ví dụ «Soạn thảo văn bản hành chính đơn giản»).",
                           field="standard_product")
    value = parse_decimal(points, "Điểm của sản phẩm chuẩn", required=True)
    value = _bounded(value, "Điểm của sản phẩm chuẩn", 0, MAX_POINTS, strict_low=True)
    if value == 0:
        raise InvalidInput("Điểm của sản phẩm chuẩn phải lớn hơn 0.", field="standard_points")
    old = catalogue.standard_points
    with database.atomic():
        changed = 0
        if old and old != value:
            for p in Product.select().where(Product.catalogue == catalogue,
                                            Product.points.is_null(False)):
                if p.coefficient == derived_coefficient(p.points, old):
                    p.coefficient = derived_coefficient(p.points, value)
                    p.save()
                    changed += 1
        before = {"standard_product": catalogue.standard_product,
                  "standard_points": str(old) if old is not None else None}
        catalogue.standard_product, catalogue.standard_points = text, value
        catalogue.save()
        audit.record(actor, "catalogue.standard", catalogue, changes=audit.diff(
            before, {"standard_product": text, "standard_points": str(value),
                     **({"coefficients_recomputed": changed} if changed else {})}))
    return catalogue


# --- the decision and its supplements ----------------------------------------------------


def _decision_number(number):
    text = " ".join(str(number or "").split())
    if not text:
        raise InvalidInput("Số quyết định còn trống (ví dụ 283/QĐ-UBND).", field="number")
    if _CONTROL.search(text) or len(text) > 50:
        raise InvalidInput(f"Số quyết định «{text[:60]}» không hợp lệ: tối đa 50 ký tự, "
                           "không có ký tự điều khiển.", field="number")
    return text


def _date(value, what):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        raise InvalidInput(f"{what} còn trống hoặc không hợp lệ; hãy viết dd/mm/yyyy.",
                           field=what)
    return value


def decide(actor, catalogue, number, date):
    """Record the chairman's decision (number, date), which locks the catalogue."""
    require(actor, "catalogue.decide", "ghi quyết định phê duyệt danh mục sản phẩm",
            catalogue.unit_id)
    _check_open(catalogue)
    number = _decision_number(number)
    date = _date(date, "Ngày quyết định")
    if not catalogue.products.count():
        raise RuleViolation(f"Danh mục sản phẩm năm {catalogue.year} chưa có sản phẩm nào.")
    with database.atomic():
        catalogue.decision_number = number
        catalogue.decision_date = date
        catalogue.decided_by = actor.username
        catalogue.save()
        audit.record(actor, "catalogue.decide", catalogue,
                     changes={"decision_number": [None, number],
                              "decision_date": [None, date.isoformat()]})
    return catalogue


def supplement(actor, catalogue, number, decided_on, applies_from, products, note=None):
    """Add ``products`` (dicts of raw values, as for ``add_product``, ``Row``s of a
    workbook, or a workbook file itself) to a decided catalogue under a further numbered decision (Điều 13.3,
    26.1.c); they apply from ``applies_from``.  All or nothing."""
    check_supplement(actor, catalogue)
    number = _decision_number(number)
    decided_on = _date(decided_on, "Ngày quyết định bổ sung")
    applies_from = _date(applies_from, "Ngày áp dụng")
    if decided_on < catalogue.decision_date:
        raise InvalidInput(f"Ngày quyết định bổ sung {vi_date(decided_on)} trước ngày quyết "
                           f"định phê duyệt danh mục {vi_date(catalogue.decision_date)}.",
                           field="decided_on")
    if applies_from.year != catalogue.year:
        raise InvalidInput(f"Ngày áp dụng {vi_date(applies_from)} không thuộc năm "
                           f"{catalogue.year} của danh mục.", field="applies_from")
    if hasattr(products, "read"):
        products = catalogue_xlsx.read_rows(products)[0]
    taken = {catalogue.decision_number} | {d.number for d in catalogue.decisions}
    if number in taken:
        raise InvalidInput(f"Quyết định số {number} đã được ghi cho danh mục này.",
                           field="number")
    cleaned, errors = _clean_all(catalogue, products)
    if not cleaned and not errors:
        raise InvalidInput("Quyết định bổ sung cần ít nhất một sản phẩm.", field="products")
    _refuse(errors)
    with database.atomic():
        decision = CatalogueDecision.create(
            catalogue=catalogue, number=number, decided_on=decided_on,
            applies_from=applies_from, decided_by=actor.username,
            note=(note or "").strip()[:2000] or None)
        audit.record(actor, "catalogue.supplement", decision, changes={
            "number": [None, number], "decided_on": [None, decided_on.isoformat()],
            "applies_from": [None, applies_from.isoformat()],
            "products": [None, len(cleaned)]})
        for fields in cleaned:
            _create(actor, catalogue, fields, supplement=decision)
    return decision


def _clean_all(catalogue, products):
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


# --- XLSX --------------------------------------------------------------------------------


def read_xlsx(file, catalogue=None):
    """The checked fields of every product of a workbook (either layout), each with its
    ``group`` and ``name`` too; ``InvalidInput`` listing every problem by sheet, row and
    column.  Without ``catalogue`` no coefficient is derived from the points."""
    rows, _ = catalogue_xlsx.read_rows(file)
    cleaned, errors = _clean_all(catalogue or Catalogue(standard_points=None), rows)
    _refuse(errors)
    return [dict(f, group=f["complexity_group"]) for f in cleaned]


def preview_xlsx(actor, catalogue, file):
    """What an import would do, without writing: ``(count, skipped sheets, errors)``."""
    check_editable(actor, catalogue)
    try:
        rows, skipped = catalogue_xlsx.read_rows(file)
    except (InvalidInput, NoData) as exc:
        return 0, [], [exc.message]
    cleaned, errors = _clean_all(catalogue, rows)
    return len(cleaned), skipped, errors


def import_xlsx(actor, catalogue, file):
    """Replace an undecided catalogue's products with those of ``file`` (either layout);
    any problem and nothing is written.  Returns the count."""
    check_editable(actor, catalogue)
    rows, _ = catalogue_xlsx.read_rows(file)
    cleaned, errors = _clean_all(catalogue, rows)
    _refuse(errors)
    with database.atomic():
        removed = Product.delete().where(Product.catalogue == catalogue).execute()
        audit.record(actor, "catalogue.import", catalogue,
                     changes={"products": [removed, len(cleaned)]})
        for position, fields in enumerate(cleaned):
            Product.create(catalogue=catalogue, position=position, **fields)
    return len(cleaned)


def export_xlsx(catalogue, file, layout="simple"):
    """Write the catalogue: ``layout="commune"`` — every column, section rows, each
    product's decision — or the four-column ``simple`` one; both import back."""
    products = products_of(catalogue)
    if layout == "simple":
        products.sort(key=lambda p: (p.complexity_group, p.position, p.id))
    return catalogue_xlsx.write(catalogue, products, file, layout)
