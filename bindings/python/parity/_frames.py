"""Results as pandas DataFrames, column for column as the JSON contract
(README, "JSON output"): nested names joined with "_" ("hires_female",
"tests_separation_impact_ratio", as the CLI's CSV names them), intervals as
two columns (ci95_low, ci95_high), null as NA, counts as nullable integers,
dimension columns categorical in the engine's order (grades in scale
order), and the total row, when there is one, last with is_total True. The
result's parameters, inputs, notes and other fields are in df.attrs."""
import pandas as pd

META_SKIP = {"groups", "total"}


def _flatten(prefix, value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}_{k}" if prefix else k, v, out)
    elif isinstance(value, list) and len(value) == 2 and all(
            isinstance(x, (int, float)) or x is None for x in value):
        out[f"{prefix}_low"], out[f"{prefix}_high"] = value
    else:
        out[prefix] = value


def _dims(doc):
    by = (doc.get("parameters") or {}).get("by")
    if isinstance(by, list):
        return [d if isinstance(d, str) else d.get("name") for d in by]
    if isinstance(by, str):
        return [d for d in by.split(",") if d]
    return []


def _typed(df, dims):
    # an interval withheld in some rows came as one null column beside its
    # two halves: the halves hold it
    for col in [c for c in df.columns if f"{c}_low" in df.columns and f"{c}_high" in df.columns]:
        df = df.drop(columns=col)
    for col in df.columns:
        s = df[col]
        if col in dims:
            cats = list(dict.fromkeys(v for v in s if isinstance(v, str)))
            df[col] = pd.Categorical(s, categories=cats, ordered=True)
            continue
        values = [v for v in s if v is not None]
        if col == "is_total" or (values and all(isinstance(v, bool) for v in values)):
            df[col] = s.astype("boolean")
        elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            df[col] = s.astype("Int64")
        elif values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            df[col] = s.astype("Float64")
        elif values and all(isinstance(v, str) for v in values):
            df[col] = s.astype("string")
        elif not values:
            df[col] = s.astype("object").where(s.notna(), pd.NA)
    return df


def _objects(rows):
    """Rows as a frame of Python values (None for null), before typing: no
    integer column turned float by a missing value on the way."""
    cols = list(dict.fromkeys(k for r in rows for k in r))
    return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in cols})


def frame(doc):
    """A command's JSON document as a DataFrame."""
    dims = _dims(doc)
    rows = []
    for g in doc.get("groups", []):
        flat = {}
        _flatten("", g, flat)
        rows.append(flat)
    total = doc.get("total")
    if total is not None:
        flat = {d: None for d in dims}
        _flatten("", total, flat)
        for r in rows:
            r["is_total"] = False
        flat["is_total"] = True
        rows.append(flat)
    df = _typed(_objects(rows), dims)
    df.attrs = {k: v for k, v in doc.items() if k not in META_SKIP}
    return df


def report_frames(model):
    """The report's tables by name, each a DataFrame with its title and
    notes in attrs."""
    out = {}
    for name, t in model.get("tables", {}).items():
        dims = [c["name"] for c in t["columns"] if c["type"] == "dimension"]
        rows = []
        for r in t["rows"]:
            flat = {}
            _flatten("", r, flat)
            rows.append(flat)
        df = _typed(_objects(rows), dims)
        df.attrs = {"title": t["title"], "notes": t.get("notes", [])}
        out[name] = df
    return out
