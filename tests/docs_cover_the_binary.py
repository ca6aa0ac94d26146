#!/usr/bin/env python3
"""Checks that docs/pipeline.md names (`key`) every key of every bundled
component's configuration schema. A missing one is listed by name, so the
pipeline reference cannot silently fall behind the plugins. Also checks that
the README links every page of docs/. (docs/cli.md is
checked against every command's --help by tests/unit/test_cli_docs.cpp.)

    docs_cover_the_binary.py SOURCE_DIR RIOT
"""

import json
import os
import subprocess
import sys

def riot_output(riot, *args):
    environment = dict(os.environ, NO_COLOR="1")
    return subprocess.run([riot, *args], capture_output=True, text=True, env=environment,
                          check=True).stdout


def schema_keys(riot):
    schemas = json.loads(riot_output(riot, "plugins", "--schema"))
    keys = {}
    for component, schema in schemas.items():
        for key in schema.get("properties", {}):
            keys.setdefault(key, []).append(component)
    return keys


def main():
    source_dir, riot = sys.argv[1:3]
    with open(os.path.join(source_dir, "docs", "pipeline.md"), encoding="utf-8") as file:
        pipeline_doc = file.read()
    missing = []
    for key, components in sorted(schema_keys(riot).items()):
        if f"`{key}`" not in pipeline_doc and f'"{key}"' not in pipeline_doc:
            missing.append(f"docs/pipeline.md does not name the key `{key}` of "
                           f"{', '.join(sorted(components))}")
    with open(os.path.join(source_dir, "README.md"), encoding="utf-8") as file:
        readme = file.read()
    for page in sorted(os.listdir(os.path.join(source_dir, "docs"))):
        if page.endswith(".md") and f"(docs/{page})" not in readme:
            missing.append(f"README.md does not link docs/{page}")
    for line in missing:
        print(line, file=sys.stderr)
    if missing:
        sys.exit(1)
    print("docs/pipeline.md names every configuration key of every bundled component; "
          "README.md links every page of docs/")


if __name__ == "__main__":
    main()
