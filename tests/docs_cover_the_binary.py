#!/usr/bin/env python3
"""Checks that the reference docs describe what the binary offers:
- every key of every bundled component's configuration schema is named
  (`key`) in docs/pipeline.md;
- every long option of every command's --help is named in docs/cli.md.
A missing one is listed by name, so the docs cannot silently fall behind.

    docs_cover_the_binary.py SOURCE_DIR RIOT
"""

import json
import os
import re
import subprocess
import sys

COMMANDS = [None, "replicate", "run", "validate", "plugins"]


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


def long_options(riot):
    options = {}
    for command in COMMANDS:
        text = riot_output(riot, *([command] if command else []), "--help")
        for line in text.splitlines():
            if re.match(r"^ {2}-", line):
                spec = re.split(r" {2,}", line.strip())[0]
                for option in re.findall(r"--[A-Za-z0-9][A-Za-z0-9-]*", spec):
                    options.setdefault(option, command or "global")
    return options


def main():
    source_dir, riot = sys.argv[1:3]
    with open(os.path.join(source_dir, "docs", "pipeline.md"), encoding="utf-8") as file:
        pipeline_doc = file.read()
    with open(os.path.join(source_dir, "docs", "cli.md"), encoding="utf-8") as file:
        cli_doc = file.read()
    missing = []
    for key, components in sorted(schema_keys(riot).items()):
        if f"`{key}`" not in pipeline_doc and f'"{key}"' not in pipeline_doc:
            missing.append(f"docs/pipeline.md does not name the key `{key}` of "
                           f"{', '.join(sorted(components))}")
    for option, command in sorted(long_options(riot).items()):
        if not re.search(re.escape(option) + r"(?![A-Za-z0-9-])", cli_doc):
            missing.append(f"docs/cli.md does not name {option} ({command} --help)")
    for line in missing:
        print(line, file=sys.stderr)
    if missing:
        sys.exit(1)
    print("docs/pipeline.md and docs/cli.md name every schema key and every option")


if __name__ == "__main__":
    main()
