"""Reading import files: CSV and .xlsx give the same cells; anything else is refused by its bytes."""


import pytest
from openpyxl import Workbook

from identity.adapters.import_files import UnreadableFile, file_format, rows, sniff


def xlsx(path, table):
    book = Workbook()
    for row in table:
        book.active.append(row)
    book.save(path)


def test_a_csv_and_the_same_sheet_as_xlsx_read_alike(tmp_path):
    (tmp_path / "a.csv").write_text("\ufeffrecord_type;customer_code;phone\ncompany;1001;\n\n;;\ncontact;1001;555\n")
    xlsx(tmp_path / "a.bin", [["record_type", "customer_code", "phone"], ["company", 1001, None], [None],
                              [None, None, None], ["contact", 1001.0, 555]])
    from_csv = list(rows(tmp_path / "a.csv", sniff(tmp_path / "a.csv")))
    from_xlsx = list(rows(tmp_path / "a.bin", sniff(tmp_path / "a.bin")))
    assert from_csv == from_xlsx == [(1, ["record_type", "customer_code", "phone"]),
                                      (2, ["company", "1001", None]), (5, ["contact", "1001", "555"])]


@pytest.mark.parametrize("head, message", [
    (bytes(range(256)), "neither a CSV text file nor an .xlsx workbook"),
    ("naïve".encode("latin-1"), "must be UTF-8 text"),
])
def test_junk_is_refused_by_its_first_bytes(head, message):
    with pytest.raises(UnreadableFile, match=message):
        file_format(head)


def test_a_zip_that_is_no_workbook_is_unreadable(tmp_path):
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04" + b"junk" * 100)
    with pytest.raises(UnreadableFile, match="cannot be opened"):
        list(rows(tmp_path / "fake.xlsx", "xlsx"))


def test_a_workbook_is_refused_by_its_zip_directory_before_it_is_parsed(tmp_path):
    import zipfile

    from identity.adapters.import_files import WorkbookTooLarge, check_workbook

    xlsx(tmp_path / "ok.xlsx", [["record_type", "customer_code"], ["company", "A1"]])
    check_workbook(tmp_path / "ok.xlsx", max_unpacked_bytes=1024 * 1024, max_entries=50)
    with zipfile.ZipFile(tmp_path / "ok.xlsx", "a", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/padding.xml", b" " * (2 * 1024 * 1024))  # 2 MiB unpacked, a few KB packed
    with pytest.raises(WorkbookTooLarge, match="unpacks to 2 MiB; an import workbook may unpack to at most 1 MiB"):
        check_workbook(tmp_path / "ok.xlsx", max_unpacked_bytes=1024 * 1024, max_entries=50)
    with pytest.raises(WorkbookTooLarge, match="at most 5"):
        check_workbook(tmp_path / "ok.xlsx", max_unpacked_bytes=10 * 1024 * 1024, max_entries=5)


def test_a_cell_longer_than_the_cap_is_refused_in_either_format(tmp_path):
    long = "x" * 10_001
    (tmp_path / "a.csv").write_text(f"record_type,name\ncompany,{long}\n")
    xlsx(tmp_path / "a.xlsx", [["record_type", "name"], ["company", long]])
    for path, fmt in ((tmp_path / "a.csv", "csv"), (tmp_path / "a.xlsx", "xlsx")):
        with pytest.raises(UnreadableFile, match="10001 characters; a cell may have at most 10000"):
            list(rows(path, fmt))
