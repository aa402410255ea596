package finance

import (
	"reflect"
	"testing"

	"jobcenter/finance/export"
	"jobcenter/models"
)

func TestReportTransactions(t *testing.T) {
	tx := func(pairs ...int64) []export.WageTransaction {
		var out []export.WageTransaction
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, export.WageTransaction{Code: int(pairs[i]), Amount: models.Cents(pairs[i+1])})
		}
		return out
	}
	for _, c := range []struct {
		content string
		want    []export.WageTransaction
	}{
		{"201:53320;234:0;402:13330;413:3892;414:475", tx(201, 53320, 402, 13330, 413, 3892, 414, 475)},
		// Holiday compensation paid: a zero time-rate pay is left out.
		{"201:0;234:4799;402:1200;413:350;414:43", tx(234, 4799, 402, 1200, 413, 350, 414, 43)},
		{"201:8100;234:4799;402:0;413:0;414:0", tx(201, 8100, 234, 4799)},
		// Fully credited: the report keeps its time-rate pay at 0.00.
		{"201:0;234:0;402:0;413:0;414:0", tx(201, 0)},
		{"201:-8100;234:0;402:-972;413:-591;414:0", tx(201, -8100, 402, -972, 413, -591)},
	} {
		got, err := transactions(c.content, nil)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("transactions(%q) = %v, %v; want %v", c.content, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "201:1;234:0;402:0;413:0", "201:1;234:0;402:0;414:0;413:0", "201:x;234:0;402:0;413:0;414:0", "201;234:0;402:0;413:0;414:0"} {
		if _, err := transactions(bad, nil); err == nil {
			t.Errorf("transactions(%q) accepted malformed content", bad)
		}
	}
}
