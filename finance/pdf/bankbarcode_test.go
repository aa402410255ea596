package pdf

import (
	"testing"
	"time"

	"jobcenter/models"
)

// The example invoices of the bank barcode guide ("Pankkiviivakoodi-opas",
// Finanssiala, version 5.3, examples "Lasku 1", 2, 3, 5 and 6 in version 4
// and Lasku 1 and 2 again with RF references in version 5), as reproduced
// in the test suites of several independent implementations.
func TestVirtualBarcodeGuideExamples(t *testing.T) {
	date := func(y int, m, d int) models.Date { return models.Date{Year: y, Month: time.Month(m), Day: d} }
	for _, c := range []struct {
		name, iban, ref string
		cents           models.Cents
		due             models.Date
		want            string
	}{
		{"v4 lasku 1", "FI79 4405 2020 0360 82", "86851 62596 19897", 488315, date(2010, 6, 12),
			"479440520200360820048831500000000868516259619897100612"},
		{"v4 lasku 2", "FI58 1017 1000 0001 22", "55958 22432 94671", 48299, date(2012, 1, 31),
			"458101710000001220004829900000000559582243294671120131"},
		{"v4 lasku 3", "FI02 5000 4640 0013 02", "69 87567 20834 35364", 69380, date(2011, 7, 24),
			"402500046400013020006938000000069875672083435364110724"},
		{"v4 lasku 5, no due date", "FI16 8000 1400 0502 67", "78 77767 96566 28687", 93585, models.Date{},
			"416800014000502670009358500000078777679656628687000000"},
		{"v4 lasku 6, no amount", "FI73 3131 3001 0000 58", "8 68624", 0, date(2013, 8, 9),
			"473313130010000580000000000000000000000000868624130809"},
		{"v5 lasku 1", "FI79 4405 2020 0360 82", "RF09 8685 1625 9619 897", 488315, date(2010, 6, 12),
			"579440520200360820048831509000000868516259619897100612"},
		{"v5 lasku 2", "FI58 1017 1000 0001 22", "RF06 5595 8224 3294 671", 48299, date(2010, 1, 31),
			"558101710000001220004829906000000559582243294671100131"},
	} {
		got, err := VirtualBarcode(c.iban, c.ref, c.cents, c.due)
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v\nwant %q", c.name, got, err, c.want)
		}
		if len(got) != 54 {
			t.Errorf("%s: %d digits", c.name, len(got))
		}
	}
	for _, bad := range []struct{ iban, ref string }{
		{"SE45 5000 0000 0583 9825 7466", "86851 62596 19897"}, // not Finnish
		{"FI79 4405 2020 0360 82", "86851 62596 19898"},        // wrong check digit
		{"FI79 4405 2020 0360 83", "86851 62596 19897"},        // wrong IBAN
	} {
		if got, err := VirtualBarcode(bad.iban, bad.ref, 100, models.Date{}); err == nil {
			t.Errorf("%v: %q, want an error", bad, got)
		}
	}
	if _, err := VirtualBarcode("FI79 4405 2020 0360 82", "86851 62596 19897", -1, models.Date{}); err == nil {
		t.Error("a negative amount got a barcode")
	}
}
