"""`python -m onelegion` is the `legion` command."""

from onelegion.surfaces.cli import main

main()
