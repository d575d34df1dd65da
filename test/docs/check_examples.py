"""Checks the Python examples of docs/ against the real generated SDK (sdk/python, imported), without running them.

    python check_examples.py SDK_DIR FILE...

For every call rooted at `pulumi` or `cloudphone` (the SDK's alias): the callee exists and the call's arguments bind
to its signature (a resource's keyword arguments to its `…Args` class); a dict given for an object argument uses
only keys of that argument's TypedDict. Every attribute chain rooted at the SDK exists (modules, enum members).
Every attribute read from a variable holding an SDK call's result (`phones.ids`, `phone.instance.private_ip`) is a
property of the result type, followed through the SDK's type hints. Prints one line per problem; exit 1 if any.
"""
import ast
import inspect
import sys
import typing

import pulumi

sys.path.insert(0, sys.argv[1])
import pulumi_cloudphone as cloudphone  # noqa: E402

ROOTS = {"pulumi": pulumi, "cloudphone": cloudphone}
problems = []


def chain(node):
    """`a.b.c` → ["a", "b", "c"], or None when it is not a plain dotted name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id] + parts[::-1]


def resolve(parts):
    obj = ROOTS[parts[0]]
    for p in parts[1:]:
        obj = getattr(obj, p)
    return obj


def unwrap(t):
    """Optional[X], Union[X, XDict], pulumi.Output[X], Awaitable… → the candidate classes."""
    args = typing.get_args(t)
    origin = typing.get_origin(t)
    if origin is typing.Union:
        return [c for a in args if a is not type(None) for c in unwrap(a)]
    if origin is not None and getattr(origin, "__name__", "") in ("Output", "Input") and args:
        return unwrap(args[0])
    return [t]


def hints(fn):
    module = sys.modules[fn.__module__]
    return typing.get_type_hints(fn, globalns=vars(module))


def plain_form(fn):
    """`get_x_output` → `get_x` (whose hints are plain types; pulumi.Input's forward references do not evaluate)."""
    return getattr(sys.modules[fn.__module__], fn.__name__.removesuffix("_output"))


def result_class(callee):
    """The result class of an SDK function (`get_x` or `get_x_output`) or the class of a resource."""
    if isinstance(callee, type):
        return callee
    return unwrap(hints(plain_form(callee))["return"])[0]


def check_call(call, file):
    parts = chain(call.func)
    if not parts or parts[0] not in ROOTS:
        return None
    where = f"{file}:{call.lineno}: {'.'.join(parts)}"
    try:
        callee = resolve(parts)
    except AttributeError as e:
        problems.append(f"{where}: {e}")
        return None
    kwargs = {k.arg: None for k in call.keywords if k.arg}
    positional = [None] * len(call.args)
    target = callee
    if isinstance(callee, type) and parts[0] == "cloudphone":
        # a resource: its keyword arguments are those of its …Args class; the name comes first
        target = getattr(sys.modules[callee.__module__], callee.__name__ + "Args")
        positional = positional[1:]
        kwargs.pop("opts", None)
    try:
        inspect.signature(target).bind(*positional, **kwargs)
    except TypeError as e:
        problems.append(f"{where}: {e}")
    if parts[0] == "cloudphone" and not isinstance(callee, type):
        types = hints(plain_form(callee))
        for k in call.keywords:
            if isinstance(k.value, ast.Dict) and k.arg in types:
                dicts = [c for c in unwrap(types[k.arg]) if typing.is_typeddict(c)]
                keys = [d.value for d in k.value.keys if isinstance(d, ast.Constant)]
                if dicts and not any(set(keys) <= set(d.__annotations__) for d in dicts):
                    problems.append(f"{where}: {k.arg}: keys {keys} are not all keys of {[d.__name__ for d in dicts]}")
    return result_class(callee) if parts[0] == "cloudphone" else None


def check_file(file):
    with open(file) as f:
        tree = ast.parse(f.read(), file)
    results = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            cls = check_call(stmt.value, file)
            if cls is not None:
                results[stmt.targets[0].id] = cls
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not any(node is s.value for s in tree.body if isinstance(s, ast.Assign)):
            check_call(node, file)
        parts = chain(node) if isinstance(node, ast.Attribute) else None
        if not parts:
            continue
        if parts[0] in ROOTS:
            try:
                resolve(parts)
            except AttributeError as e:
                problems.append(f"{file}:{node.lineno}: {'.'.join(parts)}: {e}")
        elif parts[0] in results:
            cls = results[parts[0]]
            for p in parts[1:]:
                prop = getattr(cls, p, None)
                if not isinstance(prop, property):
                    problems.append(f"{file}:{node.lineno}: {'.'.join(parts)}: {cls.__name__} has no property {p}")
                    break
                cls = unwrap(hints(prop.fget)["return"])[0]


for path in sys.argv[2:]:
    check_file(path)
for p in sorted(set(problems)):
    print(p)
sys.exit(1 if problems else 0)
