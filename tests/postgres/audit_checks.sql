-- The audit trail is append-only on PostgreSQL too (0001): no UPDATE, DELETE or TRUNCATE.
INSERT INTO audit_event (at, user_login, os_user, origin, action, entity, entity_id, changes, prev_hash, hash)
VALUES (now(), 'layla', 'layla', 'test', 'x.create', 'x', '1', '{}', '', 'h1');
SELECT expect_fail($$UPDATE audit_event SET changes = '{"amount": 1}'$$, 'append-only');
SELECT expect_fail($$DELETE FROM audit_event$$, 'append-only');
SELECT expect_fail($$TRUNCATE audit_event$$, 'append-only');
INSERT INTO audit_event (at, user_login, os_user, origin, action, entity, entity_id, changes, prev_hash, hash)
VALUES (now(), 'layla', 'layla', 'test', 'x.update', 'x', '1', '{}', 'h1', 'h2');
SELECT expect(count(*) = 2, 'both audit rows are there') FROM audit_event;
