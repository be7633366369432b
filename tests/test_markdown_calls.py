"""Every Streamlit call that renders Markdown gets text the app wrote, or text that went
through ``ui.formatting.plain``: imported and typed text (product, creator, shop, campaign,
file names; messages from outside) never becomes a link, image, colour or formula.

The check reads the source of ui/, pages/ and app.py (an AST walk), so a code path no other
test runs is covered too. A text argument is accepted when it is provably the app's own:
a literal, an UPPER_CASE constant, a catalog entry's label or definition, a number, one of
the number/date formatters below, a call to ``plain``, or an f-string, concatenation,
``or``/``if`` or join made only of those. Local names are followed to what they were
assigned (or appended) in the same function, a private function's parameters to what every
call in the module passes, and a private function's result to its ``return`` statements.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

SOURCES = sorted([*PROJECT_ROOT.glob("ui/*.py"), *PROJECT_ROOT.glob("pages/*.py"),
                  PROJECT_ROOT / "app.py"])

# Which arguments of each Streamlit call are rendered as Markdown (Streamlit 1.67 docstrings:
# st.metric's value and delta, widget labels, radio / pills / segmented control / select
# slider options and st.table cells included). Selectbox and multiselect options are not.
MARKDOWN_ARGS: dict[str, tuple[tuple[int, ...] | str, tuple[str, ...]]] = {
    "markdown": ((0,), ("body", "help")),
    "caption": ((0,), ("body", "help")),
    "write": ("all", ()),
    "title": ((0,), ("body", "help")),
    "header": ((0,), ("body", "help")),
    "subheader": ((0,), ("body", "help")),
    "metric": ((0, 1, 2), ("label", "value", "delta", "delta_description", "help")),
    "info": ((0,), ("body",)),
    "warning": ((0,), ("body",)),
    "error": ((0,), ("body",)),
    "success": ((0,), ("body",)),
    "toast": ((0,), ("body",)),
    "expander": ((0,), ("label",)),
    "popover": ((0,), ("label", "help")),
    "status": ((0,), ("label",)),
    "tabs": ((0,), ("tabs",)),
    "spinner": ((0,), ("text",)),
    "progress": ((1,), ("text",)),
    "table": ((0,), ("data",)),
    "dialog": ((0,), ("title",)),
    "page_link": ((), ("label", "help")),
    "radio": ((0, 1), ("label", "options", "captions", "help", "format_func")),
    "pills": ((0, 1), ("label", "options", "help", "format_func")),
    "segmented_control": ((0, 1), ("label", "options", "help", "format_func")),
    "select_slider": ((0, 1), ("label", "options", "help", "format_func")),
    **{name: ((0,), ("label", "help")) for name in (
        "button", "download_button", "link_button", "form_submit_button", "checkbox",
        "toggle", "selectbox", "multiselect", "text_input", "text_area", "number_input",
        "date_input", "time_input", "slider", "file_uploader", "color_picker")},
}
# Receivers whose methods share a name with a Streamlit call but render nothing.
NOT_STREAMLIT = {"logger", "log", "_LOG", "LOG", "logging", "warnings", "buffer", "handle",
                 "writer", "output", "stream", "file", "sys", "pd", "np", "alt"}
# Return digits, separators, a currency symbol or three-letter code, a date, a duration or
# a checked timezone name: nothing Markdown interprets.
FORMATTERS = {"plain", "money", "compact_money", "value_text", "delta_text", "local_time",
              "age_text", "zone_text", "len", "int", "float", "number", "count", "percent",
              "ratio", "days", "duration", "p_value", "signed_percent", "share_percent"}
GROWERS = {"append", "extend", "insert", "add"}
# Give back (some of) what they are given: as safe as their arguments.
CONTAINERS = {"list", "tuple", "sorted", "reversed", "zip", "enumerate", "range", "min", "max",
              "sum", "abs", "round"}
# A count written in digits before the app's own noun: as safe as its noun arguments.
COUNTED = {"plural"}
SAFE_METHODS = {"upper", "lower", "capitalize", "strip", "join", "format", "get", "replace",
                "values", "keys", "items"}
# Layout objects, never text: ``for column, name in zip(st.columns(3), NAMES)``.
LAYOUT_CALLS = {"columns", "tabs", "container", "empty"}


@dataclass(frozen=True)
class Finding:
    where: str
    call: str
    argument: str

    def __str__(self) -> str:
        return f"{self.where}: {self.call} <- {self.argument}"


class Parameter(ast.expr):
    """A function's parameter: as safe as what every call in the module passes to it."""

    _fields = ()

    def __init__(self, function: ast.AST, name: str):
        super().__init__()
        self.function, self.name = function, name


class Scope:
    """Where names come from: assignments in the enclosing functions, then the module."""

    def __init__(self, chain: list[ast.AST]):
        self.chain = chain

    def assignments(self, name: str) -> list[ast.expr] | None:
        for node in reversed(self.chain):
            found = _assigned(node, name)
            if found is not None:
                return found
        return None


def _assigned(scope: ast.AST, name: str) -> list[ast.expr] | None:
    values: list[ast.expr] = []
    bound_otherwise = False
    for node in _own_nodes(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    values.append(node.value)
                elif isinstance(target, ast.Tuple) and any(
                        isinstance(t, ast.Name) and t.id == name for t in target.elts):
                    bound_otherwise = True
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(
                node.target, ast.Name) and node.target.id == name:
            if node.value is None:
                continue
            values.append(node.value)
            if isinstance(node, ast.AugAssign):
                values.append(ast.Name(id=name))  # its earlier value is checked too
        elif isinstance(node, ast.For | ast.comprehension) and any(
                isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.target)):
            values.append(node.iter)  # an item of a safe collection is safe
        elif isinstance(node, ast.For | ast.comprehension | ast.withitem | ast.NamedExpr):
            target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
            if target is not None and any(isinstance(n, ast.Name) and n.id == name
                                          for n in ast.walk(target)):
                bound_otherwise = True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in GROWERS and isinstance(node.func.value, ast.Name) and \
                node.func.value.id == name:
            values.extend(node.args[-1:])  # notes.append(text): the list holds it too
        elif isinstance(node, ast.arg) and node.arg == name:
            values.append(Parameter(scope, name))
        elif isinstance(node, ast.FunctionDef) and node.name == name and node is not scope:
            bound_otherwise = True
    if bound_otherwise:
        return [ast.Name(id="<parameter or loop variable>")]
    return values or None


def _own_nodes(scope: ast.AST):
    """Nodes of ``scope`` not inside a nested function or lambda."""
    stack = list(ast.iter_child_nodes(scope))
    if isinstance(scope, ast.FunctionDef | ast.Lambda):
        stack = [*scope.args.args, *scope.args.kwonlyargs, *scope.args.posonlyargs,
                 *([scope.args.vararg] if scope.args.vararg else []),
                 *([scope.args.kwarg] if scope.args.kwarg else []),
                 *(scope.body if isinstance(scope.body, list) else [scope.body])]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef):
            continue  # yielded (its name is bound here), body not walked
        if not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


class Checker:
    def __init__(self, scope: Scope):
        self.scope = scope
        self.seen: set[str] = set()

    def safe(self, node: ast.AST | None) -> bool:
        match node:
            case None | ast.Constant():
                return True
            case Parameter():
                return self._parameter_safe(node)
            case ast.JoinedStr(values=values):
                return all(self.safe(v) for v in values)
            case ast.FormattedValue(value=value, format_spec=spec):
                return _numeric_spec(spec) or self.safe(value)
            case ast.BinOp(left=left, right=right):
                return self.safe(left) and self.safe(right)
            case ast.BoolOp(values=values):
                return all(self.safe(v) for v in values)
            case ast.IfExp(body=body, orelse=orelse):
                return self.safe(body) and self.safe(orelse)
            case ast.List(elts=elts) | ast.Tuple(elts=elts) | ast.Set(elts=elts):
                return all(self.safe(e) for e in elts)
            case ast.ListComp(elt=elt) | ast.GeneratorExp(elt=elt):
                return self.safe(elt)
            case ast.Compare() | ast.UnaryOp(op=ast.Not()):
                return True  # a bool
            case ast.UnaryOp(operand=operand):
                return self.safe(operand)
            case ast.Starred(value=value):
                return self.safe(value)
            case ast.Subscript(value=value):
                return self.safe(value)
            case ast.Lambda(body=body):
                return Checker(Scope([*self.scope.chain, node])).safe(body)
            case ast.Call(func=ast.Name(id=name), args=args):
                if name in FORMATTERS:
                    return True
                if name in COUNTED:
                    return all(self.safe(a) for a in args[1:])
                if name in CONTAINERS:
                    return all(self.safe(a) for a in args)
                return self._returns_safe(name)
            case ast.Call(func=ast.Attribute(attr=attr, value=receiver), args=args,
                          keywords=keywords):
                if attr in FORMATTERS or attr in LAYOUT_CALLS:
                    return True
                if attr == "get":  # the key picks a value; only the mapping and default show
                    args = args[1:]
                return attr in SAFE_METHODS and self.safe(receiver) and all(
                    self.safe(a) for a in [*args, *(k.value for k in keywords)])
            case ast.Attribute(value=value, attr=attr):
                if attr in {"label", "definition", "name", "format", "get"}:
                    return self._catalog_entry(value) or self.safe(value)
                return _constant_name(attr) or self.safe(value) and _constant_name(
                    _root_name(value) or "")
            case ast.Name(id=name):
                return self._safe_name(name)
        return False

    def _safe_name(self, name: str) -> bool:
        if _constant_name(name):
            return True
        if name in self.seen:
            return True  # a cycle (x = x + ...): its other assignments decide
        values = self.scope.assignments(name)
        if not values:
            return False
        self.seen.add(name)
        try:
            return all(self.safe(v) for v in values)
        finally:
            self.seen.discard(name)

    def _parameter_safe(self, parameter: Parameter) -> bool:
        """Only for a module's private functions (``_card``), whose callers are all here."""
        function = parameter.function
        if not isinstance(function, ast.FunctionDef) or not function.name.startswith("_"):
            return False
        key = f"{function.name}({parameter.name})"
        if key in self.seen:
            return True
        module = self.scope.chain[0]
        positional = [a.arg for a in [*function.args.posonlyargs, *function.args.args]]
        defaults = dict(zip(positional[::-1], function.args.defaults[::-1], strict=False))
        defaults.update({a.arg: d for a, d in zip(function.args.kwonlyargs,
                                                  function.args.kw_defaults, strict=True)})
        passed: list[tuple[ast.AST, list[ast.AST]]] = []
        for use, chain in _names_with_chains(module, function.name):
            call = chain[-1]
            if not (isinstance(call, ast.Call) and call.func is use):
                return False  # passed on as a value: its callers are out of sight
            value = next((k.value for k in call.keywords if k.arg == parameter.name), None)
            if value is None and parameter.name in positional:
                index = positional.index(parameter.name)
                if any(isinstance(a, ast.Starred) for a in call.args[:index + 1]):
                    return False
                if index < len(call.args):
                    value = call.args[index]
            value = value if value is not None else defaults.get(parameter.name)
            scopes = [n for n in chain[:-1] if isinstance(n, ast.Module | ast.FunctionDef |
                                                          ast.Lambda)]
            passed.append((value, scopes))
        for value, scopes in passed:
            checker = Checker(Scope(scopes))
            checker.seen = {*self.seen, key}
            if not checker.safe(value):
                return False
        return True

    def _returns_safe(self, name: str) -> bool:
        """A function of the same module whose every ``return`` gives safe text."""
        module = self.scope.chain[0]
        defined = [n for n in ast.walk(module)
                   if isinstance(n, ast.FunctionDef) and n.name == name]
        if len(defined) != 1 or f"def {name}" in self.seen:
            return f"def {name}" in self.seen  # recursion: the other returns decide
        function = defined[0]
        returns = [n.value for n in _own_nodes(function) if isinstance(n, ast.Return)]
        checker = Checker(Scope([module, function]))
        checker.seen = {*self.seen, f"def {name}"}
        return bool(returns) and all(checker.safe(r) for r in returns)

    def _catalog_entry(self, node: ast.AST) -> bool:
        """``CATALOG[...]`` or a name assigned one (a metric's own label and definition)."""
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            return node.value.id == "CATALOG"
        if isinstance(node, ast.Name):
            values = self.scope.assignments(node.id) or []
            return bool(values) and all(self._catalog_entry(v) for v in values)
        return False


def _names_with_chains(module: ast.AST, name: str):
    """Each load of ``name`` in ``module`` with its ancestors (outermost first) and, last,
    the node that holds it."""
    stack: list[tuple[ast.AST, list[ast.AST]]] = [(module, [])]
    while stack:
        node, ancestors = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Name) and child.id == name:
                yield child, [*ancestors, node]
            else:
                stack.append((child, [*ancestors, node]))


def _constant_name(name: str) -> bool:
    """UPPER_CASE constants and CamelCase classes (an enum's members are the app's own)."""
    bare = name.lstrip("_")
    return bool(bare) and (bare.isupper() or bare[0].isupper())


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _numeric_spec(spec: ast.AST | None) -> bool:
    """A format spec only numbers and dates accept (``{x:,}``, ``{x:.1f}``, ``{d:%b %d}``):
    text given one raises instead of showing."""
    if not isinstance(spec, ast.JoinedStr) or not spec.values:
        return False
    text = "".join(v.value for v in spec.values if isinstance(v, ast.Constant))
    return bool(text) and (text[-1] in "dfFgGeE%nxXob" or "," in text or "%" in text)


def _markdown_arguments(call: ast.Call) -> list[tuple[str, ast.AST]]:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return []
    name = func.attr
    if name not in MARKDOWN_ARGS and not name.endswith("Column"):
        return []
    if _root_name(func.value) in NOT_STREAMLIT or isinstance(func.value, ast.Constant):
        return []
    positions, keywords = MARKDOWN_ARGS.get(name, ((0,), ("label", "help")))
    chosen = [(f"argument {i + 1}", arg) for i, arg in enumerate(call.args)
              if positions == "all" or i in positions]
    chosen += [(k.arg, k.value) for k in call.keywords if k.arg in keywords]
    if any(k.arg == "format_func" for k in call.keywords):
        # Options are shown through format_func, which is checked instead.
        chosen = [(argument, value) for argument, value in chosen
                  if argument not in ("options", "argument 2")]
    return chosen


def findings_in(source: str, where: str) -> list[Finding]:
    tree = ast.parse(source)
    found: list[Finding] = []

    def visit(node: ast.AST, chain: list[ast.AST]) -> None:
        if isinstance(node, ast.FunctionDef | ast.Lambda):
            chain = [*chain, node]
        if isinstance(node, ast.Call):
            calls = [node]
            if isinstance(node.func, ast.IfExp):  # (st.success if ok else st.error)(text)
                calls = [ast.Call(func=branch, args=node.args, keywords=node.keywords)
                         for branch in (node.func.body, node.func.orelse)]
            for call in calls:
                for argument, value in _markdown_arguments(call):
                    if not Checker(Scope(chain)).safe(value):
                        found.append(Finding(f"{where}:{node.lineno}",
                                             ast.unparse(call.func), ast.unparse(value)[:120]
                                             + f" ({argument})"))
        for child in ast.iter_child_nodes(node):
            visit(child, chain)

    visit(tree, [tree])
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_markdown_calls_get_only_the_apps_own_text_or_escaped_text(path: Path):
    findings = findings_in(path.read_text(encoding="utf-8"),
                           str(path.relative_to(PROJECT_ROOT)))
    assert not findings, "Markdown built from text the app did not write (wrap it in " \
                         "ui.formatting.plain):\n" + "\n".join(map(str, findings))


def _findings_of(source: str) -> list[Finding]:
    return findings_in(source, "probe")


@pytest.mark.parametrize("source", [
    "st.metric('Creator', row.creator)",
    "facts[2].metric('Creator', row.creator or '–', border=True)",
    "st.caption(f'Last sync: {last.message}')",
    "def f(name):\n    st.subheader(name)",
    "def f(row):\n    text = f'{row.title} sold'\n    st.markdown(text)",
    "(st.success if ok else st.error)(result.summary_line())",
    "st.expander(f'{shop.name} details')",
    "st.tabs([campaign.name, 'Totals'])",
    "st.radio('Shop', [shop.name for shop in shops])",
    "st.pills('Pick', options, format_func=lambda p: p.title)",
    "st.button(f'Delete {chosen.name}')",
    "st.column_config.TextColumn(header.name)",
    "st.write(', '.join(handles))",
    "notes = ['Ads']\nnotes.append(account.label)\nst.caption(' '.join(notes))",
    "st.caption(f'{name:>10}')",
    "def _show(text):\n    st.caption(text)\n_show('ok')\n_show(row.name)",
    "def _show(text):\n    st.caption(text)\n_show('ok')\nhooks = [_show]",
    "def show(text):\n    st.caption(text)\nshow('ok')",
    "st.toast(message)",
])
def test_the_walk_catches_unescaped_text(source: str):
    assert _findings_of(source), source


@pytest.mark.parametrize("source", [
    "st.metric('Creator', plain(row.creator or '–'))",
    "st.caption(f'{count:,} rows · {rate:.1f}% · {plain(name)} · {money(v, c)}')",
    "def f(row):\n    text = f'{plain(row.title)} sold'\n    st.markdown(text)",
    "st.metric(CATALOG['gmv'].label, money(1, 'USD'), help=CATALOG['gmv'].definition)",
    "st.info(EMPTY_TEXT)",
    "st.write(', '.join(f'@{plain(h)}' for h in handles))",
    "st.selectbox('Restore from', backups, format_func=lambda p: p.name)",
    "logger.info(message)",
    "def _show(text, n=1):\n    st.caption(f'{text} {n}')\n_show('ok')\n_show(plain(a), n=2)",
])
def test_the_walk_accepts_the_apps_own_and_escaped_text(source: str):
    assert not _findings_of(source), source
