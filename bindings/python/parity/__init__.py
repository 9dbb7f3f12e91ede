"""parity from Python: staff gender-balance statistics as pandas DataFrames.

A thin client of the C library (include/parity.h, libparity.so) through
ctypes; every analysis runs in C with the GIL released. See
bindings/README.md.

    import parity
    t = parity.load("data/sample.csv")
    t.representation(by=["grade"])          # a DataFrame
"""
import ctypes
import io
import json
import threading

from . import _lib
from ._frames import frame, report_frames

__all__ = ["ParityError", "Config", "Table", "Report", "load", "open_store", "version"]
_L = _lib.lib


def version():
    """The version of the C library loaded ("0.1.0")."""
    return _L.parity_version().decode()


__version__ = version()


class ParityError(Exception):
    """A failed call: `status` (2 usage, 3 invalid input data, ...), its
    `status_name` ("PARITY_INVALID"), the library's message, and for a load
    every problem found as `diagnostics` ("file:line:column: what")."""

    def __init__(self, status, message, diagnostics=()):
        self.status = status
        self.status_name = _L.parity_status_name(status).decode()
        self.message = message
        self.diagnostics = list(diagnostics)
        text = message or _L.parity_status_message(status).decode()
        if self.diagnostics:
            text += "\n" + "\n".join(self.diagnostics[:20])
            if len(self.diagnostics) > 20:
                text += f"\n... and {len(self.diagnostics) - 20} more"
        super().__init__(text)


def _b(s):
    return None if s is None else str(s).encode()


def _render(render, handle, what):
    """The JSON document a render function of the library writes for handle
    (into a buffer the library allocates, freed here)."""
    text = ctypes.c_void_p()
    n = ctypes.c_size_t()
    rc = render(handle, _lib.FORMAT_JSON, ctypes.byref(text), ctypes.byref(n))
    if rc != _lib.OK:
        raise ParityError(rc, "rendering " + what)
    try:
        return json.loads(ctypes.string_at(text, n.value).decode())
    finally:
        _L.parity_free(text)


def _by(by):
    if by is None:
        return None
    if isinstance(by, str):
        return by.encode()
    return ",".join(by).encode()


class _Owned:
    """A C handle freed by close(), by `with`, or by the garbage collector."""

    _free = None

    def __init__(self, handle):
        if not handle:
            raise MemoryError("parity: out of memory")
        self._h = handle
        self._lock = threading.Lock()

    def close(self):
        h, self._h = self._h, None
        if h:
            type(self)._free(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _handle(self):
        if not self._h:
            raise ValueError(f"parity: the {type(self).__name__} is closed")
        return self._h


class Config(_Owned):
    """How input is read and what is judged against what: the configuration
    file's settings (README, "Configuration file") as keywords, or `file=`.

        Config(columns={"sex": "Gender"}, sex_codes={"Woman": "F"},
               grade_order="none", grades=["G1", "G2"], date_format="%m/%d/%Y",
               delimiter=";", encoding="cp1252", drop=["Name"], min_cell=5,
               band=(0.5, 0.03), targets=["grade=P4:0.5:2028"],
               breakdowns=["department"], file="parity.json")
    """

    _free = staticmethod(_L.parity_config_free)

    def __init__(self, file=None, columns=None, sex_codes=None, grade_order=None, grades=None,
                 date_format=None, delimiter=None, encoding=None, drop=None, min_cell=None,
                 band=None, targets=None, breakdowns=None):
        super().__init__(_L.parity_config_new())
        h = self._h
        calls = []
        if file is not None:
            calls.append(lambda: _L.parity_config_load(h, _b(file)))
        for name, header in (columns or {}).items():
            for one in [header] if isinstance(header, str) else header:
                calls.append(lambda n=name, o=one: _L.parity_config_set_column(h, _b(n), _b(o)))
        for value, code in (sex_codes or {}).items():
            calls.append(lambda v=value, c=code: _L.parity_config_set_sex_code(h, _b(v), _b(c)))
        if grade_order is not None:
            calls.append(lambda: _L.parity_config_set_grade_order(h, _b(grade_order)))
        if grades is not None:
            g = grades if isinstance(grades, str) else ",".join(grades)
            calls.append(lambda: _L.parity_config_set_grades(h, _b(g)))
        if isinstance(date_format, str):
            calls.append(lambda: _L.parity_config_set_date_format(h, None, _b(date_format)))
        for col, fmt in (date_format or {}).items() if isinstance(date_format, dict) else ():
            calls.append(lambda c=col, f=fmt: _L.parity_config_set_date_format(h, _b(c), _b(f)))
        if delimiter is not None:
            calls.append(lambda: _L.parity_config_set_delimiter(h, _b(delimiter)))
        if encoding is not None:
            calls.append(lambda: _L.parity_config_set_encoding(h, _b(encoding)))
        for header in drop or ():
            calls.append(lambda x=header: _L.parity_config_drop_column(h, _b(x)))
        if min_cell is not None:
            calls.append(lambda: _L.parity_config_set_min_cell(h, int(min_cell)))
        if band is not None:
            calls.append(lambda: _L.parity_config_set_band(h, float(band[0]), float(band[1])))
        if targets is not None:
            _L.parity_config_clear_targets(h)
            for spec in targets:
                calls.append(lambda s=spec: _L.parity_config_add_target(h, _b(s)))
        for by in breakdowns or ():
            calls.append(lambda x=by: _L.parity_config_add_breakdown(h, _by(x)))
        for call in calls:
            rc = call()
            if rc != _lib.OK:
                msg = _L.parity_config_errmsg(h).decode("utf-8", "replace")
                self.close()
                raise ParityError(rc, msg)


def _config_handle(config):
    if config is None:
        return None
    if isinstance(config, Config):
        return config._handle()
    if isinstance(config, dict):
        return Config(**config)._handle()
    raise TypeError("config: a parity.Config or a dict of its keywords")


class Table(_Owned):
    """Staff snapshots in the columnar core. Made by parity.load(),
    parity.open_store() or Table.from_pandas(); analyses return DataFrames
    whose columns follow the JSON contract (README, "JSON output")."""

    _free = staticmethod(_L.parity_table_free)

    def __init__(self, config=None, threads=None):
        cfg = config if isinstance(config, Config) or config is None else Config(**config)
        super().__init__(_L.parity_table_new(_config_handle(cfg)))
        self._config = cfg  # the table copies it; kept only to keep a dict's alive
        if threads is not None:
            self._check(_L.parity_table_set_threads(self._h, int(threads)))

    # ---- errors -------------------------------------------------------
    def _error(self, rc):
        h = self._h
        diags = [_L.parity_table_diagnostic(h, i).decode("utf-8", "replace")
                 for i in range(_L.parity_table_ndiagnostics(h))]
        msg = _L.parity_table_errmsg(h).decode("utf-8", "replace")
        if not msg and diags:
            total = _L.parity_table_ndiagnostics_total(h)
            msg = f"{total} problem{'s' if total != 1 else ''} found; nothing loaded"
        return ParityError(rc, msg, diags)

    def _check(self, rc):
        if rc != _lib.OK:
            raise self._error(rc)

    # ---- loading ------------------------------------------------------
    def load_csv(self, path, date=None):
        """Appends one CSV file (all of it, or nothing: ParityError with the
        diagnostics); `date` for a file without a snapshot_date column."""
        with self._lock:
            self._check(_L.parity_table_load_csv(self._handle(), _b(path), _b(date)))
        return self

    def load_bytes(self, data, name="<bytes>", date=None):
        """Appends CSV text held in memory (bytes or str)."""
        if isinstance(data, str):
            data = data.encode()
        with self._lock:
            self._check(_L.parity_table_load_csv_buffer(self._handle(), _b(name), data, len(data),
                                                        _b(date)))
        return self

    @classmethod
    def from_pandas(cls, df, date=None, config=None, name="<DataFrame>"):
        """A table from an analyst's DataFrame: its columns named as in a CSV
        export (snapshot_date, staff_id, sex, grade, ... or mapped by
        `config`), and `date` when it has no snapshot_date column."""
        buf = io.StringIO()
        df.to_csv(buf, index=False)
        t = cls(config)
        try:
            t.load_bytes(buf.getvalue(), name=name, date=date)
        except Exception:
            t.close()
            raise
        return t

    @property
    def warnings(self):
        h = self._handle()
        return [_L.parity_table_warning(h, i).decode("utf-8", "replace")
                for i in range(_L.parity_table_nwarnings(h))]

    def __len__(self):
        return _L.parity_table_nrows(self._handle())

    @property
    def snapshots(self):
        """The snapshot dates, oldest first, with their rows."""
        h = self._handle()
        out = []
        for i in range(_L.parity_table_nsnapshots(h)):
            d = ctypes.create_string_buffer(11)
            n = ctypes.c_size_t()
            _L.parity_table_snapshot(h, i, d, ctypes.byref(n))
            out.append((d.value.decode(), n.value))
        return out

    def __repr__(self):
        if not self._h:
            return "<parity.Table closed>"
        s = self.snapshots
        span = f"{s[0][0]} to {s[-1][0]}" if s else "empty"
        return f"<parity.Table {len(self):,} rows, {len(s)} snapshots, {span}>"

    # ---- analyses -----------------------------------------------------
    def _result(self, call):
        out = ctypes.c_void_p()
        with self._lock:
            rc = call(ctypes.byref(out))
            if rc != _lib.OK:
                raise self._error(rc)
        try:
            doc = _render(_L.parity_result_render, out, "the result")
        finally:
            _L.parity_result_free(out)
        return frame(doc)

    def representation(self, by=None, at=None):
        """Stock counts and shares by group (DESIGN.md, "Definitions"); `by`
        a dimension or a list of them (default grade; "" or [] the whole
        population), `at` a snapshot date (default the latest)."""
        h = self._handle()
        b = b"" if by == [] else _by(by)
        return self._result(lambda out: _L.parity_representation(h, b, _b(at), out))

    def flows(self, by=None, start=None, end=None, mobility_by=None):
        """Hires, separations, promotions, demotions and moves between
        snapshots `start` and `end` (default: the latest pair), pooled."""
        h = self._handle()
        b = b"" if by == [] else _by(by)
        return self._result(lambda out: _L.parity_flows(h, b, _b(start), _b(end), _b(mobility_by), out))

    def _options(self, **kw):
        o = _L.parity_project_options_new()
        if not o:
            raise MemoryError("parity: out of memory")
        try:
            for key, value in kw.items():
                if value is None:
                    continue
                if key == "set":
                    items = value.items() if isinstance(value, dict) else (v.split("=", 1) for v in value)
                    for k, v in items:
                        self._opt(o, "set", f"{k}={v}")
                    continue
                if key == "by":
                    value = _by(value).decode()
                if isinstance(value, bool):
                    value = int(value)
                self._opt(o, key, str(value))
        except Exception:
            _L.parity_project_options_free(o)
            raise
        return o

    @staticmethod
    def _opt(o, key, value):
        rc = _L.parity_project_options_set(o, key.encode(), value.encode())
        if rc != _lib.OK:
            raise ParityError(rc, f"'{key}': {value!r} is not a valid value")

    def project(self, method="trend", by=None, at=None, horizon=None, snapshots=None, periods=None,
                growth=None, set=None, simulations=None, seed=None, fixed_rates=None):
        """Projections of the female share to the horizon and parity years
        (trend line, or the flow model with what-if changes: `set` a dict
        {"hire_share:P4": 0.6} or a list of "KEY=VALUE")."""
        h = self._handle()
        o = self._options(method=method, by=by, at=at, horizon=horizon, snapshots=snapshots,
                          periods=periods, growth=growth, set=set, simulations=simulations, seed=seed,
                          fixed_rates=fixed_rates)
        try:
            return self._result(lambda out: _L.parity_project(h, o, out))
        finally:
            _L.parity_project_options_free(o)

    def targets(self, targets=None, at=None, snapshots=None, periods=None):
        """The status of every target: `targets` a list of specs
        ("grade=P4:0.5:2028"), else the configuration's."""
        h = self._handle()
        o = self._options(at=at, snapshots=snapshots, periods=periods)
        try:
            for spec in targets or ():
                self._opt(o, "target", spec)
            return self._result(lambda out: _L.parity_targets(h, o, out))
        finally:
            _L.parity_project_options_free(o)

    def report(self, min_cell=None, at=None, history=None, pooled=None):
        """The annual report: a Report, a dict of DataFrames (one per table,
        `report["representation_by_grade"]`) with the headline, notes and
        the rest of the model in `.model`."""
        h = self._handle()
        o = _L.parity_report_options_new()
        if not o:
            raise MemoryError("parity: out of memory")
        rep = ctypes.c_void_p()
        try:
            for key, value in (("min_cell", min_cell), ("at", at), ("history", history),
                               ("pooled", pooled)):
                if value is not None:
                    rc = _L.parity_report_options_set(o, key.encode(), str(value).encode())
                    if rc != _lib.OK:
                        raise ParityError(rc, f"'{key}': {value!r} is not a valid value")
            with self._lock:
                rc = _L.parity_report_build(h, o, ctypes.byref(rep))
                if rc != _lib.OK:
                    raise self._error(rc)
            return Report(rep)
        finally:
            _L.parity_report_options_free(o)


class Report(dict):
    """The report's tables as DataFrames by name; `.model` the JSON model
    (headline, notes, suppression, ...); `.to_xlsx(path)` the workbook."""

    def __init__(self, handle):
        self._h = handle
        try:
            self.model = _render(_L.parity_report_render, handle, "the report")
            super().__init__(report_frames(self.model))
        except Exception:
            self.close()
            raise

    @property
    def headline(self):
        return self.model.get("headline", {})

    def to_xlsx(self, path):
        rc = _L.parity_report_write_xlsx(self._h, _b(path))
        if rc != _lib.OK:
            raise ParityError(rc, f"{path}: cannot write")

    def close(self):
        h, self._h = getattr(self, "_h", None), None
        if h:
            _L.parity_report_free(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


def load(paths, date=None, config=None, threads=None):
    """A Table from CSV files: `paths` one path or a list; `date` the
    snapshot date of files without a snapshot_date column (one for all, or
    one per file)."""
    files = [paths] if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__") else list(paths)
    dates = date if isinstance(date, (list, tuple)) else [date] * len(files)
    if len(dates) != len(files):
        raise ValueError("date: one for all the files, or one per file")
    t = Table(config, threads)
    try:
        for f, d in zip(files, dates):
            t.load_csv(str(f), d)
    except Exception:
        t.close()
        raise
    return t


def open_store(path="parity.db", config=None):
    """A Table with every snapshot of the store at `path` (read only)."""
    s = ctypes.c_void_p()
    rc = _L.parity_store_open(_b(path), _lib.STORE_READ, ctypes.byref(s))
    try:
        if rc != _lib.OK:
            msg = _L.parity_store_errmsg(s).decode("utf-8", "replace") if s else ""
            raise ParityError(rc, msg or f"{path}: cannot open the store")
        t = Table(config)
        rc = _L.parity_table_load_store(t._h, s)
        if rc != _lib.OK:
            err = t._error(rc)
            t.close()
            raise err
        return t
    finally:
        _L.parity_store_close(s)
