"""Use cases: one function per thing a user does.

The CLI, the tests, the web app and the workers call these and only format the result.
"""
