"""nbgrader's settings for the kit: the nbgrader CLI and `python -m autograder` both read this file."""

from autograder.layout import exclude_overwriting
from autograder.settings import GRADING, KIT_ROOT

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "dl-course-kit"
c.CourseDirectory.root = str(KIT_ROOT)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
# Everything grading writes lives under one git-ignored folder (KIT_GRADING_DIR, default grading/).
c.CourseDirectory.submitted_directory = str(GRADING / "submitted")
c.CourseDirectory.autograded_directory = str(GRADING / "autograded")
c.CourseDirectory.feedback_directory = str(GRADING / "feedback")
c.CourseDirectory.db_url = f"sqlite:///{GRADING}/gradebook.db"
# The kit hands out a bundle instead of nbgrader's exchange; keep its folder writable and out of the way.
c.Exchange.root = str(GRADING / "exchange")
# A submission's own copy of the kit's helpers must never shadow the instructor's.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "utils",
    "utils.py",
    "autograder",
    "autograder.py",
]

# Release: a cleared solution cell reads exactly like a cleared module body.
c.ClearSolutions.code_stub = {"python": "raise NotImplementedError"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Autograde: the student's modules are graded, so nbgrader must not replace them with the instructor's copies.
c.Autograde.exclude_overwriting = exclude_overwriting()
c.Autograde.autograde_preprocessors = [
    "autograder.preprocessors.BudgetedExecute",  # per-cell and per-submission time limits
    "autograder.preprocessors.StderrAsStdout",  # a warning on stderr must not zero a correct cell
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.BudgetedExecute.timeout = 30
# Kernels log only errors: a warning per kernel start would bury the progress bar.
c.BudgetedExecute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
c.BudgetedExecute.submission_timeout = 300
# Student code runs in a kernel that may write only in its own autograded folder, within a memory limit.
c.BudgetedExecute.kernel_manager_class = "autograder.confined_kernel.ConfinedKernelManager"

# Feedback: scores, hints and the student's answers; never hidden-test source or grader tracebacks.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "autograder.preprocessors.FeedbackSanitizer",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
