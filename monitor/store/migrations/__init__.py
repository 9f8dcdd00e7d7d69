"""Alembic migration scripts for the monitor schema."""
