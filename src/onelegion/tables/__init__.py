"""Reading the tables people have (CSV, Excel, JSON, Parquet) into text-only frames: the
readers the skills share (clean, shop, accounts, subs). Below the skills, above the core."""
