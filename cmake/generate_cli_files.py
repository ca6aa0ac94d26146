#!/usr/bin/env python3
"""Writes riot's man page and shell completions from the launcher's own --help.

    generate_cli_files.py RIOT OUTPUT_DIR VERSION

The help text is the one description of every option (docs/cli.md is checked
against it by the tests), so the man page and the completions are made from
it at build time rather than kept by hand: they cannot drift from the binary.
Writes OUTPUT_DIR/riot.1, OUTPUT_DIR/riot.bash and OUTPUT_DIR/_riot (zsh).
"""

import datetime
import os
import re
import subprocess
import sys

COMMANDS = ["replicate", "run", "validate", "plugins"]

# An option line of Boost.Program_options' help: two spaces, then the option
# ("-h [ --help ]", "--mode MODE (=scan)", "--idle-timeout [ --idle ] MS").
OPTION_LINE = re.compile(r"^ {2}(-\S.*?)(?: {2,}|$)")
LONG_OPTION = re.compile(r"--[A-Za-z0-9][A-Za-z0-9-]*")
SHORT_OPTION = re.compile(r"(?<![\w-])-[A-Za-z0-9](?![\w-])")
# Values that name a file or a directory complete as paths.
PATH_VALUES = ("FILE", "DIR", "PIPELINE")


def help_text(riot, *args):
    environment = dict(os.environ, COLUMNS="80", NO_COLOR="1")
    result = subprocess.run([riot, *args, "--help"], capture_output=True, text=True,
                            env=environment, check=True)
    return result.stdout


# The value's placeholder after the option's names ("MODE", "FILE").
VALUE_NAME = re.compile(r"(?:^|\s)([A-Z][A-Z0-9_.|-]*)(?:\s|$)")


def options_of(text):
    """(names, value) of every option the help text lists: value is None for a
    switch, "path" for a file or directory, else "value"."""
    options = []
    for line in text.splitlines():
        match = OPTION_LINE.match(line)
        if not match:
            continue
        spec = match.group(1)
        names = LONG_OPTION.findall(spec) + SHORT_OPTION.findall(spec)
        if not names:
            continue
        value = VALUE_NAME.search(re.sub(r"\(=[^)]*\)", "", spec))
        kind = None
        if value:
            kind = "path" if any(word in value.group(1) for word in PATH_VALUES) else "value"
        options.append((names, kind))
    return options


def roff_escape(line):
    line = line.replace("\\", "\\e").replace("-", "\\-")
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line


def preformatted(text):
    return [".nf"] + [roff_escape(line.rstrip()) for line in text.strip("\n").splitlines()] + [".fi"]


def man_page(riot, version, helps):
    top = helps[None]
    summary = top.split("\n\n")[1].replace("\n", " ").strip() if "\n\n" in top else ""
    date = datetime.date.fromtimestamp(
        int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or datetime.datetime.now().timestamp())
    lines = [
        f'.TH RIOT 1 "{date.isoformat()}" "riot {version}" "User Commands"',
        ".SH NAME",
        "riot \\- move data between Redis databases: snapshot, live replication, comparison",
        ".SH SYNOPSIS",
        ".B riot",
        "[\\fIGLOBAL OPTIONS\\fR] \\fBreplicate\\fR [\\fIOPTIONS\\fR] \\fISOURCE\\fR \\fITARGET\\fR",
        ".br",
        ".B riot",
        "[\\fIGLOBAL OPTIONS\\fR] \\fBrun\\fR|\\fBvalidate\\fR \\fIPIPELINE.json\\fR",
        ".br",
        ".B riot",
        "[\\fIGLOBAL OPTIONS\\fR] \\fBplugins\\fR [\\fB\\-\\-schema\\fR [\\fINAME\\fR]]",
        ".SH DESCRIPTION",
        roff_escape(summary),
        ".PP",
        "What follows is the help of each command as the binary prints it. The guides "
        "(command line, pipeline documents, comparison, live replication, recipes, the plugin "
        "author guide) are in /usr/share/doc/riot.",
        ".SH GLOBAL OPTIONS AND EXIT STATUS",
        *preformatted(top.split("\n\n", 2)[2] if top.count("\n\n") >= 2 else top),
    ]
    for command in COMMANDS:
        lines += [f".SH COMMAND: {command.upper()}", *preformatted(helps[command])]
    lines += [
        ".SH FILES",
        ".TP",
        ".I <prefix>/lib/riot/plugins",
        "The bundled plugins, searched after \\fB\\-\\-plugin\\-path\\fR and "
        "\\fBRIOT_PLUGIN_PATH\\fR.",
        ".SH SEE ALSO",
        ".BR redis\\-server (1),",
        ".BR redis\\-cli (1)",
    ]
    return "\n".join(lines) + "\n"


def bash_completion(per_command):
    cases = []
    for command, options in per_command.items():
        words = " ".join(name for names, _ in options for name in names)
        paths = "|".join(name for names, kind in options if kind == "path" for name in names)
        cases.append(f"    {command})\n      options=\"{words}\"\n      path_options=\"{paths}\" ;;")
    return f"""# bash completion for riot, made from its --help by cmake/generate_cli_files.py
_riot() {{
  local current previous command="" word options path_options
  current=${{COMP_WORDS[COMP_CWORD]}}
  previous=${{COMP_WORDS[COMP_CWORD-1]}}
  for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
    case $word in {'|'.join(COMMANDS)}) command=$word ;; esac
  done
  case ${{command:-global}} in
{chr(10).join(cases)}
  esac
  if [[ -n $path_options && $previous =~ ^($path_options)$ ]]; then
    COMPREPLY=($(compgen -f -- "$current"))
    return
  fi
  if [[ $current == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$current"))
  elif [[ -z $command ]]; then
    COMPREPLY=($(compgen -W "{' '.join(COMMANDS)}" -- "$current"))
  else
    COMPREPLY=($(compgen -f -- "$current"))
  fi
}}
complete -F _riot riot riot-redis riotx
"""


def zsh_quote(text):
    return text.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")


def zsh_completion(per_command, descriptions):
    functions = []
    for command, options in per_command.items():
        specs = []
        for names, kind in options:
            action = {"path": ":path:_files", "value": ":value: ", None: ""}[kind]
            for name in names:
                specs.append(f"    '{zsh_quote(name)}{action}'")
        functions.append(f"_riot_{command}() {{\n  _arguments -s \\\n" +
                         " \\\n".join(specs + ["    '*:file:_files'"]) + "\n}")
    command_list = " ".join(f"'{name}:{zsh_quote(text)}'" for name, text in descriptions.items())
    return f"""#compdef riot riot-redis riotx
# zsh completion for riot, made from its --help by cmake/generate_cli_files.py
{chr(10).join(functions)}

_riot() {{
  local -a commands
  commands=({command_list})
  local word
  for word in ${{words[2,CURRENT-1]}}; do
    if (( ${{+functions[_riot_$word]}} )) && [[ $word != global ]]; then
      _riot_$word
      return
    fi
  done
  _describe -t commands 'riot command' commands
  _riot_global
}}

_riot "$@"
"""


def command_descriptions(top):
    descriptions = {}
    for line in top.splitlines():
        match = re.match(r"^ {2}(\w+) {2,}(.*)$", line)
        if match and match.group(1) in COMMANDS:
            descriptions[match.group(1)] = match.group(2).strip()
    return descriptions


def main():
    riot, output_dir, version = sys.argv[1:4]
    helps = {None: help_text(riot)}
    for command in COMMANDS:
        helps[command] = help_text(riot, command)
    per_command = {"global": options_of(helps[None])}
    for command in COMMANDS:
        per_command[command] = options_of(helps[command])
    os.makedirs(output_dir, exist_ok=True)
    outputs = {
        "riot.1": man_page(riot, version, helps),
        "riot.bash": bash_completion(per_command),
        "_riot": zsh_completion(per_command, command_descriptions(helps[None])),
    }
    for name, text in outputs.items():
        with open(os.path.join(output_dir, name), "w", encoding="utf-8") as file:
            file.write(text)


if __name__ == "__main__":
    main()
