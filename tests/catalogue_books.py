"""Workbooks as communes publish them with their catalogue decision, built with openpyxl.

``nghia_lam()`` follows the annexes of Quyết định 283/QĐ-UBND of xã Nghĩa Lâm (31/5/2026,
../shared/domain/qd-283-2026.txt): Phụ lục I the general criteria (no product table),
Phụ lục II the leaders' tasks, Phụ lục III the tasks every department shares, then one
sheet per department; each sheet with the commune's title rows, a header, the "(1) (2)
…" numbering line, section rows (I, II …), a task's cell merged over its detail rows,
and groups N1–N5 with their points range.  The standard product is "Soạn thảo văn bản
hành chính đơn giản", 5 points, coefficient 1 (Điều 1.2 of the decision).
"""
import io

import openpyxl

HEADER = ["STT", "Mã CV", "Nhiệm vụ", "Công việc chi tiết", "Sản phẩm đầu ra",
          "Nhóm (N1-N5)", "Khung điểm", "Điểm chấm", "Ghi chú"]
STANDARD = ("Soạn thảo văn bản hành chính đơn giản", 5)

#: sheet → rows after the header: ("I", section) or (stt, code, task, detail, output,
#: group, range, points); a task of None is the cell merged from the row above.
SHEETS = {
    "PL II - Lãnh đạo": [
        ("I", "Công tác chỉ đạo, điều hành"),
        (1, "LD01", "Chỉ đạo xây dựng kế hoạch phát triển kinh tế - xã hội",
         "Chủ trì xây dựng kế hoạch năm", "Kế hoạch được ban hành", "N3", "51-100", 80),
        (2, "LD02", None, "Chỉ đạo sơ kết 6 tháng", "Báo cáo sơ kết", "N2", "11-50", 30),
        (3, "LD03", "Chủ trì hội nghị, cuộc họp",
         "Chủ trì họp giao ban tuần", "Thông báo kết luận", "N1", "1-10", 8),
        ("II", "Công tác tiếp công dân"),
        (4, "LD04", "Tiếp công dân định kỳ", "Tiếp công dân định kỳ theo lịch",
         "Sổ tiếp công dân", "N2", "11-50", 15),
    ],
    "PL III - Nhiệm vụ chung": [
        ("I", "Công tác văn bản"),
        (1, "NVC01", "Soạn thảo văn bản", "Soạn thảo văn bản hành chính đơn giản",
         "Công văn, thông báo", "N1", "1-10", 5),
        (2, "NVC02", None, "Soạn thảo báo cáo định kỳ", "Báo cáo tháng, quý",
         "N2", "11-50", 12),
        (3, "NVC03", "Tham mưu đề án", "Xây dựng đề án cấp xã", "Đề án trình HĐND xã",
         "N4", "101-200", 150),
    ],
    "PL IV - Phòng Kinh tế": [
        ("I", "Lĩnh vực nông nghiệp"),
        (1, "KT01", "Quản lý sản xuất nông nghiệp", "Thống kê diện tích gieo trồng",
         "Biểu thống kê vụ", "N2", "11-50", 20),
        ("II", "Lĩnh vực đất đai"),
        (2, "KT02", "Quản lý đất đai", "Thẩm định hồ sơ cấp giấy chứng nhận",
         "Tờ trình cấp giấy chứng nhận", "N3", "51-100", 60),
        (3, "KT03", None, "Xây dựng kế hoạch sử dụng đất hằng năm",
         "Kế hoạch sử dụng đất", "N5", "201-500", 250),
    ],
    "PL IV - Phòng VH-XH": [
        ("I", "Lĩnh vực văn hóa, thông tin"),
        (1, "VX01", "Tuyên truyền", "Viết tin, bài trên trang thông tin điện tử",
         "Tin, bài được đăng", "N1", "1-10", 6),
    ],
}


def nghia_lam(change=None):
    """The workbook's bytes as a file; ``change(book)`` edits it first (bad cells)."""
    book = openpyxl.Workbook()
    criteria = book.active
    criteria.title = "PL I - Tiêu chí chung"
    criteria.append(["PHỤ LỤC I"])
    criteria.append(["TIÊU CHÍ CHUNG ĐÁNH GIÁ CÔNG CHỨC"])
    criteria.append(["STT", "Tiêu chí", "Điểm tối đa"])
    criteria.append(["1", "Chính trị, tư tưởng", 5])
    for title, rows in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append(["ỦY BAN NHÂN DÂN XÃ NGHĨA LÂM"])
        sheet.append([title.split(" - ")[0].replace("PL", "PHỤ LỤC")])
        sheet.append([f"DANH MỤC SẢN PHẨM/CÔNG VIỆC - {title.split(' - ')[1].upper()}"])
        sheet.append(["(Kèm theo Quyết định số 283/QĐ-UBND ngày 31/5/2026 của Chủ tịch "
                      "UBND xã Nghĩa Lâm)"])
        sheet.append([])
        sheet.append(HEADER)
        sheet.append([f"({i})" for i in range(1, len(HEADER) + 1)])
        for row in rows:
            if len(row) == 2:
                sheet.append(list(row))
                continue
            sheet.append(list(row))
            if row[2] is None:  # the task cell above is merged over this row
                here = sheet.max_row
                sheet.merge_cells(start_row=here - 1, start_column=3, end_row=here,
                                  end_column=3)
    if change:
        change(book)
    out = io.BytesIO()
    book.save(out)
    return io.BytesIO(out.getvalue())


def product_count():
    return sum(1 for rows in SHEETS.values() for row in rows if len(row) > 2)


def simple(rows, header=("Nhóm", "Sản phẩm", "Khung điểm", "Hệ số quy đổi")):
    """A one-sheet workbook in the old four-column layout."""
    book = openpyxl.Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return io.BytesIO(out.getvalue())
