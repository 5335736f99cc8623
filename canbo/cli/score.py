"""``canbo score``: the ND 335 monthly scores, the year's average and the proposed level."""
import json

import click

from canbo.cli.common import UNIT, YEAR, UserError, pass_context
from canbo.records import units
from canbo.rules import scoring
from canbo.tracking import year_points as yp
from canbo.vietnamese import vi_points

MARKS = {yp.Missing.NO_ASSIGNMENT: "GV", yp.Missing.NOT_SELF_SCORED: "TĐG",
         yp.Missing.NOT_CONFIRMED: "XN"}
LEGEND = "GV: chưa giao việc · TĐG: chưa tự đánh giá · XN: chưa xác nhận · *: chưa đủ các tháng"
RULES = scoring.ScoringRules()


def _num(value):
    return "" if value is None else vi_points(RULES.round(value))


def _json_num(value):
    return None if value is None else float(RULES.round(value))


def render_year(unit, year, grid):
    lines = [f"{unit.name} ({unit.code}) — điểm theo dõi công chức năm {year}"]
    periods = sorted({m for p in grid for m in p.cells}) or list(range(1, 13))
    head = f"{'Mã':<8} {'Họ và tên':<26}" + "".join(f"{'T' + str(m):>7}" for m in periods)
    lines.append(head + f"{'TB năm':>9}  Đề xuất")
    for p in grid:
        cells = "".join(f"{_num(c.score) if c.score is not None else MARKS[c.missing]:>7}"
                        for _, c in sorted(p.cells.items()))
        average = vi_points(p.points) + ("" if p.complete else "*")
        level = p.level.code if p.level else ""
        lines.append(f"{p.code:<8} {p.name[:26]:<26}{cells}{average:>9}  {level}")
    lines.append(LEGEND)
    return "\n".join(lines) + "\n"


def render_month(unit, year, month, grid):
    lines = [f"{unit.name} ({unit.code}) — phiếu theo dõi tháng {month}/{year}",
             f"{'Mã':<8} {'Họ và tên':<26}{'a %':>8}{'b %':>8}{'c %':>8}{'NV %':>8}"
             f"{'Chung':>7}{'Tổng':>8}"]
    for p in grid:
        c = p.cells.get(month)
        if c is None:
            continue
        total = _num(c.score) if c.score is not None else MARKS[c.missing]
        lines.append(f"{p.code:<8} {p.name[:26]:<26}{_num(c.a):>8}{_num(c.b):>8}{_num(c.c):>8}"
                     f"{_num(c.task):>8}{_num(c.general):>7}{total:>8}")
    lines.append(LEGEND)
    lines += RULES.explain()
    return "\n".join(lines) + "\n"


def as_json(unit, year, month, grid):
    people = []
    for p in grid:
        cells = {m: c for m, c in sorted(p.cells.items()) if month is None or m == month}
        people.append({
            "code": p.code, "name": p.name,
            "months": [{"month": m, "score": _json_num(c.score), "missing": c.missing,
                        "a": _json_num(c.a), "b": _json_num(c.b), "c": _json_num(c.c),
                        "task": _json_num(c.task), "general": _json_num(c.general)}
                       for m, c in cells.items()],
            "average": _json_num(p.average), "complete": p.complete,
            "level": p.level.code if p.level else None, "note": p.note,
        })
    return json.dumps({"unit": unit.code, "year": year, "month": month, "people": people},
                      ensure_ascii=False, indent=2) + "\n"


@click.command("score")
@click.option("--year", type=YEAR, required=True, help="Năm theo dõi (từ 2026).")
@UNIT
@click.option("--month", type=click.IntRange(1, 12), metavar="THÁNG",
              help="Chỉ một tháng: a, b, c, điểm nhiệm vụ, tiêu chí chung và tổng điểm.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Dạng kết quả.")
@click.option("--save", is_flag=True,
              help="Ghi điểm trung bình năm (người đã đủ các tháng) vào kết quả xếp loại "
                   "năm chưa phê duyệt.")
@pass_context
def score(ctx, year, unit, month, fmt, save):
    """Điểm theo dõi công chức theo Nghị định 335/2025: điểm từng tháng, điểm trung bình
    năm và mức xếp loại đề xuất của từng người (đơn vị và các đơn vị trực thuộc)."""
    ctx.open()
    if year < 2026:
        raise UserError(f"Năm {year}: Nghị định 335/2025 chấm điểm từ năm 2026.")
    found = units.find_unit(unit)
    grid = yp.year_grid(year, units.unit_ids(found))
    if month is not None:
        periods = {m for p in grid for m in p.cells}
        if periods and month not in periods:
            raise UserError(f"Đơn vị theo dõi theo quý; hãy chọn tháng cuối quý "
                            f"({', '.join(map(str, sorted(periods)))}).")
    if fmt == "json":
        click.echo(as_json(found, year, month, grid), nl=False)
    elif month is None:
        click.echo(render_year(found, year, grid), nl=False)
    else:
        click.echo(render_month(found, year, month, grid), nl=False)
    if save:
        updated, skipped = yp.write_points(year, grid)
        click.echo(f"Đã ghi điểm năm vào {updated} kết quả xếp loại; bỏ qua {skipped}.", err=True)
