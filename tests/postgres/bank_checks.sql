-- VAT returns and bank statements on PostgreSQL (0011): a filed return is never changed,
-- deleted or truncated; an imported bank line keeps its date, amount, text and fingerprint,
-- while reconciling it is allowed.
INSERT INTO fin_vat_return (id, period, first_day, last_day, output_vat, input_vat, vat_due, corrections, credit_brought_forward, net_due, filed_at, filed_by)
VALUES (1, '2026-Q1', '2026-01-01', '2026-03-31', 1500, 500, 1000, 0, 0, 1000, now(), 'x');
SELECT expect_fail($$UPDATE fin_vat_return SET net_due = 0, vat_due = 0$$, 'filed VAT return is never changed');
SELECT expect_fail($$DELETE FROM fin_vat_return$$, 'filed VAT return is never changed');
SELECT expect_fail($$TRUNCATE fin_vat_return$$, 'filed VAT return is never changed');
SELECT expect_fail($$INSERT INTO fin_vat_return (period, first_day, last_day, output_vat, input_vat, vat_due, corrections, credit_brought_forward, net_due, filed_at, filed_by) VALUES ('2026-Q2', '2026-04-01', '2026-06-30', 0, 0, 10, 0, 0, 9, now(), 'x')$$, 'ck_fin_vat_return_net');
INSERT INTO fin_account (id, code, name, name_ar, type, postable, active, created_at) VALUES
 (1, '1110', 'Bank', '', 'asset', true, true, now()),
 (2, '4100', 'Sales', '', 'income', true, true, now());
INSERT INTO fin_bank_account (id, code, name, account_id, iban, csv_mapping, created_at, created_by) VALUES (1, 'B1', 'Main', 1, 'SA0380000000608010167519', '{}', now(), 'x');
INSERT INTO fin_bank_statement (id, bank_account_id, digest, format, reference, first_date, last_date, lines, imported_at, imported_by) VALUES (1, 1, 'd1', 'csv', 'S1', '2026-03-01', '2026-03-31', 1, now(), 'x');
INSERT INTO fin_bank_line (bank_account_id, statement_id, seq, date, amount, text, reference, fingerprint, status) VALUES (1, 1, 1, '2026-03-05', 1000, 'card sales', '', 'f1', 'open');
SELECT expect_fail($$UPDATE fin_bank_line SET amount = 999 WHERE id = 1$$, 'never change');
SELECT expect_fail($$UPDATE fin_bank_line SET date = '2026-03-06' WHERE id = 1$$, 'never change');
SELECT expect_fail($$UPDATE fin_bank_line SET text = 'other' WHERE id = 1$$, 'never change');
SELECT expect_fail($$UPDATE fin_bank_line SET fingerprint = 'f2' WHERE id = 1$$, 'never change');
SELECT expect_fail($$INSERT INTO fin_bank_line (bank_account_id, statement_id, seq, date, amount, text, reference, fingerprint, status) VALUES (1, 1, 2, '2026-03-05', 1000, 'again', '', 'f1', 'open')$$, 'uq_fin_bank_line_fingerprint');
SELECT expect_fail($$INSERT INTO fin_bank_line (bank_account_id, statement_id, seq, date, amount, text, reference, fingerprint, status) VALUES (1, 1, 2, '2026-03-05', 0, 'zero', '', 'f3', 'open')$$, 'ck_fin_bank_line_amount');
INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by) VALUES (1, '2026-03-05', 'sales', 'manual', 'draft', 1000, now(), 'x');
UPDATE fin_bank_line SET status = 'reconciled', entry_id = 1, line_no = 1, reconciled_at = now(), reconciled_by = 'x' WHERE id = 1;
SELECT expect((SELECT status FROM fin_bank_line WHERE id = 1) = 'reconciled', 'a line is reconciled');
