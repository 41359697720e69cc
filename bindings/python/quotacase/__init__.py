# SPDX-License-Identifier: MIT
"""quotacase - Python bindings for libquotacase.

Records of leaders' personal case handling in Chinese procuratorates and
courts; YAML rules that classify cases as major, difficult or complex;
assessment of leaders within the quota against their quotas; notification
reports.  This module speaks to the C library through ctypes: the
prototypes come from the library's FFI header (quotacase_ffi.h), so no
compiler is needed and every C function is reachable as ``quotacase.lib``.

    import quotacase as qc

    with qc.Store("sqlite:province.db") as store:
        store.import_file("cases.csv")
        rules = qc.Rules("examples/rules/liaoning-2017.yaml")
        with qc.Classifier(rules, store=store) as c:
            for case in store.iterate("case"):
                print(case["id"], c.classify(case).primary)
        a = qc.assess(rules, store, "2017")
        print(a.totals)

Errors raise :class:`Error` (with ``code``, ``name`` and the library's
message, and ``details`` for rule files with several problems).
"""
from __future__ import annotations

import array
import contextlib
import ctypes
import importlib
import ctypes.util
import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

__all__ = [
    "Error", "Store", "Rules", "Classifier", "Result", "Assessment", "TestReport",
    "assess", "dossier", "run_rule_tests", "version", "lib",
    "Plan", "Sample", "Suggestion", "load_inspection", "check_inspection", "suggest", "assign",
]

# ---------------------------------------------------------------- loading


def _declarations() -> str:
    """The library's FFI declarations: $QUOTACASE_FFI_HEADER if set (a build
    tree), else those generated into the package when it was built
    (quotacase/_declarations.py), else an installed quotacase_ffi.h.  The
    runtime library alone is enough when the package was built with it."""
    env = os.environ.get("QUOTACASE_FFI_HEADER")
    if env:
        try:
            with open(env, encoding="utf-8") as f:
                return f.read()
        except OSError as e:
            raise ImportError(f"quotacase: QUOTACASE_FFI_HEADER names {env!r}, which cannot be read: {e}") from e
    try:  # generated at build time: found at run time, not by type checkers
        return str(importlib.import_module(__name__ + "._declarations").HEADER)
    except ImportError:
        pass
    for path in (os.path.join(os.path.dirname(__file__), "quotacase_ffi.h"),
                 "/usr/local/include/quotacase_ffi.h", "/usr/include/quotacase_ffi.h"):
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return f.read()
    raise ImportError("quotacase: the library's FFI declarations are missing: this package was not built with "
                      "the library (no quotacase/_declarations.py) and no quotacase_ffi.h is installed; "
                      "set QUOTACASE_FFI_HEADER to one")


def _load_library() -> Any:
    """The runtime library by its soname (libquotacase.so.0), or
    $QUOTACASE_LIBRARY."""
    name = os.environ.get("QUOTACASE_LIBRARY") or "libquotacase.so.0"
    try:
        return ctypes.CDLL(name)
    except OSError as e:
        found = None if os.environ.get("QUOTACASE_LIBRARY") else ctypes.util.find_library("quotacase")
        if found:
            return ctypes.CDLL(found)
        raise ImportError(f"quotacase: cannot load the runtime library {name} (Debian: libquotacase0; "
                          f"or set QUOTACASE_LIBRARY to its path): {e}") from e


_C_TYPES = {
    "void": None, "int": ctypes.c_int, "int64_t": ctypes.c_int64, "uint32_t": ctypes.c_uint32, "size_t": ctypes.c_size_t,
    "double": ctypes.c_double, "char": ctypes.c_char,
}


def _ctype(decl: str, enums: Set[str]) -> Any:
    """ctypes type of a C parameter or return type, from its text."""
    decl = decl.replace("const ", "").strip()
    stars = decl.count("*")
    base = decl.replace("*", "").strip()
    if base == "char" and stars == 1:
        return ctypes.c_char_p
    if base == "char" and stars == 2:
        return ctypes.POINTER(ctypes.c_char_p)
    if stars == 0:
        if base in enums:
            return ctypes.c_int
        if base == "qc_progress_fn":
            return ctypes.c_void_p
        return _C_TYPES[base]
    if base in ("double",) and stars == 1:
        return ctypes.POINTER(ctypes.c_double)
    if base in ("int64_t",) and stars == 1:
        return ctypes.POINTER(ctypes.c_int64)
    if base in ("int", "size_t") and stars == 1:
        return ctypes.POINTER(ctypes.c_int if base == "int" else ctypes.c_size_t)
    if stars == 1:
        return ctypes.c_void_p
    return ctypes.POINTER(ctypes.c_void_p)


def _bind(text: str, handle: Any) -> Tuple[Any, Dict[str, int]]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    consts: Dict[str, int] = {}
    for name, value in re.findall(r"\b(QC_[A-Z0-9_]+)\s*=\s*(-?\d+)", text):
        consts.setdefault(name, int(value))
    enums = set(re.findall(r"typedef enum \w+ \{[^}]*\} (\w+);", text, flags=re.S))
    for ret, name, args in re.findall(r"^\s*([\w\s\*]+?)\s*\b(qc_\w+)\(([^;]*)\);", text, flags=re.M):
        if name.startswith("qc_") and "(" not in ret:
            fn = getattr(handle, name)
            fn.restype = _ctype(ret, enums)
            params = [a.strip() for a in args.split(",") if a.strip() and a.strip() != "void"]
            fn.argtypes = [_ctype(re.sub(r"\s*\b\w+$", "", p) if re.search(r"[\w\*]\s+\**\w+$", p) else p, enums)
                           for p in params]
    return handle, consts


lib, _consts = _bind(_declarations(), _load_library())
globals().update(_consts)  # QC_OK, QC_KIND_CASE, QC_CASE_REGISTERED, ...


def version() -> str:
    """The library's version, "MAJOR.MINOR.PATCH"."""
    return str(lib.qc_version_string().decode())


__version__ = version()

# ---------------------------------------------------------------- errors


class Error(Exception):
    """A failure of the library: ``code`` (negative), ``name`` ("QC_ENOREF"),
    the one-line message, and ``details`` (every problem of a rule file)."""

    def __init__(self, code: int):
        self.code = code
        self.name = lib.qc_status_name(code).decode()
        self.message = lib.qc_error_last().decode("utf-8", "replace")
        self.details = [lib.qc_error_detail(i).decode("utf-8", "replace")
                        for i in range(lib.qc_error_detail_count())]
        super().__init__(f"{self.name}: {self.message}")


class NotFound(Error, LookupError):
    """No record with that id, no store at that path, no rule set in force."""


class InvalidInput(Error, ValueError):
    """Input rejected, nothing written: a bad value, reference, duplicate,
    date, file or rule file (the tool's exit 3), or an invalid argument."""


class StoreError(Error, OSError):
    """The store or the system failed: I/O, the backend, the schema, a call
    not valid now."""


class Tampered(StoreError):
    """The journal's chain is broken, or the tables disagree with it."""


class Denied(Error, PermissionError):
    """Outside the store's office scope, or refused by the server."""


class OutOfMemory(Error, MemoryError):
    """The library ran out of memory."""


_ERROR_CLASSES = {
    "QC_ENOTFOUND": NotFound, "QC_ENOMEM": OutOfMemory, "QC_EDENIED": Denied, "QC_ETAMPERED": Tampered,
    "QC_EIO": StoreError, "QC_EBACKEND": StoreError, "QC_EUNSUPPORTED": StoreError, "QC_ESCHEMA": StoreError,
    "QC_ESTATE": StoreError, "QC_ERROR": StoreError,
}


def _check(rc: int) -> int:
    if rc < 0 and rc != _consts["QC_ITEROVER"]:
        name = _t(lib.qc_status_name(rc))
        raise _ERROR_CLASSES.get(name, InvalidInput)(rc)
    return rc


def _b(s: Optional[str]) -> Optional[bytes]:
    return None if s is None else str(s).encode("utf-8")


def _s(b: Optional[bytes]) -> Optional[str]:
    return None if b is None else b.decode("utf-8")


def _t(b: Optional[bytes]) -> str:
    """A text the library always gives (never NULL on a valid handle)."""
    return "" if b is None else b.decode("utf-8")

# ---------------------------------------------------------------- records

# array.array's type code of a pointer's size: the addresses of text columns
_POINTER_TYPECODE = next(t for t in "QLI" if array.array(t).itemsize == ctypes.sizeof(ctypes.c_void_p))

_KINDS = ["office", "department", "person", "post", "case", "participation", "act", "review", "classification",
          "revision", "designation", "step", "duty", "notice", "inspection", "selection", "assignment"]


def _looks_like_date(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()


def _kind(kind: Union[str, int]) -> int:
    if isinstance(kind, int):
        return kind
    k = lib.qc_kind_lookup(_b(kind))
    if not k:
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(_KINDS)})")
    return int(k)


def _date_text(v: Any) -> str:
    if isinstance(v, _dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class _Record:
    """An owned qc_record built from a dict (fields by name, facts under
    "facts"), or one read from a store (``ptr``) with values changed."""

    def __init__(self, kind: Union[str, int], values: Optional[Dict[str, Any]], ptr: Any = None, unset_none: bool = False):
        self.kind = _kind(kind)
        if ptr is None:
            ptr = ctypes.c_void_p()
            _check(lib.qc_record_new(ctypes.byref(ptr), self.kind))
        self.ptr = ptr
        try:
            for name, value in (values or {}).items():
                if name == "facts":
                    for fname, fv in (value or {}).items():
                        self._set_fact(fname, fv)
                    continue
                f = lib.qc_field_lookup(self.kind, _b(name))
                if f < 0:
                    raise ValueError(f"a {_KINDS[self.kind - 1]} has no field {name!r}")
                if value is not None:
                    _check(lib.qc_record_set_text(self.ptr, f, _b(_date_text(value))))
                elif unset_none:
                    _check(lib.qc_record_unset(self.ptr, f))
        except BaseException:
            self.free()
            raise

    def _set_fact(self, name: str, v: Any) -> None:
        n = _b(name)
        if v is None:
            return
        if isinstance(v, bool):
            _check(lib.qc_record_set_fact_bool(self.ptr, n, int(v)))
        elif isinstance(v, int):
            _check(lib.qc_record_set_fact_int(self.ptr, n, v))
        elif isinstance(v, float):
            _check(lib.qc_record_set_fact_decimal(self.ptr, n, v))
        elif isinstance(v, _dt.date):
            _check(lib.qc_record_set_fact_parse(self.ptr, n, _consts["QC_TYPE_DATE"], _b(v.isoformat())))
        else:
            _check(lib.qc_record_set_fact_text(self.ptr, n, _b(str(v))))

    def free(self) -> None:
        if self.ptr:
            lib.qc_record_free(self.ptr)
            self.ptr = None

    def __del__(self) -> None:
        self.free()


def _to_dict(ptr: Any) -> Dict[str, Any]:
    """A record (borrowed pointer) as a dict: numbers as int/float/bool,
    dates as ISO text, facts under "facts" with their types."""
    kind = lib.qc_record_kind(ptr)
    out: Dict[str, Any] = {}
    for i in range(lib.qc_field_count(kind)):
        name = lib.qc_field_name(kind, i).decode()
        t = lib.qc_field_type(kind, i)
        if not lib.qc_record_has(ptr, i):
            out[name] = None
        elif t == _consts["QC_TYPE_BOOL"]:
            out[name] = bool(lib.qc_record_int(ptr, i))
        elif t == _consts["QC_TYPE_INT"]:
            out[name] = lib.qc_record_int(ptr, i)
        elif t == _consts["QC_TYPE_DECIMAL"]:
            out[name] = lib.qc_record_decimal(ptr, i)
        else:
            out[name] = _s(lib.qc_record_text(ptr, i))
    n = lib.qc_record_fact_count(ptr)
    if n:
        facts = {}
        for i in range(n):
            t = lib.qc_record_fact_type(ptr, i)
            name = lib.qc_record_fact_name(ptr, i).decode()
            if t == _consts["QC_TYPE_INT"]:
                facts[name] = lib.qc_record_fact_int(ptr, i)
            elif t == _consts["QC_TYPE_DECIMAL"]:
                facts[name] = lib.qc_record_fact_decimal(ptr, i)
            elif t == _consts["QC_TYPE_BOOL"]:
                facts[name] = bool(lib.qc_record_fact_int(ptr, i))
            else:
                facts[name] = _s(lib.qc_record_fact_text(ptr, i))
        out["facts"] = facts
    return out


class _Filter:
    def __init__(self, office: Optional[str] = None, person: Optional[str] = None, case: Optional[str] = None,
                 line: Optional[str] = None, date_from: Any = None, date_to: Any = None) -> None:
        p = ctypes.c_void_p()
        _check(lib.qc_filter_new(ctypes.byref(p)))
        self.ptr: Optional[ctypes.c_void_p] = p  # None once freed
        for setter, v in ((lib.qc_filter_set_office, office), (lib.qc_filter_set_person, person),
                          (lib.qc_filter_set_case, case), (lib.qc_filter_set_line, line)):
            if v is not None:
                _check(setter(self.ptr, _b(v)))
        if date_from is not None or date_to is not None:
            lo, hi = ctypes.c_int64(), ctypes.c_int64()
            _check(lib.qc_date_parse(ctypes.byref(lo), _b(_date_text(date_from or "1900-01-01"))))
            _check(lib.qc_date_parse(ctypes.byref(hi), _b(_date_text(date_to or "2999-12-31"))))
            _check(lib.qc_filter_set_dates(self.ptr, lo.value, hi.value))

    def __del__(self) -> None:
        if getattr(self, "ptr", None):
            lib.qc_filter_free(self.ptr)
            self.ptr = None

# ---------------------------------------------------------------- stores


class Store:
    """A store: ``Store("sqlite:cases.db")``, ``Store("memory:")``.  A context
    manager; ``transaction()`` groups writes all or nothing."""

    def __init__(self, uri: str = "memory:", existing: bool = False):
        """existing=True: the store must be there already (a SQLite path
        naming no file raises, code QC_ENOTFOUND, and creates nothing)."""
        p = ctypes.c_void_p()
        opener = lib.qc_store_open_existing if existing else lib.qc_store_open
        _check(opener(ctypes.byref(p), _b(uri)))
        self.ptr: Optional[ctypes.c_void_p] = p  # None once freed
        self.uri = uri

    def set_clock(self, now: int) -> None:
        """The store's now, in seconds since 1970 UTC (0: the system clock),
        for the check that no act is dated in the future."""
        _check(lib.qc_store_set_clock(self.ptr, now))

    def import_unchanged(self) -> int:
        """How many records the last import found stored already, the same."""
        return int(lib.qc_store_import_unchanged(self.ptr))

    def import_updated(self) -> int:
        """How many records the last import (with ``update=True``) amended."""
        return int(lib.qc_store_import_updated(self.ptr))

    # ---- records that change (docs/data-model.md)

    @property
    def actor(self) -> str:
        """Who writes through this store: set it, or it is the login name."""
        return _t(lib.qc_store_actor(self.ptr))

    @actor.setter
    def actor(self, name: Optional[str]) -> None:
        _check(lib.qc_store_set_actor(self.ptr, _b(name)))

    def amend(self, kind: str, id: str, changes: Dict[str, Any], reason: str) -> None:
        """Correct a stored record: ``store.amend("case", "C1", {"closed": "2017-09-01"},
        reason="结案")``.  Fields not named keep their values; None unsets a
        field; facts under "facts" are set (others kept).  The version it
        replaces stays in ``history()``."""
        p = ctypes.c_void_p()
        _check(lib.qc_store_get(ctypes.byref(p), self.ptr, _kind(kind), _b(id)))
        r = _Record(kind, changes, ptr=p, unset_none=True)
        try:
            _check(lib.qc_store_amend(self.ptr, r.ptr, _b(reason)))
        finally:
            r.free()

    def withdraw(self, kind: str, id: Optional[str] = None, reason: Optional[str] = None,
                 match: Optional[Dict[str, Any]] = None) -> None:
        """Withdraw a wrongly recorded record, by id, or (one without an id) by
        everything it says: ``store.withdraw("act", match={...}, reason="...")``."""
        if (id is None) == (match is None):
            raise ValueError("give an id or match, not both")
        if id is not None:
            _check(lib.qc_store_withdraw(self.ptr, _kind(kind), _b(id), _b(reason)))
            return
        r = _Record(kind, match)
        try:
            _check(lib.qc_store_withdraw_record(self.ptr, r.ptr, _b(reason)))
        finally:
            r.free()

    def history(self, kind: str, id: str) -> List[Dict[str, Any]]:
        """Every revision of a record, oldest first: dicts with op ("insert",
        "amend", "withdraw"), body and prior (canonical text), actor,
        recorded and reason."""
        it = ctypes.c_void_p()
        _check(lib.qc_store_history(ctypes.byref(it), self.ptr, _kind(kind), _b(id)))
        out = []
        try:
            rec = ctypes.c_void_p()
            while _check(lib.qc_iter_next(ctypes.byref(rec), it)) != _consts["QC_ITEROVER"]:
                out.append(_to_dict(rec))
        finally:
            lib.qc_iter_free(it)
        return out

    def as_of(self, when: Union[str, int, _dt.datetime]) -> "Store":
        """The store as it was recorded at ``when`` (a datetime, ISO text or
        seconds since 1970 UTC): a new read-only in-memory Store."""
        if not isinstance(when, int):
            secs = ctypes.c_int64()
            _check(lib.qc_datetime_parse(ctypes.byref(secs), _b(_date_text(when))))
            when = secs.value
        p = ctypes.c_void_p()
        _check(lib.qc_store_open_as_of(ctypes.byref(p), self.ptr, when))
        then = Store.__new__(Store)
        then.ptr = p
        then.uri = f"{self.uri} as of {when}"
        return then

    # ---- the journal (docs/data-model.md, "The journal")

    def set_hash(self, algorithm: str) -> None:
        """Begin the journal of a new store with "sha256" (the default) or
        "sm3"; a journal begun already keeps its own (Error QC_EEXIST if
        another is asked for)."""
        _check(lib.qc_store_set_hash(self.ptr, _b(algorithm)))

    def head(self) -> Tuple[str, int]:
        """The journal's head ("sha256:HEX") and its number of entries."""
        buf = ctypes.create_string_buffer(160)
        n = ctypes.c_int64()
        _check(lib.qc_store_head(self.ptr, buf, len(buf), ctypes.byref(n)))
        return buf.value.decode(), n.value

    def verify(self, head: Optional[str] = None) -> Dict[str, Any]:
        """Check the journal's chain and the tables against it.  A store
        changed outside the library is a result, not an exception:
        {"ok": False, "bad_entry": seq, "bad_kind": "act", "bad_id": "",
        "message": "..."}; on success "ok" is True and "head" the head.  With
        head (one a report printed), "head_seen" is the entry after which it
        was the head, 0 if never."""
        v = ctypes.c_void_p()
        rc = lib.qc_store_verify(ctypes.byref(v), self.ptr, _b(head))
        if rc < 0 and rc != _consts["QC_ETAMPERED"]:
            raise Error(rc)
        message = lib.qc_error_last().decode("utf-8", "replace") if rc < 0 else ""
        try:
            kind = lib.qc_verify_bad_kind(v)
            return {"ok": rc == 0, "entries": lib.qc_verify_entries(v), "head": _s(lib.qc_verify_head(v)),
                    "head_seen": lib.qc_verify_head_seen(v), "bad_entry": lib.qc_verify_bad_entry(v),
                    "bad_kind": _s(lib.qc_kind_name(kind)) if kind else None,
                    "bad_id": _s(lib.qc_verify_bad_id(v)), "message": message}
        finally:
            lib.qc_verify_free(v)

    def close(self) -> None:
        if self.ptr:
            lib.qc_store_free(self.ptr)
            self.ptr = None

    def set_threads(self, threads: int) -> None:
        """Cap the threads whole-store jobs (``assess`` of every office) may
        use: 0 one per CPU (the default), 1 none beyond the caller's."""
        _check(lib.qc_store_set_threads(self.ptr, threads))

    def set_office_subtree(self, subtree: bool) -> None:
        """Whether an office criterion (``office=`` of iterations, counts,
        ``assess`` and the reports) takes every office under the office too
        (True; the command line's ``--office``) or the office alone (False,
        the default; ``--only``)."""
        _check(lib.qc_store_set_office_subtree(self.ptr, 1 if subtree else 0))

    def set_scope(self, office: str) -> None:
        """Confine this handle to ``office`` and the offices under it: other
        offices' records are not there, writing them raises (QC_EDENIED).
        A scope only narrows; nothing lifts it."""
        _check(lib.qc_store_set_scope(self.ptr, _b(office)))

    @property
    def scope(self) -> Optional[str]:
        """The office the handle is confined to, or None."""
        return _s(lib.qc_store_scope(self.ptr))

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    @property
    def backend(self) -> str:
        return _t(lib.qc_store_backend(self.ptr))

    @property
    def schema_version(self) -> int:
        v = ctypes.c_int()
        _check(lib.qc_store_schema_version(self.ptr, ctypes.byref(v)))
        return v.value

    def begin(self) -> None:
        _check(lib.qc_store_begin(self.ptr))

    def commit(self) -> None:
        _check(lib.qc_store_commit(self.ptr))

    def rollback(self) -> None:
        _check(lib.qc_store_rollback(self.ptr))

    def transaction(self) -> "_Transaction":
        """``with store.transaction(): ...`` - committed on success, rolled back on an exception."""
        return _Transaction(self)

    def put(self, kind: str, values: Dict[str, Any]) -> None:
        """Insert one record, e.g. ``store.put("case", {"id": "C1", ..., "facts": {"defendants": 3}})``."""
        r = _Record(kind, values)
        try:
            _check(lib.qc_store_put(self.ptr, r.ptr))
        finally:
            r.free()

    def put_many(self, kind: str, rows: Iterable[Dict[str, Any]]) -> int:
        """Insert many records of one kind in one transaction (one C call): all or none."""
        recs = [_Record(kind, row) for row in rows]
        arr = (ctypes.c_void_p * len(recs))(*[r.ptr for r in recs])
        failed = ctypes.c_size_t()
        try:
            _check(lib.qc_store_put_batch(self.ptr, ctypes.cast(arr, ctypes.POINTER(ctypes.c_void_p)), len(recs),
                                          ctypes.byref(failed)))
        finally:
            for r in recs:
                r.free()
        return len(recs)

    def get(self, kind: str, id: str) -> Dict[str, Any]:
        p = ctypes.c_void_p()
        _check(lib.qc_store_get(ctypes.byref(p), self.ptr, _kind(kind), _b(id)))
        try:
            return _to_dict(p)
        finally:
            lib.qc_record_free(p)

    def count(self, kind: str, **criteria: Any) -> int:
        n = ctypes.c_int64()
        f = _Filter(**criteria) if criteria else None
        _check(lib.qc_store_count(ctypes.byref(n), self.ptr, _kind(kind), f.ptr if f else None))
        return n.value

    def iterate(self, kind: str, **criteria: Any) -> Iterator[Dict[str, Any]]:
        """Records of a kind as dicts; criteria: office, person, case, line, date_from, date_to."""
        f = _Filter(**criteria) if criteria else None
        it = ctypes.c_void_p()
        _check(lib.qc_iter_new(ctypes.byref(it), self.ptr, _kind(kind), f.ptr if f else None))
        try:
            rec = ctypes.c_void_p()
            while True:
                rc = lib.qc_iter_next(ctypes.byref(rec), it)
                if rc == _consts["QC_ITEROVER"]:
                    return
                _check(rc)
                yield _to_dict(rec)
        finally:
            lib.qc_iter_free(it)

    def import_file(self, path: str, kind: Optional[str] = None, update: bool = False,
                    encoding: Optional[str] = None) -> int:
        """Import a CSV, YAML or JSON file, all or nothing; returns the records
        written (records stored already and the same are no change: see
        ``import_unchanged()``).  update=True: a record stored with other
        values is amended, with the file as the reason (``import_updated()``).
        encoding: the file's, when not UTF-8 ("gbk", "gb18030")."""
        n = ctypes.c_int64()
        _check(lib.qc_store_set_import_update(self.ptr, int(update)))
        try:
            _check(lib.qc_store_set_import_encoding(self.ptr, _b(encoding)))
            _check(lib.qc_store_import_file(self.ptr, _b(path), _kind(kind) if kind else 0, ctypes.byref(n)))
        finally:
            lib.qc_store_set_import_update(self.ptr, 0)
            lib.qc_store_set_import_encoding(self.ptr, None)
        return n.value

    def import_text(self, data: str, format: str, name: str = "<python>", kind: Optional[str] = None) -> int:
        raw = data.encode("utf-8")
        n = ctypes.c_int64()
        _check(lib.qc_store_import_buffer(self.ptr, raw, len(raw), _b(format), _b(name), _kind(kind) if kind else 0,
                                          ctypes.byref(n)))
        return n.value


class _Transaction:
    def __init__(self, store: Store):
        self.store = store

    def __enter__(self) -> Store:
        self.store.begin()
        return self.store

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.store.commit()
        else:
            self.store.rollback()

# ---------------------------------------------------------------- rules


class Rules:
    """Rule files, loaded side by side (versions of a rule set):
    ``Rules("v2017.yaml", "v2018.yaml")`` or ``Rules.from_string(text)``."""

    def __init__(self, *paths: str):
        p = ctypes.c_void_p()
        _check(lib.qc_rules_new(ctypes.byref(p)))
        self.ptr: Optional[ctypes.c_void_p] = p  # None once freed
        for path in paths:
            self.add(path)

    @classmethod
    def from_string(cls, yaml: str, name: str = "<string>") -> "Rules":
        r = cls()
        _check(lib.qc_rules_add_string(r.ptr, _b(yaml), _b(name)))
        return r

    def add(self, path: str) -> None:
        """Add a rule file; on failure the rules are unchanged and Error.details lists every problem."""
        _check(lib.qc_rules_add_file(self.ptr, _b(path)))

    def __del__(self) -> None:
        if getattr(self, "ptr", None):
            lib.qc_rules_free(self.ptr)
            self.ptr = None

    @property
    def versions(self) -> List[Dict[str, Any]]:
        out = []
        for i in range(lib.qc_rules_count(self.ptr)):
            out.append({
                "name": _s(lib.qc_rules_name(self.ptr, i)), "version": _s(lib.qc_rules_version(self.ptr, i)),
                "rules": [_s(lib.qc_rules_rule_id(self.ptr, i, r)) for r in range(lib.qc_rules_rule_count(self.ptr, i))],
                "labels": [_s(lib.qc_rules_label_id(self.ptr, i, r)) for r in range(lib.qc_rules_label_count(self.ptr, i))],
            })
        return out

    @property
    def hash(self) -> str:
        """The content hash of the rule texts ("sha256:HEX"; "" if none)."""
        return _t(lib.qc_rules_hash(self.ptr))

    def display_name(self, kind: str, id: str, lang: str = "zh") -> str:
        return _t(lib.qc_rules_display_name(self.ptr, _b(kind), _b(id), _b(lang)))


@dataclass
class Result:
    """One classification: the rule set version, primary label, every label
    and matched rule, the weight, and the explanation when asked for."""
    rules: str
    version: str
    primary: str
    labels: List[str]
    matched: List[str]
    weight: float
    explanation: str = ""


class Classifier:
    """Applies rules to cases (dicts or stored records).  One per thread."""

    def __init__(self, rules: Rules, store: Optional[Store] = None, explain: bool = False,
                 today: Optional[Union[str, _dt.date]] = None, office_level: Optional[str] = None):
        p = ctypes.c_void_p()
        _check(lib.qc_classifier_new(ctypes.byref(p), rules.ptr))
        self.ptr: Optional[ctypes.c_void_p] = p  # None once freed
        self.rules = rules  # keep the rules alive as long as the classifier
        if store is not None:
            _check(lib.qc_classifier_set_store(self.ptr, store.ptr))
            self.store = store
        if explain:
            _check(lib.qc_classifier_set_explain(self.ptr, 1))
        if today is not None:
            d = ctypes.c_int64()
            _check(lib.qc_date_parse(ctypes.byref(d), _b(_date_text(today))))
            _check(lib.qc_classifier_set_today(self.ptr, d.value))
        if office_level is not None:
            levels = {"national": 1, "supreme": 1, "provincial": 2, "high": 2, "city": 3, "intermediate": 3, "basic": 4}
            _check(lib.qc_classifier_set_office_level(self.ptr, levels[office_level]))

    def close(self) -> None:
        if getattr(self, "ptr", None):
            lib.qc_classifier_free(self.ptr)
            self.ptr = None

    def __enter__(self) -> "Classifier":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def classify(self, case: Dict[str, Any]) -> Result:
        """Classify one case given as a dict (fields and "facts")."""
        rec = _Record("case", case)
        try:
            res = ctypes.c_void_p()
            _check(lib.qc_classify(ctypes.byref(res), self.ptr, rec.ptr))
            return Result(
                rules=_t(lib.qc_result_rules_name(res)), version=_t(lib.qc_result_rules_version(res)),
                primary=_t(lib.qc_result_primary(res)),
                labels=[_t(lib.qc_result_label(res, i)) for i in range(lib.qc_result_label_count(res))],
                matched=[_t(lib.qc_result_match_rule(res, i)) for i in range(lib.qc_result_match_count(res))],
                weight=lib.qc_result_weight(res), explanation=_s(lib.qc_result_explanation(res)) or "")
        finally:
            rec.free()

    def prepare(self, cases: Sequence[Dict[str, Any]]) -> "CaseBatch":
        """Build C records for many cases once, to classify them in batches."""
        return CaseBatch(cases)

    def classify_batch(self, batch: "CaseBatch") -> List[Tuple[str, float]]:
        """Classify a prepared batch in one C call: [(primary, weight), ...]."""
        n = len(batch.records)
        primary = (ctypes.c_char_p * n)()
        weight = (ctypes.c_double * n)()
        failed = ctypes.c_size_t()
        _check(lib.qc_classify_batch(self.ptr, ctypes.cast(batch.array, ctypes.POINTER(ctypes.c_void_p)), n,
                                     primary, weight, ctypes.byref(failed)))
        return [(_t(primary[i]), weight[i]) for i in range(n)]

    def classify_many(self, columns: Dict[str, Sequence[Any]]) -> Tuple[List[str], List[float]]:
        """Classify many cases given as columns - one list (or other sequence)
        per field, all of one length - in one C call, the records built in C
        (qc_classify_columns): much faster than dicts.  Keys are fact names
        and the case fields "case.registered" (required), "case.closed",
        "case.id", "case.office", "case.line", "case.type", "case.stage",
        "case.source".  A column's type follows its values: text (str),
        whole numbers and booleans (int), decimals (float), dates
        (datetime.date or "YYYY-MM-DD"); None is missing.  Returns the primary
        labels and the weights, in order."""
        n = len(next(iter(columns.values()))) if columns else 0
        if n == 0 and all(len(v) == 0 for v in columns.values()):
            return [], []  # no cases: nothing to classify, whatever the columns would hold
        cols = ctypes.c_void_p()
        _check(lib.qc_columns_new(ctypes.byref(cols), n))
        keep: List[Any] = []  # the arrays live until the call returns
        try:
            for name, values in columns.items():
                if len(values) != n:
                    raise ValueError(f"classify_many: column {name!r} has {len(values)} values, not {n}")
                self._set_column(cols, name, values, keep)
            primary = (ctypes.c_void_p * n)()
            weight = (ctypes.c_double * n)()
            failed = ctypes.c_size_t()
            _check(lib.qc_classify_columns(self.ptr, cols, ctypes.cast(primary, ctypes.POINTER(ctypes.c_char_p)),
                                           weight, ctypes.byref(failed)))
        finally:
            lib.qc_columns_free(cols)
        pointers = list(primary)
        # a few label strings owned by the rules: decoded once each
        labels = {p: ctypes.string_at(p).decode("utf-8") if p else "" for p in set(pointers)}
        return list(map(labels.__getitem__, pointers)), list(weight)

    @staticmethod
    def _set_column(cols: Any, name: str, values: Sequence[Any], keep: List[Any]) -> None:
        n = len(values)
        sample = next((v for v in values if v is not None), None)
        missing = None
        if None in values:
            missing = (ctypes.c_uint8 * n)(*[v is None for v in values])
            keep.append(missing)
        if isinstance(sample, (str, _dt.date)) and (name in ("case.registered", "case.closed") or
                                                    isinstance(sample, _dt.date) or _looks_like_date(sample)):
            epoch = _dt.date(1970, 1, 1)
            # dates repeat: each converted once, then looked up
            seen = {v: 0 if v is None else ((_dt.date.fromisoformat(v) if isinstance(v, str) else v) - epoch).days
                    for v in set(values)}
            days = array.array("q", map(seen.__getitem__, values))
            keep.append(days)
            _check(lib.qc_columns_set_int(cols, _b(name), (ctypes.c_int64 * n).from_buffer(days), missing))
        elif isinstance(sample, str) or sample is None:
            # texts repeat too: each encoded once, and the column is an array
            # of the addresses of those few buffers, built by array.array at
            # C speed (a ctypes array set element by element is ten times slower)
            encoded = {v: None if v is None else v.encode("utf-8") for v in set(values)}
            keep.append(encoded)  # the buffers the addresses point into
            address: Dict[Optional[str], int] = {
                v: 0 if b is None else (ctypes.cast(ctypes.c_char_p(b), ctypes.c_void_p).value or 0)
                for v, b in encoded.items()}
            pointers = array.array(_POINTER_TYPECODE, map(address.__getitem__, values))
            keep.append(pointers)
            texts = (ctypes.c_char_p * n).from_buffer(pointers) if n else (ctypes.c_char_p * 0)()
            _check(lib.qc_columns_set_text(cols, _b(name), texts))
        elif isinstance(sample, float):
            decimals = array.array("d", values if missing is None else [0.0 if v is None else v for v in values])
            keep.append(decimals)
            _check(lib.qc_columns_set_decimal(cols, _b(name), (ctypes.c_double * n).from_buffer(decimals), missing))
        else:  # int and bool
            ints = array.array("q", values if missing is None else [0 if v is None else v for v in values])
            keep.append(ints)
            _check(lib.qc_columns_set_int(cols, _b(name), (ctypes.c_int64 * n).from_buffer(ints), missing))

    def classify_store(self, store: Store, office: Optional[str] = None) -> int:
        """Classify every case of a store (one C call), writing classification records."""
        f = _Filter(office=office) if office else None
        n = ctypes.c_int64()
        _check(lib.qc_classify_store(self.ptr, store.ptr, f.ptr if f else None, ctypes.byref(n)))
        return n.value


class CaseBatch:
    """Cases held as C records, for :meth:`Classifier.classify_batch`."""

    def __init__(self, cases: Sequence[Dict[str, Any]]):
        self.records = [_Record("case", c) for c in cases]
        self.array = (ctypes.c_void_p * len(self.records))(*[r.ptr for r in self.records])

    def __len__(self) -> int:
        return len(self.records)

# ---------------------------------------------------------------- assessment


class Assessment:
    """The assessment of a period: leaders, people, offices, verdicts, totals."""

    _LEADER = ["person", "name", "office", "role", "fraction", "counted", "required", "required_max", "average", "share",
               "focus_share", "name_only", "quota", "status", "credit"]
    _PERSON = ["id", "name", "office", "role", "in_quota", "cases", "score", "normalised", "grade", "consequence"]

    def __init__(self, ptr: Any, rules: Rules) -> None:
        self.ptr = ptr
        self.rules = rules

    @property
    def computed_on(self) -> Dict[str, Any]:
        """What it was computed on: the store's journal head and entries, and
        the content hash of the rule set that judged."""
        return {"store_state": _s(lib.qc_assessment_store_head(self.ptr)),
                "store_entries": lib.qc_assessment_store_entries(self.ptr),
                "rules": _s(lib.qc_assessment_rules_hash(self.ptr))}

    def __del__(self) -> None:
        if getattr(self, "ptr", None):
            lib.qc_assessment_free(self.ptr)
            self.ptr = None

    def _rows(self, prefix: str, count: Any, names: List[str]) -> List[Dict[str, Any]]:
        out = []
        for i in range(count(self.ptr)):
            row = {}
            for n in names:
                v = getattr(lib, f"{prefix}{n}")(self.ptr, i)
                row[n] = v.decode("utf-8") if isinstance(v, bytes) else v
            out.append(row)
        return out

    @property
    def leaders(self) -> List[Dict[str, Any]]:
        rows = self._rows("qc_assessment_leader_", lib.qc_assessment_leader_count, self._LEADER)
        for i, r in enumerate(rows):  # how their counted cases were assigned (docs/inspections.md)
            r["assigned"] = {m: lib.qc_assessment_leader_assigned(self.ptr, i, _b(m))
                             for m in ("random", "designated", "suggested", "unrecorded")}
        return rows

    @property
    def people(self) -> List[Dict[str, Any]]:
        rows = self._rows("qc_assessment_person_", lib.qc_assessment_person_count, self._PERSON)
        for r in rows:
            r["in_quota"] = bool(r["in_quota"])
        return rows

    @property
    def offices(self) -> List[Dict[str, Any]]:
        rows = self._rows("qc_assessment_office_", lib.qc_assessment_office_count,
                          ["id", "name", "level", "leaders", "complying_leaders", "leaders_handling", "complies"])
        for r in rows:
            r["complies"] = bool(r["complies"])
        return rows

    @property
    def verdicts(self) -> List[Dict[str, Any]]:
        out = []
        for i in range(lib.qc_assessment_verdict_count(self.ptr)):
            out.append({"person": _s(lib.qc_assessment_verdict_person(self.ptr, i)),
                        "case": _s(lib.qc_assessment_verdict_case(self.ptr, i)),
                        "verdict": _s(lib.qc_assessment_verdict(self.ptr, i)),
                        "evidence": _s(lib.qc_assessment_verdict_evidence(self.ptr, i))})
        return out

    def credit_explain(self, i: int, lang: str = "zh") -> str:
        """Leader i's workload credit and what earned it, with the rules' display names."""
        n = _check(lib.qc_assessment_leader_credit_explain(self.ptr, i, self.rules.ptr, _b(lang), None, 0))
        buf = ctypes.create_string_buffer(n + 1)
        lib.qc_assessment_leader_credit_explain(self.ptr, i, self.rules.ptr, _b(lang), buf, n + 1)
        return buf.value.decode("utf-8")

    def explain(self, i: int, lang: str = "zh") -> str:
        """Verdict i's evidence in lang ("zh" or "en") with the rules' display names."""
        n = _check(lib.qc_assessment_verdict_explain(self.ptr, i, self.rules.ptr, _b(lang), None, 0))
        buf = ctypes.create_string_buffer(n + 1)
        lib.qc_assessment_verdict_explain(self.ptr, i, self.rules.ptr, _b(lang), buf, n + 1)
        return buf.value.decode("utf-8")

    @property
    def notices(self) -> List[Dict[str, Any]]:
        """Process-monitoring notices open at the period's end, with their age in days."""
        out = []
        for i in range(lib.qc_assessment_notice_count(self.ptr)):
            out.append({"id": _s(lib.qc_assessment_notice_id(self.ptr, i)), "case": _s(lib.qc_assessment_notice_case(self.ptr, i)),
                        "office": _s(lib.qc_assessment_notice_office(self.ptr, i)),
                        "node": _s(lib.qc_assessment_notice_node(self.ptr, i)),
                        "level": _s(lib.qc_assessment_notice_level(self.ptr, i)),
                        "issued": _day_text(lib.qc_assessment_notice_issued(self.ptr, i)),
                        "age": lib.qc_assessment_notice_age(self.ptr, i)})
        return out

    @property
    def case_ratio(self) -> Optional[Dict[str, Any]]:
        """The case-to-proceeding ratio (案-件比): {"all": row, "offices": [row...]},
        each row {office, cases, items, ratio, components}; None when the
        rules define none."""
        if not lib.qc_assessment_has_ratio(self.ptr):
            return None
        kinds = [_s(lib.qc_assessment_ratio_component(self.ptr, k))
                 for k in range(lib.qc_assessment_ratio_component_count(self.ptr))]

        def row(i: int) -> Dict[str, Any]:
            r = lib.qc_assessment_ratio(self.ptr, i)
            return {"office": _s(lib.qc_assessment_ratio_office(self.ptr, i)) if i >= 0 else None,
                    "cases": lib.qc_assessment_ratio_cases(self.ptr, i), "items": lib.qc_assessment_ratio_items(self.ptr, i),
                    "ratio": None if r != r else r,
                    "components": {k: lib.qc_assessment_ratio_component_value(self.ptr, i, n) for n, k in enumerate(kinds)}}
        return {"all": row(-1), "offices": [row(i) for i in range(lib.qc_assessment_ratio_count(self.ptr))]}

    _ROLLUP_FIGURES = ("offices", "offices_complying", "leaders", "leaders_complying", "leaders_handling",
                       "cases_by_leaders")

    @property
    def rollups(self) -> List[Dict[str, Any]]:
        """Each office with offices under it, with its whole subtree's figures."""
        out = []
        for i in range(lib.qc_assessment_rollup_count(self.ptr)):
            at = lib.qc_assessment_rollup_office(self.ptr, i)
            row: Dict[str, Any] = {"office": _s(lib.qc_assessment_office_id(self.ptr, at)),
                                   "name": _s(lib.qc_assessment_office_name(self.ptr, at))}
            row.update({k: lib.qc_assessment_rollup_value(self.ptr, i, _b(k)) for k in self._ROLLUP_FIGURES})
            out.append(row)
        return out

    @property
    def roles(self) -> List[Dict[str, Any]]:
        """The leaders by role, in the rules' order of leader roles."""
        return [dict({"role": _s(lib.qc_assessment_role(self.ptr, i))},
                     **{k: lib.qc_assessment_role_value(self.ptr, i, _b(k)) for k in self._ROLLUP_FIGURES[2:]})
                for i in range(lib.qc_assessment_role_count(self.ptr))]

    @property
    def totals(self) -> Dict[str, int]:
        return {k: lib.qc_assessment_total(self.ptr, _b(k)) for k in
                ("offices", "offices_complying", "leaders", "leaders_handling", "cases_by_leaders", "chiefs_handling_hard",
                 "offices_without_leaders")}

    def report(self, path: str = "-", format: str = "text", lang: str = "zh", ranking: bool = True) -> None:
        """Write the notification report (text, csv, json or html) to path ("-": stdout)."""
        _check(lib.qc_report_write(self.ptr, self.rules.ptr, _b(path), _b(format), _b(lang), int(ranking)))

    def report_text(self, format: str = "text", lang: str = "zh", ranking: bool = True) -> str:
        """The notification report (text, csv, json or html) as a string, written in memory."""
        out, size = ctypes.c_char_p(), ctypes.c_size_t()
        _check(lib.qc_report_write_buffer(ctypes.byref(out), ctypes.byref(size), self.ptr, self.rules.ptr, _b(format),
                                          _b(lang), int(ranking)))
        return _take_buffer(out, size)


def assess(rules: Rules, store: Store, period: str, office: Optional[str] = None) -> Assessment:
    """Assess leaders within the quota for a period ("2017", "2017-Q2", "2017-05-01..2017-06-30")."""
    lo, hi = ctypes.c_int64(), ctypes.c_int64()
    _check(lib.qc_period_parse(ctypes.byref(lo), ctypes.byref(hi), _b(period)))
    p = ctypes.c_void_p()
    _check(lib.qc_assess(ctypes.byref(p), rules.ptr, store.ptr, _b(office), lo.value, hi.value))
    return Assessment(p, rules)

def _day_text(day: int) -> str:
    buf = ctypes.create_string_buffer(16)
    lib.qc_date_format(buf, 16, day)
    return buf.value.decode("ascii")


@contextlib.contextmanager
def _deadlines(rules: Rules, store: Store, on: Union[str, _dt.date], office: Optional[str],
               case: Optional[str]) -> Iterator[Any]:
    """The qc_deadlines of day `on`, freed when done."""
    day = ctypes.c_int64()
    _check(lib.qc_date_parse(ctypes.byref(day), _b(_date_text(on))))
    p = ctypes.c_void_p()
    _check(lib.qc_deadlines_compute(ctypes.byref(p), rules.ptr, store.ptr, _b(office), _b(case), day.value))
    try:
        yield p
    finally:
        lib.qc_deadlines_free(p)


def deadlines(rules: Rules, store: Store, on: Union[str, _dt.date], office: Optional[str] = None,
              case: Optional[str] = None, explain: Optional[str] = None) -> List[Dict[str, Any]]:
    """The open cases in a process node on day `on` (YYYY-MM-DD): each as
    {case, office, node, started, due, days_left, level, restarts,
    suspended, over_limit}, in case id order (docs/deadlines.md).  With
    explain="en" or "zh", each also has its explanation."""
    with _deadlines(rules, store, on, office, case) as p:
        out = []
        for i in range(lib.qc_deadlines_count(p)):
            row: Dict[str, Any] = {"case": _s(lib.qc_deadlines_case(p, i)), "office": _s(lib.qc_deadlines_office(p, i)),
                                   "node": _s(lib.qc_deadlines_node(p, i)),
                                   "started": _day_text(lib.qc_deadlines_started(p, i)),
                                   "due": _day_text(lib.qc_deadlines_due(p, i))}
            row.update(days_left=lib.qc_deadlines_days_left(p, i), level=_s(lib.qc_deadlines_level(p, i)),
                       restarts=lib.qc_deadlines_restarts(p, i), suspended=bool(lib.qc_deadlines_suspended(p, i)),
                       over_limit=bool(lib.qc_deadlines_over_limit(p, i)))
            if explain:
                text = lib.qc_deadlines_explain(p, i, rules.ptr, _b(explain))
                if not text:
                    raise Error(lib.qc_error_code())
                row["explanation"] = _s(text)
            out.append(row)
        return out


def node_violations(rules: Rules, store: Store, on: Union[str, _dt.date], office: Optional[str] = None,
                    case: Optional[str] = None) -> List[Dict[str, Any]]:
    """Steps taken up to day `on` without what their node requires before
    them (a node's requires:, docs/deadlines.md): each as {case, office,
    node, requirement, step, date, cite, evidence}."""
    with _deadlines(rules, store, on, office, case) as p:
        out = []
        for i in range(lib.qc_deadlines_violation_count(p)):
            out.append({"case": _s(lib.qc_deadlines_violation_case(p, i)), "office": _s(lib.qc_deadlines_violation_office(p, i)),
                        "node": _s(lib.qc_deadlines_violation_node(p, i)), "requirement": _s(lib.qc_deadlines_violation_rule(p, i)),
                        "step": _s(lib.qc_deadlines_violation_step(p, i)),
                        "date": _day_text(lib.qc_deadlines_violation_date(p, i)),
                        "cite": _s(lib.qc_deadlines_violation_cite(p, i)),
                        "evidence": _s(lib.qc_deadlines_violation_evidence(p, i))})
        return out


def dossier(rules: Rules, store: Store, person: str, period: str, path: str = "-", format: str = "text",
            lang: Optional[str] = None) -> Optional[Dict[str, Any]]:
    """A person's performance file for a period: written to path ("-": stdout),
    or, with path=None, returned as a dict (posts, cases with verdicts,
    labels, reviews and acts)."""
    lo, hi = ctypes.c_int64(), ctypes.c_int64()
    _check(lib.qc_period_parse(ctypes.byref(lo), ctypes.byref(hi), _b(period)))
    if path is not None:
        _check(lib.qc_dossier_write(rules.ptr, store.ptr, _b(person), lo.value, hi.value, _b(path), _b(format), _b(lang)))
        return None
    import json
    out, size = ctypes.c_char_p(), ctypes.c_size_t()
    _check(lib.qc_dossier_write_buffer(ctypes.byref(out), ctypes.byref(size), rules.ptr, store.ptr, _b(person), lo.value,
                                       hi.value, b"json", _b(lang)))
    result: Dict[str, Any] = json.loads(_take_buffer(out, size))
    return result


def _take_buffer(out: "ctypes.c_char_p", size: "ctypes.c_size_t") -> str:
    """The text of a buffer the library allocated, which is freed here."""
    try:
        address = ctypes.cast(out, ctypes.c_void_p).value
        return ctypes.string_at(address, size.value).decode("utf-8") if address else ""
    finally:
        lib.qc_free(out)

# ---------------------------------------------------------------- rule tests


@dataclass
class TestReport:
    """The outcome of a rule test file (see docs/rules.md)."""
    __test__ = False  # not a pytest test class
    total: int
    failed: int
    tap: str
    rules: int
    covered: int
    uncovered: List[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.failed == 0


def run_rule_tests(path: str) -> TestReport:
    """Run a rule test file.  Failing tests are reported, not raised; an
    invalid rule or test file raises :class:`Error`.  In unittest::

        report = quotacase.run_rule_tests("liaoning.test.yaml")
        self.assertTrue(report.passed, report.tap)
    """
    p = ctypes.c_void_p()
    rc = lib.qc_rules_test_file(ctypes.byref(p), _b(path))
    if rc < 0 and rc != _consts["QC_ETESTFAIL"]:
        raise Error(rc)
    try:
        return TestReport(
            total=lib.qc_test_report_total(p), failed=lib.qc_test_report_failed(p),
            tap=_t(lib.qc_test_report_tap(p)), rules=lib.qc_test_report_rule_count(p),
            covered=lib.qc_test_report_covered_count(p),
            uncovered=[_t(lib.qc_test_report_uncovered(p, i))
                       for i in range(lib.qc_test_report_rule_count(p) - lib.qc_test_report_covered_count(p))])
    finally:
        lib.qc_test_report_free(p)

# ---------------------------------------------------------------- inspections and assignment


def _period(period: str) -> Tuple[int, int]:
    lo, hi = ctypes.c_int64(), ctypes.c_int64()
    _check(lib.qc_period_parse(ctypes.byref(lo), ctypes.byref(hi), _b(period)))
    return lo.value, hi.value


class Sample:
    """An inspection's cases: a draw (Plan.draw) or a recorded inspection
    (load_inspection).  ``cases`` is a list of dicts, by stratum then case."""

    _ROW = ["case", "office", "department", "line", "handler", "labels", "stratum", "reason", "grade"]

    def __init__(self, ptr: Any) -> None:
        self.ptr = ptr

    def __del__(self) -> None:
        if getattr(self, "ptr", None):
            lib.qc_sample_free(self.ptr)
            self.ptr = None

    def _text(self, fn: str) -> Optional[str]:
        return _s(getattr(lib, "qc_sample_" + fn)(self.ptr))

    @property
    def id(self) -> Optional[str]:
        return self._text("id")

    @property
    def list_hash(self) -> str:
        return self._text("list_hash") or ""

    @property
    def head(self) -> str:
        return self._text("head") or ""

    @property
    def seed(self) -> str:
        return self._text("seed") or ""

    @property
    def candidates(self) -> int:
        return int(lib.qc_sample_candidates(self.ptr))

    @property
    def cases(self) -> List[Dict[str, Any]]:
        out = []
        for i in range(lib.qc_sample_count(self.ptr)):
            row: Dict[str, Any] = {}
            for k in self._ROW:
                fn = "qc_sample_case" if k == "case" else "qc_sample_case_" + k
                row[k] = _s(getattr(lib, fn)(self.ptr, i))
            out.append(row)
        return out

    @property
    def strata(self) -> List[Dict[str, Any]]:
        return [{"stratum": _t(lib.qc_sample_stratum(self.ptr, i)),
                 "candidates": int(lib.qc_sample_stratum_candidates(self.ptr, i)),
                 "triggered": int(lib.qc_sample_stratum_triggered(self.ptr, i)),
                 "drawn": int(lib.qc_sample_stratum_drawn(self.ptr, i))}
                for i in range(lib.qc_sample_strata_count(self.ptr))]

    def record(self, store: Store, id: str, by: str) -> None:
        """Record the draw as inspection id, with its selections, in one transaction."""
        _check(lib.qc_sample_record(self.ptr, store.ptr, _b(id), _b(by)))

    def write(self, path: str = "-", format: str = "text", lang: str = "zh") -> None:
        """The list as text, csv, json or html (a printable checklist)."""
        _check(lib.qc_sample_write(self.ptr, _b(path), _b(format), _b(lang)))


class Plan:
    """A sampling plan (docs/inspections.md); every problem of the file at
    once in the error's ``details``."""

    def __init__(self, path: Optional[str] = None, text: Optional[str] = None, name: str = "<string>") -> None:
        p = ctypes.c_void_p()
        if text is not None:
            data = text.encode("utf-8")
            _check(lib.qc_plan_load_string(ctypes.byref(p), data, len(data), _b(name)))
        else:
            _check(lib.qc_plan_load_file(ctypes.byref(p), _b(path)))
        self.ptr: Any = p

    def __del__(self) -> None:
        if getattr(self, "ptr", None):
            lib.qc_plan_free(self.ptr)
            self.ptr = None

    @property
    def id(self) -> str:
        return _t(lib.qc_plan_id(self.ptr))

    @property
    def hash(self) -> str:
        return _t(lib.qc_plan_hash(self.ptr))

    def draw(self, rules: Optional[Rules], store: Store, office: str, period: str, seed: str) -> Sample:
        """Draw the cases of office (and the offices under it) for period; nothing is written."""
        lo, hi = _period(period)
        p = ctypes.c_void_p()
        _check(lib.qc_sample_draw(ctypes.byref(p), self.ptr, rules.ptr if rules else None, store.ptr, _b(office),
                                  lo, hi, _b(seed)))
        return Sample(p)


def load_inspection(store: Store, id: str) -> Sample:
    """A recorded inspection with the grades of the reviews made for it."""
    p = ctypes.c_void_p()
    _check(lib.qc_sample_load(ctypes.byref(p), store.ptr, _b(id)))
    return Sample(p)


def check_inspection(store: Store, id: str, plan: Plan, rules: Optional[Rules] = None) -> Sample:
    """Draw a recorded inspection again on the store as it was; raises
    Tampered naming the first difference, InvalidInput for another plan or
    other rules.  Returns the draw made again."""
    p = ctypes.c_void_p()
    _check(lib.qc_sample_check(ctypes.byref(p), store.ptr, _b(id), plan.ptr, rules.ptr if rules else None))
    return Sample(p)


class Suggestion:
    """The handlers who may take a case, best first (``candidates``)."""

    _ROW = ["person", "name", "role", "leader", "weight", "cases", "counted", "required", "focus_share",
            "focus_required", "score"]

    def __init__(self, ptr: Any) -> None:
        self.ptr = ptr

    def __del__(self) -> None:
        if getattr(self, "ptr", None):
            lib.qc_suggestion_free(self.ptr)
            self.ptr = None

    @property
    def case(self) -> str:
        return _t(lib.qc_suggestion_case(self.ptr))

    @property
    def hard(self) -> bool:
        return bool(lib.qc_suggestion_hard(self.ptr))

    @property
    def candidates(self) -> List[Dict[str, Any]]:
        out = []
        for i in range(lib.qc_suggestion_count(self.ptr)):
            row: Dict[str, Any] = {}
            for k in self._ROW:
                v = getattr(lib, "qc_suggestion_" + k)(self.ptr, i)
                row[k] = _s(v) if isinstance(v, bytes) or v is None else v
            row["leader"] = bool(row["leader"])
            out.append(row)
        return out


def suggest(rules: Rules, store: Store, case: str, day: Optional[str] = None) -> Suggestion:
    """Who may take case on day (default: its registration), ranked by how much it helps them meet the quota."""
    d = ctypes.c_int64(0)
    if day is not None:
        _check(lib.qc_date_parse(ctypes.byref(d), _b(day)))
    p = ctypes.c_void_p()
    _check(lib.qc_suggest(ctypes.byref(p), rules.ptr, store.ptr, _b(case), d.value))
    return Suggestion(p)


_METHODS = {"random": 1, "designated": 2, "suggested": 3}


def assign(store: Store, suggestion: Suggestion, method: str, by: str, person: Optional[str] = None,
           seed: Optional[str] = None, reason: Optional[str] = None, capacity: Optional[str] = "lead") -> str:
    """Assign the suggestion's case (random with seed, designated with person
    and reason, suggested); recorded.  Returns the person assigned."""
    if method not in _METHODS:
        raise ValueError(f"method {method!r} is not random, designated or suggested")
    chosen = ctypes.c_char_p()
    _check(lib.qc_assign(ctypes.byref(chosen), store.ptr, suggestion.ptr, _METHODS[method], _b(person), _b(seed),
                         _b(by), _b(reason), _b(capacity)))
    return _t(chosen.value)
