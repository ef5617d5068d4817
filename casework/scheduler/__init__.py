"""The scheduler: fixed jobs run by one process (or a background thread in `serve`), guarded by a DB lease."""
