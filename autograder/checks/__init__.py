"""Hidden checks, one module per assignment (`aNN_name.py`), each exposing ``CHECKS = {grade_id: Check}``."""
