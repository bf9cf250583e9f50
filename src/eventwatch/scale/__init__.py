"""Scale-out jobs: processing and fusion on a Dask cluster, fusion partitioned by space-time blocks."""
