"""Reading a project's dependencies as they really are: every file format, roles, extras,
version ranges, lock files and the installed environment.

`model` holds the value objects that the decision model consumes (`ProjectDependencies`); the
readers for each format live beside it.
"""
