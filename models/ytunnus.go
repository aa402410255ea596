package models

// ValidBusinessID reports whether s is a Finnish business ID (Y-tunnus) in
// the form "1234567-8" with a correct check digit: weights 7,9,10,5,8,4,2,
// r = sum mod 11; r = 0 gives check 0, r = 1 is never issued, else 11 − r.
func ValidBusinessID(s string) bool {
	if len(s) != 9 || s[7] != '-' {
		return false
	}
	weights := [7]int{7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sum += int(s[i]-'0') * w
	}
	if s[8] < '0' || s[8] > '9' {
		return false
	}
	check := 0
	switch r := sum % 11; r {
	case 0:
	case 1:
		return false
	default:
		check = 11 - r
	}
	return int(s[8]-'0') == check
}
