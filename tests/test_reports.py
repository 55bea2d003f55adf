"""masg report summary: the manager's figures, per locality and month, from SQL, and the workbook."""

from __future__ import annotations

import re
import stat
import zipfile
from datetime import date

import pytest

from builders import stored_case, write
from conftest import add_referral, ok, run


D = date


@pytest.fixture
def figures(store):
    """A small store whose every figure is known by hand."""
    ok("locality", "add", "South", "--weekday", "wed")

    def build(uow):
        a = stored_case(uow, "MASG-2026-0001", status="closed", closed_reason="completed", received=D(2026, 1, 5),
                        triaged_on=D(2026, 1, 7), triage_outcome="accept", meeting_date=D(2026, 1, 20),
                        lead_agency="School nursing",
                        services=[("CAMHS", "Weekly sessions"), ("CAMHS", "Parent group"),
                                  ("School nursing", "Drop-in")],
                        family_response="accepted", family_response_date=D(2026, 1, 27), closed_on=D(2026, 8, 1),
                        reviews=[D(2026, 3, 3)],
                        follow_ups=[(D(2026, 4, 10), D(2026, 4, 14)), (D(2026, 7, 20), D(2026, 7, 10))])
        stored_case(uow, "MASG-2026-0002", status="closed", closed_reason="declined", received=D(2026, 1, 5),
                    triaged_on=D(2026, 1, 9), triage_outcome="accept", meeting_date=D(2026, 1, 25),
                    lead_agency="CAMHS", services=[("CAMHS", "Assessment")], family_response="declined",
                    family_response_date=D(2026, 1, 28), closed_on=D(2026, 1, 28))
        stored_case(uow, "MASG-2026-0003", status="closed", closed_reason="not-appropriate", received=D(2026, 1, 5),
                    triaged_on=D(2026, 1, 15), triage_outcome="not-appropriate", closed_on=D(2026, 1, 15))
        stored_case(uow, "MASG-2026-0004", received=D(2026, 1, 12))
        stored_case(uow, "MASG-2026-0005", received=D(2026, 9, 1), re_referral_of=a)
        stored_case(uow, "MASG-2026-0006", received=D(2026, 2, 2), locality="South", triaged_on=D(2026, 2, 3),
                    triage_outcome="accept", status="accepted")

    write(build)


def table(report, name, **match):
    return [row for row in report["tables"][name] if all(row[k] == v for k, v in match.items())]


def test_referrals_received_are_counted_per_locality_and_month(figures):
    report = ok("report", "summary", "--json").json
    assert table(report, "referrals", locality="North", month="2026-01")[0]["referrals"] == 4
    assert table(report, "referrals", locality="South", month="2026-02")[0]["referrals"] == 1


def test_a_re_referral_within_12_months_of_the_earlier_case_closing_counts(figures):
    row = table(ok("report", "summary", "--json").json, "referrals", locality="North", month="2026-09")[0]
    assert (row["referrals"], row["re_referrals_12_months"], row["re_referral_rate_12_months"]) == (1, 1, 1.0)


def test_triage_outcomes_are_counted_by_the_month_of_triage(figures):
    row = table(ok("report", "summary", "--json").json, "triage", locality="North", month="2026-01")[0]
    assert (row["triaged"], row["accept"], row["not-appropriate"], row["single-agency"]) == (3, 2, 1, 0)


def test_days_to_triage_and_to_panel_give_median_and_90th_percentile_by_nearest_rank(figures):
    row = table(ok("report", "summary", "--json").json, "timeliness", locality="North", month="2026-01")[0]
    # triage waits 2, 4, 10 days; panel waits 15, 20 days
    assert (row["triaged"], row["days_to_triage_median"], row["days_to_triage_p90"]) == (3, 4, 10)
    assert (row["to_panel"], row["days_to_panel_median"], row["days_to_panel_p90"]) == (2, 15, 20)


def test_timeliness_has_a_row_for_all_localities_and_one_for_the_whole_period(figures):
    rows = ok("report", "summary", "--json").json["tables"]["timeliness"]
    whole = [r for r in rows if r["month"] == "All"]
    assert len(whole) == 1 and whole[0]["locality"] == "All" and whole[0]["triaged"] == 4
    assert rows[-1] == whole[0]


def test_cases_discussed_and_decided_are_counted_per_meeting(figures):
    meetings = ok("report", "summary", "--json").json["tables"]["meetings"]
    assert [(m["date"], m["on_agenda"], m["discussed"], m["decided"]) for m in meetings] == [
        ("2026-01-20", 1, 1, 1), ("2026-01-25", 1, 1, 1)]


def test_services_and_lead_professionals_are_counted_per_agency(figures):
    report = ok("report", "summary", "--json").json
    services = {r["agency"]: (r["services"], r["cases"]) for r in report["tables"]["services"]}
    assert services == {"CAMHS": (3, 2), "School nursing": (1, 1)}
    leads = {r["agency"]: r["cases"] for r in report["tables"]["lead_professionals"]}
    assert leads == {"School nursing": 1, "CAMHS": 1}


def test_family_acceptance_rate_follow_ups_on_time_and_closures_by_outcome(figures):
    report = ok("report", "summary", "--json").json
    family = table(report, "family_responses", month="2026-01")[0]
    assert (family["accepted"], family["declined"], family["acceptance_rate"]) == (1, 1, 0.5)
    follow = {r["month"]: (r["on_time"], r["late"]) for r in report["tables"]["follow_ups"]}
    assert follow == {"2026-04": (1, 0), "2026-07": (0, 1)}
    closures = {r["month"]: r for r in report["tables"]["closures"]}
    assert closures["2026-01"]["declined"] == 1 and closures["2026-01"]["not-appropriate"] == 1
    assert closures["2026-08"]["completed"] == 1


def test_the_monthly_trend_adds_up_the_localities(figures):
    monthly = {m["month"]: m for m in ok("report", "summary", "--json").json["tables"]["monthly"]}
    assert monthly["2026-01"]["received"] == 4 and monthly["2026-02"]["received"] == 1
    assert monthly["2026-07"]["follow_ups_late"] == 1


def test_from_and_to_limit_each_table_to_its_own_events_dates(figures):
    report = ok("report", "summary", "--from", "01/02/2026", "--to", "2026-06-30", "--json").json
    assert [r["month"] for r in report["tables"]["referrals"]] == ["2026-02"]
    assert report["tables"]["meetings"] == []
    assert [r["month"] for r in report["tables"]["follow_ups"]] == ["2026-04"]
    assert (report["from"], report["to"]) == ("2026-02-01", "2026-06-30")


def test_locality_limits_the_report_to_one_locality(figures):
    report = ok("report", "summary", "--locality", "south", "--json").json
    assert report["locality"] == "South"
    assert {r["locality"] for r in report["tables"]["referrals"]} == {"South"}
    assert report["tables"]["services"] == []


def test_unknown_locality_and_reversed_period_are_refused_and_a_bad_date_is_a_usage_error(figures):
    assert run("report", "summary", "--locality", "Nowhere").exit_code == 1
    reversed_ = run("report", "summary", "--from", "2026-03-01", "--to", "2026-02-01")
    assert reversed_.exit_code == 1 and "swap" in reversed_.stderr
    assert run("report", "summary", "--from", "12/31/2026").exit_code == 2


def test_every_figure_comes_from_a_grouped_query_not_from_loading_cases(figures):
    from sqlalchemy import event

    from masg_cli.cli.context import location
    from masg_cli.store import engine_for, open_store

    engine = engine_for(location())
    open_store(location())
    seen = []
    listener = lambda conn, cursor, statement, *rest: seen.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        ok("report", "summary", "--json")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    figures_sql = [s for s in seen if "FROM referral" in s or "FROM meeting" in s or "FROM service" in s
                   or "FROM decision" in s or "FROM follow_up" in s]
    assert len(figures_sql) >= 9
    assert all("GROUP BY" in s for s in figures_sql)


def test_the_report_reads_as_tables_for_people(figures):
    shown = ok("report", "summary").stdout
    for title in ("Referrals received", "Triage outcomes", "per meeting", "median", "per agency",
                  "Lead Professionals", "Family responses", "on time", "Closures by outcome", "Jan 2026"):
        assert title in shown


def test_an_empty_store_gives_a_report_with_no_figures(store):
    shown = ok("report", "summary").stdout
    assert "No figures for this period." in shown


def test_the_workbook_has_a_sheet_per_table_native_charts_and_is_private(figures, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "figures.xlsx"
    ok("report", "summary", "--xlsx", out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = load_workbook(out)
    assert book.sheetnames[:3] == ["Monthly trend", "Referrals received", "Triage outcomes"]
    assert {"Meetings", "Days to triage and panel", "Services by agency", "Lead Professionals",
            "Family responses", "Follow-ups", "Closures"} <= set(book.sheetnames)
    monthly = book["Monthly trend"]
    assert [c.value for c in monthly[1]][:2] == ["Month", "Received"]
    assert monthly["A2"].value == "2026-01" and monthly["B2"].value == 4
    with zipfile.ZipFile(out) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 5  # the monthly trend's four and the targets' one


def test_a_locality_named_like_a_formula_is_text_in_the_workbook(store, tmp_path):
    from openpyxl import load_workbook

    ok("locality", "add", "=HYPERLINK(\"http://example.org\")")
    write(lambda uow: stored_case(uow, "MASG-2026-0001", locality="=HYPERLINK(\"http://example.org\")"))
    out = tmp_path / "f.xlsx"
    ok("report", "summary", "--xlsx", out)
    cells = [c for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert any(c.value == "=HYPERLINK(\"http://example.org\")" and c.quotePrefix for c in cells)


def test_a_case_taken_through_the_real_commands_shows_in_every_figure(accepted, tmp_path):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-11-24", "--until", "2026-12-31")
    meeting = ok("meeting", "list", "--json").json[0]
    ok("agenda", "build", str(meeting["id"]))
    ok("decision", "record", accepted, "--meeting", str(meeting["id"]), "--service", "CAMHS: Weekly sessions",
       "--lead-name", "Siân Sample", "--lead-agency", "School nursing", "--review-date", "2027-01-19")
    ok("family-response", accepted, "--accepted", "--date", "2026-11-27")
    ok("review", "record", accepted, "--date", "2027-01-19", "--further-reviews", "no")
    ok("followup", "record", accepted, "--date", "2027-04-10", "--outcome", "close")
    report = ok("report", "summary", "--json").json["tables"]
    assert report["referrals"][0]["referrals"] == 1 and report["triage"][0]["accept"] == 1
    assert report["meetings"][0]["decided"] == 1 and report["meetings"][0]["date"] == meeting["date"]
    assert report["services"][0]["agency"] == "CAMHS" and report["lead_professionals"][0]["agency"] == "School nursing"
    assert report["family_responses"][0]["acceptance_rate"] == 1.0
    assert report["follow_ups"][0]["late"] == 0 and report["follow_ups"][0]["on_time"] == 1
    timeliness = report["timeliness"][0]
    assert timeliness["days_to_triage_median"] == 1  # received 2 Nov, triaged 3 Nov
    assert timeliness["days_to_panel_median"] == (date.fromisoformat(meeting["date"]) - date(2026, 11, 2)).days
    ok("export", "--format", "json", "--out", tmp_path / "e.json")


# --- Headings and the period read as a person would write them ---------------------------------------


@pytest.mark.parametrize("key, shown", [
    ("re_referrals", "Re-referrals"),
    ("re_referrals_12_months", "Re-referrals (12 months)"),
    ("re_referral_rate_12_months", "Re-referral rate (12 months)"),
    ("follow_ups_on_time", "Follow-ups on time"),
    ("days_to_triage_median", "Days to triage median"),
])
def test_report_column_headings_are_spelt_with_their_hyphens(key, shown):
    from masg_cli.views_reports import heading

    assert heading(key) == shown


def test_the_report_without_dates_says_it_covers_all_dates(store):
    add_referral()
    first_line = ok("report", "summary").stdout.splitlines()[0]
    assert first_line == "Summary for all localities, all dates"


def test_the_report_names_its_period_in_words(store):
    add_referral()
    assert ok("report", "summary", "--from", "2026-11-02", "--to", "2027-05-27").stdout.startswith(
        "Summary for all localities, 2 November 2026 to 27 May 2027")
    assert ok("report", "summary", "--locality", "North", "--from", "2026-11-02").stdout.startswith(
        "Summary for North, from 2 November 2026")


def test_the_workbook_headings_and_period_read_the_same_way(store, tmp_path):
    from openpyxl import load_workbook

    add_referral()
    ok("report", "summary", "--xlsx", tmp_path / "report.xlsx")
    book = load_workbook(tmp_path / "report.xlsx")
    headings = [c.value for sheet in book.worksheets if sheet.title != "About" for c in sheet[1]]
    assert {"Re-referrals", "Re-referral rate (12 months)", "Follow-ups on time"} <= set(headings)
    assert [row for row in book["About"].values if row[0] == "Period"] == [("Period", "all dates")]


def test_the_report_workbook_headings_sit_over_their_figures_and_charts_beside_the_table(store, tmp_path):
    from openpyxl import load_workbook

    write(lambda uow: stored_case(uow, "MASG-2026-0001", status="closed", closed_reason="completed",
                                  received=date(2026, 1, 5), closed_on=date(2026, 3, 1)))
    out = tmp_path / "figures.xlsx"
    ok("report", "summary", "--xlsx", out)
    monthly = load_workbook(out)["Monthly trend"]
    assert monthly["A1"].alignment.horizontal in (None, "general", "left")
    assert all(monthly[f"{c}1"].alignment.horizontal == "right" for c in "BCDEFGH")
    assert all(monthly[f"{c}1"].font.name == "Calibri" and monthly[f"{c}1"].font.b for c in "ABH")
    with zipfile.ZipFile(out) as book:
        drawing = book.read("xl/drawings/drawing1.xml").decode()
    columns = [int(c) for c in re.findall(r"<(?:xdr:)?from><(?:xdr:)?col>(\d+)<", drawing)]
    assert columns and min(columns) > 7  # column H (index 7) holds the table's last figures

