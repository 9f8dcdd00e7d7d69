"""Fault tests: crashes, failing servers, busy and restarted databases, hostile text."""
