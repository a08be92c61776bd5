"""A policy's parameters as in force on one date: the data `yibao params` lists.

Every parameter of the merged chain (template, province, city), in the order the chain
first declares them, with the value it holds on the date and the day that value holds from,
its label and citation (the article and the 文号 of the policy whose text it points into,
as explanations cite it), and the policy that set it: the one that declared it or last
overrode it (`amend` changes a citation, never a value, so it does not count).

Region parameters (`by region`) take their values from the region file: without one they
are a single row with no value; with one (loaded bound to the policy), one row per region
entry of the file that sets the parameter itself, and for a parameter keyed by enums
(`by region, 身份类别`), one per key that entry sets.  The lookup is the evaluator's own
(RegionTable.converted), so a row shows what an evaluation on that date reads for a
region of that name.

Data only: no words.  cli_commands_params.py renders it.
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from . import nodes
from .model import Model, Param
from .lower import document_of

# What a row says about its value.
IN_FORCE = "in_force"                   # `value` holds on the date, since `since`
NOT_IN_FORCE = "not_in_force"           # the first value holds from `first`, after the date
UNSET = "unset"                         # required by a template, left to those extending it
REGION_FILE = "region_file"             # a region parameter, no region file given
NOT_IN_REGION_FILE = "not_in_region_file"   # a region file given, but no entry sets it

# `set_in` of a value that comes from the region file (else a policy id).
FROM_REGION_FILE = "region_file"


@dataclass(frozen=True)
class ParamRow:
    name: str
    label: str | None
    ty: object                  # types.Ty of the value
    status: str                 # IN_FORCE, NOT_IN_FORCE, UNSET, REGION_FILE, NOT_IN_REGION_FILE
    value: object = None        # the runtime value, when IN_FORCE
    since: dt.date | None = None    # the day `value` holds from
    first: dt.date | None = None    # NOT_IN_FORCE: the day the first value holds from
    cite: str | None = None     # the article
    document: str | None = None     # the 文号 of the policy `cite` points into
    set_in: str | None = None   # a policy id, or FROM_REGION_FILE
    region: str | None = None   # the region file's entry a region value comes from
    keys: tuple[str, ...] = ()  # the enum keys after the region


def parameters_in_force(model: Model, on: dt.date, regions=None) -> list[ParamRow]:
    """One row per parameter (per region entry and key for a region parameter when a
    region file is given), in the chain's declaration order."""
    rows: list[ParamRow] = []
    for name in _declaration_order(model):
        param = model.params[name]
        common = dict(name=name, label=param.attrs.label, ty=param.ty, cite=param.attrs.cite,
                      document=document_of(param.attrs, param.origin))
        if param.by_region:
            rows.extend(_region_rows(param, on, regions, common))
        else:
            rows.append(_dated_row(param, on, declared_in(model, param), common))
    return rows


def _declaration_order(model: Model) -> list[str]:
    """Parameter names in the order the chain first declares them: an override keeps the
    template's place (the merged model lists it where the override put it back)."""
    order = dict.fromkeys(item.name for policy in model.chain for item in policy.items
                          if isinstance(item, nodes.ParameterDecl) and item.name in model.params)
    order.update(dict.fromkeys(model.params))       # anything not found in the chain
    return list(order)


def declared_in(model: Model, param: Param) -> str:
    """The policy of the chain whose text holds the declaration in force (the parameter's
    declaration or its last override); Param.origin moves with an amended citation."""
    for policy in reversed(model.chain):
        if any(item is param.decl for item in policy.items):
            return policy.header.policy_id
    return param.origin.policy_id


def _dated_row(param: Param, on: dt.date, set_in: str, common: dict) -> ParamRow:
    if not param.values:
        # The checker accepts a parameter without values only when it is `required`, and
        # `required` left unset only in a template (Y130, Y309).
        return ParamRow(status=UNSET, set_in=set_in, **common)
    current = None
    for start, value in param.values:       # sorted by start; the checker saw to it
        if start <= on:
            current = (start, value)
        else:
            break
    if current is None:
        return ParamRow(status=NOT_IN_FORCE, first=param.values[0][0], set_in=set_in,
                        **common)
    return ParamRow(status=IN_FORCE, value=current[1], since=current[0], set_in=set_in,
                    **common)


def _region_rows(param: Param, on: dt.date, regions, common: dict) -> list[ParamRow]:
    if regions is None:
        return [ParamRow(status=REGION_FILE, set_in=FROM_REGION_FILE, **common)]
    from .regions import UNCONVERTED, RegionLookupError

    key = param.attrs.key or common["name"]
    members = [enum.members for enum in param.key_types]
    rows = []
    for region in regions.regions:
        for keys in itertools.product(*members):
            try:
                _, value, matched, since = regions.converted(key, region, on, keys)
            except RegionLookupError as missing:
                if missing.reason == "not_in_force" and missing.matched == region:
                    rows.append(ParamRow(status=NOT_IN_FORCE, first=missing.first,
                                         set_in=FROM_REGION_FILE, region=region, keys=keys,
                                         **common))
                elif missing.reason not in ("no_region", "no_key", "not_in_force"):
                    raise       # a key shape the file was checked against (R458, R459)
                continue
            if matched != region:
                continue        # a wider region's value: listed under that region's entry
            if value is UNCONVERTED:        # a file not loaded with this policy
                value = regions.value(key, region, on, param.ty, keys)[0]
            rows.append(ParamRow(status=IN_FORCE, value=value, since=since,
                                 set_in=FROM_REGION_FILE, region=region, keys=keys,
                                 **common))
    if not rows:
        return [ParamRow(status=NOT_IN_REGION_FILE, set_in=FROM_REGION_FILE, **common)]
    return rows
