"""The core: skills, runs, store, config, LLM gateway, HTTP. Imports nothing from skills/ or surfaces/."""
