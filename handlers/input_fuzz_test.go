package handlers

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"jobcenter/models"
)

// fuzzBody has the field shapes of the request DTOs.
type fuzzBody struct {
	Name  string            `json:"name"`
	Notes *string           `json:"notes"`
	Tags  []string          `json:"tags"`
	Extra map[string]string `json:"extra"`
	Count int               `json:"count"`
}

// FuzzDecodeBytes: the JSON front door never panics, answers every refusal
// from the error vocabulary (400 or 422, never a 500), and what it accepts
// holds only storable text: valid UTF-8, no NUL, and no replacement
// character the client did not send.
func FuzzDecodeBytes(f *testing.F) {
	for _, s := range []string{`{"name":"Siivous"}`, "{\"name\":\"\xff\"}", `{"name":"\ud800"}`, `{"name":"\ud83e\uddf9"}`,
		`{"name":"\u0000"}`, `{"name":"a\\u0000"}`, `{"tags":["x"],"extra":{"k":"v"}}`, `{"count":"1"}`, `{"nope":1}`, `[]`, `{} {}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var dst fuzzBody
		err := decodeBytes(body, &dst)
		if err != nil {
			if !errors.Is(err, models.ErrMalformed) && !errors.Is(err, models.ErrInvalid) {
				t.Fatalf("%q: error %v is neither malformed nor invalid", body, err)
			}
			return
		}
		sentFFFD := strings.Contains(string(body), "\uFFFD") || strings.Contains(strings.ToLower(string(body)), `\ufffd`)
		texts := append([]string{dst.Name}, dst.Tags...)
		if dst.Notes != nil {
			texts = append(texts, *dst.Notes)
		}
		for k, v := range dst.Extra {
			texts = append(texts, k, v)
		}
		for _, s := range texts {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || (!sentFFFD && strings.ContainsRune(s, utf8.RuneError)) {
				t.Fatalf("%q accepted with text %q", body, s)
			}
		}
	})
}

// FuzzIdempotencyKey: a key is accepted only when it is 1–255 characters of
// printable ASCII, and refused as a 400 naming the header otherwise.
func FuzzIdempotencyKey(f *testing.F) {
	for _, s := range []string{"0190f2a0-0000-7000-8000-000000000000", "k\xff", "avain-ä", "a\tb", strings.Repeat("k", 256), " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		err := checkIdempotencyKey(key)
		printable := len(key) <= maxIdempotencyKey
		for i := 0; i < len(key); i++ {
			printable = printable && key[i] >= 0x20 && key[i] <= 0x7e
		}
		var m *models.MalformedError
		switch {
		case printable && err != nil:
			t.Fatalf("%q refused: %v", key, err)
		case !printable && (!errors.As(err, &m) || m.Fields[0].Pointer != "/Idempotency-Key"):
			t.Fatalf("%q: %v", key, err)
		}
	})
}
