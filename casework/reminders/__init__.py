"""Reminders: rows created by rules (catch-up scans), shown in the app, sent as one daily e-mail digest."""
