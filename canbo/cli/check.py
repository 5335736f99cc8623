"""``canbo check``: judge a unit's recorded ratings of a year by that year's rule set and,
separately, by today's (a thin layer over ``compliance.check_year``)."""
import json

import click

from canbo.cli.common import UNIT, YEAR, pass_context
from canbo.rating import compliance
from canbo.records import units


@click.command("check")
@click.option("--year", type=YEAR, required=True, help="Năm đánh giá cần kiểm tra.")
@UNIT
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Dạng kết quả.")
@pass_context
def check(ctx, year, unit, fmt):
    """Kiểm tra kết quả xếp loại của một năm theo quy định của chính năm đó (vi phạm) và
    theo quy định hiện hành (lưu ý).

    Luôn trả về mã 0 dù có hay không có vi phạm; mã 2 khi tham số sai.
    """
    ctx.open()
    found = units.find_unit(unit)
    result = compliance.check_year(found, year)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(compliance.render_check(result, found.name), nl=False)
