package store

// ValidOn is the one spelling, in SQL, of "the dated row alias is valid on
// day": agreements, service decisions and other versioned rows run from
// valid_from to valid_until, both inclusive, and open-ended without an end.
// day is an SQL expression (a column such as s.date, or ?).
func ValidOn(alias, day string) string {
	return "(" + alias + ".valid_from <= " + day + " AND (" + alias + ".valid_until IS NULL OR " + alias + ".valid_until >= " + day + "))"
}
