"""Surfaces (CLI, HTTP API, MCP, agent tools), generated from the skill registry."""
