"""Help inside the app: the user guides of docs/ rendered as pages (/pomoc), linked from every screen's footer."""
