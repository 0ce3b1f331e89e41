"""Test helpers shared by several test packages (loopback fakes of outside services)."""
