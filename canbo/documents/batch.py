"""Rating forms as PDF: one person, a unit-year, a unit with its sub-units, blank forms.

A batch is one PDF in the staff list's order.  The database is read once in the parent
(three queries, whatever the number of people); the contexts — plain dicts — are cut
into chunks that worker processes render, each chunk as ONE WeasyPrint document (so the
stylesheet and fonts are loaded once per process, not once per form), and the chunk
PDFs are appended in order.  Memory stays bounded by the chunk size, not the batch.
"""
import concurrent.futures
import io
import multiprocessing
import os
import tempfile

from canbo.documents.forms import blank_context, monthly_context, staff_of_year, year_contexts
from canbo.documents.render import html_to_pdf, render_html
from canbo.errors import NoData, NotFound
from canbo.models import Staff, Unit
from canbo.records import units

#: Forms per WeasyPrint render: past ~20 the per-form cost stops falling, while a
#: worker's memory keeps growing with the chunk.
CHUNK_SIZE = 25
#: Below this many forms a batch renders in the calling process: starting workers
#: costs more than it saves.
PARALLEL_FROM = 60
#: Past this many forms the panel prints in a background job (``canbo.jobs``), not
#: inside the request: a browser would wait minutes, and give up.
BACKGROUND_FROM = 20


def forms_html(contexts):
    return render_html("forms.html", forms=contexts)


def forms_pdf(contexts):
    """One PDF of ``contexts`` rendered in this process as a single document."""
    return html_to_pdf(forms_html(contexts))


def _render_chunk(args):
    """Worker: render one chunk to a temporary file; returns its path."""
    contexts, directory = args
    fd, path = tempfile.mkstemp(suffix=".pdf", dir=directory)
    with os.fdopen(fd, "wb") as out:
        out.write(forms_pdf(contexts))
    return path


def merge_pdfs(parts, target):
    """Append the PDF files or bytes ``parts`` in order into ``target`` (a file object)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part) if isinstance(part, bytes) else part)
    writer.write(target)
    writer.close()


def workers_default():
    return max(1, min(4, os.cpu_count() or 1))


def render_batch(contexts, target=None, chunk_size=None, workers=None, progress=None):
    """All ``contexts`` as one PDF, written to ``target`` (path or file) or returned.

    ``workers`` processes render chunks of ``chunk_size`` forms in parallel; with one
    worker, or a small batch, everything renders here.  ``progress(done, total)`` is
    called before the first chunk and after each one, in order (a job's progress bar,
    the CLI's); when it raises — a cancelled job — no further chunk is rendered and the
    worker processes are stopped, not left to finish the batch.
    """
    if not contexts:
        raise NoData("Không có phiếu nào để in.")
    workers = workers or workers_default()
    chunk_size = chunk_size or CHUNK_SIZE
    chunks = [contexts[i:i + chunk_size] for i in range(0, len(contexts), chunk_size)]
    total = len(contexts)
    report = progress or (lambda done, total: None)
    report(0, total)
    out = io.BytesIO() if target is None else target
    if workers == 1 or len(contexts) < PARALLEL_FROM:
        parts, done = [], 0
        for chunk in chunks:
            parts.append(forms_pdf(chunk))
            done += len(chunk)
            report(done, total)
        if len(parts) == 1:
            _write(out, parts[0])
        else:
            _merge_to(parts, out)
    else:
        # "spawn": a forked child would inherit the parent's open database connection.
        context = multiprocessing.get_context("spawn")
        with tempfile.TemporaryDirectory(prefix="canbo-print-") as directory:
            pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)
            try:
                futures = [pool.submit(_render_chunk, (c, directory)) for c in chunks]
                paths, done = [], 0
                for future, chunk in zip(futures, chunks):
                    paths.append(future.result())
                    done += len(chunk)
                    report(done, total)
            except BaseException:
                stop_pool(pool)
                raise
            pool.shutdown()
            _merge_to(paths, out)
    return out.getvalue() if target is None else None


def stop_pool(pool):
    """Stop ``pool``'s processes now: the chunks still queued are dropped and the ones
    rendering are killed (``shutdown`` alone would let them run to the end)."""
    # The executor has no public way to kill its workers before Python 3.14
    # (``terminate_workers``); its process table is the one handle on them.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(5)


def _write(target, data):
    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as f:
            f.write(data)
    else:
        target.write(data)


def _merge_to(parts, target):
    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as f:
            merge_pdfs(parts, f)
    else:
        merge_pdfs(parts, target)


# --- what the CLI and the panel call ------------------------------------------------------


def find_staff(code, unit=None):
    """The person with ``code`` (within ``unit`` when given); ``NotFound`` otherwise."""
    query = Staff.select().where(Staff.code == code)
    if unit is not None:
        query = query.where(Staff.unit == unit)
    people = list(query.limit(2))
    if not people:
        raise NotFound(f"Không có cán bộ, công chức mã «{code}».", staff=code)
    if len(people) > 1:
        raise NotFound(f"Mã «{code}» có ở nhiều đơn vị; hãy chỉ rõ đơn vị bằng --unit MÃ.",
                       staff=code)
    return people[0]


def form_pdf(staff, year):
    """The yearly rating form of one person (the variant of the rating's rule set)."""
    return forms_pdf(year_contexts([staff], year))


def count_forms(unit, year, include_subunits=False):
    """How many forms ``unit_forms_pdf`` would print."""
    return len(staff_of_year(units.unit_ids(unit, include_subunits), year))


def unit_forms_pdf(unit, year, include_subunits=False, target=None, **options):
    """Every form of a unit-year (with its sub-units when asked) as one PDF;
    ``options`` go to ``render_batch`` (``workers``, ``chunk_size``, ``progress``)."""
    people = staff_of_year(units.unit_ids(unit, include_subunits), year)
    if not people:
        raise NoData(f"Đơn vị {unit.code} không có cán bộ, công chức nào để in phiếu năm "
                     f"{year}.", unit=unit.code, year=year)
    return render_batch(year_contexts(people, year), target, **options)


#: Blank forms: name → (staff kind, variant, label for the CLI's help and the panel).
BLANK_FORMS = {
    "mau01": ("CADRE", "nd90", "Mẫu 01 – cán bộ (Nghị định 90/2020/NĐ-CP)"),
    "mau02": ("CIVIL_SERVANT", "nd90", "Mẫu 02 – công chức (Nghị định 90/2020/NĐ-CP)"),
    "mau03": ("PUBLIC_EMPLOYEE", "nd90", "Mẫu 03 – viên chức (Nghị định 90/2020/NĐ-CP)"),
    "nd335-thang": ("CIVIL_SERVANT", "nd335_month",
                    "Mẫu 01 – phiếu theo dõi, đánh giá công chức hằng tháng "
                    "(Nghị định 335/2025/NĐ-CP)"),
    "nd335-nam": ("CIVIL_SERVANT", "nd335",
                  "Mẫu 02 – phiếu xếp loại chất lượng công chức năm (Nghị định 335/2025/NĐ-CP)"),
}


def blank_pdf(name, unit=None, year=None):
    """A blank form to fill by hand; ``unit`` and ``year`` are printed when given."""
    kind, variant, _ = BLANK_FORMS[name]
    if unit is not None and unit.parent_id:
        unit.parent = Unit.get_by_id(unit.parent_id)
    return forms_pdf([blank_context(kind, variant, unit, year)])


def monthly_pdf(staff, year, month, sheet=None):
    """ND 335 Mẫu 01 of one civil servant and month (points from ``sheet`` when given)."""
    return forms_pdf([monthly_context(staff, staff.unit, year, month, sheet)])
