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
