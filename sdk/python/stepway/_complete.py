"""Shell completion for the `stepway` command: the scripts `stepway completion SHELL` prints,
and the candidates they ask for by running `stepway __complete WORD...`.

The candidates come from the argument parser itself, so a new command or flag completes
without any change here.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

SHELLS = ("bash", "zsh", "fish")

SCRIPTS = {
    "bash": """\
# stepway completion for bash: add to ~/.bashrc
#   source <(stepway completion bash)
_stepway_complete() {
    local IFS=$'\\n'
    COMPREPLY=($(stepway __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _stepway_complete stepway
""",
    "zsh": """\
#compdef stepway
# stepway completion for zsh: add to ~/.zshrc
#   source <(stepway completion zsh)
_stepway_complete() {
    local -a candidates
    candidates=("${(@f)$(stepway __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    compadd -a candidates
}
compdef _stepway_complete stepway
""",
    "fish": """\
# stepway completion for fish: save as ~/.config/fish/completions/stepway.fish
#   stepway completion fish > ~/.config/fish/completions/stepway.fish
complete -c stepway -f -a '(stepway __complete (commandline -opc)[2..-1] (commandline -ct))'
""",
}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {s: a for a in parser._actions for s in a.option_strings}


def candidates(parser: argparse.ArgumentParser, words: Sequence[str]) -> list[str]:
    """What may come in place of the last word, given the words before it."""
    *done, current = words or [""]
    skip_value = False
    for word in done:
        if skip_value:
            skip_value = False
            continue
        option = _options(parser).get(word)
        if option is not None:
            skip_value = option.nargs != 0 and not isinstance(
                option, argparse._StoreConstAction | argparse._StoreTrueAction
            )
            continue
        parser = _subcommands(parser).get(word, parser)
    options = _options(parser)
    if skip_value:
        previous = options.get(done[-1]) if done else None
        choices = getattr(previous, "choices", None) or ()
        return [str(c) for c in choices if str(c).startswith(current)]
    if current.startswith("-"):
        found = [
            s for s, a in options.items() if a.help != argparse.SUPPRESS and s.startswith(current)
        ]
        return sorted(found)
    return sorted(name for name in _subcommands(parser) if name.startswith(current))
