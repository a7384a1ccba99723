-- Payroll on PostgreSQL (0003, 0005): approved payslips are frozen, one payslip per employee
-- ('2026-11 ' needs no trigger here: PostgreSQL trims trailing spaces that overflow varchar(7).)
-- and month, run periods are YYYY-MM and a payslip's period is its run's, a run's period
-- and preparer never change.
INSERT INTO hr_org_unit (id, code, name, name_ar, active) VALUES (1, 'HQ', 'Head office', '', true);
INSERT INTO hr_employee (id, number, name, name_ar, sort_name, sort_name_ar, org_unit_id, hire_date, termination_reason, status, email, phone, created_at, updated_at)
VALUES (1, 'E001', 'Sara', '', 'sara', '', 1, '2025-01-01', '', 'active', '', '', now(), now());
SELECT expect_fail($$INSERT INTO hr_pay_run (period, status, currency, employees, gross, deductions, net, employer_cost, prepared_by, prepared_at) VALUES ('2026-1 ', 'draft', 'EGP', 0, 0, 0, 0, 0, 'omar', now())$$, 'YYYY-MM');
SELECT expect_fail($$INSERT INTO hr_pay_run (period, status, currency, employees, gross, deductions, net, employer_cost, prepared_by, prepared_at) VALUES ('202611', 'draft', 'EGP', 0, 0, 0, 0, 0, 'omar', now())$$, 'YYYY-MM');
INSERT INTO hr_pay_run (id, period, status, currency, employees, gross, deductions, net, employer_cost, prepared_by, prepared_at)
VALUES (1, '2026-11', 'draft', 'EGP', 1, 1000, 100, 900, 1100, 'omar', now());
SELECT expect_fail($$INSERT INTO hr_payslip (run_id, employee_id, period, org_unit, days_in_period, days_paid, unpaid_days, base, allowances, overtime, other_earnings, benefit_cash, settlement, unpaid_deduction, gross, employee_si, employer_si, benefit_employee, benefit_employer, other_deductions, net, note) VALUES (1, 1, '2026-12', 'HQ', 30, 30, 0, 1000, 0, 0, 0, 0, 0, 0, 1000, 100, 100, 0, 0, 0, 900, '')$$, 'its pay run');
INSERT INTO hr_payslip (id, run_id, employee_id, period, org_unit, days_in_period, days_paid, unpaid_days, base, allowances, overtime, other_earnings, benefit_cash, settlement, unpaid_deduction, gross, employee_si, employer_si, benefit_employee, benefit_employer, other_deductions, net, note)
VALUES (1, 1, 1, '2026-11', 'HQ', 30, 30, 0, 1000, 0, 0, 0, 0, 0, 0, 1000, 100, 100, 0, 0, 0, 900, '');
SELECT expect_fail($$INSERT INTO hr_payslip (run_id, employee_id, period, org_unit, days_in_period, days_paid, unpaid_days, base, allowances, overtime, other_earnings, benefit_cash, settlement, unpaid_deduction, gross, employee_si, employer_si, benefit_employee, benefit_employer, other_deductions, net, note) VALUES (1, 1, '2026-11', 'HQ', 30, 30, 0, 1000, 0, 0, 0, 0, 0, 0, 1000, 100, 100, 0, 0, 0, 900, '')$$, 'uq_hr_payslip_employee_period');
SELECT expect_fail($$INSERT INTO hr_pay_run (period, status, currency, employees, gross, deductions, net, employer_cost, prepared_by, prepared_at) VALUES ('2026-11', 'draft', 'EGP', 0, 0, 0, 0, 0, 'omar', now())$$, 'ux_hr_pay_run_period');
SELECT expect_fail($$UPDATE hr_pay_run SET period = '2026-10' WHERE id = 1$$, 'period of a pay run');
SELECT expect_fail($$UPDATE hr_pay_run SET prepared_by = 'nadia' WHERE id = 1$$, 'who prepared');
SELECT expect_fail($$UPDATE hr_payslip SET period = '2026-10' WHERE id = 1$$, 'its pay run');
SELECT expect_fail($$UPDATE hr_pay_run SET status = 'paid' WHERE id = 1$$, 'draft -> approved');
UPDATE hr_pay_run SET status = 'approved', approved_by = 'nadia', approved_at = now() WHERE id = 1;
SELECT expect_fail($$UPDATE hr_payslip SET net = 1 WHERE id = 1$$, 'approved pay run');
SELECT expect_fail($$DELETE FROM hr_payslip WHERE id = 1$$, 'approved pay run');
SELECT expect_fail($$UPDATE hr_pay_run SET net = 1 WHERE id = 1$$, 'cannot change');
SELECT expect_fail($$UPDATE hr_pay_run SET status = 'draft' WHERE id = 1$$, 'draft -> approved');
-- 0012: one live monthly run per month; an off-cycle settlement run may share its month.
INSERT INTO hr_pay_run (period, status, currency, employees, gross, deductions, net, employer_cost, prepared_by, prepared_at, kind)
VALUES ('2026-11', 'draft', 'EGP', 0, 0, 0, 0, 0, 'omar', now(), 'settlement');
SELECT expect_fail($$INSERT INTO hr_pay_run (period, status, currency, employees, gross, deductions, net, employer_cost, prepared_by, prepared_at, kind) VALUES ('2026-11', 'draft', 'EGP', 0, 0, 0, 0, 0, 'omar', now(), 'monthly')$$, 'ux_hr_pay_run_period');
