-- Raw SQL that the documents' PostgreSQL triggers must refuse (or accept), run by
-- test_triggers.py against a database `bo db migrate` built. Same rules as test_documents_triggers.py for SQLite.
INSERT INTO fin_account (id, code, name, name_ar, type, postable, active, created_at) VALUES
 (1, '1110', 'Bank', '', 'asset', true, true, now()),
 (2, '4100', 'Sales', '', 'income', true, true, now()),
 (3, '1210', 'Receivables', '', 'asset', true, true, now()),
 (4, '2210', 'VAT', '', 'liability', true, true, now());
INSERT INTO fin_party (id, code, name, name_ar, is_customer, is_supplier, tax_number,
  contact_name, email, phone, address, payment_terms, search_key, active, created_at,
  created_by) VALUES
 (1, 'C1', 'Customer', '', true, false, '', '', '', '', '', 30, 'c1', true, now(), 'x'),
 (2, 'S1', 'Supplier', '', false, true, '', '', '', '', '', 30, 's1', true, now(), 'x');
INSERT INTO fin_tax_code VALUES ('S15', 'Standard', '', 'standard', 1500, 4, 4, true);

-- INV-2026-00001: a draft with a line, its entry, then posted
INSERT INTO fin_document (id, kind, party_id, date, due_date, reference, memo, status, net,
  tax, total, paid, created_at, created_by)
  VALUES (1, 'invoice', 1, '2026-03-10', '2026-04-09', '', '', 'draft', 100, 15, 115, 0, now(), 'x');
INSERT INTO fin_document_line VALUES (1, 1, 'item', 1000, 100, 2, 'S15', 100, 15);
INSERT INTO fin_entry (id, date, memo, source, source_ref, state, total, created_at, created_by)
  VALUES (1, '2026-03-10', 'invoice', 'invoice', 'INV-2026-00001', 'draft', 115, now(), 'x');
INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) VALUES
 (1, 1, 3, '2026-03-10', 115, 0, ''), (1, 2, 2, '2026-03-10', 0, 100, ''),
 (1, 3, 4, '2026-03-10', 0, 15, '');
UPDATE fin_entry SET state = 'posted', year = 2026, number = 1 WHERE id = 1;
SELECT expect_fail($$UPDATE fin_document SET status = 'posted', year = 2026, seq = 2, number = 'INV-2026-00002', entry_id = 1 WHERE id = 1$$, 'posting takes');
SELECT expect_fail($$UPDATE fin_document SET status = 'posted', year = 2026, seq = 1, number = 'INV-2026-00001', entry_id = 1, net = 99, total = 114 WHERE id = 1$$, 'posting takes');
UPDATE fin_document SET status = 'posted', year = 2026, seq = 1, number = 'INV-2026-00001',
  entry_id = 1, posted_at = now(), posted_by = 'x' WHERE id = 1;

-- born drafts; posted documents and their lines are frozen
SELECT expect_fail($$INSERT INTO fin_document (kind, party_id, date, due_date, reference, memo, status, net, tax, total, paid, year, seq, number, entry_id, created_at, created_by) VALUES ('invoice', 1, '2026-03-10', '2026-03-10', '', '', 'posted', 0, 0, 0, 0, 2026, 2, 'INV-2026-00002', 1, now(), 'x')$$, 'a new document is a draft');
SELECT expect_fail($$UPDATE fin_document SET memo = 'edited' WHERE id = 1$$, 'cannot be changed');
SELECT expect_fail($$DELETE FROM fin_document WHERE id = 1$$, 'cannot be changed');
SELECT expect_fail($$UPDATE fin_document_line SET net = 1 WHERE document_id = 1$$, 'only on a draft');
SELECT expect_fail($$DELETE FROM fin_document_line WHERE document_id = 1$$, 'only on a draft');
SELECT expect_fail($$INSERT INTO fin_document_line VALUES (1, 2, 'x', 1000, 1, 2, 'S15', 1, 0)$$, 'only on a draft');
SELECT expect_fail($$UPDATE fin_document SET paid = 115, status = 'paid' WHERE id = 1$$, 'paid must equal');

-- RCPT-2026-00001: 50.00 received, 30.00 of it allocated
INSERT INTO fin_entry (id, date, memo, source, source_ref, state, total, created_at, created_by)
  VALUES (2, '2026-03-20', 'receipt', 'payment', 'RCPT-2026-00001', 'draft', 50, now(), 'x');
INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) VALUES
 (2, 1, 1, '2026-03-20', 50, 0, ''), (2, 2, 3, '2026-03-20', 0, 50, '');
UPDATE fin_entry SET state = 'posted', year = 2026, number = 2 WHERE id = 2;
SELECT expect_fail($$INSERT INTO fin_payment (direction, year, seq, number, party_id, date, amount, account_id, reference, memo, status, entry_id, created_at, created_by) VALUES ('received', 2026, 1, 'RCPT-2026-00001', 2, '2026-03-20', 50, 1, '', '', 'posted', 2, now(), 'x')$$, 'entered posted');
SELECT expect_fail($$INSERT INTO fin_payment (direction, year, seq, number, party_id, date, amount, account_id, reference, memo, status, entry_id, created_at, created_by) VALUES ('received', 2026, 1, 'RCPT-2026-00001', 1, '2026-03-20', 60, 1, '', '', 'posted', 2, now(), 'x')$$, 'entered posted');
INSERT INTO fin_payment (id, direction, year, seq, number, party_id, date, amount, account_id,
  reference, memo, status, entry_id, created_at, created_by)
  VALUES (1, 'received', 2026, 1, 'RCPT-2026-00001', 1, '2026-03-20', 50, 1, '', '', 'posted', 2, now(), 'x');
SELECT expect_fail($$INSERT INTO fin_allocation (payment_id, document_id, amount, date, created_at, created_by) VALUES (1, 1, 51, '2026-03-20', now(), 'x')$$, 'cannot exceed');
SELECT expect_fail($$INSERT INTO fin_allocation (payment_id, document_id, amount, date, created_at, created_by) VALUES (1, 1, 30, '2026-03-01', now(), 'x')$$, 'applies a posted payment');
INSERT INTO fin_allocation (id, payment_id, document_id, amount, date, created_at, created_by)
  VALUES (1, 1, 1, 30, '2026-03-20', now(), 'x');
SELECT expect((SELECT paid = 30 AND status = 'partly_paid' FROM fin_document WHERE id = 1), 'partly paid 30');
SELECT expect_fail($$INSERT INTO fin_allocation (payment_id, document_id, amount, date, created_at, created_by) VALUES (1, 1, 21, '2026-03-21', now(), 'x')$$, 'cannot exceed');
SELECT expect_fail($$UPDATE fin_allocation SET amount = 1$$, 'never changed');
SELECT expect_fail($$DELETE FROM fin_allocation$$, 'never changed');
SELECT expect_fail($$UPDATE fin_payment SET amount = 40$$, 'cannot be changed');
SELECT expect_fail($$DELETE FROM fin_payment$$, 'cannot be changed');
SELECT expect_fail($$UPDATE fin_payment SET status = 'void', void_date = '2026-03-25', void_entry_id = 1$$, 'cannot be changed');

-- the payment's void: its entry reversed, its allocation released
INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by, reverses_id)
  VALUES (3, '2026-03-25', 'void', 'reversal', 'draft', 50, now(), 'x', 2);
INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) VALUES
 (3, 1, 1, '2026-03-25', 0, 50, ''), (3, 2, 3, '2026-03-25', 50, 0, '');
UPDATE fin_entry SET state = 'posted', year = 2026, number = 3 WHERE id = 3;
UPDATE fin_entry SET state = 'reversed', reversed_by_id = 3 WHERE id = 2;
UPDATE fin_payment SET status = 'void', void_date = '2026-03-25', void_entry_id = 3,
  voided_at = now(), voided_by = 'x' WHERE id = 1;
SELECT expect((SELECT paid = 0 AND status = 'posted' FROM fin_document WHERE id = 1), 'released');

-- CN-2026-00001 voids INV-2026-00001
SELECT expect_fail($$UPDATE fin_document SET status = 'void', voided_by_id = 1 WHERE id = 1$$, 'credit note that voids it');
INSERT INTO fin_document (id, kind, party_id, date, due_date, reference, memo, status, net, tax,
  total, paid, voids_id, created_at, created_by)
  VALUES (2, 'credit_note', 1, '2026-03-26', '2026-03-26', 'INV-2026-00001', '', 'draft', 100, 15, 115, 0, 1, now(), 'x');
INSERT INTO fin_document_line VALUES (2, 1, 'item', 1000, 100, 2, 'S15', 100, 15);
INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by, reverses_id)
  VALUES (4, '2026-03-26', 'credit note', 'reversal', 'draft', 115, now(), 'x', 1);
INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) VALUES
 (4, 1, 3, '2026-03-26', 0, 115, ''), (4, 2, 2, '2026-03-26', 100, 0, ''),
 (4, 3, 4, '2026-03-26', 15, 0, '');
UPDATE fin_entry SET state = 'posted', year = 2026, number = 4 WHERE id = 4;
UPDATE fin_entry SET state = 'reversed', reversed_by_id = 4 WHERE id = 1;
SELECT expect_fail($$UPDATE fin_document SET status = 'posted', year = 2026, seq = 1, number = 'CN-2026-00001', entry_id = 3 WHERE id = 2$$, 'posting takes');
UPDATE fin_document SET status = 'posted', year = 2026, seq = 1, number = 'CN-2026-00001',
  entry_id = 4, posted_at = now(), posted_by = 'x' WHERE id = 2;
UPDATE fin_document SET status = 'void', voided_by_id = 2 WHERE id = 1;
SELECT expect_fail($$UPDATE fin_document SET status = 'posted', voided_by_id = NULL WHERE id = 1$$, 'cannot be changed');
SELECT expect_fail($$INSERT INTO fin_allocation (payment_id, document_id, amount, date, created_at, created_by) VALUES (1, 1, 1, '2026-03-27', now(), 'x')$$, 'applies a posted payment');
