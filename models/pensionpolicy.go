package models

import (
	"regexp"
	"strings"
)

// The Incomes Register identifies an earnings-related pension provider by a
// number (PensionProvIdCode): two digits for a pension insurance company
// (46 Ilmarinen, 54 Elo, 55 Varma, 56 Veritas), five digits 7nnnn for a
// pension trust and 8nnnn for a pension fund. The pension policy number is
// that code, a hyphen and a number whose last character is a control
// character, 11 characters in all: nn-nnnnnnnT or nnnnn-nnnnT. Source:
// vero.fi/en/incomes-register/companies-and-organisations/employers/
// earnings-payment-data/employers-are-obliged-to-insure-their-employees/
// earnings-related-pension-insurance/pension-policy-number
var (
	pensionProviderRe = regexp.MustCompile(`^([0-9]{2}|[78][0-9]{4})$`)
	pensionPolicyRe   = regexp.MustCompile(`^([0-9]{2}-[0-9]{7}|[78][0-9]{4}-[0-9]{4})[0-9A-Z]$`)
)

// ValidPensionProvider reports whether code has the form of an Incomes
// Register pension provider code.
func ValidPensionProvider(code string) bool { return pensionProviderRe.MatchString(code) }

// ValidPensionPolicyNumber reports whether no has the form of a pension
// policy number.
func ValidPensionPolicyNumber(no string) bool { return pensionPolicyRe.MatchString(no) }

// PolicyProvider is the pension provider code a policy number starts with.
func PolicyProvider(no string) string {
	provider, _, _ := strings.Cut(no, "-")
	return provider
}

// validateEmployerInsurance checks the organiser's pension insurance and
// Incomes Register contact fields, when given.
func (o *Organization) validateEmployerInsurance(v *ValidationError) {
	if o.PensionInsurer != "" && !ValidPensionProvider(o.PensionInsurer) {
		v.Add("/pension_insurer", "must be the Incomes Register pension provider code: two digits for an insurance company (e.g. 54 Elo), 7nnnn for a pension trust, 8nnnn for a pension fund")
	}
	if o.PensionPolicyNumber != "" {
		switch {
		case !ValidPensionPolicyNumber(o.PensionPolicyNumber):
			v.Add("/pension_policy_number", "must be 11 characters: nn-nnnnnnnT or nnnnn-nnnnT, as on the pension insurer's letters (pad with zeros after the hyphen)")
		case o.PensionInsurer != "" && PolicyProvider(o.PensionPolicyNumber) != o.PensionInsurer:
			v.Add("/pension_policy_number", "must start with the pension insurer's code "+o.PensionInsurer)
		}
	}
	if len([]rune(o.ContactName)) > 200 {
		v.Add("/contact_name", "must be at most 200 characters")
	}
	if o.ContactPhone != "" && !phoneRe.MatchString(o.ContactPhone) {
		v.Add("/contact_phone", "must be a telephone number of digits, spaces and an optional leading +, at most 40 characters")
	}
	if o.ContactEmail != "" && (len(o.ContactEmail) > 70 || !emailRe.MatchString(o.ContactEmail)) {
		v.Add("/contact_email", "must be an e-mail address of at most 70 characters")
	}
}

var (
	phoneRe = regexp.MustCompile(`^\+?[0-9][0-9 ]{4,38}$`)
	emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)
