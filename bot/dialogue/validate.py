"""Whole-flow checks after the steps are built: targets, reachability, endings, texts, references."""

from __future__ import annotations

import itertools
import re
from collections import deque

from bot.dialogue import model as m
from bot.dialogue import vocabulary as v
from bot.dialogue.parse import Reader, TextSite, did_you_mean
from bot.dialogue.score_check import check_scores


def check_flow(flow: m.Flow, r: Reader, languages: tuple[str, ...], default: str) -> None:
    _check_targets(flow, r)
    _check_order(flow, r)
    if r.complete:
        reachable = _check_reachable(flow, r)
        _check_endings(flow, r, reachable)
        _check_silent_loops(flow, r)
    _check_texts(flow, r, languages, default)
    _check_refs(flow, r)
    check_scores(flow, r)
    if r.complete:
        _check_saved_before_use(flow, r)


def _check_targets(flow: m.Flow, r: Reader) -> None:
    ids = list(flow.steps)
    for step in flow.steps.values():
        if _falls_off(step):
            r.problem(
                step.line,
                step.id,
                "this is the last step and says nowhere to go next",
                "Add `next: <step id>`, or end the flow with a step of kind end",
            )
        for target in m.successors(step):
            if target not in flow.steps and target not in r.written_ids:
                r.problem(
                    step.line,
                    step.id,
                    f"goes to the step '{target}', which does not exist",
                    f"{did_you_mean(target, ids)}Use one of: {', '.join(ids)}",
                )


def _check_order(flow: m.Flow, r: Reader) -> None:
    """A step that goes on to the step below it without saying `next`, where that step is also
    reached by a jump from elsewhere: inserting a step between them would silently change where
    this one goes. A warning: the flow works as written."""
    sources: dict[str, set[str]] = {}
    for sid, step in flow.steps.items():
        named = _jumps(step) + ([step.next] if sid in r.explicit_next and step.next else [])
        for target in named:
            sources.setdefault(target, set()).add(sid)
    order = list(flow.steps)
    for sid, after in itertools.pairwise(order):
        step = flow.steps[sid]
        falls_through = step.next == after and after in m.successors(step)
        if sid in r.explicit_next or not falls_through or not sources.get(after, set()) - {sid}:
            continue
        if isinstance(step, m.EndStep | m.BranchStep | m.GotoStep):
            continue
        r.warning(
            step.line,
            sid,
            f"goes on to '{after}' only because that step comes next in the file, and '{after}' "
            "is also reached by a jump: a step inserted between them would change this path",
            f"Write `next: {after}` in this step",
        )


def _jumps(step: m.Step) -> list[str]:
    """Targets a step names explicitly (options, cases, triage outcomes, goto, next)."""
    if isinstance(step, m.ChoiceStep):
        return [o.next for o in step.options if o.next]
    if isinstance(step, m.BranchStep):
        return [t for t in [*(c.next for c in step.cases), step.otherwise] if t]
    if isinstance(step, m.TriageStep):
        return [t for t in (step.contact, step.crisis) if t]
    if isinstance(step, m.GotoStep):
        return [step.next] if step.next else []
    return []


def _falls_off(step: m.Step) -> bool:
    if isinstance(step, m.EndStep):
        return False
    if isinstance(step, m.BranchStep):
        return step.otherwise is None
    if isinstance(step, m.ChoiceStep) and step.options and all(o.next for o in step.options):
        return False
    return step.next is None


def _edges(flow: m.Flow) -> dict[str, list[str]]:
    """Where each step can go. A target that does not exist (already reported) is read as the
    next step in the file, so one typo does not also make the rest of the flow 'unreachable'."""
    order = list(flow.steps)
    following = dict(zip(order, [*order[1:], None], strict=True))
    edges: dict[str, list[str]] = {}
    for sid, step in flow.steps.items():
        targets = m.successors(step)
        edges[sid] = [t for t in targets if t in flow.steps]
        after = following[sid]
        if after is not None and any(t not in flow.steps for t in targets):
            edges[sid].append(after)
    return edges


def _check_reachable(flow: m.Flow, r: Reader) -> set[str]:
    edges = _edges(flow)
    seen = {flow.start}
    queue = deque([flow.start])
    while queue:
        for target in edges[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for sid, step in flow.steps.items():
        if sid not in seen:
            r.problem(
                step.line,
                sid,
                f"this step can never be reached from the start step '{flow.start}'",
                "Point a next, an option or a case at it, or remove it",
            )
    return seen


def _check_endings(flow: m.Flow, r: Reader, reachable: set[str]) -> None:
    back: dict[str, list[str]] = {sid: [] for sid in flow.steps}
    for sid, targets in _edges(flow).items():
        for target in targets:
            back[target].append(sid)
    # Steps already reported (dangling targets, falling off the list) count as ends here.
    ends = [
        sid
        for sid, s in flow.steps.items()
        if isinstance(s, m.EndStep)
        or _falls_off(s)
        or any(t not in flow.steps for t in m.successors(s))
    ]
    done = set(ends)
    queue = deque(ends)
    while queue:
        for source in back[queue.popleft()]:
            if source not in done:
                done.add(source)
                queue.append(source)
    trapped = reachable - done
    for sid, step in flow.steps.items():
        # Report where a trap is entered, not every step inside it.
        entered = sid == flow.start or any(p not in trapped for p in back[sid])
        if sid in trapped and entered:
            r.problem(
                step.line,
                sid,
                "no end step can be reached from here (a loop with no way out)",
                "Add a way out of the loop that leads to a step of kind end",
            )


def _check_silent_loops(flow: m.Flow, r: Reader) -> None:
    """A cycle of steps that never ask anything would spin forever without the client."""
    edges = {
        sid: [t for t in targets if not isinstance(flow.steps[t], m.INPUT_STEPS)]
        for sid, targets in _edges(flow).items()
        if not isinstance(flow.steps[sid], (*m.INPUT_STEPS, m.CallStep))
    }
    state: dict[str, int] = {}

    def visit(sid: str) -> str | None:
        state[sid] = 1
        for target in edges.get(sid, []):
            if state.get(target) == 1:
                return target
            if target in edges and target not in state and (found := visit(target)):
                return found
        state[sid] = 2
        return None

    for sid in edges:
        if sid not in state and (found := visit(sid)):
            step = flow.steps[found]
            r.problem(
                step.line,
                found,
                "this step is in a loop that never asks the client anything",
                "Put a question or a wait inside the loop, or break it",
            )
            return


_TAG_RE = re.compile(r"<(/?)([a-zA-Z-]+)(\s[^<>]*)?>")
_ENTITY_RE = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def html_problem(text: str) -> str | None:
    """Why `text` is not valid Telegram HTML, or None."""
    open_tags: list[str] = []
    for match in _TAG_RE.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if name not in v.HTML_TAGS:
            return f"the HTML tag <{name}> is not supported by Telegram"
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return f"the closing tag </{name}> does not match an opening tag"
    if open_tags:
        return f"the tag <{open_tags[-1]}> is never closed"
    rest = _ENTITY_RE.sub("", _TAG_RE.sub("", text))
    if "<" in rest or ">" in rest or "&" in rest:
        return "a bare <, > or & (write &lt;, &gt; or &amp;)"
    return None


def _check_texts(flow: m.Flow, r: Reader, languages: tuple[str, ...], default: str) -> None:
    keys = {s.save_as for s in flow.steps.values() if hasattr(s, "save_as")}
    allowed = set(v.FIXED_PLACEHOLDERS) | {f"answers.{k}" for k in keys}
    if any(isinstance(s, m.TriageStep) for s in flow.steps.values()):
        allowed.add("answers.triage")
    for site in r.texts:
        texts = site.phrase.texts
        for lang in languages:
            if lang not in texts and not (lang == default and m.NEUTRAL in texts):
                if site.authored or lang in texts:
                    fix = f"Write it as {{{', '.join(f'{x}: ...' for x in languages)}}}"
                else:
                    fix = f"Add `{site.field}: {{{lang}: ...}}` to the step"
                r.problem(site.line, site.step_id, f"the {site.field} has no '{lang}' version", fix)
        for lang, text in texts.items():
            _check_one_text(r, site, lang, text, allowed)


def _check_one_text(r: Reader, site: TextSite, lang: str, text: str, allowed: set[str]) -> None:
    where = f"the {site.field}" + (f" ({lang})" if lang != m.NEUTRAL else "")
    if len(text) > v.MAX_TEXT:
        r.problem(
            site.line,
            site.step_id,
            f"{where} has {len(text)} characters, over Telegram's {v.MAX_TEXT}",
            "Shorten it or split it into two say steps",
        )
    bare = text.replace("{{", "").replace("}}", "")
    for match in v.PLACEHOLDER_RE.finditer(bare):
        name = match.group(1)
        if name not in allowed:
            r.problem(
                site.line,
                site.step_id,
                f"{where} uses the placeholder {{{name}}}, which names nothing",
                f"{did_you_mean(name, sorted(allowed))}Use one of: {', '.join(sorted(allowed))}",
            )
    problem = html_problem(bare)
    if problem:
        r.problem(
            site.line,
            site.step_id,
            f"{where} is not valid HTML: {problem}",
            "Use only b, i, u, a, code and close every tag",
        )


def _check_refs(flow: m.Flow, r: Reader) -> None:
    keys = sorted({s.save_as for s in flow.steps.values() if hasattr(s, "save_as")})
    has_triage = any(isinstance(s, m.TriageStep) for s in flow.steps.values())
    for site in r.refs:
        ref = site.ref
        if (
            ref.scope == "answers"
            and ref.name not in keys
            and not (has_triage and ref.name == "triage")
        ):
            r.problem(
                site.line,
                site.step_id,
                f"the reference {ref} names no answer saved in this flow",
                f"{did_you_mean(ref.name, keys)}Saved answers: {', '.join(keys) or '(none)'}",
            )
        if ref.scope == "triage" and ref.name not in ("contact", "crisis", "reasons", "urgent"):
            r.problem(
                site.line,
                site.step_id,
                f"the reference {ref} names nothing",
                "Use triage.contact, triage.crisis, triage.urgent or triage.reasons",
            )


def _saves(step: m.Step) -> set[str]:
    if isinstance(step, m.TriageStep):
        return {"triage"}
    key = getattr(step, "save_as", None)
    return {key} if isinstance(key, str) else set()


def saved_before(flow: m.Flow) -> dict[str, set[str]]:
    """For each step, the answer keys some path from the start may have saved on arriving there."""
    edges = _edges(flow)
    before: dict[str, set[str]] = {sid: set() for sid in flow.steps}
    seen = {flow.start}
    queue = deque([flow.start])
    while queue:
        sid = queue.popleft()
        out = before[sid] | _saves(flow.steps[sid])
        for target in edges[sid]:
            if target not in seen or not out <= before[target]:
                seen.add(target)
                before[target] |= out
                queue.append(target)
    return before


_ANSWER_PLACEHOLDER_RE = re.compile(r"\{(answers|triage)\.([a-z_][a-z0-9_]*)\}")


def _check_saved_before_use(flow: m.Flow, r: Reader) -> None:
    """An answer used (in a text, a condition or a field) before any step could have saved it."""
    before = saved_before(flow)
    uses: list[tuple[int, str, str]] = []
    for site in r.refs:
        sid = site.step_id
        if sid is not None and sid in flow.steps and site.ref.scope in ("answers", "triage"):
            key = site.ref.name if site.ref.scope == "answers" else "triage"
            uses.append((site.line, sid, key))
    for text_site in r.texts:
        sid = text_site.step_id
        if sid is None or sid not in flow.steps:
            continue
        for text in text_site.phrase.texts.values():
            for scope, name in _ANSWER_PLACEHOLDER_RE.findall(text):
                uses.append((text_site.line, sid, str(name) if scope == "answers" else "triage"))
    keys: set[str] = set().union(*(_saves(s) for s in flow.steps.values()))
    for line, step_id, key in dict.fromkeys(uses):
        if key in keys and key not in before[step_id]:
            what = "the triage result" if key == "triage" else f"the answer '{key}'"
            r.problem(
                line,
                step_id,
                f"uses {what} before any step can have saved it",
                "Ask for it earlier in the flow, or move this step after the one that saves it",
            )
