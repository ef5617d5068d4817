"""The compartment contributes no deadline kind to the shared boards, the iCal feeds or the family reminders
(contract: casework.core.deadlines): they are read by the family's assistants and the coordinators, and a row
there — even without content — would tell them a procedure exists, which the access matrix refuses
(docs/niebieska-karta.md; art. 9c of ustawa o przeciwdziałaniu przemocy domowej).

The procedure's deadlines — NK-B (due the day NK-A is filled in until it is recorded as handed or why not), NK-A to
the chair, the chair to a group, the group's first meeting — are computed once in
casework.bluecard.services.deadlines and shown on the compartment's own board (bluecard.board) and in its sensitive
reminder (casework.bluecard.reminder_rules.bluecard_deadline), both limited by casework.bluecard.access."""

DEADLINES: list = []
