"""Exports of an indicator table: JSON (the INDICATORS.md object), CSV and XLSX."""
import csv
import io
import json

from casework.indicators.registry import BY_KEY, all_indicators


def table_rows(values: dict, previous: dict | None = None, locale: str = "pl") -> list[dict]:
    """One row per number: object-by-key indicators give one row per key (CODE.key)."""
    out = []
    previous = previous or {}
    for ind in all_indicators():
        if ind.code not in values:
            continue
        value = values[ind.code]
        if ind.kind == BY_KEY:
            prev = previous.get(ind.code) or {}
            for key in sorted(set(value) | set(prev)):
                out.append({"code": f"{ind.code}.{key}", "label": f"{ind.label(locale)}: {key}",
                            "value": value.get(key, 0), "previous": prev.get(key)})
        else:
            out.append({"code": ind.code, "label": ind.label(locale), "value": value,
                        "previous": previous.get(ind.code)})
    return out


def to_json(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def to_csv(period, rows: list[dict], headers: tuple) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r["code"], r["label"], r["value"], "" if r["previous"] is None else r["previous"]])
    return buf.getvalue()


def to_xlsx(period, rows: list[dict], headers: tuple, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Wskazniki"
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append([f"{period.start.isoformat()} – {period.end.isoformat()}"])
    ws.append([])
    ws.append(list(headers))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([r["code"], r["label"], r["value"], r["previous"]])
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
