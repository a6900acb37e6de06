"""The instructor side of the kit: release, validation gates, grading and reports (`python -m autograder`)."""
