-- Books controls and customer approval on PostgreSQL (0009, 0010): nothing is posted before
-- the books' first month, and a pending customer is approved by someone other than who
-- registered it.
INSERT INTO setting (key, value) VALUES ('finance.books_start', '2026-03');
INSERT INTO fin_account (id, code, name, name_ar, type, postable, active, created_at) VALUES
 (1, '1110', 'Bank', '', 'asset', true, true, now()),
 (2, '4100', 'Sales', '', 'income', true, true, now());
INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by) VALUES
 (1, '2026-02-10', 'early', 'manual', 'draft', 1000, now(), 'x'),
 (2, '2026-03-01', 'first day', 'manual', 'draft', 1000, now(), 'x');
INSERT INTO fin_line VALUES (1, 1, 1, '2026-02-10', 1000, 0, '', NULL, NULL, NULL);
INSERT INTO fin_line VALUES (1, 2, 2, '2026-02-10', 0, 1000, '', NULL, NULL, NULL);
INSERT INTO fin_line VALUES (2, 1, 1, '2026-03-01', 1000, 0, '', NULL, NULL, NULL);
INSERT INTO fin_line VALUES (2, 2, 2, '2026-03-01', 0, 1000, '', NULL, NULL, NULL);
SELECT expect_fail($$UPDATE fin_entry SET state = 'posted', year = 2026, number = 1, posted_at = now(), posted_by = 'x' WHERE id = 1$$, 'cannot post before the books');
SELECT expect_fail($$INSERT INTO fin_entry (date, memo, source, state, total, created_at, created_by, year, number, posted_at, posted_by) VALUES ('2026-02-28', 'born posted', 'import', 'posted', 0, now(), 'x', 2026, 2, now(), 'x')$$, 'cannot post before the books');
UPDATE fin_entry SET state = 'posted', year = 2026, number = 1, posted_at = now(), posted_by = 'x' WHERE id = 2;
SELECT expect((SELECT state FROM fin_entry WHERE id = 2) = 'posted', 'the first month of the books is open');
INSERT INTO fin_party (id, code, name, name_ar, is_customer, is_supplier, tax_number, contact_name, email, phone, address, payment_terms, search_key, active, created_at, created_by, status)
VALUES (1, 'C0001', 'Acme', '', true, false, '', '', '', '', '', 30, 'acme', true, now(), 'front', 'pending');
SELECT expect_fail($$UPDATE fin_party SET status = 'approved', approved_by = 'front', approved_at = now() WHERE id = 1$$, 'someone other than who registered');
SELECT expect_fail($$UPDATE fin_party SET status = 'approved' WHERE id = 1$$, 'someone other than who registered');
UPDATE fin_party SET status = 'approved', approved_by = 'finance', approved_at = now() WHERE id = 1;
SELECT expect((SELECT status FROM fin_party WHERE id = 1) = 'approved', 'another person approves');
SELECT expect_fail($$INSERT INTO fin_party (code, name, name_ar, is_customer, is_supplier, tax_number, contact_name, email, phone, address, payment_terms, search_key, active, created_at, created_by, status) VALUES ('C0002', 'B', '', true, false, '', '', '', '', '', 30, 'b', true, now(), 'x', 'unknown')$$, 'ck_fin_party_status');
