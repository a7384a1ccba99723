-- Cost centres on PostgreSQL (0015): a line names only a cost centre on the list, and one
-- that lines use is neither deleted nor recoded (deactivating it is the way out).
INSERT INTO fin_account (id, code, name, name_ar, type, postable, active, created_at) VALUES
 (1, '1110', 'Bank', '', 'asset', true, true, now()),
 (2, '4100', 'Sales', '', 'income', true, true, now());
INSERT INTO fin_cost_centre (id, code, name, department, active, created_at, created_by) VALUES
 (1, 'SALES', 'Sales', 'Finance', true, now(), 'x'),
 (2, 'SPARE', 'Spare', 'Finance', true, now(), 'x');
INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by) VALUES
 (1, '2026-03-01', 'sale', 'manual', 'draft', 1000, now(), 'x');
SELECT expect_fail($$INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo, cost_centre) VALUES (1, 1, 1, '2026-03-01', 1000, 0, '', 'NOPE')$$, 'no such cost centre');
INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo, cost_centre) VALUES (1, 1, 1, '2026-03-01', 1000, 0, '', 'SALES');
INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo, cost_centre) VALUES (1, 2, 2, '2026-03-01', 0, 1000, '', NULL);
SELECT expect_fail($$UPDATE fin_line SET cost_centre = 'NOPE' WHERE entry_id = 1 AND line_no = 2$$, 'no such cost centre');
UPDATE fin_line SET cost_centre = 'SPARE' WHERE entry_id = 1 AND line_no = 2;
SELECT expect((SELECT cost_centre FROM fin_line WHERE entry_id = 1 AND line_no = 2) = 'SPARE', 'a listed cost centre is taken');
SELECT expect_fail($$DELETE FROM fin_cost_centre WHERE code = 'SALES'$$, 'lines use this cost centre');
SELECT expect_fail($$UPDATE fin_cost_centre SET code = 'SALES2' WHERE code = 'SALES'$$, 'lines use this cost centre');
UPDATE fin_cost_centre SET active = false, name = 'Sales (old)' WHERE code = 'SALES';
SELECT expect((SELECT NOT active FROM fin_cost_centre WHERE code = 'SALES'), 'a used cost centre is deactivated');
UPDATE fin_line SET cost_centre = NULL WHERE entry_id = 1 AND line_no = 2;
DELETE FROM fin_cost_centre WHERE code = 'SPARE';
SELECT expect(NOT EXISTS (SELECT 1 FROM fin_cost_centre WHERE code = 'SPARE'), 'an unused cost centre is deleted');
