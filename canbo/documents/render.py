"""Printed documents as PDF: templates, the safe renderer and the unit-level documents.

Layout follows ND 30/2020 annex I (REFERENCE.md §9): A4, margins top/bottom 20 mm, left
30 mm, right 15 mm, Liberation Serif (metric twin of Times New Roman) shipped in
``canbo/fonts`` so the output is the same on a machine with no fonts installed.

Safety: templates autoescape everything, and WeasyPrint fetches resources only through
``PackageFetcher``, which serves the package's own fonts and the stylesheets/images of
``templates/documents`` and refuses every other URL (``file:`` elsewhere, ``http(s):``,
``data:``), so text a user typed can neither read a local file nor reach the network.

The rating forms are in ``documents/forms.py``, the batch printing in
``documents/batch.py``; this module holds what every document shares plus the yearly
list, the chairman's decision and the qualification structure.
"""
import atexit
import dataclasses
import datetime
import functools
import mimetypes
import pathlib
import re
import urllib.parse
import urllib.request

import jinja2
from peewee import JOIN

from canbo import assets
from canbo.errors import InvalidInput, NoData
from canbo.levels import FINAL_STATUSES, RatingStatus
from canbo.levels import Rating as RatingLevel
from canbo.models import Rating, Staff, Title
from canbo.records import units
from canbo.rules import rulesets
from canbo.stats import reports
from canbo.vietnamese import TEMPLATE_FILTERS, fold, vi_date_words

PACKAGE_DIR = pathlib.Path(__file__).resolve().parent
FONT_DIR = PACKAGE_DIR / "fonts"
TEMPLATE_DIR = assets.TEMPLATES / "documents"

FONT_FAMILY = "Liberation Serif"
FONT_FILES = {  # (weight, style) → file in canbo/fonts
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}
#: What the renderer may fetch: (directory, allowed file suffixes).
ALLOWED = (
    (FONT_DIR, {".ttf"}),
    (TEMPLATE_DIR, {".css", ".png", ".svg", ".jpg"}),
)


# --- the renderer ---------------------------------------------------------------------


def _weasyprint():
    import weasyprint  # imported late: loading Pango costs time the CLI's --help needn't pay
    return weasyprint


def allowed_path(url):
    """The local file a resource URL may be served from, or ``ValueError``.

    Only ``file:`` URLs naming a file (symlinks resolved) inside one of ``ALLOWED``'s
    directories with one of its suffixes pass.
    """
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise ValueError(f"refused: {url[:80]}")
    path = pathlib.Path(urllib.request.url2pathname(parsed.path)).resolve()
    for root, suffixes in ALLOWED:
        if path.is_relative_to(root) and path.suffix.lower() in suffixes and path.is_file():
            return path
    raise ValueError(f"refused: {url[:80]}")


@functools.lru_cache(maxsize=None)
def fetcher_class():
    """``PackageFetcher``: a WeasyPrint fetcher for the package's own files only."""

    class PackageFetcher(_weasyprint().urls.URLFetcher):
        def fetch(self, url, headers=None):
            path = allowed_path(url)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".ttf":
                mime = "font/ttf"
            return _weasyprint().urls.URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": mime})

    return PackageFetcher


def font_face_css():
    """The @font-face rules of the packaged family, with file URLs WeasyPrint may fetch."""
    rules = []
    for (weight, style), name in FONT_FILES.items():
        url = (FONT_DIR / name).as_uri()
        rules.append(f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}"); '
                     f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(rules)


@functools.lru_cache(maxsize=None)
def _resources():
    """Per process: the font configuration, the parsed stylesheet and the HTML class with
    the documents' own user-agent stylesheet (``ua.css``), reused by every render."""
    wp = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    base_url = TEMPLATE_DIR.as_uri() + "/"
    css = font_face_css() + "\n" + (TEMPLATE_DIR / "base.css").read_text(encoding="utf-8")
    stylesheet = wp.CSS(string=css, base_url=base_url, url_fetcher=fetcher_class()(),
                        font_config=font_config)
    ua = wp.CSS(string=(TEMPLATE_DIR / "ua.css").read_text(encoding="utf-8"),
                base_url=base_url, url_fetcher=fetcher_class()())

    class DocumentHTML(wp.HTML):
        def _ua_stylesheets(self, forms=False):
            return [ua]

    return font_config, stylesheet, DocumentHTML


# Drop the cached font configuration before the interpreter tears modules down: its
# __del__ removes the fonts' temporary folder and needs shutil still there.
atexit.register(_resources.cache_clear)


@functools.lru_cache(maxsize=None)
def environment():
    """The Jinja environment of ``templates/documents`` (autoescape on for every file)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["upper_vi"] = lambda s: str(s or "").upper()
    env.filters.update(TEMPLATE_FILTERS)
    env.globals["LEVELS"] = list(RatingLevel)
    return env


def render_html(template, **context):
    return environment().get_template(template).render(**context)


def html_to_pdf(html):
    """PDF bytes of ``html``, rendered with the packaged fonts and the safe fetcher."""
    font_config, stylesheet, html_class = _resources()
    document = html_class(
        string=html, base_url=TEMPLATE_DIR.as_uri() + "/", url_fetcher=fetcher_class()())
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)


def render_pdf(template, **context):
    return html_to_pdf(render_html(template, **context))


def file_name(*parts):
    """A download name from ``parts``: ASCII, lower case, hyphens ("phieu-2022-kt13.pdf")."""
    words = []
    for part in parts:
        text = re.sub(r"[^a-z0-9]+", "-", fold(str(part)))
        if text.strip("-"):
            words.append(text.strip("-"))
    return "-".join(words) + ".pdf"


# --- what every document shows ----------------------------------------------------------


def place_date(place, day=None, year=None):
    """The place-and-date line, "Kim Tân, ngày 07 tháng 7 năm 2023" (ND 30/2020 annex I).

    Days under 10 and the months 1 and 2 take a leading zero.  Without ``day`` the line
    is left to fill by hand (with ``year`` printed when known).
    """
    if day is None:
        tail = f"năm {year}" if year else "năm ......"
        return f"{place}, ngày ...... tháng ...... {tail}"
    return f"{place}, {vi_date_words(day)}"


def expand_unit_name(name):
    """ "UBND xã Kim Tân" → "Ủy ban nhân dân xã Kim Tân" for headers and signatures."""
    for short, full in (("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân")):
        if name.startswith(short + " "):
            return full + name[len(short):]
    return name


@dataclasses.dataclass
class Header:
    """The top-left block: the managing body (if any) and the issuing unit."""

    parent: str
    unit: str
    place: str

    @classmethod
    def of(cls, unit):
        """The managing body as its short name ("UBND HUYỆN KIM THÀNH", one line) and the
        unit in full, its kind on the first line: "ỦY BAN NHÂN DÂN" / "XÃ KIM TÂN"."""
        parent = unit.parent.name.upper() if unit.parent_id else ""
        name = expand_unit_name(unit.name).upper()
        for kind in ("ỦY BAN NHÂN DÂN ", "HỘI ĐỒNG NHÂN DÂN "):
            if name.startswith(kind):
                name = kind.strip() + "\n" + name[len(kind):]
        return cls(parent, name, unit.place_name)


def signer_name(unit, deputy=False):
    """The name of the unit's chairman (or a vice-chairman) in post today, or ""."""
    wanted = "Phó Chủ tịch UBND" if deputy else "Chủ tịch UBND"
    person = (Staff.select(Staff.full_name).join(Title)
              .where((Staff.unit == unit) & (Title.name == wanted) & Staff.left_on.is_null())
              .order_by(Staff.sort_name).first())
    return person.full_name if person else ""


def signature(deputy=False, name=""):
    """ "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", or "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (ND 30/2020)."""
    if deputy:
        return {"on_behalf": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": name}
    return {"on_behalf": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": name}


# --- the unit's yearly list -------------------------------------------------------------


def _label(code):
    return RatingLevel(code).label if code else ""


def ratings_rows(unit, year, include_subunits=True):
    """The rows of the yearly list in the staff list's order: every rating of the year."""
    ids = units.unit_ids(unit, include_subunits)
    query = (Rating.select(Rating, Staff, Title).join(Staff).join(Title, on=Staff.title,
                                                                  join_type=JOIN.LEFT_OUTER)
             .where((Rating.year == year) & Rating.unit.in_(ids))
             .order_by(Staff.sort_name, Staff.id))
    rows = []
    for rating in query:
        staff = rating.staff
        final = rating.status in FINAL_STATUSES
        note = rating.note or ""
        if rating.status == RatingStatus.NOT_ELIGIBLE.code:
            note = note or RatingStatus.NOT_ELIGIBLE.label
        elif not final:
            note = note or RatingStatus(rating.status).label
        rows.append({
            "name": staff.full_name,
            "title": staff.title.name if staff.title_id else "",
            "self_level": _label(rating.self_level),
            "level": _label(rating.level) if final else "",
            "note": note,
        })
    return rows


def ratings_list_pdf(unit, year, include_subunits=True, day=None):
    """The unit's yearly list of results with the ratings report's totals and percents."""
    rows = ratings_rows(unit, year, include_subunits)
    if not rows:
        raise NoData(f"Đơn vị {unit.code} không có bản ghi xếp loại nào của năm {year}.",
                     unit=unit.code, year=year)
    try:
        report = reports.ratings_report(unit, year, include_subunits)
    except NoData:
        report = None
    return render_pdf(
        "ratings_list.html", header=Header.of(unit), year=year, rows=rows, report=report,
        date_line=place_date(unit.place_name, day, year if day is None else None),
        signature=signature(name=signer_name(unit)),
    )


# --- the chairman's decision ------------------------------------------------------------

#: The local-government law in force on the decision's date: the 2025 law (two-level
#: local government, from 01/07/2025), before it the 2015 law as amended in 2019.
LOCAL_GOVERNMENT_LAWS = [
    (datetime.date(2025, 7, 1),
     "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"),
    (datetime.date(2000, 1, 1),
     "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, "
     "bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
     "phương ngày 22 tháng 11 năm 2019;"),
]


def legal_bases(unit, year, include_subunits=True, day=None):
    """The "Căn cứ" lines: the local-government law in force on ``day`` (default today),
    then the decrees of the rule sets the year's ratings were made under."""
    day = day or datetime.date.today()
    law = next(text for since, text in LOCAL_GOVERNMENT_LAWS if day >= since)
    used = {code for (code,) in Rating.select(Rating.rule_set).distinct().where(
        (Rating.year == year) & Rating.unit.in_(units.unit_ids(unit, include_subunits)))
        .tuples()}
    lines = [law]
    for rule_set in rulesets.RULE_SETS.values():
        if rule_set.code in used:
            lines.extend(line for line in rule_set.legal_bases if line not in lines)
    return lines


def decision_pdf(unit, year, number="", day=None, deputy=False, signer=None,
                 include_subunits=True, with_list=True):
    """The chairman's decision recognising the year's results (ND 90 Điều 20; ND 335 Điều 22).

    ``number`` is the document number ("125"), printed as "Số: 125/QĐ-UBND"; left out,
    the number is left blank to fill by hand, as is a missing ``day``.  With
    ``with_list`` the yearly list follows as the decision's annex.
    """
    report = reports.ratings_report(unit, year, include_subunits)
    if number and not str(number).strip().replace("-", "").isalnum():
        raise InvalidInput(f"Số quyết định «{number}» không hợp lệ; ví dụ: 125.", number=number)
    name = signer if signer is not None else signer_name(unit, deputy)
    return render_pdf(
        "decision.html", header=Header.of(unit), year=year, report=report,
        unit_name=expand_unit_name(unit.name), number=str(number or "").strip(),
        date_line=place_date(unit.place_name, day),
        bases=legal_bases(unit, year, include_subunits, day),
        signature=signature(deputy, name),
        rows=ratings_rows(unit, year, include_subunits) if with_list else [],
    )


# --- the qualification structure ----------------------------------------------------------


def qualification_groups(report):
    """The report's three groups, with Cử nhân and Cao cấp printed as one row (§8)."""
    groups = []
    for kind, rows in report.groups():
        out = []
        for row in rows:
            if row.code == "CN" and kind.code == "POLITICAL_THEORY":
                continue
            if row.code == "CC" and kind.code == "POLITICAL_THEORY":
                cn = next(r for r in rows if r.code == "CN")
                row = reports.Row("CC", "Cao cấp, cử nhân", row.count + cn.count,
                                  round(row.percent + cn.percent, 2))
            out.append(row)
        groups.append((kind, out))
    return groups


def qualifications_pdf(unit, at, include_subunits=True, day=None):
    """The qualification structure of the unit's staff in post on ``at`` (counts, percents)."""
    report = reports.qualification_report(unit, at, include_subunits)
    return render_pdf(
        "qualifications.html", header=Header.of(unit), report=report,
        groups=qualification_groups(report), at=at,
        date_line=place_date(unit.place_name, day or datetime.date.today()),
        signature=signature(name=signer_name(unit)),
    )
