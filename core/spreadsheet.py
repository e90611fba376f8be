"""CSV for German spreadsheet programs, shared by the open data downloads and the Fahrplan.

UTF-8 with a byte order mark and semicolons (what German Excel and LibreOffice expect), and
every cell that could start a formula defused with a leading apostrophe.
"""

import csv

DELIMITER = ";"
BYTE_ORDER_MARK = "\ufeff"
LIST_SEPARATOR = " | "  # list cells of the open data CSV; documented on /daten/
# A cell starting with one of these could run as a formula in a spreadsheet program.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """One value as spreadsheet text: lists joined, yes/no in German, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_csv(stream, rows):
    """Writes the rows (header first) to ``stream``, any object with ``write()``."""
    stream.write(BYTE_ORDER_MARK)
    writer = csv.writer(stream, delimiter=DELIMITER)
    for row in rows:
        writer.writerow([cell(value) for value in row])
