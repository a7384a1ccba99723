# ruff: noqa: E501  (the seed chart reads best as one row per account)
"""The chart of accounts ``bo init`` seeds: a small or mid-sized Saudi trading company.

Codes follow the usual Saudi layout: 1 assets, 2 liabilities, 3 equity, 4 income, 5-7
expenses (cost of sales, operating, other). Group accounts (``postable`` false) only total
their children. Payroll's default accounts (``hr.payroll.ACCOUNTS``) are here with the same
codes, so a new database can post a pay run without set-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reads

# code, name, Arabic name, type, parent code, postable
# fmt: off
SEED_CHART: list[tuple[str, str, str, str, str | None, bool]] = [
    ("1000", "Assets", "الأصول", "asset", None, False),
    ("1100", "Cash and banks", "النقد وما في حكمه", "asset", "1000", False),
    ("1110", "Al Rajhi Bank current account", "الحساب الجاري - مصرف الراجحي", "asset", "1100", True),
    ("1120", "SNB current account", "الحساب الجاري - البنك الأهلي", "asset", "1100", True),
    ("1130", "Bank deposits", "ودائع بنكية", "asset", "1100", True),
    ("1140", "Cash on hand", "النقدية بالصندوق", "asset", "1100", True),
    ("1150", "Petty cash", "العهد النقدية", "asset", "1100", True),
    ("1200", "Receivables", "الذمم المدينة", "asset", "1000", False),
    ("1210", "Trade receivables", "ذمم العملاء", "asset", "1200", True),
    ("1220", "Allowance for doubtful debts", "مخصص الديون المشكوك فيها", "asset", "1200", True),
    ("1230", "Employee advances", "سلف الموظفين", "asset", "1200", True),
    ("1240", "Other receivables", "ذمم مدينة أخرى", "asset", "1200", True),
    ("1300", "Inventory", "المخزون", "asset", "1000", False),
    ("1310", "Merchandise inventory", "مخزون البضائع", "asset", "1300", True),
    ("1320", "Goods in transit", "بضاعة بالطريق", "asset", "1300", True),
    ("1330", "Packaging materials", "مواد التغليف", "asset", "1300", True),
    ("1400", "Prepayments and other current assets", "مصروفات مدفوعة مقدماً", "asset", "1000", False),
    ("1410", "Prepaid rent", "إيجار مدفوع مقدماً", "asset", "1400", True),
    ("1420", "Prepaid insurance", "تأمين مدفوع مقدماً", "asset", "1400", True),
    ("1430", "VAT input", "ضريبة القيمة المضافة - المدخلات", "asset", "1400", True),
    ("1440", "Advances to suppliers", "دفعات مقدمة للموردين", "asset", "1400", True),
    ("1450", "Refundable deposits", "تأمينات مستردة", "asset", "1400", True),
    ("1500", "Property and equipment", "الممتلكات والمعدات", "asset", "1000", False),
    ("1510", "Land", "الأراضي", "asset", "1500", True),
    ("1520", "Buildings", "المباني", "asset", "1500", True),
    ("1525", "Accumulated depreciation - buildings", "مجمع إهلاك المباني", "asset", "1500", True),
    ("1530", "Vehicles", "السيارات", "asset", "1500", True),
    ("1535", "Accumulated depreciation - vehicles", "مجمع إهلاك السيارات", "asset", "1500", True),
    ("1540", "Furniture and fixtures", "الأثاث والتجهيزات", "asset", "1500", True),
    ("1545", "Accumulated depreciation - furniture", "مجمع إهلاك الأثاث", "asset", "1500", True),
    ("1550", "IT equipment", "أجهزة الحاسب", "asset", "1500", True),
    ("1555", "Accumulated depreciation - IT equipment", "مجمع إهلاك أجهزة الحاسب", "asset", "1500", True),
    ("1560", "Warehouse equipment", "معدات المستودعات", "asset", "1500", True),
    ("1565", "Accumulated depreciation - warehouse equipment", "مجمع إهلاك معدات المستودعات", "asset", "1500", True),
    ("1600", "Intangible assets", "الأصول غير الملموسة", "asset", "1000", False),
    ("1610", "Software licences", "تراخيص البرامج", "asset", "1600", True),
    ("1615", "Accumulated amortisation - software", "مجمع إطفاء البرامج", "asset", "1600", True),
    ("2000", "Liabilities", "الخصوم", "liability", None, False),
    ("2100", "Current liabilities", "الخصوم المتداولة", "liability", "2000", False),
    ("2110", "Trade payables", "ذمم الموردين", "liability", "2100", True),
    ("2120", "Accrued expenses", "مصروفات مستحقة", "liability", "2100", True),
    ("2130", "Goods received not invoiced", "بضاعة مستلمة لم تصل فواتيرها", "liability", "2100", True),
    ("2140", "Customer advances", "دفعات مقدمة من العملاء", "liability", "2100", True),
    ("2150", "Short-term loans", "قروض قصيرة الأجل", "liability", "2100", True),
    ("2200", "Taxes payable", "الضرائب المستحقة", "liability", "2100", False),
    ("2210", "VAT output", "ضريبة القيمة المضافة - المخرجات", "liability", "2200", True),
    ("2220", "VAT settlement", "تسوية ضريبة القيمة المضافة", "liability", "2200", True),
    ("2230", "Zakat payable", "الزكاة المستحقة", "liability", "2200", True),
    ("2240", "Withholding tax payable", "ضريبة الاستقطاع المستحقة", "liability", "2200", True),
    ("2290", "Payroll liabilities", "التزامات الرواتب", "liability", "2100", False),
    ("2300", "Salaries payable", "رواتب مستحقة", "liability", "2290", True),
    ("2310", "Social insurance payable", "التأمينات الاجتماعية المستحقة", "liability", "2290", True),
    ("2320", "Employee benefits payable", "مزايا الموظفين المستحقة", "liability", "2290", True),
    ("2330", "Other payroll deductions payable", "استقطاعات رواتب أخرى مستحقة", "liability", "2290", True),
    ("2340", "Accrued leave", "مخصص الإجازات", "liability", "2290", True),
    ("2500", "Non-current liabilities", "الخصوم غير المتداولة", "liability", "2000", False),
    ("2510", "Long-term loans", "قروض طويلة الأجل", "liability", "2500", True),
    ("2520", "End-of-service benefits provision", "مخصص مكافأة نهاية الخدمة", "liability", "2500", True),
    ("2530", "Lease liabilities", "التزامات الإيجار", "liability", "2500", True),
    ("3000", "Equity", "حقوق الملكية", "equity", None, False),
    ("3100", "Share capital", "رأس المال", "equity", "3000", True),
    ("3200", "Statutory reserve", "الاحتياطي النظامي", "equity", "3000", True),
    ("3300", "Retained earnings", "الأرباح المبقاة", "equity", "3000", True),
    ("3400", "Owners current account", "جاري الشركاء", "equity", "3000", True),
    ("3900", "Opening balance equity", "أرصدة افتتاحية", "equity", "3000", True),
    ("4000", "Income", "الإيرادات", "income", None, False),
    ("4100", "Sales of goods", "مبيعات البضائع", "income", "4000", True),
    ("4110", "Sales returns", "مردودات المبيعات", "income", "4000", True),
    ("4120", "Sales discounts", "خصم المبيعات", "income", "4000", True),
    ("4200", "Service revenue", "إيرادات الخدمات", "income", "4000", True),
    ("4300", "Delivery charges", "إيرادات التوصيل", "income", "4000", True),
    ("4900", "Other income", "إيرادات أخرى", "income", "4000", False),
    ("4910", "Interest income", "إيرادات الفوائد", "income", "4900", True),
    ("4920", "Gain on disposal of assets", "أرباح بيع أصول", "income", "4900", True),
    ("4930", "Foreign exchange gains", "أرباح فروق العملة", "income", "4900", True),
    ("4990", "Miscellaneous income", "إيرادات متنوعة", "income", "4900", True),
    ("5000", "Expenses", "المصروفات", "expense", None, False),
    ("5100", "Cost of sales", "تكلفة المبيعات", "expense", "5000", False),
    ("5110", "Cost of goods sold", "تكلفة البضاعة المباعة", "expense", "5100", True),
    ("5120", "Freight inward", "مصاريف الشحن للداخل", "expense", "5100", True),
    ("5130", "Inventory adjustments", "تسويات المخزون", "expense", "5100", True),
    ("5140", "Purchase discounts", "خصم المشتريات", "expense", "5100", True),
    ("6000", "Operating expenses", "المصروفات التشغيلية", "expense", "5000", False),
    ("6090", "Staff costs", "تكاليف الموظفين", "expense", "6000", False),
    ("6100", "Salaries and wages", "الرواتب والأجور", "expense", "6090", True),
    ("6110", "Social insurance", "التأمينات الاجتماعية", "expense", "6090", True),
    ("6120", "Employee benefits", "مزايا الموظفين", "expense", "6090", True),
    ("6130", "End-of-service benefits", "مكافأة نهاية الخدمة", "expense", "6090", True),
    ("6140", "Medical insurance", "التأمين الطبي", "expense", "6090", True),
    ("6150", "Training", "التدريب", "expense", "6090", True),
    ("6160", "Recruitment", "التوظيف", "expense", "6090", True),
    ("6170", "Visa and iqama fees", "رسوم التأشيرات والإقامات", "expense", "6090", True),
    ("6190", "Premises", "المباني والمرافق", "expense", "6000", False),
    ("6200", "Rent", "الإيجار", "expense", "6190", True),
    ("6210", "Electricity and water", "الكهرباء والمياه", "expense", "6190", True),
    ("6220", "Telephone and internet", "الهاتف والإنترنت", "expense", "6190", True),
    ("6230", "Office supplies", "مستلزمات مكتبية", "expense", "6190", True),
    ("6240", "Repairs and maintenance", "الإصلاح والصيانة", "expense", "6190", True),
    ("6250", "Insurance", "التأمين", "expense", "6190", True),
    ("6260", "Cleaning and security", "النظافة والحراسة", "expense", "6190", True),
    ("6290", "Selling and distribution", "البيع والتوزيع", "expense", "6000", False),
    ("6300", "Marketing and advertising", "التسويق والإعلان", "expense", "6290", True),
    ("6310", "Travel", "السفر", "expense", "6290", True),
    ("6320", "Vehicle fuel and maintenance", "وقود وصيانة السيارات", "expense", "6290", True),
    ("6330", "Delivery and courier", "التوصيل والبريد", "expense", "6290", True),
    ("6390", "Administration", "المصروفات الإدارية", "expense", "6000", False),
    ("6400", "Professional fees", "أتعاب مهنية", "expense", "6390", True),
    ("6410", "Bank charges", "عمولات بنكية", "expense", "6390", True),
    ("6420", "Government fees and licences", "رسوم حكومية وتراخيص", "expense", "6390", True),
    ("6430", "Software subscriptions", "اشتراكات البرامج", "expense", "6390", True),
    ("6440", "Bad debts", "ديون معدومة", "expense", "6390", True),
    ("6500", "Depreciation", "الإهلاك", "expense", "6000", True),
    ("6510", "Amortisation", "الإطفاء", "expense", "6000", True),
    ("7000", "Other expenses", "مصروفات أخرى", "expense", "5000", False),
    ("7100", "Interest expense", "مصروف الفوائد", "expense", "7000", True),
    ("7200", "Zakat", "الزكاة", "expense", "7000", True),
    ("7300", "Foreign exchange losses", "خسائر فروق العملة", "expense", "7000", True),
    ("7400", "Loss on disposal of assets", "خسائر بيع أصول", "expense", "7000", True),
]
# fmt: on

ACCOUNT_ROLES: dict[str, tuple[str, str]] = {
    "bank": ("1110", "main bank account"),
    "cash": ("1140", "cash on hand"),
    "receivables": ("1210", "trade receivables (customers)"),
    "inventory": ("1310", "merchandise inventory"),
    "vat_input": ("1430", "VAT paid on purchases (recoverable)"),
    "payables": ("2110", "trade payables (suppliers)"),
    "vat_output": ("2210", "VAT charged on sales"),
    "vat_settlement": ("2220", "VAT due to or from the authority"),
    "retained_earnings": ("3300", "retained earnings"),
    "opening_equity": ("3900", "opening balances"),
    "sales": ("4100", "sales of goods"),
    "cost_of_sales": ("5110", "cost of goods sold"),
}
"""Accounts other services post to by role: role -> (default code, what it is). The code in
force is the setting ``finance.account.<role>``."""


def seed(session: Session) -> None:
    """Add the seed chart to a new database (``bo init``); no-op when accounts exist."""
    from sqlmodel import select

    from bo_console.finance.models import Account

    if session.exec(select(Account.id).limit(1)).first() is not None:
        return
    ids: dict[str, int] = {}
    for code, name, name_ar, kind, parent, postable in SEED_CHART:
        account = Account(
            code=code,
            name=name,
            name_ar=name_ar,
            type=kind,
            parent_id=ids[parent] if parent else None,
            postable=postable,
        )
        session.add(account)
        session.flush()
        assert account.id is not None
        ids[code] = account.id


def role_code(db: Reads, role: str) -> str:
    """The account code in force for a role (``finance.account.<role>`` or the default)."""
    from bo_console.core import settings

    if role not in ACCOUNT_ROLES:
        raise KeyError(role)
    return settings.get(db, f"finance.account.{role}") or ACCOUNT_ROLES[role][0]
