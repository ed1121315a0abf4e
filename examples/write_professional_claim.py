"""Build one professional claim from typed objects and write it as an 837P file.

Every value below is what billing software already holds: the practice, the patient's
insurance, the payer, the diagnoses and the services. The writer builds the HL hierarchy,
the envelope and the control numbers, and checks the claim before writing a byte (CLM02 is
the sum of the line charges, diagnosis pointers point at diagnoses, NPIs pass their check
digit...): a refusal lists every problem by field path.

Run: PYTHONPATH=src python examples/write_professional_claim.py
"""

from __future__ import annotations

import datetime as dt
import pathlib
import tempfile
from decimal import Decimal

import edi837
from models.claim import (
    Claim,
    Diagnosis,
    Payer,
    Provider,
    Receiver,
    ServiceLine,
    Submitter,
    Subscriber,
)
from models.common import Address, Contact
from x12.errors import X12WriteError

# The practice that bills (loop 2000A/2010AA): an organization with its NPI, EIN, taxonomy.
practice = Provider(
    name="RIVERSIDE FAMILY MEDICINE",
    npi="1234567893",  # 10 digits whose last is a Luhn check digit over "80840" + the rest
    tax_id="123456789",  # REF*EI
    taxonomy="207Q00000X",  # PRV*BI*PXC: family medicine
    address=Address("100 MAIN ST", "SPRINGFIELD", "IL", "627010001"),
)

# The insured (2000B/2010BA) and their plan (2010BB). Here the patient is the subscriber,
# so there is no 2000C patient loop (Claim.patient stays None).
subscriber = Subscriber(
    last_name="DOE",
    first_name="JANE",
    member_id="XYZ123456789",
    group_number="GRP0001",
    claim_filing_code="CI",  # SBR09: commercial insurance
    address=Address("12 ELM ST", "SPRINGFIELD", "IL", "62704"),
    birth_date=dt.date(1980, 2, 29),
    gender="F",
)
payer = Payer(name="EXAMPLE HEALTH PLAN", id="60054")

# The claim (2300) with two service lines (2400). CLM02 must equal the sum of SV102.
visit = dt.date(2024, 3, 18)
claim = Claim(
    id="PCN-2024-0001",  # CLM01: your patient control number; comes back in the 835's CLP01
    charge=Decimal("185.00"),
    place_of_service="11",  # CLM05-1: office
    billing_provider=practice,
    subscriber=subscriber,
    payer=payer,
    diagnoses=(Diagnosis("E119"), Diagnosis("I10")),  # HI: ICD-10-CM without the dot
    service_lines=(
        ServiceLine(
            procedure="99214",
            charge=Decimal("150.00"),
            service_date=visit,
            diagnosis_pointers=(1, 2),  # SV107: first and second diagnosis
            control_number="PCN-2024-0001-1",  # REF*6R: comes back in the 835
        ),
        ServiceLine(
            procedure="83036",  # HbA1c
            charge=Decimal("35.00"),
            service_date=visit,
            diagnosis_pointers=(1,),
            control_number="PCN-2024-0001-2",
        ),
    ),
)

text = edi837.dumps(
    [claim],
    submitter=Submitter(
        "RIVERSIDE FAMILY MEDICINE",
        "RFM001",
        (Contact("BILLING OFFICE", (("TE", "2175550100"),)),),
    ),
    receiver=Receiver("EXAMPLE CLEARINGHOUSE", "EXCLEAR"),
    usage="T",  # ISA15: T while testing with the clearinghouse, P in production
    timestamp=dt.datetime(2024, 3, 19, 9, 30),  # fixed so the file is reproducible
)
out = pathlib.Path(tempfile.mkdtemp(prefix="x12-claim-")) / "claim.837"
out.write_text(text, encoding="utf-8")
print(f"wrote {out}: {text.count('~')} segments")
for segment in text.split("~")[:12] + [s for s in text.split("~") if s.startswith("CLM")]:
    print("  ", segment)
print("   ...")

# Reading the file gives the same claim back.
assert edi837.loads(text) == [claim]
print("read back: the same claim")

# A claim whose total is wrong is refused, with the field path of each problem.
wrong = Claim(
    id="PCN-2024-0002",
    charge=Decimal("999.00"),
    place_of_service="11",
    billing_provider=practice,
    subscriber=subscriber,
    payer=payer,
    diagnoses=(Diagnosis("E119"),),
    service_lines=(ServiceLine(procedure="99213", charge=Decimal("95.00"), service_date=visit),),
)
try:
    edi837.dumps([claim, wrong], submitter=Submitter("X", "X"), receiver=Receiver("Y", "Y"))
except X12WriteError as exc:
    print("refused:")
    for path, message in exc.problems:
        print(f"  {path}: {message}")
