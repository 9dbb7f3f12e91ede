"""The C library, through ctypes: where it is found, and the signatures of
the functions of include/parity.h the package calls. Nothing else of the
package touches ctypes."""
import ctypes
import ctypes.util
import os

c_char_pp = ctypes.POINTER(ctypes.c_char_p)
VERSION_NEEDED = 100  # 0.1.0: parity_version_number() at least this


class _Handle(ctypes.c_void_p):
    pass


def _candidates():
    env = os.environ.get("PARITY_LIBRARY")
    if env:
        yield env
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(here, "libparity.so")  # installed beside the package
    # a clone: bindings/python/parity -> build/libparity.so
    yield os.path.join(here, "..", "..", "..", "build", "libparity.so")
    found = ctypes.util.find_library("parity")
    if found:
        yield found


def _load():
    tried = []
    for path in _candidates():
        if not os.path.isabs(path) and os.sep in path:
            path = os.path.abspath(path)
        if os.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            # CDLL (not PyDLL): every call releases the GIL while it runs
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append(f"{path} ({e})")
    raise ImportError("parity: libparity.so not found; build it (cmake --build build) or set "
                      "PARITY_LIBRARY. Tried: " + "; ".join(tried))


lib = _load()

_SIGS = {
    "parity_version": (ctypes.c_char_p, []),
    "parity_version_number": (ctypes.c_int, []),
    "parity_free": (None, [ctypes.c_void_p]),
    "parity_status_name": (ctypes.c_char_p, [ctypes.c_int]),
    "parity_status_message": (ctypes.c_char_p, [ctypes.c_int]),
    "parity_config_new": (ctypes.c_void_p, []),
    "parity_config_free": (None, [ctypes.c_void_p]),
    "parity_config_errmsg": (ctypes.c_char_p, [ctypes.c_void_p]),
    "parity_config_load": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    "parity_config_set_column": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]),
    "parity_config_drop_column": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    "parity_config_set_delimiter": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    "parity_config_set_encoding": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    "parity_config_set_sex_code": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]),
    "parity_config_set_grade_order": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    "parity_config_set_grades": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    "parity_config_set_date_format": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]),
    "parity_config_set_min_cell": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_long]),
    "parity_config_add_breakdown": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    "parity_config_set_band": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_double, ctypes.c_double]),
    "parity_config_add_target": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    "parity_config_clear_targets": (None, [ctypes.c_void_p]),
    "parity_table_new": (ctypes.c_void_p, [ctypes.c_void_p]),
    "parity_table_free": (None, [ctypes.c_void_p]),
    "parity_table_set_threads": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int]),
    "parity_table_errmsg": (ctypes.c_char_p, [ctypes.c_void_p]),
    "parity_table_load_csv": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]),
    "parity_table_load_csv_buffer": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p,
                                                    ctypes.c_size_t, ctypes.c_char_p]),
    "parity_table_ndiagnostics": (ctypes.c_size_t, [ctypes.c_void_p]),
    "parity_table_ndiagnostics_total": (ctypes.c_size_t, [ctypes.c_void_p]),
    "parity_table_diagnostic": (ctypes.c_char_p, [ctypes.c_void_p, ctypes.c_size_t]),
    "parity_table_nwarnings": (ctypes.c_size_t, [ctypes.c_void_p]),
    "parity_table_warning": (ctypes.c_char_p, [ctypes.c_void_p, ctypes.c_size_t]),
    "parity_table_nrows": (ctypes.c_size_t, [ctypes.c_void_p]),
    "parity_table_nsnapshots": (ctypes.c_size_t, [ctypes.c_void_p]),
    "parity_table_snapshot": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p,
                                             ctypes.POINTER(ctypes.c_size_t)]),
    "parity_store_open": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p)]),
    "parity_store_close": (None, [ctypes.c_void_p]),
    "parity_store_errmsg": (ctypes.c_char_p, [ctypes.c_void_p]),
    "parity_table_load_store": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p]),
    "parity_representation": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p,
                                             ctypes.POINTER(ctypes.c_void_p)]),
    "parity_flows": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                    ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]),
    "parity_project_options_new": (ctypes.c_void_p, []),
    "parity_project_options_set": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]),
    "parity_project_options_free": (None, [ctypes.c_void_p]),
    "parity_project": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]),
    "parity_targets": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]),
    "parity_result_free": (None, [ctypes.c_void_p]),
    "parity_result_render": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                                            ctypes.POINTER(ctypes.c_size_t)]),
    "parity_report_options_new": (ctypes.c_void_p, []),
    "parity_report_options_set": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]),
    "parity_report_options_free": (None, [ctypes.c_void_p]),
    "parity_report_build": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]),
    "parity_report_free": (None, [ctypes.c_void_p]),
    "parity_report_render": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                                            ctypes.POINTER(ctypes.c_size_t)]),
    "parity_report_write_xlsx": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
}
for _name, (_res, _args) in _SIGS.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args

if lib.parity_version_number() < VERSION_NEEDED:
    raise ImportError(f"parity: libparity {lib.parity_version().decode()} is older than these "
                      "bindings need")

OK, USAGE, INVALID = 0, 2, 3
FORMAT_JSON = 1
STORE_READ = 0
