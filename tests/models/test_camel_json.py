"""models.camel_json: the camelCase professional-claim shape of commercial claims APIs."""

from __future__ import annotations

import copy
import datetime as _dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest

from models import camel_json
from models.camel_json import CamelJsonError

# A document written for these tests in the commercial APIs' shape (made-up people and ids).
DOC: dict[str, Any] = {
    "controlNumber": "000000101",
    "tradingPartnerServiceId": "60054",
    "submitter": {"organizationName": "EXAMPLE BILLING SERVICE"},
    "receiver": {"organizationName": "ACME HEALTH PLAN"},
    "payerAddress": {
        "address1": "PO BOX 1000",
        "city": "HARTFORD",
        "state": "CT",
        "postalCode": "06101",
    },
    "subscriber": {
        "memberId": "W123456789",
        "paymentResponsibilityLevelCode": "P",
        "firstName": "ALEX",
        "lastName": "RIVERA",
        "gender": "F",
        "dateOfBirth": "19800214",
        "groupNumber": "GRP100",
        "address": {
            "address1": "12 ELM ST",
            "city": "AUSTIN",
            "state": "TX",
            "postalCode": "787010000",
        },
    },
    "dependent": {
        "firstName": "SAM",
        "lastName": "RIVERA",
        "gender": "M",
        "dateOfBirth": "20150601",
        "relationshipToSubscriberCode": "19",
        "address": {
            "address1": "12 ELM ST",
            "city": "AUSTIN",
            "state": "TX",
            "postalCode": "787010000",
        },
    },
    "billing": {
        "providerType": "BillingProvider",
        "npi": "1234567893",
        "employerId": "371234567",
        "organizationName": "SUNRISE PEDIATRICS",
        "taxonomyCode": "208000000X",
        "address": {
            "address1": "400 MAIN ST",
            "address2": "SUITE 2",
            "city": "AUSTIN",
            "state": "TX",
            "postalCode": "787010001",
        },
        "contactInformation": {"name": "BILLING DESK", "phoneNumber": "5125550100"},
    },
    "rendering": {
        "providerType": "RenderingProvider",
        "npi": "1245319599",
        "firstName": "JORDAN",
        "lastName": "LEE",
        "taxonomyCode": "208000000X",
    },
    "claimInformation": {
        "claimFilingCode": "CI",
        "patientControlNumber": "PCN-0001",
        "claimChargeAmount": "185.50",
        "placeOfServiceCode": "11",
        "claimFrequencyCode": "1",
        "signatureIndicator": "Y",
        "planParticipationCode": "A",
        "benefitsAssignmentCertificationIndicator": "Y",
        "releaseInformationCode": "Y",
        "patientAmountPaid": "20.00",
        "claimSupplementalInformation": {"priorAuthorizationNumber": "AUTH77"},
        "claimDateInformation": {"onsetOfCurrentIllnessOrInjuryDate": "20240301"},
        "healthCareCodeInformation": [
            {"diagnosisTypeCode": "ABK", "diagnosisCode": "J06.9"},
            {"diagnosisTypeCode": "ABF", "diagnosisCode": "R05"},
        ],
        "serviceLines": [
            {
                "serviceDate": "20240305",
                "providerControlNumber": "LINE1",
                "professionalService": {
                    "procedureIdentifier": "HC",
                    "procedureCode": "99213",
                    "procedureModifiers": ["25"],
                    "lineItemChargeAmount": "150.50",
                    "measurementUnit": "UN",
                    "serviceUnitCount": "1",
                    "compositeDiagnosisCodePointers": {"diagnosisCodePointers": ["1", "2"]},
                },
            },
            {
                "serviceDate": "20240305",
                "professionalService": {
                    "procedureIdentifier": "HC",
                    "procedureCode": "87880",
                    "lineItemChargeAmount": "35",
                    "measurementUnit": "UN",
                    "serviceUnitCount": "1",
                    "compositeDiagnosisCodePointers": {"diagnosisCodePointers": ["1"]},
                },
            },
        ],
    },
}


def test_maps_every_part_of_the_document() -> None:
    result = camel_json.read(copy.deepcopy(DOC))
    assert result.ignored == []
    (claim,) = result.claims
    assert claim.id == "PCN-0001"
    assert claim.charge == Decimal("185.50") == claim.line_total
    assert claim.place_of_service == "11"
    assert claim.patient_paid == Decimal("20.00")
    assert claim.billing_provider.npi == "1234567893"
    assert claim.billing_provider.name == "SUNRISE PEDIATRICS"
    assert claim.billing_provider.tax_id == "371234567"
    assert claim.billing_provider.address is not None
    assert claim.billing_provider.address.line2 == "SUITE 2"
    assert claim.billing_provider.contacts[0].numbers == (("TE", "5125550100"),)
    assert claim.rendering_provider is not None
    assert (claim.rendering_provider.name, claim.rendering_provider.first_name) == ("LEE", "JORDAN")
    assert claim.subscriber.member_id == "W123456789"
    assert claim.subscriber.birth_date == _dt.date(1980, 2, 14)
    assert claim.subscriber.claim_filing_code == "CI"
    assert claim.subscriber.group_number == "GRP100"
    assert claim.patient is not None and claim.patient.relationship == "19"
    assert (claim.payer.name, claim.payer.id) == ("ACME HEALTH PLAN", "60054")
    assert [d.code for d in claim.diagnoses] == ["J069", "R05"]
    assert [(r.qualifier, r.value) for r in claim.references] == [("G1", "AUTH77")]
    assert [(d.kind, d.start) for d in claim.dates] == [("431", _dt.date(2024, 3, 1))]
    first, second = claim.service_lines
    assert (first.procedure, first.modifiers, first.charge) == ("99213", ("25",), Decimal("150.50"))
    assert first.service_date == _dt.date(2024, 3, 5)
    assert first.diagnosis_pointers == (1, 2)
    assert first.control_number == "LINE1"
    assert second.charge == Decimal("35")


def test_loads_load_and_arrays() -> None:
    text = json.dumps([DOC, DOC])
    assert len(camel_json.loads(text)) == 2
    assert len(camel_json.load(io.StringIO(json.dumps(DOC)))) == 1


def test_providers_list_form() -> None:
    doc = copy.deepcopy(DOC)
    doc["providers"] = [doc.pop("billing"), doc.pop("rendering")]
    (claim,) = camel_json.claims_from_camel(doc)
    assert claim.billing_provider.npi == "1234567893"
    assert claim.rendering_provider is not None and claim.rendering_provider.npi == "1245319599"


def test_unknown_keys_reported_or_refused() -> None:
    doc = copy.deepcopy(DOC)
    doc["claimInformation"]["somethingNew"] = "x"
    assert camel_json.read(doc).ignored == ["claimInformation.somethingNew"]
    with pytest.raises(CamelJsonError, match=r"claimInformation\.somethingNew"):
        camel_json.read(doc, strict=True)


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (("claimInformation", "claimChargeAmount"), "abc", "claimInformation.claimChargeAmount"),
        (("subscriber", "dateOfBirth"), "1980-02-31", "subscriber.dateOfBirth"),
        (("billing", "npi"), "1234567890", "billing"),
        (("subscriber", "memberId"), None, "subscriber.memberId"),
        (("claimInformation", "serviceLines"), [], "claimInformation.serviceLines"),
    ],
)
def test_problems_name_the_path_not_the_value(
    path: tuple[str, str], value: Any, where: str
) -> None:
    doc = copy.deepcopy(DOC)
    doc[path[0]][path[1]] = value
    with pytest.raises(CamelJsonError) as info:
        camel_json.claims_from_camel(doc)
    assert any(p.startswith(where) for p, _ in info.value.problems)
    assert "RIVERA" not in str(info.value) and "W123456789" not in str(info.value)


def test_not_json() -> None:
    with pytest.raises(CamelJsonError):
        camel_json.loads("{not json")
    with pytest.raises(CamelJsonError):
        camel_json.claims_from_camel(["a string"])


def test_writes_an_837p_pyx12_accepts() -> None:
    edi837 = pytest.importorskip("edi837")
    from edi837 import fake
    from edi837.writer import dumps

    claims = camel_json.loads(json.dumps(DOC))
    text = dumps(
        claims,
        submitter=fake.submitter(),
        receiver=fake.receiver(),
        timestamp=fake.timestamp_for(1),
    )
    assert "CLM*PCN-0001*185.5" in text
    back = edi837.loads(text)
    assert back[0].service_lines == claims[0].service_lines
    from x12.pyx12_check import validate_with_pyx12

    report = validate_with_pyx12(text)
    assert report.ok, [str(f) for f in report.findings][:5]
