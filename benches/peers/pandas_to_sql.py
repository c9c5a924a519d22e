"""The Python user's usual ways into a database, timed on the same bars ferrotrade writes:
pandas DataFrame.to_sql (SQLAlchemy; psycopg2 / PyMySQL / sqlite3) and, for SQLite, one INSERT
per row through the stdlib sqlite3 driver.

usage: pandas_to_sql.py '<json>' with {"csv": path, "rows": n, "runs": r,
       "targets": [{"name": "sqlite"|"postgres"|"mysql", "url": SQLAlchemy URL, "path": sqlite file}]}
Each run appends into an empty `bars` table (the store's schema) that the caller prepared and this
script empties before each run. Prints one JSON line.
"""
import json
import sqlite3
import sys
import time

import pandas as pd
import sqlalchemy


def load(csv, rows):
    # The caller writes epoch-millisecond times (synthetic days run past pandas' year 2262).
    df = pd.read_csv(csv, nrows=rows)
    return pd.DataFrame({
        "symbol": "BENCH",
        "timeframe": "1d",
        "time": df["time"].astype("int64"),
        "open": df["open"].astype("float64"),
        "high": df["high"].astype("float64"),
        "low": df["low"].astype("float64"),
        "close": df["close"].astype("float64"),
        "volume": df["volume"].astype("float64"),
        "open_interest": None,
    })


def main():
    args = json.loads(sys.argv[1])
    df = load(args["csv"], args["rows"])
    out = {"rows": len(df), "pandas_version": pd.__version__, "sqlalchemy_version": sqlalchemy.__version__,
           "python_version": sys.version.split()[0], "targets": {}}
    for t in args["targets"]:
        engine = sqlalchemy.create_engine(t["url"])
        runs = []
        for _ in range(args["runs"]):
            with engine.begin() as conn:
                conn.execute(sqlalchemy.text("DELETE FROM bars"))
            t0 = time.perf_counter()
            df.to_sql("bars", engine, if_exists="append", index=False)
            runs.append((time.perf_counter() - t0) * 1000)
        engine.dispose()
        res = {"to_sql_runs_ms": runs, "to_sql_median_ms": sorted(runs)[len(runs) // 2]}
        if t["name"] == "sqlite":
            # One INSERT per row through the plain driver, in one transaction.
            rows = list(df.itertuples(index=False, name=None))
            runs = []
            for _ in range(args["runs"]):
                con = sqlite3.connect(t["path"])
                con.execute("DELETE FROM bars")
                con.commit()
                t0 = time.perf_counter()
                for r in rows:
                    con.execute("INSERT INTO bars VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", r)
                con.commit()
                runs.append((time.perf_counter() - t0) * 1000)
                con.close()
            res["row_insert_runs_ms"] = runs
            res["row_insert_median_ms"] = sorted(runs)[len(runs) // 2]
        out["targets"][t["name"]] = res
    print(json.dumps(out))


main()
