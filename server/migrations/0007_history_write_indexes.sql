-- Every observation is a row of track_history, so each index on it is paid at the feed's rate. The GiST index
-- on geom cost about as much again as the row and its other two indexes together (PostgreSQL 15, PostGIS 3.3,
-- 200,000 rows inserted in one statement: 4.5-5.5 s without it, 10.6-16.7 s with it, on the 2-core reference
-- machine) and served no query: history is read per track and time (the primary key), and an area question
-- about the past names a time window first (the observed_at index and the monthly partitions narrow it to
-- that window's rows, whose points are then tested). Build a GiST index on a closed month's partition when
-- analysts want one (CREATE INDEX ON track_history_YYYY_MM USING gist (geom)); it never slows the live feed.
DROP INDEX IF EXISTS track_history_geom_idx;
