"""Built-in skills. Each sub-package exposes ``SKILLS`` through the ``onelegion.skills`` entry points."""
