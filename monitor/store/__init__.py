"""Storage: SQLAlchemy 2.0 Core tables, per-domain queries and Alembic migrations.

Nothing here classifies, drafts or fetches; callers pass in plain values and get plain values.
"""
