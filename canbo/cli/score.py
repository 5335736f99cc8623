"""``canbo score``: the ND 335 monthly scores, the year's average and the proposed level."""
import json

import click

from canbo.cli.common import UNIT, YEAR, Progress, UserError, pass_context
from canbo.rating import points
from canbo.records import units, users
from canbo.rules import rulesets, scoring
from canbo.tracking import year_points as yp
from canbo.vietnamese import vi_points

MARKS = {yp.Missing.NO_ASSIGNMENT: "GV", yp.Missing.NOT_SELF_SCORED: "TĐG",
         yp.Missing.NOT_CONFIRMED: "XN", yp.Missing.NOT_TRACKED: "–"}
LEGEND = ("GV: chưa giao việc · TĐG: chưa tự đánh giá · XN: chưa xác nhận · *: chưa đủ các "
          "tháng")
#: Shown only when the grid has such months: the old unit's (Điều 19.3), the untracked.
OUTSIDE_LEGEND = "°: điểm do đơn vị cũ gửi (chuyển đến trong năm)"
UNTRACKED_LEGEND = "–: tháng đơn vị chưa theo dõi"
RULES = scoring.ScoringRules()


def _num(value):
    return scoring.points_text(value, RULES)


def _json_num(value):
    return None if value is None else float(scoring.shown(value, RULES))


def _mark(cell):
    if cell.score is None:
        return MARKS[cell.missing]
    return _num(cell.score) + ("°" if cell.outside else "")


def render_year(unit, year, grid):
    lines = [f"{unit.name} ({unit.code}) — điểm theo dõi công chức năm {year}"]
    periods = sorted({m for p in grid for m in p.cells}) or list(range(1, 13))
    head = f"{'Mã':<8} {'Họ và tên':<26}" + "".join(f"{'T' + str(m):>7}" for m in periods)
    lines.append(head + f"{'TB năm':>9}  Đề xuất")
    for p in grid:
        cells = "".join(f"{_mark(c):>7}" for _, c in sorted(p.cells.items()))
        average = vi_points(p.points) + ("" if p.complete else "*")
        level = p.level.code if p.level else ""
        lines.append(f"{p.code:<8} {p.name[:26]:<26}{cells}{average:>9}  {level}")
    cells = [c for p in grid for c in p.cells.values()]
    lines.append(LEGEND)
    if any(c.outside for c in cells):
        lines.append(OUTSIDE_LEGEND)
    if any(c.missing == yp.Missing.NOT_TRACKED for c in cells):
        lines.append(UNTRACKED_LEGEND)
    return "\n".join(lines) + "\n"


def render_month(unit, year, month, grid):
    lines = [f"{unit.name} ({unit.code}) — phiếu theo dõi tháng {month}/{year}",
             f"{'Mã':<8} {'Họ và tên':<26}{'a %':>8}{'b %':>8}{'c %':>8}{'NV %':>8}"
             f"{'Chung':>7}{'Tổng':>8}"]
    for p in grid:
        c = p.cells.get(month)
        if c is None:
            continue
        total = _mark(c)
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
                        "task": _json_num(c.task), "general": _json_num(c.general),
                        "outside": c.outside}
                       for m, c in cells.items()],
            "average": _json_num(p.average), "complete": p.complete,
            "level": p.level.code if p.level else None, "note": p.note,
        })
    return json.dumps({"unit": unit.code, "year": year, "month": month, "people": people},
                      ensure_ascii=False, indent=2) + "\n"


def render_part(unit, year, label, parts):
    lines = [f"{unit.name} ({unit.code}) — điểm theo dõi {label} năm {year} "
             "(Điều 17.3, Điều 23 Nghị định 335/2025)"]
    ends = sorted({m for p in parts for m in p.scores})
    lines.append(f"{'Mã':<8} {'Họ và tên':<26}" + "".join(f"{'T' + str(m):>7}" for m in ends)
                 + f"{'TB':>9}")
    for p in parts:
        cells = "".join(f"{_num(p.scores[m]) if p.scores.get(m) is not None else '–':>7}"
                        for m in ends)
        lines.append(f"{p.code:<8} {p.name[:26]:<26}{cells}{_num(p.average) or '–':>9}")
    lines.append("–: chưa có điểm đã xác nhận của tháng (quý) đó; TB chỉ tính khi đủ.")
    return "\n".join(lines) + "\n"


def part_json(unit, year, quarter, half, parts):
    return json.dumps({"unit": unit.code, "year": year, "quarter": quarter, "half": half,
                       "people": [{"code": p.code, "name": p.name,
                                   "scores": {str(m): _json_num(v) for m, v in p.scores.items()},
                                   "average": _json_num(p.average), "missing": list(p.missing)}
                                  for p in parts]}, ensure_ascii=False, indent=2) + "\n"


@click.command("score")
@click.option("--year", type=YEAR, required=True, help="Năm theo dõi (từ 2026).")
@UNIT
@click.option("--month", type=click.IntRange(1, 12), metavar="THÁNG",
              help="Chỉ một tháng: a, b, c, điểm nhiệm vụ, tiêu chí chung và tổng điểm.")
@click.option("--quarter", type=click.IntRange(1, 4), metavar="QUÝ",
              help="Điểm quý: trung bình 3 tháng (Điều 17.3, dùng cho Điều 23).")
@click.option("--half", type=click.IntRange(1, 2), metavar="NỬA_NĂM",
              help="Điểm 6 tháng: trung bình 6 tháng (1: tháng 1–6, 2: tháng 7–12).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Dạng kết quả.")
@click.option("--save", is_flag=True,
              help="Lấy điểm theo dõi hằng tháng vào kỳ đánh giá năm như nút cùng tên "
                   "trên bảng quản trị: điểm trung bình năm (người đã đủ các tháng) và "
                   "mức đề xuất vào kết quả xếp loại chưa phê duyệt, có ghi nhật ký.")
@click.option("--actor", default="cli", show_default=True, metavar="TÊN",
              help="Tên người thực hiện ghi vào nhật ký thay đổi (cùng --save).")
@pass_context
def score(ctx, year, unit, month, quarter, half, fmt, save, actor):
    """Điểm theo dõi công chức theo Nghị định 335/2025: điểm từng tháng, điểm trung bình
    năm và mức xếp loại đề xuất của từng người (đơn vị và các đơn vị trực thuộc)."""
    ctx.open()
    if not rulesets.tracked_monthly(year):
        raise UserError(f"Năm {year}: Nghị định 335/2025 chấm điểm từ năm "
                        f"{rulesets.MONTHLY_TRACKING_FROM}.")
    found = units.find_unit(unit)
    grid = yp.year_grid(year, units.unit_ids(found))
    if month is not None:
        periods = {m for p in grid for m in p.cells}
        if periods and month not in periods:
            raise UserError(f"Đơn vị theo dõi theo quý; hãy chọn tháng cuối quý "
                            f"({', '.join(map(str, sorted(periods)))}).")
    if len([x for x in (month, quarter, half) if x is not None]) > 1:
        raise UserError("Chỉ chọn một trong --month, --quarter, --half.")
    if quarter or half:
        parts = yp.part_of_year(grid, quarter=quarter, half=half)
        label = f"quý {quarter}" if quarter else ("6 tháng đầu" if half == 1 else "6 tháng cuối")
        click.echo(part_json(found, year, quarter, half, parts) if fmt == "json"
                   else render_part(found, year, label, parts), nl=False)
    elif fmt == "json":
        click.echo(as_json(found, year, month, grid), nl=False)
    elif month is None:
        click.echo(render_year(found, year, grid), nl=False)
    else:
        click.echo(render_month(found, year, month, grid), nl=False)
    if save:
        with Progress("Đang ghi điểm năm") as report:
            done = points.pull_year(users.operator(actor), year, units.unit_ids(found),
                                    progress=report)
        click.echo(saved_line(done), err=True)


def saved_line(done):
    """What ``--save`` did, in the words of the cycle page's button."""
    line = (f"Đã ghi điểm năm vào {done['updated']} kết quả xếp loại (kỳ đánh giá của "
            f"{', '.join(done['cycles']) or 'không đơn vị nào'})")
    if done["incomplete"]:
        line += f"; chưa đủ điểm các tháng: {', '.join(done['incomplete'])}"
    if done["kept"]:
        line += f"; giữ nguyên (đã phê duyệt/công bố): {', '.join(done['kept'])}"
    if done["published"]:
        line += f"; kỳ đã công bố, không ghi: {', '.join(done['published'])}"
    return line + "."
