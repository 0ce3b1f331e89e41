"""The cockpit (一人驾驶舱): the web page at ``/`` of ``legion serve`` where one person commands
every skill — home (latest report, recent runs, quick actions, what is missing), every skill as
a form generated from its input schema, a run's live progress, files and report, review steps
declared by skills (``onelegion.reviews``), history and settings. Server-rendered (Jinja2
templates, HTMX served from this package), in English and Chinese. See docs/cockpit.md."""

from onelegion.surfaces.cockpit.routes import PUBLIC_PATHS, cockpit_router, is_public

__all__ = ["PUBLIC_PATHS", "cockpit_router", "is_public"]
