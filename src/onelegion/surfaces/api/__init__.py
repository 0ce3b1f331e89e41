"""The HTTP API (FastAPI), generated from the skill registry: ``legion serve``."""

from onelegion.surfaces.api.app import create_app, serve

__all__ = ["create_app", "serve"]
