"""Read a folder of 835 remittances and 837P claims into Spark DataFrames.

Run: python examples/spark_folder.py            (needs pip install "x12-claims[spark]" and Java 17+)

Makes a folder of generated files (four 835s, two 837Ps and one broken file) in a temporary
directory, then reads it with ``edi835.spark.read_folder`` and ``edi837.spark.read_folder`` in
Spark local mode: every table has the fixed schema of ``edi835.frames`` / ``edi837.frames``
(amounts are exact decimals), one row per claim, line, adjustment..., and a table of the
issues found per file, so one bad file never fails the job. On a cluster, point ``path`` at
s3://, abfss://, dbfs:/ ... instead; the code is the same.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import pathlib
import shutil
import sys
import tempfile


def make_folder(root: pathlib.Path) -> None:
    import edi835
    import edi837
    from edi835 import fake as fake835
    from edi837 import fake as fake837

    for i in range(4):
        claims = fake835.synthetic_claims(30, seed=i)
        remittance = fake835.adjudicate(claims, seed=i)
        (root / f"remit_{i}.835").write_text(edi835.dumps([remittance]), encoding="ascii")
    for i in range(2):
        text = edi837.dumps(
            fake837.generate(25, seed=i),
            submitter=fake837.submitter(),
            receiver=fake837.receiver(),
            timestamp=dt.datetime(2024, 5, 1, 9, 30),
        )
        (root / f"claims_{i}.837").write_text(text, encoding="ascii")
    (root / "truncated.835").write_text("ISA*00*          *00*", encoding="ascii")


def main() -> int:
    if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
        print('This example needs PySpark and Java: pip install "x12-claims[spark]" and a JDK 17+.')
        return 0
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    from edi835.spark import read_folder as read_835_folder
    from edi837.spark import read_folder as read_837_folder

    # the local workers run this Python (PySpark's default: the first python3 on the path)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("x12-claims example")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        with tempfile.TemporaryDirectory(prefix="x12-spark-") as tmp:
            folder = pathlib.Path(tmp)
            make_folder(folder)

            remits = read_835_folder(spark, str(folder), pattern="*.835", persist=True)
            print("835 claims by status (CLP02):")
            (
                remits["claims"]
                .groupBy("status")
                .agg(F.count("*").alias("claims"), F.sum("charge"), F.sum("paid"))
                .orderBy("status")
                .show()
            )
            print("files that could not be read to the end:")
            remits["issues"].where("fatal").select("file", "code", "location").show(truncate=False)

            claims = read_837_folder(spark, str(folder), pattern="*.837")
            print("837P service lines, top procedures by charge:")
            (
                claims["service_lines"]
                .groupBy("procedure_code")
                .agg(F.count("*").alias("lines"), F.sum("charge").alias("charge"))
                .orderBy(F.desc("charge"))
                .show(5)
            )
            print(
                "columns of the 837P claims table:", ", ".join(claims["claims"].columns[:12]), "..."
            )
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
