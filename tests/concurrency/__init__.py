"""Many writers at once, on SQLite and PostgreSQL: no lost update, no deadlock."""
