"""The `legion` command line: static commands (app.py), commands generated from the skill
registry (gen.py), terminal rendering (render.py), `legion demo` and `legion doctor`."""

from onelegion.surfaces.cli.app import app, main

__all__ = ["app", "main"]
