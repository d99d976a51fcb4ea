"""Row converters compiled once per table, for the bulk paths (store/rowtuples.py).

A generic converter loops in Python over a (column, function) plan for every row; here
that loop is unrolled once, at import, into one function per direction whose body names
each column (`None if (v := r[4]) is None else conv_4(v)`), the way `dataclasses`
builds its `__init__`. The generated code only indexes, tests for None and calls the
functions it is given, so it converts exactly as the plan it is built from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from collectcli.engine.records import maker

Conv = Callable[[Any], Any]


def _compile(name: str, source: str, env: dict[str, Any]) -> Callable[..., Any]:
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<rowcode {name}>", "exec"), env, namespace)
    fn: Callable[..., Any] = namespace[name]
    return fn


def reader(cls: type, exprs: Sequence[str | Conv | None],
           names: dict[str, Any] | None = None) -> Callable[[Sequence[Any]], Any]:
    """row -> cls(...): per column None (as is), a function (applied unless the value is
    None) or an expression template over `{x}` (the column's value) that may use `names`."""
    env: dict[str, Any] = {**(names or {}), "_build": maker(cls)}
    args = []
    for i, e in enumerate(exprs):
        if e is None:
            args.append(f"r[{i}]")
        elif isinstance(e, str):
            args.append("(" + e.format(x=f"r[{i}]") + ")")
        else:
            env[f"_c{i}"] = e
            args.append(f"(None if (v := r[{i}]) is None else _c{i}(v))")
    source = f"def read(r):\n    return _build({', '.join(args)})\n"
    return _compile("read", source, env)


def writer(attrs: Sequence[str], convs: dict[int, Conv]) -> Callable[[Any], list[Any]]:
    """record -> [bindable column values]: attribute `attrs[i]` through `convs[i]`
    (unless None) or as is."""
    env: dict[str, Any] = {}
    items = []
    for i, attr in enumerate(attrs):
        if i in convs:
            env[f"_c{i}"] = convs[i]
            items.append(f"(None if (v := o.{attr}) is None else _c{i}(v))")
        else:
            items.append(f"o.{attr}")
    source = f"def write(o):\n    return [{', '.join(items)}]\n"
    return _compile("write", source, env)
