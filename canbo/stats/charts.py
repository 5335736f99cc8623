"""Charts drawn on the server as SVG text: no script, no CDN, nothing fetched.

Commune networks are slow and some are offline, and the same charts go into the printed
yearly report, so each chart is a self-contained ``<svg>`` string:

- titled with ``<title>`` and ``<desc>`` (``role="img"`` and ``aria-labelledby``), so a
  screen reader announces what the chart shows and its numbers;
- every number is drawn as ``<text>`` (counts and percents with a Vietnamese decimal
  comma, "83,3%"), so the chart reads aloud, prints in black and white and can be
  copied — nothing is left to a hover tooltip;
- every piece of text is XML-escaped, since unit names and labels are typed by users.

The two charts of the dashboard and the yearly report are
``rating_distribution_chart`` (a 100% stacked bar per year) and
``qualification_chart`` (horizontal bars per level, grouped by kind of qualification).
"""
import html
import itertools

from canbo.levels import Rating as RatingLevel
from canbo.vietnamese import vi_count, vi_date, vi_decimal

#: One fill per rating level, dark to light so the order also reads in grey print.
RATING_COLOURS = {
    "HTXSNV": "#1b5e20",
    "HTTNV": "#43a047",
    "HTNV": "#f9a825",
    "KHTNV": "#c62828",
}
#: Text drawn on a filled segment: white on the dark fills, black on the light ones.
RATING_TEXT = {"HTXSNV": "#ffffff", "HTTNV": "#ffffff", "HTNV": "#000000", "KHTNV": "#ffffff"}
QUALIFICATION_COLOURS = ("#1565c0", "#6a1b9a", "#00838f")

SANS = "'Liberation Sans', 'DejaVu Sans', Arial, sans-serif"
_ids = itertools.count(1)


def esc(text):
    """``text`` safe inside an SVG element or attribute value."""
    return html.escape(str(text), quote=True)


def percent_text(value):
    """``83.3`` → ``"83,3%"``, ``4.76`` → ``"4,76%"`` (REFERENCE.md §10: decimals take a
    comma; a second decimal where ``reports.percents`` needed it)."""
    return f"{vi_decimal(value, 2)}%"


def count_percent(count, percent):
    """``"16 (80%)"`` — the count with its share, as the bars and tables show it."""
    return f"{count} ({percent_text(percent)})"


def _open(chart_id, width, height, title, desc, font_family):
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'id="{esc(chart_id)}" aria-labelledby="{esc(chart_id)}-title {esc(chart_id)}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{esc(font_family)}" font-size="12">',
        f'<title id="{esc(chart_id)}-title">{esc(title)}</title>',
        f'<desc id="{esc(chart_id)}-desc">{esc(desc)}</desc>',
        f'<text x="{width / 2:g}" y="18" text-anchor="middle" font-size="14" '
        f'font-weight="bold">{esc(title)}</text>',
    ]


def _text(x, y, text, anchor="start", **attrs):
    extra = "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{extra}>{esc(text)}</text>'


def _empty(lines, width, height, message):
    lines.append(_text(width / 2, height / 2, message, "middle", fill="#555555"))
    lines.append("</svg>")
    return "\n".join(lines)


# --- ratings of several years ---------------------------------------------------------


def ratings_description(reports):
    """The chart's numbers as sentences, for ``<desc>`` and for whoever cannot see it."""
    parts = []
    for report in reports:
        shares = ", ".join(
            f"{r.label} {count_percent(r.count, r.percent)}" for r in report.rows if r.count
        )
        parts.append(f"Năm {report.year}: {report.total} người được xếp loại; {shares}.")
    return " ".join(parts) or "Chưa có kết quả xếp loại."


def rating_distribution_chart(reports, title=None, chart_id=None, font_family=SANS):
    """A 100% stacked bar per year of ``reports`` (``canbo.reports.RatingsReport``).

    Each bar is split by rating level, best at the bottom; a segment tall enough carries
    its percent, and a table under the bars gives every level's count and percent for
    every year, so no number depends on the size of its segment.
    """
    reports = [r for r in reports if r is not None]
    chart_id = chart_id or f"chart-ratings-{next(_ids)}"
    title = title or "Kết quả xếp loại chất lượng"
    levels = list(RatingLevel)
    label_w, col_w, bar_w = 190, max(84, 420 // max(len(reports), 1)), 44
    plot_top, plot_h = 34, 180
    table_top = plot_top + plot_h + 34
    width = label_w + col_w * max(len(reports), 1) + 10
    height = table_top + 20 * len(levels) + 8
    lines = _open(chart_id, width, height, title, ratings_description(reports), font_family)
    if not reports:
        return _empty(lines, width, height, "Chưa có kết quả xếp loại.")
    # the 0–100% scale
    for pct in (0, 50, 100):
        y = plot_top + plot_h * (1 - pct / 100)
        lines.append(f'<line x1="{label_w - 6}" y1="{y:g}" x2="{width - 10}" y2="{y:g}" '
                     f'stroke="#cccccc" stroke-width="1"/>')
        lines.append(_text(label_w - 10, y + 4, f"{pct}%", "end", fill="#555555"))
    for i, report in enumerate(reports):
        cx = label_w + col_w * i + col_w / 2
        x = cx - bar_w / 2
        y = plot_top + plot_h
        lines.append(f'<g class="bar" aria-label="Năm {report.year}">')
        for row in report.rows:
            if not row.count:
                continue
            h = plot_h * row.count / report.total
            y -= h
            lines.append(
                f'<rect x="{x:g}" y="{y:.2f}" width="{bar_w}" height="{h:.2f}" '
                f'fill="{RATING_COLOURS[row.code]}" stroke="#ffffff" stroke-width="0.5">'
                f"<title>{esc(f'Năm {report.year}, {row.label}: ')}"
                f"{esc(count_percent(row.count, row.percent))}</title></rect>"
            )
            if h >= 15:
                lines.append(_text(cx, y + h / 2 + 4, percent_text(row.percent), "middle",
                                   fill=RATING_TEXT[row.code], font_size="11"))
        lines.append("</g>")
        lines.append(_text(cx, plot_top + plot_h + 16, f"Năm {report.year}", "middle",
                           font_weight="bold"))
        lines.append(_text(cx, plot_top + plot_h + 29, f"{vi_count(report.total)} người",
                           "middle", fill="#555555", font_size="11"))
    # the table of numbers, one row per level
    for j, level in enumerate(levels):
        y = table_top + 20 * j + 12
        lines.append(f'<rect x="4" y="{y - 10}" width="12" height="12" '
                     f'fill="{RATING_COLOURS[level.code]}"/>')
        lines.append(_text(22, y, level.label, font_size="11"))
        for i, report in enumerate(reports):
            row = report.rows[j]
            cx = label_w + col_w * i + col_w / 2
            text = count_percent(row.count, row.percent) if row.count else "–"
            lines.append(_text(cx, y, text, "middle", font_size="11"))
    lines.append("</svg>")
    return "\n".join(lines)


# --- qualifications at a date ---------------------------------------------------------


def qualification_description(report):
    parts = [f"Ngày {vi_date(report.at)}: {report.total} người."]
    for kind, rows in report.groups():
        shares = "; ".join(f"{r.label} {count_percent(r.count, r.percent)}"
                           for r in rows if r.count)
        parts.append(f"{kind.label}: {shares}.")
    return " ".join(parts)


def qualification_chart(report, title=None, chart_id=None, font_family=SANS,
                        skip_empty=True):
    """Horizontal bars of ``report`` (``canbo.reports.QualificationReport``).

    One block per kind (professional education, political theory, state management), one
    bar per level with its count and percent written after it; levels nobody holds are
    left out unless ``skip_empty`` is false.
    """
    chart_id = chart_id or f"chart-qualifications-{next(_ids)}"
    title = title or f"Cơ cấu trình độ ngày {vi_date(report.at)} ({report.total} người)"
    groups = [(kind, [r for r in rows if r.count or not skip_empty])
              for kind, rows in report.groups()]
    label_w, bar_max, value_w, row_h = 130, 240, 90, 20
    width = label_w + bar_max + value_w
    height = 30 + sum(24 + row_h * len(rows) for _, rows in groups) + 6
    lines = _open(chart_id, width, height, title, qualification_description(report),
                  font_family)
    y = 30
    for (kind, rows), colour in zip(groups, QUALIFICATION_COLOURS):
        lines.append(f'<g class="group" aria-label="{esc(kind.label)}">')
        lines.append(_text(4, y + 16, kind.label, font_weight="bold"))
        y += 24
        for row in rows:
            w = bar_max * row.percent / 100
            lines.append(_text(label_w - 8, y + 14, row.label, "end", font_size="11"))
            lines.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{w:.2f}" height="{row_h - 6}" '
                f'fill="{colour}"><title>{esc(f"{kind.label}, {row.label}: ")}'
                f"{esc(count_percent(row.count, row.percent))}</title></rect>"
            )
            lines.append(_text(label_w + w + 6, y + 14, count_percent(row.count, row.percent),
                               font_size="11"))
            y += row_h
        lines.append("</g>")
    lines.append("</svg>")
    return "\n".join(lines)


# --- a single meter -------------------------------------------------------------------


def meter(value, limit, title, chart_id=None, font_family=SANS, width=240):
    """A small bar of ``value`` against ``limit`` (the quota meter); red when over.

    ``limit`` ``None`` means no cap applies: the bar is drawn grey with "không giới hạn".
    """
    chart_id = chart_id or f"chart-meter-{next(_ids)}"
    if limit is None:
        caption = f"{value} — không giới hạn"
        desc = f"{title}: {value}; quy định của năm này không giới hạn."
    else:
        caption = f"{value} / tối đa {limit}"
        desc = f"{title}: {value}, tối đa {limit}" + (" — vượt tỷ lệ." if value > limit else ".")
    height = 40
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="meter" role="img" '
        f'id="{esc(chart_id)}" aria-labelledby="{esc(chart_id)}-title {esc(chart_id)}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{esc(font_family)}" font-size="11">',
        f'<title id="{esc(chart_id)}-title">{esc(title)}</title>',
        f'<desc id="{esc(chart_id)}-desc">{esc(desc)}</desc>',
        f'<rect x="0" y="4" width="{width}" height="14" fill="#eeeeee"/>',
    ]
    if limit is None:
        lines.append(f'<rect x="0" y="4" width="{width}" height="14" fill="#bdbdbd"/>')
    else:
        share = value / limit if limit else (1.0 if value else 0.0)
        fill = "#c62828" if value > limit else "#2e7d32"
        lines.append(f'<rect x="0" y="4" width="{width * min(share, 1.0):.2f}" height="14" '
                     f'fill="{fill}"/>')
    lines.append(_text(0, 34, caption))
    lines.append("</svg>")
    return "\n".join(lines)
