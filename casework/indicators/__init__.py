"""Indicators and year-end reports: the registry, the engine, periods closed and frozen."""
