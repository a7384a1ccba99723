-- Month-end snapshots on PostgreSQL (0018): written once, never updated, deleted or truncated;
-- one row per month and version.
INSERT INTO dm_month_snapshot (period, version, taken_at, taken_by, figures, digest)
VALUES ('2026-10', 1, now(), 'layla', '{"format": 1}', 'abc');
SELECT expect_fail($$UPDATE dm_month_snapshot SET figures = '{}'$$, 'never changed or deleted');
SELECT expect_fail($$UPDATE dm_month_snapshot SET version = 2$$, 'never changed or deleted');
SELECT expect_fail($$DELETE FROM dm_month_snapshot$$, 'never changed or deleted');
SELECT expect_fail($$TRUNCATE dm_month_snapshot CASCADE$$, 'never changed or deleted');
SELECT expect_fail($$INSERT INTO dm_month_snapshot (period, version, taken_at, taken_by, figures, digest) VALUES ('2026-10', 1, now(), 'x', '{}', '')$$, 'uq_dm_month_snapshot_version');
SELECT expect_fail($$INSERT INTO dm_month_snapshot (period, version, taken_at, taken_by, figures, digest) VALUES ('2026-11', 0, now(), 'x', '{}', '')$$, 'ck_dm_month_snapshot_version');
INSERT INTO dm_month_snapshot (period, version, taken_at, taken_by, figures, digest)
VALUES ('2026-10', 2, now(), 'layla', '{"format": 1}', 'def');
SELECT expect((SELECT count(*) FROM dm_month_snapshot) = 2, 'both versions kept');
INSERT INTO dm_month_snapshot_private (snapshot_id, figures)
SELECT id, '{}' FROM dm_month_snapshot WHERE version = 1;
SELECT expect_fail($$UPDATE dm_month_snapshot_private SET figures = '{"rows": []}'$$, 'never changed or deleted');
SELECT expect_fail($$DELETE FROM dm_month_snapshot_private$$, 'never changed or deleted');
SELECT expect_fail($$TRUNCATE dm_month_snapshot_private$$, 'never changed or deleted');
