"""Periods of days: ``(first, last)`` pairs of dates, both days included.

The time in post, absences and leave are such periods.  Eligibility (``rules.yearly``:
months worked and absent, ND 90 Điều 2, ND 335 Điều 11) and the months lost to leave
(``tracking.leave``, ND 335 Điều 19.3) both need them merged, clipped to a year and cut
by one another; they do it here, so an overlapping or touching pair of absences is one
period in both and no day is counted twice.
"""
import datetime

ONE_DAY = datetime.timedelta(days=1)


def merged(periods):
    """Overlapping or touching periods joined into one, in date order: 01/03–10/03 and
    11/03–20/03 are 01/03–20/03."""
    out = []
    for a, b in sorted(periods):
        if out and a <= out[-1][1] + ONE_DAY:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def clipped(periods, first, last):
    """The parts of ``periods`` from ``first`` to ``last``; periods outside are dropped."""
    out = []
    for a, b in periods:
        a, b = max(a, first), min(b, last)
        if a <= b:
            out.append((a, b))
    return out


def without(periods, holes):
    """``periods`` with the days of ``holes`` taken out."""
    for ha, hb in holes:
        rest = []
        for a, b in periods:
            if hb < a or ha > b:
                rest.append((a, b))
                continue
            if a < ha:
                rest.append((a, ha - ONE_DAY))
            if hb < b:
                rest.append((hb + ONE_DAY, b))
        periods = rest
    return periods
