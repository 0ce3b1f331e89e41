"""OneLegion (一人军团): AI workers for a one-person studio."""

__version__ = "0.1.0"
