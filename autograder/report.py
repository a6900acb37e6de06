"""`python -m autograder report`: the cohort report, regenerated from the result records without regrading.

Writes `grading/report.html` (self-contained: figures embedded), the same figures as PNG and
`grades_per_student.csv` under `grading/report/`. Reads `grading/results/` (the records), the gradebook (for the
CSV) and `grading/submitted/` (the students' modules, for similarity).
"""

from __future__ import annotations

import base64
import io
import statistics
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader
from matplotlib.figure import Figure

from autograder.cohort_stats import AssignmentStats, cohort_stats, read_records
from autograder.course import open_gradebook
from autograder.grades_export import PerStudentCsvExportPlugin
from autograder.report_figures import plot_grading_times, plot_item_pass_rates, plot_totals
from autograder.settings import GRADING
from autograder.similarity import FLAG_SHARE, MIN_MATCH_TOKENS, Comparison, compare_submissions

REPORT = GRADING / "report"


class NoRecordsError(Exception):
    """Nothing to report: no submission has been graded into this grading folder."""


@dataclass
class Picture:
    name: str  # the PNG's file name
    data: str  # base64 PNG, embedded in the HTML
    alt: str


@dataclass
class ReportFiles:
    html: Path
    csv: Path
    seconds: float
    comparisons: list[Comparison]
    unreadable: dict[str, str]  # result records that could not be read, and why


def _picture(fig: Figure, name: str, alt: str) -> Picture:
    """Save ``fig`` as ``report/<name>`` and keep it for embedding."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    (REPORT / name).write_bytes(buffer.getvalue())
    return Picture(name, base64.b64encode(buffer.getvalue()).decode("ascii"), alt)


def _overview_row(stats: AssignmentStats) -> dict[str, str]:
    percents = stats.percents
    seconds = list(stats.seconds.values())
    return {
        "assignment": stats.name,
        "submissions": str(stats.submissions),
        "ungradable": str(len(stats.ungradable)),
        "mean": f"{statistics.fmean(percents):.0f} %" if percents else "-",
        "median": f"{statistics.median(percents):.0f} %" if percents else "-",
        "full": str(sum(t >= stats.max for t in stats.totals.values())),
        "time": f"{statistics.median(seconds):.1f} s / {max(seconds):.1f} s" if seconds else "-",
        "timeouts": str(len(stats.timed_out)),
    }


def _comparisons(assignments: list[AssignmentStats], submitted: Path) -> list[Comparison]:
    comparisons = []
    for stats in assignments:
        students = set(stats.seconds)
        folders = {s: submitted / s / stats.name for s in students if (submitted / s / stats.name).is_dir()}
        comparisons.append(compare_submissions(stats.name, folders))
    return comparisons


def build_report(submitted: Path = GRADING / "submitted") -> ReportFiles:
    """Write the HTML report, its PNG figures and the per-student CSV from what grading left in `grading/`;
    similarity reads the modules of each graded student's folder in ``submitted``."""
    started = time.perf_counter()
    REPORT.mkdir(parents=True, exist_ok=True)
    records, unreadable = read_records(GRADING / "results")
    if not records and not unreadable:
        raise NoRecordsError(f"no result records in {GRADING / 'results'}: grade submissions first")
    assignments = cohort_stats(records)
    pictures = [
        _picture(plot_totals(assignments), "totals.png", "histograms of autograded totals"),
        _picture(plot_grading_times(assignments), "grading_times.png", "grading time per submission"),
    ]
    item_pictures = {
        stats.name: _picture(plot_item_pass_rates(stats), f"items_{stats.name}.png", f"{stats.name}: items")
        for stats in assignments
        if stats.items
    }
    comparisons = _comparisons(assignments, submitted)
    csv_path = REPORT / "grades_per_student.csv"
    with open_gradebook() as gradebook:
        PerStudentCsvExportPlugin(to=str(csv_path)).export(gradebook)
    html = _render(
        assignments=assignments,
        overview=[_overview_row(stats) for stats in assignments],
        ungradable=[(stats.name, student, why) for stats in assignments for student, why in stats.ungradable.items()],
        unreadable=unreadable,
        pictures=pictures,
        item_pictures=item_pictures,
        comparisons=comparisons,
        csv_name=f"{REPORT.name}/{csv_path.name}",
        seconds=time.perf_counter() - started,
    )
    html_path = GRADING / "report.html"
    html_path.write_text(html, encoding="utf-8")
    return ReportFiles(html_path, csv_path, time.perf_counter() - started, comparisons, unreadable)


def _render(**context: object) -> str:
    """The page. Everything is escaped (hints and reasons can carry a student's exception text) except the
    marked code of similar pairs, which copydetect escaped before marking it."""
    environment = Environment(loader=PackageLoader("autograder", "templates"), autoescape=True, trim_blocks=True)
    template = environment.get_template("report.html.j2")
    return template.render(
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        flag_share=FLAG_SHARE,
        min_tokens=MIN_MATCH_TOKENS,
        **context,
    )
