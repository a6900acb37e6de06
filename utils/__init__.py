"""Helpers shared by every notebook of the kit: landscapes, plots, gradient checks, widgets, test hints.

`utils` never imports assignment code: notebooks pass student functions in as arguments.
"""
