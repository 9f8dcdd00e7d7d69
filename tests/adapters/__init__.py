"""Adapter tests: one file per network, a shared contract suite, and local fake servers."""
