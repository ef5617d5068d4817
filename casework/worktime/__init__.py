"""The assistant's work other than visits, contacts, meetings and trainings (court hearings, travel, office work),
and the whole work-time sheet's page entries (the sheet itself: casework.core.worktime)."""
