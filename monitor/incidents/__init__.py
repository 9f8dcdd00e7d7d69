"""Widespread problems: surge detection (detect), the incident lifecycle (service) and team
alerts (alerts). Sits beside monitor.review: it may use the components and review's rules,
never the app, the web app or the CLI."""
