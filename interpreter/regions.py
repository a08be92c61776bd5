"""Region parameter files: the values a policy leaves to cities and pooling regions.

    regions:
      江西省南昌市:
        critical_illness_base_cap: {2025-01-01: 300000}
      山东省泰安市:
        fixed_subsidy:                      # keyed by identity category, then dated
          低保对象: {2025-01-01: 390}
        note: illustrative values from a press report

A value holds from its date until the next date.  A region name applies to every region
whose name starts with it (a province entry covers its cities), and the longest such name
that has the parameter wins, so a name must be written exactly: spaces around it, or a
full-width space (U+3000) anywhere in it, are errors.  Raw values are kept as written.

Loaded with the policy that will read it (load_region_file(path, policy)), the file is
also checked against the policy's region parameters (`parameter x: money by region` or
`by region, 身份类别`, found in the file under `key "..."` when given, else their name):
every value is converted to its parameter's type at once and kept so (evaluation reads
the converted values; a file loaded without a policy is converted as it is read, with
coerce(), which shares convert.py's conversion with records), keys under a parameter keyed
by an enum must be members of it, and a parameter name the policy does not read but that
is close to one it does is an error (a misspelt name would silently fall back to a wider
region's value).  Other names the policy does not read make one warning: a province's file
legitimately holds values for several policies.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, localcontext
from pathlib import Path

from .arithmetic import LOADING
from .datafile import KEY, UNREADABLE, NumberText, Places, join, quote, read_data_file
from .diagnostics import Diagnostic, DiagnosticError, Hint, close_names
from .convert import DATE_TEXT, Mismatch, convert_scalar, convert_value, show
from .source import Span
from .types import DATE, Ty

METADATA = ("note", "source", "illustrative")    # region keys that are not parameters
UNCONVERTED = object()     # a value of a file loaded without a policy: converted when read


@dataclass(frozen=True)
class Dated:
    """Values of one parameter over time, sorted by the day each takes effect."""
    starts: tuple[dt.date, ...]
    raws: tuple[object, ...]
    paths: tuple[str, ...]          # data path of each value, for located conversion errors
    # The raws converted to the type of the policy the file was loaded with, once, at load.
    values: tuple[object, ...] | None = None


@dataclass(frozen=True)
class Keyed:
    """A parameter set per key (an enum member such as an identity category)."""
    entries: dict


class RegionLookupError(Exception):
    """A region value the evaluation needs is not in the file; `reason` is one of
    no_region, not_in_force, no_key, needs_key, unexpected_key."""

    CODES = {"no_region": "R460", "not_in_force": "R461", "no_key": "R462",
             "needs_key": "R463", "unexpected_key": "R464"}

    def __init__(self, reason: str, parameter: str, region: str, on: dt.date, *, file: str,
                 matched: str | None = None, first: dt.date | None = None,
                 key: str | None = None, keys: tuple[str, ...] = (),
                 fallback: tuple[str, dt.date] | None = None):
        self.reason, self.parameter, self.region, self.on = reason, parameter, region, on
        self.file, self.matched, self.first = file, matched, first
        self.key, self.keys, self.fallback = key, keys, fallback
        super().__init__(self.message("en"))

    @property
    def code(self) -> str:
        return self.CODES[self.reason]

    def _args(self) -> dict:
        return {"parameter": self.parameter, "region": self.region, "date": self.on.isoformat(),
                "matched": self.matched or "", "first": self.first.isoformat() if self.first else "",
                "key": self.key or "", "keys": ", ".join(self.keys)}

    def _hints(self) -> list[Hint]:
        if self.reason == "no_region":
            return [Hint.of("hint.region.add_parameter", parameter=self.parameter,
                            region=self.region, file=self.file)]
        if self.reason == "not_in_force" and self.fallback:
            return [Hint.of("hint.region.fallback", fallback=self.fallback[0],
                            fallback_from=self.fallback[1].isoformat(), matched=self.matched)]
        if self.reason == "not_in_force":
            return [Hint.of("hint.region.add_earlier", date=self.on.isoformat(),
                            matched=self.matched, file=self.file)]
        return []

    def message(self, lang: str = "en") -> str:
        # Worded by the diagnostics renderer, as the CLI shows it, not here.
        return self.diagnostic().message(lang)

    def diagnostic(self, span: Span | None = None) -> Diagnostic:
        """The error as a diagnostic, placed at `span` (the rule asking) when given,
        otherwise at the region file."""
        return Diagnostic.error(self.code, span, hints=self._hints(),
                                file=None if span is not None else self.file, **self._args())


class RegionTable:
    """A loaded region file.  `regions` lists the region names in file order."""

    def __init__(self, path: str, params: dict, metadata: dict, note: str | None,
                 positions: Places, warnings: list[Diagnostic], bound_to: str | None = None):
        self.path = path
        # The policy (id) the file was checked against and its values converted for.
        self.bound_to = bound_to
        self._params = params            # region -> parameter -> Dated | Keyed
        self._metadata = metadata        # region -> {note/source/illustrative: value}
        self.note = note                 # the file's top-level note
        self.positions = positions       # where each value is written (datafile.Places)
        self.warnings = warnings         # unknown top-level keys, names the policy does not read

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(self._params)

    def parameters(self) -> set[str]:
        return {name for params in self._params.values() for name in params}

    def parameters_of(self, region: str) -> tuple[str, ...]:
        """The parameters (as region files name them) the entry for `region` sets."""
        return tuple(self._params.get(region, ()))

    def metadata(self, region: str) -> dict:
        return dict(self._metadata.get(region, {}))

    def note_for(self, region: str) -> str | None:
        return self._metadata.get(region, {}).get("note")

    def is_illustrative(self, region: str) -> bool:
        return bool(self._metadata.get(region, {}).get("illustrative", False))

    def _holders(self, parameter: str, region: str) -> list[str]:
        """Region names that cover `region` and set `parameter`, longest (most local) first."""
        found = [name for name, params in self._params.items()
                 if region.startswith(name) and parameter in params]
        return sorted(found, key=len, reverse=True)

    def _find(self, parameter, region, on, keys):
        holders = self._holders(parameter, region)
        if not holders:
            raise RegionLookupError("no_region", parameter, region, on, file=self.path)
        matched = holders[0]
        node = self._params[matched][parameter]
        fail = dict(file=self.path, matched=matched)
        for key in keys:
            if isinstance(node, Dated):
                raise RegionLookupError("unexpected_key", parameter, region, on, key=key, **fail)
            if key not in node.entries:
                raise RegionLookupError("no_key", parameter, region, on, key=key,
                                        keys=tuple(node.entries), **fail)
            node = node.entries[key]
        if isinstance(node, Keyed):
            raise RegionLookupError("needs_key", parameter, region, on, keys=tuple(node.entries), **fail)
        index = bisect.bisect_right(node.starts, on) - 1
        if index < 0:
            raise RegionLookupError("not_in_force", parameter, region, on, first=node.starts[0],
                                    fallback=self._fallback(holders[1:], parameter, on, keys), **fail)
        return node, index, matched

    def _fallback(self, holders, parameter, on, keys):
        """A wider region with a value in force, named in the hint (never used silently)."""
        for name in holders:
            try:
                node, index, _ = self._find(parameter, name, on, keys)
            except RegionLookupError:
                continue
            return name, node.starts[index]
        return None

    def lookup(self, parameter: str, region: str, on: dt.date,
               keys: tuple[str, ...] = ()) -> tuple[object, str, dt.date]:
        """(raw value, region name it came from, day it took effect); raises RegionLookupError."""
        node, index, matched = self._find(parameter, region, on, tuple(keys))
        return node.raws[index], matched, node.starts[index]

    def converted(self, parameter: str, region: str, on: dt.date,
                  keys: tuple[str, ...] = ()) -> tuple[object, object, str, dt.date]:
        """(raw value, the value converted at load or UNCONVERTED, region name it came from,
        day it took effect); raises RegionLookupError."""
        node, index, matched = self._find(parameter, region, on, tuple(keys))
        value = node.values[index] if node.values is not None else UNCONVERTED
        return node.raws[index], value, matched, node.starts[index]

    def value(self, parameter: str, region: str, on: dt.date, ty: Ty,
              keys: tuple[str, ...] = ()) -> tuple[object, str, dt.date]:
        """lookup() with the raw value converted to `ty`; a bad value raises DiagnosticError
        located in the region file."""
        node, index, matched = self._find(parameter, region, on, tuple(keys))
        path = node.paths[index]
        with localcontext(LOADING):
            value = convert_value(node.raws[index], ty, path, parameter, file=self.path,
                                  places=self.positions)
        return value, matched, node.starts[index]


def coerce(raw, ty: Ty, data_path: str, field: str | None = None, *,
           file: str | None = None, span: Span | None = None):
    """A raw region value as the runtime value of `ty`; raises DiagnosticError on mismatch."""
    return convert_value(raw, ty, data_path, field, file=file, span=span)


# ------------------------------------------------------------------ loading
def _exact_name(region: str) -> str:
    """A region name as records write it: no spaces around it, no full-width space in it."""
    return region.replace("\u3000", "").strip()


def _region_parameters(policy) -> dict:
    """The policy's region parameters by the name its region file uses for each."""
    params = getattr(policy, "params", {}) or {}
    return {(param.attrs.key or name): param for name, param in params.items() if param.by_region}


class _Loader:
    def __init__(self, file: str, places: Places, policy=None):
        self.file, self.places = file, places
        self.diags: list[Diagnostic] = []
        self.wanted = _region_parameters(policy) if policy is not None else None
        self.unread: dict[str, str] = {}       # names the policy does not read -> first path

    def report(self, code, path, *, at=None, warning=False, hints=(), **args):
        span = self.places.get(path if at is None else at)
        make = Diagnostic.warning if warning else Diagnostic.error
        self.diags.append(make(code, span, hints=hints, data_path=path or None, file=self.file, **args))

    def show(self, raw, path: str) -> str:
        return show(raw, written=self.places.written, path=path)

    def table(self, data) -> tuple[dict, dict, str | None]:
        if not isinstance(data, dict) or not isinstance(data.get("regions"), dict):
            shown = data.get("regions") if isinstance(data, dict) and "regions" in data else data
            path = "regions" if isinstance(data, dict) and "regions" in data else ""
            self.report("R440", path, value=self.show(shown, path), hints=[Hint.of("hint.region.region_shape")])
            return {}, {}, None
        for key in data:
            if key not in ("regions", "note"):
                self.report("R441", str(key), at=f"{key}{KEY}", warning=True, key=show(key))
        note = data.get("note")
        if note is not None and not isinstance(note, str):
            self.report("R448", "note", key="note", value=self.show(note, "note"))
            note = None
        params, metadata = {}, {}
        exact: dict[str, str] = {}          # region name without stray spaces -> as written
        for region, entry in data["regions"].items():
            if not isinstance(region, str) or not region.strip():
                path = join("regions", show(region))
                self.report("R451", path, at=join("regions", region) + KEY, value=show(region))
                continue
            path = join("regions", region)
            self.region_name(region, path, exact)
            if not isinstance(entry, dict):
                self.report("R442", path, region=region, value=self.show(entry, path))
                continue
            params[region], metadata[region] = {}, {}
            for name, raw in entry.items():
                sub = join(path, name)
                if name in METADATA:
                    metadata[region][name] = self.metadata(name, raw, region, sub)
                    continue
                node = self.parameter(raw, region, name, sub)
                if self.wanted is not None:
                    node = self.against_policy(name, node, region, sub)
                if node is not None:
                    params[region][name] = node
        if self.unread:
            first = min(self.unread.values(), key=lambda path: _line(self.places.get(path + KEY)))
            self.diags.append(Diagnostic.warning(
                "R456", self.places.get(first + KEY), file=self.file,
                names=", ".join(sorted(self.unread)), hints=[Hint.of("hint.region.other_policies")]))
        return params, metadata, note

    def region_name(self, region: str, path: str, exact: dict) -> None:
        """A name with stray spaces never matches a record's region: the lookup would fall
        back to the province's value without a word."""
        name = _exact_name(region)
        if name in exact and exact[name] != region:
            first = exact[name]
            self.report("R454", path, at=path + KEY, value=quote(region), other=quote(first),
                        line=_line(self.places.get(join("regions", first) + KEY)))
        elif name != region:
            self.report("R453", path, at=path + KEY, value=quote(region),
                        hints=[Hint.of("hint.region.exact_name", name=name)])
        exact.setdefault(name, region)

    def metadata(self, name, raw, region, path):
        if name == "illustrative" and not isinstance(raw, bool):
            self.report("R449", path, region=region, value=self.show(raw, path))
        elif name != "illustrative" and not isinstance(raw, str):
            self.report("R448", path, key=name, value=self.show(raw, path))
        return raw

    def parameter(self, raw, region, name, path):
        """A parameter node: Dated when its keys are dates, Keyed when none are."""
        args = dict(region=region, parameter=name)
        if not isinstance(raw, dict):
            self.report("R443", path, value=self.show(raw, path),
                        hints=[Hint.of("hint.region.dated_example")], **args)
            return None
        if not raw:
            self.report("R446", path, **args)
            return None
        datelike = [_looks_dated(key) for key in raw]
        if all(datelike):
            return self.dated(raw, path, args)
        if any(datelike):
            self.report("R445", path, value=show(list(raw)), hints=[Hint.of("hint.region.keyed_under")],
                        **args)
            return None
        entries = {}
        for key, sub in raw.items():
            where = join(path, key)
            if not isinstance(key, str):
                self.report("R409", where, at=where + KEY, value=show(key))
                continue
            node = self.parameter(sub, region, name, where)
            if node is not None:
                entries[key] = node
        return Keyed(entries) if len(entries) == len(raw) else None

    def dated(self, raw, path, args):
        rows, ok = {}, True
        for key, value in raw.items():
            where = join(path, key)
            try:
                start = convert_value(key, DATE, where, args["parameter"], file=self.file,
                                      span=self.places.get(where + KEY))
            except DiagnosticError as err:
                self.diags.extend(err.diagnostics)
                ok = False
                continue
            if start in rows:
                # The same spelling twice was already reported by the reader (R407).
                if str(key) != rows[start][2]:
                    self.report("R452", where, at=where + KEY, value=start.isoformat(), **args)
                ok = False
            elif not _is_value(value):
                self.report("R447", where, date=start.isoformat(), value=self.show(value, where), **args)
                ok = False
            else:
                rows[start] = (value, where, str(key))
        if not ok:
            return None
        starts = tuple(sorted(rows))
        return Dated(starts, tuple(rows[s][0] for s in starts), tuple(rows[s][1] for s in starts))

    # ---------------------------------------------------------------- against the policy
    def against_policy(self, name: str, node, region: str, path: str):
        """Check a parameter's values against the policy; the node with its values
        converted to the parameter's type when they all fit."""
        param = self.wanted.get(name)
        if param is None:
            close = close_names(name, self.wanted, n=1, cutoff=0.8)
            if close:
                self.report("R455", path, at=path + KEY, parameter=name, region=region,
                            hints=[Hint.of("hint.record.did_you_mean", name=close[0])])
            else:
                self.unread.setdefault(name, path)
            return node
        if node is not None:
            return self.fits(node, param, name, region, path, 0)
        return node

    def fits(self, node, param, name: str, region: str, path: str, level: int):
        """Keys where the policy has key types, values of the parameter's type under them;
        the node again, with converted values where every value under it fits."""
        args = dict(parameter=name, region=region)
        if level < len(param.key_types):
            enum = param.key_types[level]
            if isinstance(node, Dated):
                self.report("R458", path, enum=enum.name, hints=[Hint.of(
                    "hint.region.keyed_example", member=enum.members[0] if enum.members else "...")],
                    **args)
                return node
            entries = {}
            for key, sub in node.entries.items():
                where = join(path, key)
                try:
                    convert_scalar(key, enum)
                except Mismatch as bad:
                    self.report("R457", where, at=where + KEY, value=quote(key), enum=enum.name,
                                hints=bad.hints, **args)
                    entries[key] = sub
                    continue
                entries[key] = self.fits(sub, param, name, region, where, level + 1)
            return Keyed(entries)
        if isinstance(node, Keyed):
            self.report("R459", path, value=show(list(node.entries)), **args)
            return node
        values = []
        for raw, where in zip(node.raws, node.paths):
            try:
                values.append(convert_value(raw, param.ty, where, name, file=self.file,
                                            places=self.places))
            except DiagnosticError as err:
                self.diags.extend(err.diagnostics)
                return node
        return Dated(node.starts, node.raws, node.paths, tuple(values))


def _line(span: Span | None) -> int:
    return span.line if span is not None else 0


def _looks_dated(key) -> bool:
    """Dates, and text shaped like one (so that 2025-13-01 is reported as a bad date)."""
    return isinstance(key, dt.date) or (isinstance(key, str) and bool(DATE_TEXT.match(key.strip())))


_SCALAR_VALUES = (bool, int, float, Decimal, str, dt.date, NumberText)


def _is_value(raw) -> bool:
    return raw is UNREADABLE or isinstance(raw, _SCALAR_VALUES) or \
        (isinstance(raw, list) and all(isinstance(x, _SCALAR_VALUES) for x in raw))


def load_region_file(path: Path, policy=None) -> RegionTable:
    """Read a region parameter file; raises DiagnosticError listing every malformed entry.
    With `policy` (a checked model), also check the file against its region parameters.
    Warnings (unknown top-level keys, names the policy does not read) are kept on the
    table as `.warnings`."""
    path = Path(path)
    found = read_data_file(path, "region")
    loader = _Loader(str(path), found.places, policy)
    with localcontext(LOADING):      # values are converted now when a policy is given
        params, metadata, note = loader.table(found.data)
    diags = sorted(found.problems + loader.diags, key=Diagnostic.sort_key)
    if any(d.is_error for d in diags):
        raise DiagnosticError(diags)
    return RegionTable(str(path), params, metadata, note, found.places, diags,
                       bound_to=getattr(policy, "policy_id", None) if policy is not None
                       else None)
