package models

import (
	"errors"
	"reflect"
	"testing"
)

func TestValidationMergeKeepsEachFieldOnce(t *testing.T) {
	v := &ValidationError{}
	v.Add("/schedule", "is required")
	v.Add("/extra", "is not a field of this request")
	other := &ValidationError{}
	other.Add("/schedule/kind", `must be "once" or "weekly"`)
	other.Add("/crew_size", "must be 1–50")
	other.Add("/extra", "again")
	if err := v.Merge(other); err != nil {
		t.Fatal(err)
	}
	want := []string{"/schedule", "/extra", "/crew_size"}
	var got []string
	for _, f := range v.Fields {
		got = append(got, f.Pointer)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pointers %v, want %v", got, want)
	}
	boom := errors.New("database down")
	if err := v.Merge(boom); err != boom {
		t.Errorf("Merge of another error = %v", err)
	}
}
