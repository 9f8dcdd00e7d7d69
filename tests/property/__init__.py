"""Property-based tests (hypothesis): inputs nobody thought of."""
