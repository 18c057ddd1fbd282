"""What a valid-looking configuration means, checked: the flows folder exists and holds valid
flows, every language has its texts, country codes are ISO 3166. `load_config` checks the shape;
`checkin config check` (and `checkin doctor`) also check this, with a fix for each problem."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from pathlib import Path

from bot.config.loader import _nearest_line, read_yaml
from bot.config.models import Config
from bot.config.suggest import country_name, is_country, suggest_country
from bot.dialogue.loader import REQUIRED_FLOWS, load_flows
from bot.dialogue.problems import FlowValidationError

_At = Callable[..., str]  # at("crisis", "default_region") -> "config.yaml:12: "


def meaning_problems(
    config: Config, source: Path | None, host_languages: Collection[str], flows: bool = True
) -> list[str]:
    """Every problem with what the configuration says, each as `file:line: key: what. Fix.`
    `flows=False` leaves out loading the flows (checked on their own by `checkin doctor`)."""
    lines = read_yaml(source)[1] if source is not None else {}
    name = str(source) if source is not None else "built-in defaults"

    def at(*key: str) -> str:
        line = _nearest_line(key, lines)
        return f"{name}:{line}: " if line else f"{name}: "

    problems = [*_countries(config, at), *_languages(config, at, host_languages)]
    if flows:
        problems += _flows(config, at)
    return sorted(problems, key=_line_of)


def _line_of(problem: str) -> int:
    _, _, rest = problem.partition(":")
    number = rest.split(":", 1)[0]
    return int(number) if number.isdigit() else 0


def _countries(config: Config, at: _At) -> list[str]:
    crisis = config.crisis
    found: list[tuple[tuple[str, ...], str]] = []
    if crisis.default_region is not None:
        found.append((("crisis", "default_region"), crisis.default_region))
    found += [(("crisis", "regions", code), code) for code in crisis.regions]
    problems = []
    for key, code in found:
        if is_country(code):
            continue
        guess = suggest_country(code)
        hint = f"Did you mean {guess} ({country_name(guess)})? " if guess else ""
        problems.append(
            f"{at(*key)}{'.'.join(key)}: {code!r} is not an ISO 3166 country code. {hint}"
            "Use the two capital letters of the country, like GB, DE or US."
        )
    return problems


def _languages(config: Config, at: _At, host_languages: Collection[str]) -> list[str]:
    problems = []
    for index, language in enumerate(config.clinic.languages):
        if language not in host_languages:
            problems.append(
                f"{at('clinic', 'languages', str(index))}clinic.languages: the bot's own texts "
                f"(help, errors, crisis lines) have no {language!r} version; they exist in "
                f"{', '.join(sorted(host_languages))}. Remove {language!r}, or add its texts "
                "to bot/service/texts.py first."
            )
    return problems


def _flows(config: Config, at: _At) -> list[str]:
    folder = config.flows_dir
    where = at("flows_dir")
    if not folder.exists():
        return [
            f"{where}flows_dir: the folder {str(folder)!r} does not exist. Point flows_dir at the "
            "folder with the flow files (a relative path is relative to this file)."
        ]
    if not folder.is_dir():
        return [f"{where}flows_dir: {str(folder)!r} is a file, not a folder. Name its folder."]
    clinic = config.clinic
    try:
        load_flows(
            [folder],
            clinic.languages,
            clinic.default_language,
            max_bytes=config.yaml_max_file_size,
            required=REQUIRED_FLOWS,
        )
    except FlowValidationError as error:
        return _flow_summary(error, where, at("clinic", "languages"), folder, clinic.languages)
    return []


def _flow_summary(
    error: FlowValidationError,
    where: str,
    where_languages: str,
    folder: Path,
    languages: Collection[str],
) -> list[str]:
    """Missing translations summed up per language (not one line per text), other problems
    counted, with the command that lists them."""
    missing: Counter[str] = Counter()
    files: dict[str, set[str]] = {}
    other = 0
    for problem in error.problems:
        language = next(
            (lang for lang in languages if f"no '{lang}' version" in problem.message), None
        )
        if language is None:
            other += 1
            continue
        missing[language] += 1
        files.setdefault(language, set()).add(Path(problem.file).name)
    problems = [
        f"{where_languages}clinic.languages: {count} text(s) in {len(files[lang])} flow file(s) have no "
        f"{lang!r} version ({', '.join(sorted(files[lang]))}). Translate them, or remove {lang!r} "
        "from clinic.languages."
        for lang, count in sorted(missing.items())
    ]
    if other:
        problems.append(
            f"{where}flows_dir: the flows in {str(folder)!r} have {other} problem(s). "
            f"`checkin flows check {folder}` lists them with file, line and fix."
        )
    return problems
