-- The stock ledger on PostgreSQL (0007): moves are never changed, on-hand never below zero
-- unless the item allows it, lots belong to their item, closed months and expired lots are
-- refused, and the balances are written by the moves alone.
INSERT INTO lg_warehouse (id, code, name, name_ar, active) VALUES (1, 'WH', 'Main', '', true);
INSERT INTO lg_location (id, warehouse_id, code, label, active) VALUES (1, 1, 'A1', '', true);
INSERT INTO lg_item (id, sku, name, name_ar, unit, lot_tracked, allow_negative, reorder_point, reorder_qty, costing, standard_cost, sale_price, tax_code, search_key, active, on_hand, stock_value, created_at) VALUES
 (1, 'BOLT', 'Bolt', '', 'pc', false, false, 0, 0, 'average', 10, 20, '', 'bolt', true, 0, 0, now()),
 (2, 'MILK', 'Milk', '', 'l', true, false, 0, 0, 'average', 10, 20, '', 'milk', true, 0, 0, now());
INSERT INTO lg_lot (id, item_id, lot_no, expiry) VALUES (1, 2, 'L1', '2026-03-31');
INSERT INTO lg_stock_move (id, item_id, location_id, date, kind, quantity, value, source, source_ref, memo, created_at, created_by)
VALUES (1, 1, 1, '2026-03-01', 'receipt', 10, 100, 'receipt', 'GRN-1', '', now(), 'x');
SELECT expect((SELECT on_hand FROM lg_item WHERE id = 1) = 10 AND (SELECT stock_value FROM lg_item WHERE id = 1) = 100, 'the item carries the move');
SELECT expect((SELECT quantity FROM lg_stock_balance WHERE item_id = 1 AND location_id = 1 AND lot_key = 0) = 10, 'the balance carries the move');
SELECT expect_fail($$INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, source, source_ref, memo, created_at, created_by) VALUES (1, 1, '2026-03-02', 'issue', -11, -110, 'delivery', 'DN-1', '', now(), 'x')$$, 'below zero');
SELECT expect_fail($$INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, source, source_ref, memo, created_at, created_by) VALUES (2, 1, '2026-03-02', 'receipt', 1, 10, 'receipt', 'GRN-2', '', now(), 'x')$$, 'its own lots');
SELECT expect_fail($$INSERT INTO lg_stock_move (item_id, location_id, lot_id, date, kind, quantity, value, source, source_ref, memo, created_at, created_by) VALUES (1, 1, 1, '2026-03-02', 'receipt', 1, 10, 'receipt', 'GRN-2', '', now(), 'x')$$, 'its own lots');
INSERT INTO lg_stock_move (item_id, location_id, lot_id, date, kind, quantity, value, source, source_ref, memo, created_at, created_by)
VALUES (2, 1, 1, '2026-03-02', 'receipt', 5, 50, 'receipt', 'GRN-3', '', now(), 'x');
SELECT expect_fail($$INSERT INTO lg_stock_move (item_id, location_id, lot_id, date, kind, quantity, value, source, source_ref, memo, created_at, created_by) VALUES (2, 1, 1, '2026-04-02', 'issue', -1, -10, 'delivery', 'DN-2', '', now(), 'x')$$, 'expired');
SELECT expect_fail($$UPDATE lg_stock_move SET quantity = 100 WHERE id = 1$$, 'never changed');
SELECT expect_fail($$DELETE FROM lg_stock_move WHERE id = 1$$, 'never changed');
SELECT expect_fail($$UPDATE lg_stock_balance SET quantity = 1000$$, 'never written directly');
SELECT expect_fail($$INSERT INTO lg_stock_balance VALUES (1, 1, 7, 5)$$, 'never written directly');
SELECT expect_fail($$DELETE FROM lg_stock_balance$$, 'never written directly');
INSERT INTO fin_period (period, status, changed_at, changed_by) VALUES ('2026-03', 'closed', now(), 'x');
SELECT expect_fail($$INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, source, source_ref, memo, created_at, created_by) VALUES (1, 1, '2026-03-20', 'receipt', 1, 10, 'receipt', 'GRN-4', '', now(), 'x')$$, 'closed');
INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, source, source_ref, memo, created_at, created_by)
VALUES (1, 1, '2026-04-01', 'issue', -10, -100, 'delivery', 'DN-3', '', now(), 'x');
SELECT expect((SELECT on_hand FROM lg_item WHERE id = 1) = 0, 'down to zero is allowed');
-- Monthly totals (0013): each item's running quantity and value at the end of every month
-- it moved in, kept by the moves alone (a back-dated move adds itself to the later months).
SELECT expect((SELECT quantity FROM lg_stock_month WHERE item_id = 1 AND period = '2026-03') = 10
  AND (SELECT value FROM lg_stock_month WHERE item_id = 1 AND period = '2026-04') = 0
  AND (SELECT quantity FROM lg_stock_month WHERE item_id = 2 AND period = '2026-03') = 5, 'a month per item and month moved in');
INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, source, source_ref, memo, created_at, created_by)
VALUES (1, 1, '2026-02-15', 'receipt', 4, 40, 'receipt', 'GRN-5', '', now(), 'x');
SELECT expect((SELECT quantity FROM lg_stock_month WHERE item_id = 1 AND period = '2026-02') = 4
  AND (SELECT value FROM lg_stock_month WHERE item_id = 1 AND period = '2026-03') = 140
  AND (SELECT quantity FROM lg_stock_month WHERE item_id = 1 AND period = '2026-04') = 4, 'a back-dated move carries into the later months');
INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, source, source_ref, memo, created_at, created_by)
VALUES (1, 1, '2026-05-03', 'receipt', 1, 10, 'receipt', 'GRN-6', '', now(), 'x');
SELECT expect((SELECT quantity FROM lg_stock_month WHERE item_id = 1 AND period = '2026-05') = 5
  AND (SELECT value FROM lg_stock_month WHERE item_id = 1 AND period = '2026-05') = 50, 'a new month opens from the running total');
SELECT expect((SELECT count(*) FROM lg_stock_month) = 5, 'one row per item and month');
SELECT expect_fail($$UPDATE lg_stock_month SET quantity = 1000$$, 'never written directly');
SELECT expect_fail($$INSERT INTO lg_stock_month VALUES (1, '2026-06', 5, 50)$$, 'never written directly');
SELECT expect_fail($$DELETE FROM lg_stock_month$$, 'never written directly');
