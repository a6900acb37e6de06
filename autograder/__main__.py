"""`python -m autograder <verb>`: one verb per job (release, validate, cohort, grade, report, gradescope)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.course import quiet_nbgrader
from autograder.settings import GRADING


def _release(args: argparse.Namespace) -> int:
    from autograder.release import release

    released, archive = release(args.assignments)
    print(f"released {len(released)} assignment(s) into assignments/; student bundle: {archive}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from autograder.validate import run_gates

    return 0 if run_gates(args.gates) else 1


def _cohort(args: argparse.Namespace) -> int:
    from autograder.cohort import build_cohort

    print(f"sample cohort written to {build_cohort()}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from autograder.grade import grade
    from autograder.gradebook_table import format_gradebook

    records = grade(
        Path(args.submissions), args.cell_timeout, args.submission_timeout, workers=args.workers, regrade=args.regrade
    )
    print(format_gradebook(records))
    print(
        f"\ngradebook: {GRADING / 'gradebook.db'}; CSV: {GRADING / 'grades.csv'}; "
        f"feedback: {GRADING / 'feedback'}; records: {GRADING / 'results'}"
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from autograder.report import NoRecordsError, build_report

    try:
        report = build_report(Path(args.submitted))
    except NoRecordsError as error:
        print(f"report: {error}", file=sys.stderr)
        return 1
    for path, why in report.unreadable.items():
        print(f"warning: result record {path} could not be read ({why}): grade that submission again", file=sys.stderr)
    flagged = [pair for comparison in report.comparisons for pair in comparison.pairs if pair.flagged]
    for pair in flagged:
        shares = " and ".join(f"{100 * share:.0f} %" for share in pair.shares)
        print(f"similar: {pair.assignment} {pair.students[0]} and {pair.students[1]} ({shares} of their own code)")
    print(f"cohort report: {report.html} ({len(flagged)} flagged pair(s); figures in {report.csv.parent})")
    print(f"one row per student: {report.csv}")
    print(f"written in {report.seconds:.1f} s")
    return 0


def _gradescope(args: argparse.Namespace) -> int:
    from autograder.gradescope import build_autograder
    from autograder.settings import DEFAULT_COURSE_SECRET, course_secret

    print(f"Gradescope autograder (instructor-private: solutions, hidden checks): {build_autograder(args.assignment)}")
    if course_secret() == DEFAULT_COURSE_SECRET:
        print("note: KIT_COURSE_SECRET is not set, so the zip grades with the kit's public default hidden inputs")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)

    release = verbs.add_parser("release", help="regenerate assignments/ and build the student bundle")
    release.add_argument(
        "assignments", nargs="*", help="assignments to bundle (01 or 01_gradient_descent; default all)"
    )
    release.set_defaults(run=_release)

    validate = verbs.add_parser("validate", help="run the named release gates")
    validate.add_argument("gates", nargs="*", help="gate names to run; default all")
    validate.set_defaults(run=_validate)

    cohort = verbs.add_parser("cohort", help="generate the sample cohort into grading/submitted/")
    cohort.set_defaults(run=_cohort)

    grade = verbs.add_parser("grade", help="autograde SUBMISSIONS/<student>/<assignment>/ and print the gradebook")
    grade.add_argument("submissions", help="folder laid out as nbgrader's submitted/<student>/<assignment>/")
    grade.add_argument("--cell-timeout", type=int, default=30, help="seconds per notebook cell (default 30)")
    grade.add_argument("--submission-timeout", type=int, default=300, help="seconds per submission (default 300)")
    grade.add_argument("--workers", type=int, help="submissions graded at once (default: one per core)")
    grade.add_argument(
        "--regrade", action="store_true", help="grade again the submissions graded before and unchanged since"
    )
    grade.set_defaults(run=_grade)

    report = verbs.add_parser("report", help="write the cohort report from the grading records (no regrading)")
    report.add_argument(
        "--submitted",
        default=str(GRADING / "submitted"),
        help="the graded submissions' folders, for similarity (default grading/submitted)",
    )
    report.set_defaults(run=_report)

    gradescope = verbs.add_parser("gradescope", help="build an assignment's Gradescope autograder in dist/gradescope/")
    gradescope.add_argument("assignment", help="01 or 01_gradient_descent")
    gradescope.set_defaults(run=_gradescope)

    args = parser.parse_args(argv)
    quiet_nbgrader()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
