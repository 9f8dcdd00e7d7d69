"""The review web app: server-rendered pages, a JSON API and their security plumbing.

`create_app(app)` (monitor.web.app) builds the ASGI application; `serve(app, ...)`
(monitor.web.server) runs it. Importing this package starts nothing.
"""
