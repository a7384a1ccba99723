-- IT's guards on PostgreSQL (0006): one open assignment per asset, nothing to leavers or of
-- retired assets, movements closed once and never deleted, seats within the licence, no
-- offboarding done while the leaver holds something.
INSERT INTO hr_org_unit (id, code, name, name_ar, active) VALUES (1, 'HQ', 'Head office', '', true);
INSERT INTO hr_employee (id, number, name, name_ar, sort_name, sort_name_ar, org_unit_id, hire_date, termination_reason, status, email, phone, created_at, updated_at) VALUES
 (1, 'E001', 'Sara', '', 'sara', '', 1, '2025-01-01', '', 'active', '', '', now(), now()),
 (2, 'E002', 'Omar', '', 'omar', '', 1, '2025-01-01', '', 'terminated', '', '', now(), now()),
 (3, 'E003', 'Hana', '', 'hana', '', 1, '2025-01-01', '', 'active', '', '', now(), now());
UPDATE hr_employee SET termination_date = '2026-03-01' WHERE id = 3;
INSERT INTO it_asset (id, tag, serial, model, category, location, cost, supplier, status, residual, opening_depreciation, disposal_method, proceeds, created_at) VALUES
 (1, 'A1', 's1', 'X1', 'LAPTOP', 'HQ', 1000, '', 'in_stock', 0, 0, '', 0, now()),
 (2, 'A2', 's2', 'X1', 'LAPTOP', 'HQ', 1000, '', 'retired', 0, 0, '', 0, now());
INSERT INTO it_assignment (id, asset_id, employee_id, out_at, out_by, note) VALUES (1, 1, 1, '2026-02-01 09:00+00', 'it', '');
SELECT expect_fail($$INSERT INTO it_assignment (asset_id, employee_id, out_at, out_by, note) VALUES (1, 1, now(), 'it', '')$$, 'already checked out');
SELECT expect_fail($$INSERT INTO it_assignment (asset_id, employee_id, out_at, out_by, note) VALUES (2, 1, now(), 'it', '')$$, 'retired');
SELECT expect_fail($$INSERT INTO it_assignment (asset_id, employee_id, out_at, out_by, note, returned_at) VALUES (1, 2, now(), 'it', '', now())$$, 'terminated');
SELECT expect_fail($$INSERT INTO it_assignment (asset_id, employee_id, out_at, out_by, note, returned_at) VALUES (1, 3, '2026-03-02 09:00+00', 'it', '', now())$$, 'terminated');
SELECT expect_fail($$UPDATE it_assignment SET employee_id = 3 WHERE id = 1$$, 'only closed once');
SELECT expect_fail($$DELETE FROM it_assignment WHERE id = 1$$, 'only closed once');
INSERT INTO work_item (id, kind, subject, from_dept, to_dept, ref_entity, ref_id, status, created_at, created_by)
VALUES (1, 'offboarding', 'Sara leaves', 'hr', 'it', 'employee', 'E001', 'open', now(), 'hr');
SELECT expect_fail($$UPDATE work_item SET status = 'done' WHERE id = 1$$, 'still holds');
UPDATE it_assignment SET returned_at = now(), returned_by = 'it' WHERE id = 1;
SELECT expect_fail($$UPDATE it_assignment SET returned_at = now() WHERE id = 1$$, 'only closed once');
UPDATE work_item SET status = 'done' WHERE id = 1;
INSERT INTO it_licence (id, product, vendor, seats, cost, key, created_at) VALUES (1, 'Office', 'V', 1, 0, '', now());
INSERT INTO it_seat (id, licence_id, employee_id, assigned_at, assigned_by) VALUES (1, 1, 1, now(), 'it');
SELECT expect_fail($$INSERT INTO it_seat (licence_id, employee_id, assigned_at, assigned_by) VALUES (1, 3, now(), 'it')$$, 'every seat');
SELECT expect_fail($$UPDATE it_licence SET seats = 0 WHERE id = 1$$, 'fewer seats');
SELECT expect_fail($$UPDATE it_seat SET employee_id = 3 WHERE id = 1$$, 'only closed once');
SELECT expect_fail($$DELETE FROM it_seat WHERE id = 1$$, 'only closed once');
UPDATE it_seat SET released_at = now(), released_by = 'it' WHERE id = 1;
INSERT INTO it_seat (licence_id, employee_id, assigned_at, assigned_by) VALUES (1, 3, now(), 'it');
-- Stock-takes (0013): a scan goes into an open stock-take only, once per asset.
INSERT INTO it_stocktake (id, location, status, started_at, started_by, expected, found) VALUES (1, 'HQ', 'open', now(), 'it', 2, 0);
INSERT INTO it_stocktake_scan (stocktake_id, asset_id, scanned_at, scanned_by) VALUES (1, 1, now(), 'it');
SELECT expect_fail($$INSERT INTO it_stocktake_scan (stocktake_id, asset_id, scanned_at, scanned_by) VALUES (1, 1, now(), 'it')$$, 'uq_it_stocktake_scan');
UPDATE it_stocktake SET status = 'closed', closed_at = now(), closed_by = 'it', found = 1 WHERE id = 1;
SELECT expect_fail($$INSERT INTO it_stocktake_scan (stocktake_id, asset_id, scanned_at, scanned_by) VALUES (1, 2, now(), 'it')$$, 'the stock-take is closed');
SELECT expect_fail($$INSERT INTO it_stocktake (location, status, started_at, started_by, expected, found) VALUES ('HQ', 'paused', now(), 'it', 0, 0)$$, 'ck_it_stocktake_status');
