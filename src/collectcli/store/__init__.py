"""The store: SQLAlchemy tables, sessions and bulk writes. The only place SQL lives."""
