-- Raw SQL that the ledger's PostgreSQL triggers must refuse (or accept), run by
-- test_triggers.py against a database `bo db migrate` built.
INSERT INTO fin_account (id, code, name, name_ar, type, postable, active, created_at) VALUES
 (1, '1110', 'Bank', '', 'asset', true, true, now()),
 (2, '4100', 'Sales', '', 'income', true, true, now()),
 (3, '6200', 'Rent', '', 'expense', true, true, now());
-- a draft, its lines, then posted
INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by) VALUES (1, '2026-03-10', 'sale', 'manual', 'draft', 1000, now(), 'x');
INSERT INTO fin_line VALUES (1, 1, 1, '2026-03-10', 1000, 0, '', NULL, NULL, NULL);
INSERT INTO fin_line VALUES (1, 2, 2, '2026-03-10', 0, 1000, '', NULL, NULL, NULL);
UPDATE fin_entry SET state = 'posted', year = 2026, number = 1, posted_at = now(), posted_by = 'x' WHERE id = 1;
-- unbalanced
INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by) VALUES (2, '2026-03-11', 'bad', 'manual', 'draft', 500, now(), 'x');
INSERT INTO fin_line VALUES (2, 1, 3, '2026-03-11', 500, 0, '', NULL, NULL, NULL);
INSERT INTO fin_line VALUES (2, 2, 1, '2026-03-11', 0, 499, '', NULL, NULL, NULL);
SELECT expect_fail($$UPDATE fin_entry SET state = 'posted', year = 2026, number = 2 WHERE id = 2$$, 'unbalanced');
-- posted lines and entries are frozen
SELECT expect_fail($$UPDATE fin_line SET debit = 1 WHERE entry_id = 1 AND line_no = 1$$, 'posted entry');
SELECT expect_fail($$DELETE FROM fin_line WHERE entry_id = 1$$, 'posted entry');
SELECT expect_fail($$INSERT INTO fin_line VALUES (1, 3, 3, '2026-03-10', 5, 0, '', NULL, NULL, NULL)$$, 'only to a draft');
SELECT expect_fail($$UPDATE fin_entry SET memo = 'edited' WHERE id = 1$$, 'cannot be changed');
SELECT expect_fail($$DELETE FROM fin_entry WHERE id = 1$$, 'cannot be changed');
SELECT expect_fail($$INSERT INTO fin_entry (id, year, number, date, memo, source, state, total, created_at, created_by) VALUES (9, 2026, 2, '2026-03-12', '', 'manual', 'posted', 0, now(), 'x')$$, 'unbalanced');
SELECT expect_fail($$INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by) VALUES (9, '2026-03-12', '', 'manual', 'reversed', 0, now(), 'x')$$, 'a new entry is a draft');
-- closed period and gaps
DELETE FROM fin_line WHERE entry_id = 2;
INSERT INTO fin_line VALUES (2, 1, 3, '2026-03-11', 500, 0, '', NULL, NULL, NULL);
INSERT INTO fin_line VALUES (2, 2, 1, '2026-03-11', 0, 500, '', NULL, NULL, NULL);
SELECT expect_fail($$UPDATE fin_entry SET state = 'posted', year = 2026, number = 5 WHERE id = 2$$, 'gapless');
INSERT INTO fin_period VALUES ('2026-03', 'closed', now(), 'layla');
SELECT expect_fail($$UPDATE fin_entry SET state = 'posted', year = 2026, number = 2 WHERE id = 2$$, 'closed period');
SELECT expect_fail($$DELETE FROM fin_period WHERE period = '2026-03'$$, 'closed period');
UPDATE fin_period SET status = 'open' WHERE period = '2026-03';
UPDATE fin_entry SET state = 'posted', year = 2026, number = 2 WHERE id = 2;
-- a draft's date change moves its lines
INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by) VALUES (3, '2026-03-12', 'draft', 'manual', 'draft', 10, now(), 'x');
INSERT INTO fin_line VALUES (3, 1, 3, '2026-03-12', 10, 0, '', NULL, NULL, NULL);
SELECT expect_fail($$INSERT INTO fin_line VALUES (3, 2, 1, '2026-01-01', 0, 10, '', NULL, NULL, NULL)$$, 'date');
UPDATE fin_entry SET date = '2026-03-13' WHERE id = 3;
DO $$ BEGIN IF (SELECT date FROM fin_line WHERE entry_id = 3) <> '2026-03-13' THEN RAISE EXCEPTION 'draft line did not move'; END IF; END $$;
-- reversal: only with a posted entry that reverses it
SELECT expect_fail($$UPDATE fin_entry SET state = 'reversed', reversed_by_id = 2 WHERE id = 1$$, 'cannot be changed');
INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by, reverses_id) VALUES (4, '2026-03-14', 'reversal', 'reversal', 'draft', 1000, now(), 'x', 1);
INSERT INTO fin_line VALUES (4, 1, 2, '2026-03-14', 1000, 0, '', NULL, NULL, NULL);
INSERT INTO fin_line VALUES (4, 2, 1, '2026-03-14', 0, 1000, '', NULL, NULL, NULL);
UPDATE fin_entry SET state = 'posted', year = 2026, number = 3 WHERE id = 4;
UPDATE fin_entry SET state = 'reversed', reversed_by_id = 4 WHERE id = 1;
DO $$ BEGIN
  IF (SELECT string_agg(account_id || ':' || debit || ':' || credit, ',' ORDER BY account_id)
      FROM fin_balance) <> '1:1000:1500,2:1000:1000,3:500:0' THEN
    RAISE EXCEPTION 'monthly balances do not match the postings';
  END IF;
  IF (SELECT state FROM fin_entry WHERE id = 1) <> 'reversed' THEN
    RAISE EXCEPTION 'the reversal did not mark its original';
  END IF;
END $$;
