package models

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Finnish e-invoice routing (Finvoice 3.0 implementation guidelines, Finance
// Finland, v2.2 of 17 December 2020, 9.1 "Message transmission frame"): a
// party is reached by its e-invoice address and its operator's
// (intermediator's) id. The address is an OVT/EDI code, the ISO 6523 prefix
// 0037 followed by the Y-tunnus's eight digits without the hyphen and an
// optional suffix of up to five characters naming a unit, or an IBAN of the
// party's bank account when a bank carries its e-invoices. The operator is a
// bank's BIC or an operator's own code (0037… OVT form, or a letter code such
// as E204503).
var (
	ovtRe      = regexp.MustCompile(`^0037[0-9]{8}[0-9A-Za-z]{0,5}$`)
	operatorRe = regexp.MustCompile(`^[0-9A-Za-z]{5,35}$`)
	bicRe      = regexp.MustCompile(`^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$`)
)

// Languages an organization can take its invoices in.
var Languages = []string{"fi", "sv", "en"}

// ValidLanguage reports whether l is an invoice language.
func ValidLanguage(l string) bool {
	for _, x := range Languages {
		if l == x {
			return true
		}
	}
	return false
}

// ValidEinvoiceAddress reports whether s is an OVT/EDI code with a valid
// Y-tunnus check digit, or a valid IBAN.
func ValidEinvoiceAddress(s string) bool {
	if ovtRe.MatchString(s) {
		return ValidBusinessID(s[4:11] + "-" + s[11:12])
	}
	return s == NormalizeIBAN(s) && ValidIBAN(s)
}

// ValidEinvoiceOperator reports whether s can be an operator id: a BIC, an
// OVT code or an operator's letter-and-digit code.
func ValidEinvoiceOperator(s string) bool {
	return bicRe.MatchString(s) || ovtRe.MatchString(s) || operatorRe.MatchString(s)
}

// CheckEinvoice adds the problems of an e-invoice address and operator to v
// under the JSON pointers prefix+"einvoice_address" and
// prefix+"einvoice_operator". Both are optional but go together.
func CheckEinvoice(v *ValidationError, prefix, address, operator string) {
	if address != "" && !ValidEinvoiceAddress(address) {
		v.Add(prefix+"einvoice_address", "is not an e-invoice address: give the OVT code (0037 + the business ID's 8 digits + an optional suffix of up to 5 characters, e.g. 003712345671) or the IBAN the e-invoices are received at, without spaces")
	}
	if operator != "" && !ValidEinvoiceOperator(operator) {
		v.Add(prefix+"einvoice_operator", "is not an e-invoice operator id: give the operator's code (e.g. 003721291126 or E204503) or its bank's BIC (e.g. NDEAFIHH)")
	}
	if (address == "") != (operator == "") {
		if address == "" {
			v.Add(prefix+"einvoice_address", "is required with einvoice_operator")
		} else {
			v.Add(prefix+"einvoice_operator", "is required with einvoice_address")
		}
	}
}

// MaxCustomerReferenceLen is the length of the customer's own reference:
// Finvoice's RowIdentifier, where it is repeated on each invoice row, holds
// 35 characters.
const MaxCustomerReferenceLen = 35

// CheckCustomerReference adds the problems of an order's customer reference.
func CheckCustomerReference(v *ValidationError, ref string) {
	switch {
	case !utf8.ValidString(ref):
		v.Add("/customer_reference", "is not valid text")
	case utf8.RuneCountInString(ref) > MaxCustomerReferenceLen:
		v.Add("/customer_reference", "must be at most 35 characters (what an e-invoice row carries)")
	case strings.IndexFunc(ref, unicode.IsControl) >= 0:
		v.Add("/customer_reference", "must not contain control characters such as line breaks or tabs")
	}
}
