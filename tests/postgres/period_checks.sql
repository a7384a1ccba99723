-- Every change of a month's status is logged in fin_period_change, which is append-only (0005).
INSERT INTO fin_period (period, status, changed_at, changed_by) VALUES ('2026-01', 'open', now(), 'x');
SELECT expect(count(*) = 0, 'opening a month is not logged') FROM fin_period_change;
UPDATE fin_period SET status = 'closed' WHERE period = '2026-01';
INSERT INTO fin_period (period, status, changed_at, changed_by) VALUES ('2026-02', 'closed', now(), 'x');
UPDATE fin_period SET changed_by = 'y' WHERE period = '2026-01';
SELECT expect(count(*) = 2, 'a close and a closed month are logged') FROM fin_period_change;
SELECT expect(at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}$', 'time as SQLite writes it')
FROM fin_period_change WHERE period = '2026-01';
SELECT expect_fail($$UPDATE fin_period SET period = '2026-03' WHERE period = '2026-01'$$, 'renamed');
SELECT expect_fail($$UPDATE fin_period_change SET status = 'open'$$, 'append-only');
SELECT expect_fail($$DELETE FROM fin_period_change$$, 'append-only');
SELECT expect_fail($$TRUNCATE fin_period_change$$, 'append-only');
