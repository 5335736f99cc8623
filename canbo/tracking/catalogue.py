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
person typed or a workbook held passes ``catalogue_values.clean_product``, whose messages name the field
(and, for a workbook, the sheet, row and column).  Workbooks are read and written by
``catalogue_xlsx``.
"""
from peewee import JOIN

from canbo.db import database
from canbo.errors import InvalidInput, NoData, RuleViolation
from canbo.models.tracking import Catalogue, CatalogueDecision, Product
from canbo.records import audit
from canbo.records.users import require
from canbo.tracking import catalogue_xlsx
from canbo.tracking.catalogue_values import (  # noqa: F401 (parse_*: for callers)
    MAX_POINTS,
    bounded,
    clean_all,
    clean_product,
    clean_text,
    decision_number_of,
    derived_coefficient,
    parse_group,
    parse_range,
    refuse,
    required_date,
)
from canbo.tracking.catalogue_xlsx import SIMPLE_HEADERS as HEADERS  # noqa: F401
from canbo.vietnamese import parse_decimal, vi_date


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
    refuse(errors)
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
    refuse(errors)
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
        text = clean_text(name, "name")
    except InvalidInput as exc:
        raise InvalidInput("Sản phẩm chuẩn: " + exc.message, field="standard_product") from exc
    if not text:
        raise InvalidInput("Sản phẩm chuẩn: hãy ghi tên đơn vị sản phẩm/công việc chuẩn "
                           "(ví dụ «Soạn thảo văn bản hành chính đơn giản»).",
                           field="standard_product")
    value = parse_decimal(points, "Điểm của sản phẩm chuẩn", required=True)
    value = bounded(value, "Điểm của sản phẩm chuẩn", 0, MAX_POINTS, strict_low=True)
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


def decide(actor, catalogue, number, date):
    """Record the chairman's decision (number, date), which locks the catalogue."""
    require(actor, "catalogue.decide", "ghi quyết định phê duyệt danh mục sản phẩm",
            catalogue.unit_id)
    _check_open(catalogue)
    number = decision_number_of(number)
    date = required_date(date, "Ngày quyết định")
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
    number = decision_number_of(number)
    decided_on = required_date(decided_on, "Ngày quyết định bổ sung")
    applies_from = required_date(applies_from, "Ngày áp dụng")
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
    cleaned, errors = clean_all(catalogue, products)
    if not cleaned and not errors:
        raise InvalidInput("Quyết định bổ sung cần ít nhất một sản phẩm.", field="products")
    refuse(errors)
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


# --- XLSX --------------------------------------------------------------------------------


def read_xlsx(file, catalogue=None):
    """The checked fields of every product of a workbook (either layout), each with its
    ``group`` and ``name`` too; ``InvalidInput`` listing every problem by sheet, row and
    column.  Without ``catalogue`` no coefficient is derived from the points."""
    rows, _ = catalogue_xlsx.read_rows(file)
    cleaned, errors = clean_all(catalogue or Catalogue(standard_points=None), rows)
    refuse(errors)
    return [dict(f, group=f["complexity_group"]) for f in cleaned]


def preview_xlsx(actor, catalogue, file):
    """What an import would do, without writing: ``(count, skipped sheets, errors)``."""
    check_editable(actor, catalogue)
    try:
        rows, skipped = catalogue_xlsx.read_rows(file)
    except (InvalidInput, NoData) as exc:
        return 0, [], [exc.message]
    cleaned, errors = clean_all(catalogue, rows)
    return len(cleaned), skipped, errors


def import_xlsx(actor, catalogue, file):
    """Replace an undecided catalogue's products with those of ``file`` (either layout);
    any problem and nothing is written.  Returns the count."""
    check_editable(actor, catalogue)
    rows, _ = catalogue_xlsx.read_rows(file)
    cleaned, errors = clean_all(catalogue, rows)
    refuse(errors)
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
