"""Reading a project's dependencies as they really are: every file format, roles, extras,
version ranges, lock files and the installed environment.

`model` holds the value objects that the decision model consumes (`ProjectDependencies`); the
readers for each format live beside it, one job per module:

- `reading`: what a reading gives (`Reading`, `Declared`, `LockedPackage`), the limits and the
  one input error (`DependencyFileError`);
- `decoding`: bytes to text as pip decodes them, within the size limit, refusing binaries;
- `detect`: the format told from the content, then the right reader (`read_text`,
  `read_bytes`);
- `requirements_txt`, `pyproject`, `pipfile`, `locks`, `installed`: the readers (`collect`
  and `constraints` are shared by the TOML ones);
- `python_floor`: the oldest Python a file says the project supports (`requires-python` and
  its equivalents), mapped to a questionnaire choice;
- `ranges` (a range against `trio_since`), `tree` (who pulls in what), `infer` (facts for
  uncatalogued packages), and `resolve`, which turns a reading + the catalog + the chosen
  extras and groups into `Answers.deps` names and a `ProjectDependencies`.

`tools` recognises development tools among an environment's top-level distributions (the
catalog's roles and `data/dev_tools.toml`).

Only `model`, `ranges`, `infer`, `resolve` and `tools` know the catalog; the readers know only the
answers module (for the one dependency limit) and each other.
"""
