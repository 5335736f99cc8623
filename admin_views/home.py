"""The home page: the user's unit, this year's rating progress, the first links.

The personnel officer's first questions (kim-tan-2023.md: clear screens over
configurability) are "who is on my staff" and "how far is this year's rating".
"""
import datetime

from flask import url_for
from flask_admin import expose
from peewee import fn

from canbo.levels import RatingStatus
from canbo.models import Rating, Staff, Unit

from .base import SecureIndexView, can, current_account, scope_units


def rating_progress(year):
    """``[(status, label, count)]`` of the visible ratings of ``year``, in workflow order."""
    query = scope_units(
        Rating.select(Rating.status, fn.COUNT(Rating.id)).where(Rating.year == year),
        Rating.unit,
    ).group_by(Rating.status)
    counts = dict(query.tuples())
    return [(s.code, s.label, counts.get(s.code, 0)) for s in RatingStatus]


def progress_year(today=None):
    """This year, or the latest year that has ratings when this year has none yet."""
    year = (today or datetime.date.today()).year
    latest = scope_units(Rating.select(fn.MAX(Rating.year)), Rating.unit).scalar()
    has_current = scope_units(Rating.select().where(Rating.year == year), Rating.unit).exists()
    return year if has_current or latest is None else latest


class HomeView(SecureIndexView):
    @expose("/")
    def index(self):
        account = current_account()
        year = progress_year()
        progress = rating_progress(year)
        in_post = scope_units(Staff.select().where(Staff.left_on.is_null()), Staff.unit).count()
        links = [
            ("Danh sách cán bộ, công chức", url_for("staff.index_view"), "fa-users"),
            (f"Xếp loại chất lượng năm {year}", ratings_url(year), "fa-check-square-o"),
        ]
        if can("staff.edit"):
            links.insert(1, ("Thêm cán bộ, công chức", url_for("staff.create_view"), "fa-user-plus"))
        if can("users.manage"):
            links.append(("Tài khoản", url_for("user.index_view"), "fa-key"))
        return self.render(
            "admin/home.html",
            account=account,
            unit=Unit.get_or_none(Unit.id == account.unit_id) if account.unit_id else None,
            year=year,
            progress=progress,
            rated=sum(c for code, _, c in progress if code != "NOT_ELIGIBLE"),
            in_post=in_post,
            links=links,
        )


def ratings_url(year):
    try:
        from .ratings import year_filter_url

        return year_filter_url(year)
    except Exception:  # the ratings view is optional for the home page
        return url_for("rating.index_view")


def register(app, admin):
    """The home view is the admin's index view, created by ``create_app``."""
