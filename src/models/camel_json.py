"""Professional claims from the camelCase JSON shape of commercial claims APIs.

Several clearinghouse "professional claims" REST APIs describe an 837P as one camelCase JSON
object: ``subscriber``, ``dependent``, ``billing`` (and ``rendering``, ``referring``,
``supervising`` or a ``providers`` list with ``providerType``), ``receiver``,
``claimInformation`` with ``serviceLines[].professionalService``; money as strings
(``"125.00"``), dates as ``YYYYMMDD``. :func:`loads` / :func:`load` / :func:`claims_from_camel`
turn such documents (one object or an array of them) into :class:`models.claim.Claim`
objects, so users of those APIs can bring their data along and write the 837P with
:mod:`edi837`.

Keys this module does not map are reported in :attr:`CamelResult.ignored` (as paths, never
values); ``strict=True`` refuses them instead. Errors are :class:`CamelJsonError` listing each
problem by path (``claimInformation.serviceLines[1].professionalService.lineItemChargeAmount``)
without the values.

Mapping (camelCase path -> model field, X12 element):

- ``claimInformation.patientControlNumber`` -> ``Claim.id`` (CLM01)
- ``claimInformation.claimChargeAmount`` -> ``Claim.charge`` (CLM02)
- ``claimInformation.placeOfServiceCode`` -> ``Claim.place_of_service`` (CLM05-1)
- ``claimInformation.claimFrequencyCode`` -> ``Claim.frequency`` (CLM05-3)
- ``claimInformation.signatureIndicator`` (Y/N) -> ``Claim.provider_signature`` (CLM06)
- ``claimInformation.planParticipationCode`` -> ``Claim.assignment`` (CLM07)
- ``claimInformation.benefitsAssignmentCertificationIndicator`` -> ``Claim.benefits_assigned``
  (CLM08)
- ``claimInformation.releaseInformationCode`` -> ``Claim.release_of_information`` (CLM09)
- ``claimInformation.patientSignatureSourceCode`` -> ``Claim.patient_signature_source`` (CLM10;
  ``true`` -> ``P``)
- ``claimInformation.relatedCausesCode[]`` -> ``Claim.related_causes`` (CLM11)
- ``claimInformation.autoAccidentStateCode`` -> ``Claim.accident_state`` (CLM11-4)
- ``claimInformation.specialProgramCode`` -> ``Claim.special_program`` (CLM12)
- ``claimInformation.delayReasonCode`` -> ``Claim.delay_reason`` (CLM20)
- ``claimInformation.patientAmountPaid`` -> ``Claim.patient_paid`` (AMT*F5)
- ``claimInformation.claimFilingCode`` -> ``Subscriber.claim_filing_code`` (SBR09)
- ``claimInformation.healthCareCodeInformation[]`` -> ``Claim.diagnoses`` (HI; type ABK/ABF
  ICD-10, BK/BF ICD-9)
- ``claimInformation.claimDateInformation.*Date`` -> ``Claim.dates`` (DTP: onset 431,
  initialTreatment 454, lastSeen 304, accident 439, admission 435, discharge 096,
  lastMenstrualPeriod 484, acuteManifestation 453)
- ``claimInformation.claimSupplementalInformation.*`` -> ``Claim.references`` (REF:
  priorAuthorizationNumber G1, referralNumber 9F, claimControlNumber / payerClaimControlNumber
  F8, medicalRecordNumber EA, claimNumber D9)
- ``claimInformation.claimNote.{additionalInformation,...}`` -> ``Claim.note`` (NTE
  ADD/CER/DCP/...)
- ``claimInformation.serviceFacilityLocation`` -> ``Claim.service_facility`` (2310C)
- ``claimInformation.serviceLines[].serviceDate`` -> ``ServiceLine.service_date`` (DTP*472)
- ``claimInformation.serviceLines[].serviceDateEnd`` -> ``ServiceLine.service_date_end``
- ``claimInformation.serviceLines[].providerControlNumber`` -> ``ServiceLine.control_number``
  (REF*6R)
- ``claimInformation.serviceLines[].renderingProvider`` -> ``ServiceLine.rendering_provider``
- ``...professionalService.procedureIdentifier`` -> ``ServiceLine.procedure_qualifier``
  (SV101-1)
- ``...professionalService.procedureCode`` -> ``ServiceLine.procedure`` (SV101-2)
- ``...professionalService.procedureModifiers[]`` -> ``ServiceLine.modifiers`` (SV101-3..6)
- ``...professionalService.description`` -> ``ServiceLine.description`` (SV101-7)
- ``...professionalService.lineItemChargeAmount`` -> ``ServiceLine.charge`` (SV102)
- ``...professionalService.measurementUnit`` -> ``ServiceLine.unit_type`` (SV103)
- ``...professionalService.serviceUnitCount`` -> ``ServiceLine.units`` (SV104)
- ``...professionalService.placeOfServiceCode`` -> ``ServiceLine.place_of_service`` (SV105)
- ``...compositeDiagnosisCodePointers.diagnosisCodePointers`` ->
  ``ServiceLine.diagnosis_pointers`` (SV107)
- ``...professionalService.emergencyIndicator`` (Y) -> ``ServiceLine.emergency`` (SV109)
- ``...professionalService.epsdtIndicator`` (Y) -> ``ServiceLine.epsdt`` (SV111)
- ``...professionalService.familyPlanningIndicator`` (Y) -> ``ServiceLine.family_planning``
  (SV112)
- ``...professionalService.copayStatusCode`` (0) -> ``ServiceLine.copay_exempt`` (SV115)
- ``subscriber.memberId`` / ``firstName`` / ``lastName`` ... -> ``Subscriber`` (2010BA NM1)
- ``subscriber.paymentResponsibilityLevelCode`` -> ``Subscriber.payer_responsibility`` (SBR01)
- ``subscriber.groupNumber`` or ``policyNumber`` -> ``Subscriber.group_number`` (SBR03)
- ``subscriber.dateOfBirth`` / ``gender`` -> ``Subscriber.birth_date`` / ``gender`` (DMG)
- ``dependent.*`` (``relationshipToSubscriberCode``) -> ``Claim.patient`` (2000C PAT01)
- ``billing`` or ``providers[providerType=BillingProvider]`` -> ``Claim.billing_provider``
  (2010AA: npi, employerId EI / ssn SY, organizationName or lastName, taxonomyCode, address,
  contactInformation)
- ``rendering`` / ``referring`` / ``supervising`` -> ``Claim.rendering_provider`` /
  ``referring_providers`` / ``supervising_provider``
- ``payToAddress`` -> ``Claim.pay_to_address`` (2010AB)
- ``receiver.organizationName`` + ``tradingPartnerServiceId`` -> ``Claim.payer`` name and id
  (2010BB)
- ``payerAddress`` -> ``Payer.address``
- ``*.address.{address1,address2,city,state,postalCode,...}`` -> ``Address`` (N3/N4)

Envelope-level keys (``controlNumber``, ``submitter``, ``tradingPartnerName``,
``usageIndicator``) are accepted and not mapped onto claims; pass a
:class:`~models.claim.Submitter` and :class:`~models.claim.Receiver` to the 837 writer.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import attrs

from models.claim import (
    Claim,
    Diagnosis,
    EventDate,
    Note,
    Patient,
    Payer,
    Provider,
    Reference,
    ServiceLine,
    Subscriber,
)
from models.common import Address, Contact

__all__ = ["CamelJsonError", "CamelResult", "claims_from_camel", "load", "loads", "read"]

_DATES = {
    "onsetOfCurrentIllnessOrInjuryDate": "431",
    "initialTreatmentDate": "454",
    "lastSeenDate": "304",
    "accidentDate": "439",
    "admissionDate": "435",
    "dischargeDate": "096",
    "lastMenstrualPeriodDate": "484",
    "acuteManifestationDate": "453",
}
_SUPPLEMENTAL = {
    "priorAuthorizationNumber": "G1",
    "referralNumber": "9F",
    "claimControlNumber": "F8",
    "payerClaimControlNumber": "F8",
    "medicalRecordNumber": "EA",
    "claimNumber": "D9",
}
_NOTES = {
    "additionalInformation": "ADD",
    "certificationNarrative": "CER",
    "goalRehabOrDischargePlans": "DCP",
    "diagnosisDescription": "DGN",
    "thirdPartOrgNotes": "TPO",
}
_ENVELOPE = ("controlNumber", "submitter", "tradingPartnerName", "usageIndicator")
_ICD9 = {"BK", "BF"}


class CamelJsonError(ValueError):
    """The document cannot become claims; ``problems`` lists ``(path, message)``."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p}: {m}" for p, m in problems))


@attrs.frozen
class CamelResult:
    """What :func:`read` returns: the claims and the paths of keys that were not mapped."""

    claims: list[Claim]
    ignored: list[str]


class _Obj:
    """A JSON object being read: remembers the keys used and where it sits."""

    def __init__(self, ctx: _Ctx, data: Any, path: str) -> None:
        self.ctx = ctx
        self.path = path
        self.used: set[str] = set()
        if not isinstance(data, Mapping):
            ctx.problem(path or "$", "expected an object")
            data = {}
        self.data: Mapping[str, Any] = data

    def done(self) -> None:
        for key in self.data:
            if key not in self.used:
                self.ctx.ignored.append(self.sub(key))

    def sub(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str) -> Any:
        self.used.add(key)
        return self.data.get(key)

    def s(self, key: str, required: bool = False) -> str | None:
        v = self.raw(key)
        if v is None or v == "":
            if required:
                self.ctx.problem(self.sub(key), "required")
            return None
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            self.ctx.problem(self.sub(key), "expected a string")
            return None
        return str(v)

    def money(self, key: str, required: bool = False) -> Decimal | None:
        v = self.raw(key)
        if v is None or v == "":
            if required:
                self.ctx.problem(self.sub(key), "required")
            return None
        if isinstance(v, bool) or not isinstance(v, (str, int, float)):
            self.ctx.problem(self.sub(key), "expected an amount (string)")
            return None
        try:
            d = Decimal(repr(v)) if isinstance(v, float) else Decimal(str(v).strip())
        except InvalidOperation:
            self.ctx.problem(self.sub(key), "not a number")
            return None
        if not d.is_finite():
            self.ctx.problem(self.sub(key), "not a finite number")
            return None
        return d

    def date(self, key: str, required: bool = False) -> _dt.date | None:
        v = self.s(key, required)
        if v is None:
            return None
        text = v.replace("-", "") if len(v) == 10 else v
        try:
            if len(text) != 8 or not text.isdigit():
                raise ValueError
            return _dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            self.ctx.problem(self.sub(key), "expected a date YYYYMMDD")
            return None

    def flag(self, key: str, default: bool, true: str = "Y") -> bool:
        v = self.raw(key)
        if v is None:
            return default
        if isinstance(v, bool):
            return v
        return str(v).upper() == true

    def obj(self, key: str) -> _Obj | None:
        v = self.raw(key)
        if v is None:
            return None
        return _Obj(self.ctx, v, self.sub(key))

    def arr(self, key: str) -> list[Any]:
        v = self.raw(key)
        if v is None:
            return []
        if not isinstance(v, list):
            self.ctx.problem(self.sub(key), "expected an array")
            return []
        return v


class _Ctx:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.ignored: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def build(self, path: str, cls: Any, **kwargs: Any) -> Any:
        """Construct a model; a validator's complaint (it names the field) becomes a problem."""
        try:
            return cls(**kwargs)
        except (ValueError, TypeError) as exc:
            self.problem(path or "$", str(exc).split("\n", 1)[0])
            return None


def _address(o: _Obj | None) -> Address | None:
    if o is None:
        return None
    a = o.ctx.build(
        o.path,
        Address,
        line1=o.s("address1", True) or "?",
        line2=o.s("address2"),
        city=o.s("city", True) or "?",
        state=o.s("state"),
        postal_code=o.s("postalCode"),
        country=o.s("countryCode"),
        country_subdivision=o.s("countrySubDivisionCode"),
    )
    o.done()
    return a  # type: ignore[no-any-return]


def _contacts(o: _Obj | None) -> tuple[Contact, ...]:
    if o is None:
        return ()
    numbers = [
        (q, v)
        for q, v in (
            ("TE", o.s("phoneNumber")),
            ("EX", o.s("phoneExtension")),
            ("FX", o.s("faxNumber")),
            ("EM", o.s("email")),
        )
        if v
    ]
    name = o.s("name")
    o.done()
    return (Contact(name=name, numbers=tuple(numbers)),)


def _provider(o: _Obj | None, role: str | None = None) -> Provider | None:
    if o is None:
        return None
    o.raw("providerType")
    org = o.s("organizationName")
    tax_id, tax_type = o.s("employerId"), "EI"
    if tax_id is None:
        tax_id = o.s("ssn")
        # REF*SY only with an SSN; no tax id at all keeps the model's default (nothing written)
        tax_type = "SY" if tax_id is not None else "EI"
    else:
        o.raw("ssn")
    p = o.ctx.build(
        o.path,
        Provider,
        name=org or o.s("lastName"),
        first_name=None if org else o.s("firstName"),
        middle_name=None if org else o.s("middleName"),
        suffix=None if org else o.s("suffix"),
        entity_type="2" if org else "1",
        npi=o.s("npi"),
        role=role,
        taxonomy=o.s("taxonomyCode"),
        tax_id=tax_id,
        tax_id_type=tax_type,
        address=_address(o.obj("address")),
        contacts=_contacts(o.obj("contactInformation")),
        secondary_ids=tuple(Reference("G2", v) for v in [o.s("commercialNumber")] if v)
        + tuple(Reference("0B", v) for v in [o.s("stateLicenseNumber")] if v),
    )
    for key in ("lastName", "firstName", "middleName", "suffix"):
        o.used.add(key)
    o.done()
    return p  # type: ignore[no-any-return]


def _subscriber(o: _Obj, filing: str | None) -> Subscriber | None:
    group = o.s("groupNumber") or o.s("policyNumber")
    s = o.ctx.build(
        o.path,
        Subscriber,
        last_name=o.s("lastName", True) or "?",
        member_id=o.s("memberId", True) or "?",
        first_name=o.s("firstName"),
        middle_name=o.s("middleName"),
        suffix=o.s("suffix"),
        payer_responsibility=o.s("paymentResponsibilityLevelCode") or "P",
        group_number=group,
        group_name=o.s("groupName"),
        insurance_type=o.s("insuranceTypeCode"),
        claim_filing_code=filing or "CI",
        address=_address(o.obj("address")),
        birth_date=o.date("dateOfBirth"),
        gender=o.s("gender"),
    )
    o.done()
    return s  # type: ignore[no-any-return]


def _patient(o: _Obj | None) -> Patient | None:
    if o is None:
        return None
    p = o.ctx.build(
        o.path,
        Patient,
        last_name=o.s("lastName", True) or "?",
        first_name=o.s("firstName"),
        middle_name=o.s("middleName"),
        suffix=o.s("suffix"),
        relationship=o.s("relationshipToSubscriberCode", True) or "?",
        address=_address(o.obj("address")),
        birth_date=o.date("dateOfBirth"),
        gender=o.s("gender"),
    )
    o.done()
    return p  # type: ignore[no-any-return]


def _line(o: _Obj) -> ServiceLine | None:
    ps = o.obj("professionalService")
    if ps is None:
        o.ctx.problem(o.sub("professionalService"), "required")
        return None
    pointers_obj = ps.obj("compositeDiagnosisCodePointers")
    pointers: list[int] = []
    if pointers_obj is not None:
        for k, v in enumerate(pointers_obj.arr("diagnosisCodePointers")):
            try:
                pointers.append(int(str(v)))
            except ValueError:
                o.ctx.problem(f"{pointers_obj.sub('diagnosisCodePointers')}[{k}]", "not a number")
        pointers_obj.done()
    modifiers = tuple(str(m) for m in ps.arr("procedureModifiers"))
    kwargs: dict[str, Any] = {
        "procedure": ps.s("procedureCode", True) or "?",
        "charge": ps.money("lineItemChargeAmount", True) or Decimal(0),
        "service_date": o.date("serviceDate", True) or _dt.date(1900, 1, 1),
        "service_date_end": o.date("serviceDateEnd"),
        "units": ps.money("serviceUnitCount") or Decimal(1),
        "unit_type": ps.s("measurementUnit") or "UN",
        "modifiers": modifiers,
        "diagnosis_pointers": tuple(pointers) or (1,),
        "procedure_qualifier": ps.s("procedureIdentifier") or "HC",
        "description": ps.s("description"),
        "place_of_service": ps.s("placeOfServiceCode"),
        "emergency": ps.flag("emergencyIndicator", False),
        "epsdt": ps.flag("epsdtIndicator", False),
        "family_planning": ps.flag("familyPlanningIndicator", False),
        "copay_exempt": ps.flag("copayStatusCode", False, true="0"),
        "control_number": o.s("providerControlNumber"),
        "rendering_provider": _provider(o.obj("renderingProvider")),
    }
    ps.done()
    line = o.ctx.build(o.path, ServiceLine, **kwargs)
    o.done()
    return line  # type: ignore[no-any-return]


def _claim(doc: Any, path: str, ctx: _Ctx) -> Claim | None:
    root = _Obj(ctx, doc, path)
    for key in _ENVELOPE:
        root.raw(key)
    ci = root.obj("claimInformation")
    if ci is None:
        ctx.problem(root.sub("claimInformation"), "required")
        return None
    # Providers: top-level keys, or a providers list with providerType.
    roles: dict[str, list[Provider]] = {}
    for k, item in enumerate(root.arr("providers")):
        po = _Obj(ctx, item, f"{root.sub('providers')}[{k}]")
        kind = str(po.data.get("providerType", ""))
        p = _provider(po, "DN" if kind == "ReferringProvider" else None)
        if p is not None:
            roles.setdefault(kind, []).append(p)
    billing = _provider(root.obj("billing")) or next(iter(roles.get("BillingProvider", [])), None)
    rendering = _provider(root.obj("rendering")) or next(
        iter(roles.get("RenderingProvider", [])), None
    )
    referring = _provider(root.obj("referring"), "DN")
    referrers = ([referring] if referring else []) + roles.get("ReferringProvider", [])
    supervising = _provider(root.obj("supervising")) or next(
        iter(roles.get("SupervisingProvider", [])), None
    )
    if billing is None:
        ctx.problem(root.sub("billing"), "required (or providers[] with BillingProvider)")
    filing = ci.s("claimFilingCode")
    sub_obj = root.obj("subscriber")
    subscriber = _subscriber(sub_obj, filing) if sub_obj is not None else None
    if sub_obj is None:
        ctx.problem(root.sub("subscriber"), "required")
    patient = _patient(root.obj("dependent"))
    rec = root.obj("receiver")
    payer_name = (rec.s("organizationName") if rec else None) or root.s("tradingPartnerName")
    payer_id = root.s("tradingPartnerServiceId") or (rec.s("payerId") if rec else None)
    if rec is not None:
        rec.done()
    if not payer_name:
        ctx.problem(root.sub("receiver.organizationName"), "required (the payer's name)")
    if not payer_id:
        ctx.problem(root.sub("tradingPartnerServiceId"), "required (the payer's id)")
    payer = ctx.build(
        root.sub("receiver"),
        Payer,
        name=payer_name or "?",
        id=payer_id or "?",
        address=_address(root.obj("payerAddress")),
    )
    diagnoses = []
    for k, item in enumerate(ci.arr("healthCareCodeInformation")):
        d = _Obj(ctx, item, f"{ci.sub('healthCareCodeInformation')}[{k}]")
        code = d.s("diagnosisCode", True)
        kind = d.s("diagnosisTypeCode") or "ABK"
        if code:
            diagnoses.append(Diagnosis(code=code.replace(".", ""), icd9=kind in _ICD9))
        d.done()
    dates = []
    do = ci.obj("claimDateInformation")
    if do is not None:
        for key, kind in _DATES.items():
            when = do.date(key)
            if when is not None:
                dates.append(EventDate(kind=kind, start=when))
        do.done()
    refs = []
    so = ci.obj("claimSupplementalInformation")
    if so is not None:
        for key, qual in _SUPPLEMENTAL.items():
            v = so.s(key)
            if v:
                refs.append(Reference(qual, v))
        so.done()
    note = None
    no = ci.obj("claimNote")
    if no is not None:
        for key, code in _NOTES.items():
            text = no.s(key)
            if text and note is None:
                note = Note(code=code, text=text)
        no.done()
    lines = []
    for k, item in enumerate(ci.arr("serviceLines")):
        ln = _line(_Obj(ctx, item, f"{ci.sub('serviceLines')}[{k}]"))
        if ln is not None:
            lines.append(ln)
    if not lines:
        ctx.problem(ci.sub("serviceLines"), "at least one service line is required")
    pss = ci.raw("patientSignatureSourceCode")
    signature_source = "P" if pss is True else (str(pss) if pss not in (None, False, "") else None)
    facility = _provider(ci.obj("serviceFacilityLocation"))
    kwargs: dict[str, Any] = {
        "id": ci.s("patientControlNumber", True) or "?",
        "charge": ci.money("claimChargeAmount", True) or Decimal(0),
        "place_of_service": ci.s("placeOfServiceCode", True) or "?",
        "frequency": ci.s("claimFrequencyCode") or "1",
        "provider_signature": ci.flag("signatureIndicator", True),
        "assignment": ci.s("planParticipationCode") or "A",
        "benefits_assigned": ci.s("benefitsAssignmentCertificationIndicator") or "Y",
        "release_of_information": ci.s("releaseInformationCode") or "Y",
        "patient_signature_source": signature_source,
        "related_causes": tuple(str(c) for c in ci.arr("relatedCausesCode")),
        "accident_state": ci.s("autoAccidentStateCode"),
        "accident_country": ci.s("autoAccidentCountryCode"),
        "special_program": ci.s("specialProgramCode"),
        "delay_reason": ci.s("delayReasonCode"),
        "patient_paid": ci.money("patientAmountPaid"),
        "diagnoses": tuple(diagnoses),
        "dates": tuple(dates),
        "references": tuple(refs),
        "note": note,
        "service_lines": tuple(lines),
        "patient": patient,
        "pay_to_address": _address(root.obj("payToAddress")),
        "referring_providers": tuple(referrers),
        "rendering_provider": rendering,
        "supervising_provider": supervising,
        "service_facility": facility,
    }
    ci.done()
    root.done()
    if ctx.problems or billing is None or subscriber is None or payer is None:
        return None
    claim: Claim | None = ctx.build(
        path, Claim, billing_provider=billing, subscriber=subscriber, payer=payer, **kwargs
    )
    return claim


def read(data: Any, *, strict: bool = False) -> CamelResult:
    """Claims from parsed JSON (one claim object or a list of them), with the ignored keys.

    Raises :class:`CamelJsonError` listing every problem (and, when ``strict``, every key
    that is not mapped).
    """
    docs = data if isinstance(data, list) else [data]
    ctx = _Ctx()
    claims: list[Claim] = []
    for k, doc in enumerate(docs):
        before = len(ctx.problems)
        claim = _claim(doc, f"[{k}]" if isinstance(data, list) else "", ctx)
        if claim is not None and len(ctx.problems) == before:
            claims.append(claim)
    if strict:
        ctx.problems.extend((p, "not a key this import maps") for p in ctx.ignored)
    if ctx.problems:
        raise CamelJsonError(ctx.problems)
    return CamelResult(claims, ctx.ignored)


def claims_from_camel(data: Any, *, strict: bool = False) -> list[Claim]:
    """The claims of parsed camelCase JSON (an object or a list of objects)."""
    return read(data, strict=strict).claims


def loads(text: str | bytes, *, strict: bool = False) -> list[Claim]:
    """The claims of camelCase JSON text."""
    try:
        data = _json.loads(text)
    except ValueError as exc:
        raise CamelJsonError([("$", f"not JSON ({exc.__class__.__name__})")]) from None
    return claims_from_camel(data, strict=strict)


def load(fp: IO[str] | IO[bytes], *, strict: bool = False) -> list[Claim]:
    """The claims of a camelCase JSON file object."""
    return loads(fp.read(), strict=strict)
