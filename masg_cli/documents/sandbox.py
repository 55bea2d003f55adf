"""The sandbox a co-ordinator's template runs in: templates are code, so they are bounded.

A template may not reach Python's internals (Jinja's sandbox), read another file
(``{% include %}``, ``{% import %}``, ``{% from %}``, ``{% extends %}`` are refused when it is
parsed), run longer than ``RENDER_SECONDS`` or build more than ``MAX_CHARS`` characters, in
what it writes or in any value on the way. Time is checked from the sandbox's own hooks (every
loop step, call, attribute, operator, filter and ``{{ }}``), never with a signal: it must work
on Windows. Sizes are checked *before* a value is built where Python would build it in one go
('a' * N, 10 ** N, a wide format), so a template cannot fill the memory between two checks.

Used by render.environment only; a limit is a ``TemplateLimit`` (a jinja2 TemplateError) whose
message render.py completes with the template's file name.
"""

from __future__ import annotations

import functools
import re
import time
from typing import Any

from jinja2 import nodes
from jinja2.visitor import NodeTransformer
from jinja2.environment import Template
from jinja2.exceptions import TemplateError
from jinja2.runtime import markup_join, str_join
from jinja2.utils import pass_eval_context
from jinja2.sandbox import ImmutableSandboxedEnvironment

RENDER_SECONDS = 10.0  # one template, all its parts, from parsing to the last character
MAX_CHARS = 10_000_000  # what one template writes, and the largest value it may build
MAX_RANGE = 100_000  # as Jinja's sandbox: range() and lipsum() stay small
MAX_INT_BITS = 100_000  # about 30,000 digits: more than any document needs

_OTHER_FILES = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from ... import",
                nodes.Extends: "extends"}
_AGAIN = "start again from the shipped one ('masg templates copy DIR')"
# A width or precision in a format: '%300000000s', '{:>300000000}', or one given as an argument.
_PERCENT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")


class TemplateLimit(TemplateError):
    """A template asked for more than masg allows; the message says what, and what to do."""


def too_big(what: str) -> TemplateLimit:
    return TemplateLimit(f"makes more than the {MAX_CHARS:,} characters masg allows ({what}); "
                         f"check its loops and repeats, or {_AGAIN}")


def weight(value: Any, limit: int, tick=None) -> int:
    """About how many characters ``value`` becomes as text, counting shared parts each time they
    appear (``[s] * 1000`` is a thousand ``s``); stops counting past ``limit``. ``tick`` is
    called now and then: a large value takes a while to weigh."""
    total, stack, steps = 0, [value], 0
    while stack and total <= limit:
        steps += 1
        if tick is not None and not steps % 65536:
            tick()
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item) + 1
            stack.extend(item)
        elif isinstance(item, dict):
            total += len(item) + 1
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 1
        else:
            total += 1
    return total


class BoundedTemplate(Template):
    """A template whose output is counted as it is made, and stopped at the limit."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        env = self.environment
        pieces = []
        for piece in self.generate(*args, **kwargs):
            env.wrote(len(piece))  # type: ignore[attr-defined]
            pieces.append(piece)
        return "".join(pieces)


class MasgSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, with no other files, a deadline and a size limit (see the module).

    Immutable: a template cannot append to a list or update a dict, so whatever it keeps goes
    through the checks below (a namespace attribute is set from a checked value).
    """

    template_class = BoundedTemplate
    intercepted_binops = frozenset(["+", "*", "**", "%"])

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.deadline = time.monotonic() + RENDER_SECONDS
        self.seconds, self.max_chars, self.written = RENDER_SECONDS, MAX_CHARS, 0
        self.filters = {name: self._guarded(name, f) for name, f in self.filters.items()}
        self.globals.update(range=self.masg_range, lipsum=self.masg_lipsum)

    # --- the limits ---------------------------------------------------------------------------

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"took longer than {self.seconds:g} s to render; "
                                f"check its loops, or {_AGAIN}")

    def wrote(self, chars: int) -> None:
        self.tick()
        self.written += chars
        if self.written > self.max_chars:
            raise too_big("in the document it writes")

    def bounded(self, value: Any, what: str = "in one value") -> Any:
        self.tick()
        if weight(value, self.max_chars, self.tick) > self.max_chars:
            raise too_big(what)
        return value

    # --- parsing: one file, and every loop and output watched ------------------------------------

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for kind, tag in _OTHER_FILES.items():
            for _ in tree.find_all(kind):
                # No line number: in a Word template it counts lines of XML, not paragraphs.
                raise TemplateLimit(f"uses {{% {tag} %}}, which masg does not allow: a template "
                                    "must be one file; put the text in the template itself")
        tree = _Watched().visit(tree)
        tree.set_environment(self)
        return tree

    def masg_ticking(self, iterable: Any):
        """Each step of a {% for %} loop checks the clock (nested loops have no other hook)."""
        for item in iterable:
            self.tick()
            yield item

    def masg_show(self, value: Any) -> Any:
        """What a {{ }} writes, checked before it becomes text."""
        return self.bounded(value)

    @pass_eval_context
    def masg_concat(self, eval_ctx, *parts: Any) -> Any:
        """The ~ operator, checked before the text is joined (escaped as Jinja's own would)."""
        self.bounded(parts, "in a text joined with ~")
        return markup_join(parts) if eval_ctx.autoescape else str_join(parts)

    def masg_range(self, *args: int) -> range:
        self.tick()
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            asked = ", ".join(map(str, args))
            raise TemplateLimit(f"asks for range({asked}) ({len(numbers):,} numbers); masg allows "
                                f"{MAX_RANGE:,} at most")
        return numbers

    def masg_lipsum(self, n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
        from jinja2.utils import generate_lorem_ipsum

        if n * max > MAX_RANGE:
            raise TemplateLimit(f"asks for lipsum({n}) of up to {max} words; masg allows "
                                f"{MAX_RANGE:,} words at most")
        return generate_lorem_ipsum(n=n, html=html, min=min, max=max)

    # --- the sandbox's hooks ---------------------------------------------------------------------

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        if getattr(__obj, "__self__", None) is __self:  # masg_show and the others check themselves
            return super().call(__context, __obj, *args, **kwargs)
        __self.bounded((args, kwargs), "in the values given to a call")
        _check_method(__self, __obj, args)
        return __self.bounded(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        return super().getitem(obj, argument)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        _check_binop(self, operator, left, right)
        return self.bounded(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any):
        inner = super().wrap_str_format(value)
        if inner is None:
            return None
        pattern = value.__self__

        @functools.wraps(inner)
        def checked(*args: Any, **kwargs: Any) -> str:
            given = list(args) + list(kwargs.values())
            if value.__name__ == "format_map" and args and isinstance(args[0], dict):
                given += list(args[0].values())
            _check_format(self, pattern, _BRACE_SPEC, given)
            return self.bounded(inner(*args, **kwargs))

        return checked

    def _guarded(self, name: str, original):
        """A filter that checks the clock, what it is given and what it makes."""
        passes_first = hasattr(original, "jinja_pass_arg")

        @functools.wraps(original)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            given = args[1:] if passes_first else args
            self.bounded((given, kwargs), f"in the values given to |{name}")
            _check_filter(self, name, given, kwargs)
            return self.bounded(original(*args, **kwargs), f"with |{name}")

        return guarded


class _Watched(NodeTransformer):
    """Routes every loop, {{ }} and ~ of a parsed template through the sandbox's checks."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _hook("masg_ticking", node.iter)
        return node

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [n if isinstance(n, nodes.TemplateData) else _hook("masg_show", n)
                      for n in node.nodes]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(nodes.EnvironmentAttribute("masg_concat"), node.nodes, [], None, None,
                          lineno=node.lineno)


def _hook(name: str, expr: nodes.Node) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(name), [expr], [], None, None, lineno=expr.lineno)


def _check_binop(env: MasgSandbox, operator: str, left: Any, right: Any) -> None:
    """Refuse, before Python builds it, a value too large: 'a' * N, [x] * N, 10 ** N, '%Ns'."""
    ints = [v for v in (left, right) if isinstance(v, int) and not isinstance(v, bool)]
    if operator == "*" and len(ints) == 1:
        other = right if ints[0] is left else left
        if ints[0] > 0 and weight(other, env.max_chars) * ints[0] > env.max_chars:
            raise too_big(f"a repeat of {ints[0]:,} times with *")
    elif operator == "*" and len(ints) == 2:
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise TemplateLimit(f"multiplies numbers too large to write; {_AGAIN}")
    elif operator == "**" and len(ints) == 2 and abs(left) > 1:
        if right > 0 and right * left.bit_length() > MAX_INT_BITS:
            raise TemplateLimit(f"computes {left} ** {right}, a number too large to write; {_AGAIN}")
    elif operator == "%" and isinstance(left, str):
        _check_format(env, left, _PERCENT_WIDTH, list(right) if isinstance(right, tuple) else [right])


def _check_format(env: MasgSandbox, pattern: str, spec: re.Pattern, given: list) -> None:
    """A width or precision in a format may not ask for more characters than the limit."""
    numbers = [v for v in given if isinstance(v, int) and not isinstance(v, bool)]
    for match in spec.finditer(pattern):
        widths = re.findall(r"\d+", match.group(0))
        asked = any(int(w) > env.max_chars for w in widths)
        indirect = "*" in match.group(0) or match.group(0).count("{") > 1
        if asked or (indirect and any(abs(n) > env.max_chars for n in numbers)):
            raise too_big("a format width")


def _replaced_size(value: str, old: Any, new: Any) -> int:
    old, new = str(old), str(new)
    times = value.count(old) if old else len(value) + 1
    return len(value) + times * (len(new) - len(old))


def _check_method(env: MasgSandbox, method: Any, args: tuple) -> None:
    """A text's own methods that make it longer: 'a'.ljust(N), .zfill(N), .replace(...)."""
    text, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
    if not isinstance(text, str) or not args:
        return
    first = args[0] if isinstance(args[0], int) and not isinstance(args[0], bool) else 0
    if name in ("center", "ljust", "rjust", "zfill") and first > env.max_chars:
        raise too_big(f".{name}({first:,})")
    if name == "expandtabs" and first * (text.count("\t") + 1) > env.max_chars:
        raise too_big(f".expandtabs({first:,})")
    if name == "replace" and len(args) >= 2 and _replaced_size(text, *args[:2]) > env.max_chars:
        raise too_big(".replace")
    if name == "join" and hasattr(args[0], "__len__") and len(text) * len(args[0]) > env.max_chars:
        raise too_big(".join")


def _check_filter(env: MasgSandbox, name: str, given: tuple, kwargs: dict) -> None:
    """The filters that make text longer than what they are given: how long it will be."""
    if not given:
        return
    value, options = given[0], list(given[1:]) + list(kwargs.values())
    if name == "format" and isinstance(value, str):
        _check_format(env, value, _PERCENT_WIDTH, options)
    elif name in ("center", "indent") and options:
        width = options[0]
        lines = str(value).count("\n") + 1
        size = width if isinstance(width, int) else len(str(width))
        if isinstance(size, int) and size * lines > env.max_chars:
            raise too_big(f"|{name} {size:,} wide")
    elif name == "replace" and len(options) >= 2 and isinstance(value, str):
        if _replaced_size(value, *options[:2]) > env.max_chars:
            raise too_big("with |replace")
    elif name == "wordwrap" and isinstance(value, str):
        width = options[0] if options and isinstance(options[0], int) else 79
        wrap = kwargs.get("wrapstring", options[2] if len(options) > 2 else None) or "\n"
        if len(value) + (len(value) // max(width, 1) + 1) * len(str(wrap)) > env.max_chars:
            raise too_big("with |wordwrap")
    elif name in ("batch", "slice") and options and isinstance(options[0], int):
        if options[0] > MAX_RANGE:  # with a fill value, |batch(N) pads its last row to N
            raise TemplateLimit(f"asks for |{name}({options[0]:,}); masg allows {MAX_RANGE:,} at most")
    elif name == "join" and isinstance(value, (list, tuple)):  # a generator's items come one by one
        separator = str(options[0]) if options else ""
        if weight(value, env.max_chars) + len(separator) * len(value) > env.max_chars:
            raise too_big("with |join")
