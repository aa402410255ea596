package pdf

import (
	"errors"
	"fmt"
	"strings"

	"jobcenter/models"
)

// VirtualBarcode is the 54-digit Finnish bank barcode (pankkiviivakoodi) of
// a payment, as printed under the Code 128 symbol and typed into online
// banks ("Pankkiviivakoodi-opas", Finanssiala, version 5.3): version 4 for a
// national reference, version 5 for an RF reference (ISO 11649). The fields:
// version (1), the IBAN's check digits and BBAN (16), euros (6), cents (2),
// then for version 4 three zeros (3) and the reference right-aligned (20),
// for version 5 the RF check digits (2) and the reference's digits
// right-aligned (21), and the due date YYMMDD (6; zeros without one). An
// amount over 999 999.99 € is written as zeros (the payer types it).
func VirtualBarcode(iban, reference string, amount models.Cents, due models.Date) (string, error) {
	iban = models.NormalizeIBAN(iban)
	if !strings.HasPrefix(iban, "FI") || len(iban) != 18 || !models.ValidIBAN(iban) {
		return "", errors.New("the bank barcode needs a Finnish IBAN")
	}
	if amount < 0 {
		return "", errors.New("a bank barcode cannot pay a negative amount")
	}
	if amount > 99999999 {
		amount = 0
	}
	money := fmt.Sprintf("%06d%02d", amount/100, amount%100)
	dueDate := "000000"
	if due != (models.Date{}) {
		dueDate = fmt.Sprintf("%02d%02d%02d", due.Year%100, int(due.Month), due.Day)
	}
	ref := models.NormalizeIBAN(reference)
	switch {
	case strings.HasPrefix(ref, "RF") && models.ValidRFReference(ref):
		digits := ref[4:]
		if len(digits) > 21 || strings.Trim(digits, "0123456789") != "" {
			return "", errors.New("the bank barcode takes an RF reference of digits only, at most 21")
		}
		return "5" + iban[2:] + money + ref[2:4] + fmt.Sprintf("%021s", digits) + dueDate, nil
	case models.ValidFinnishReference(ref) && len(ref) <= 20:
		return "4" + iban[2:] + money + "000" + fmt.Sprintf("%020s", ref) + dueDate, nil
	}
	return "", fmt.Errorf("%q is not a Finnish or RF reference", reference)
}
