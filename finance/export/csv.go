package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"jobcenter/models"
)

// Dialect selects separators and encoding details of a CSV export.
type Dialect int

const (
	// DialectRFC4180: comma separator, '.' decimals, UTF-8 without BOM, LF.
	DialectRFC4180 Dialect = iota
	// DialectExcelFI: what Finnish Excel opens by double-click: semicolon
	// separator, decimal comma, UTF-8 BOM (else Excel assumes ANSI), CRLF.
	DialectExcelFI
)

// ParseDialect maps a query parameter to a Dialect: "" and "rfc4180" give the
// default, "excel-fi" the Finnish Excel dialect.
func ParseDialect(s string) (Dialect, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "rfc4180":
		return DialectRFC4180, nil
	case "excel-fi":
		return DialectExcelFI, nil
	}
	return 0, fmt.Errorf("unknown CSV dialect %q (want rfc4180 or excel-fi)", s)
}

// String returns the name ParseDialect accepts.
func (d Dialect) String() string {
	if d == DialectExcelFI {
		return "excel-fi"
	}
	return "rfc4180"
}

// Comma is the field separator.
func (d Dialect) Comma() rune {
	if d == DialectExcelFI {
		return ';'
	}
	return ','
}

// DecimalMark is the decimal separator of euro amounts.
func (d Dialect) DecimalMark() byte {
	if d == DialectExcelFI {
		return ','
	}
	return '.'
}

const utf8BOM = "\uFEFF"

// CSVWriter streams rows; only the current row is held in memory.
type CSVWriter struct {
	w       *csv.Writer
	d       Dialect
	columns int // 0 when there is no header
	rec     []string
}

// NewCSV starts a CSV stream on w, writing the BOM (Excel dialect) and the
// header row if one is given. Call Flush at the end.
func NewCSV(w io.Writer, d Dialect, header ...string) (*CSVWriter, error) {
	if d != DialectRFC4180 && d != DialectExcelFI {
		return nil, fmt.Errorf("unknown CSV dialect %d", int(d))
	}
	if d == DialectExcelFI {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma = d.Comma()
	cw.UseCRLF = d == DialectExcelFI
	c := &CSVWriter{w: cw, d: d, columns: len(header)}
	if len(header) > 0 {
		if err := cw.Write(header); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Row writes one record. A cell may be a string, int, int64 or models.Cents
// (euros with two decimals in the dialect's mark, -5 → "-0.05"). Anything
// else is an error, so that no float or %v rendering slips into a finance file.
func (c *CSVWriter) Row(cells ...any) error {
	if c.columns > 0 && len(cells) != c.columns {
		return fmt.Errorf("csv: row has %d cells, header has %d", len(cells), c.columns)
	}
	c.rec = c.rec[:0]
	for i, cell := range cells {
		var s string
		switch v := cell.(type) {
		case string:
			s = c.text(v)
		case int:
			s = strconv.Itoa(v)
		case int64:
			s = strconv.FormatInt(v, 10)
		case models.Cents:
			s = FormatEuros(v, c.d.DecimalMark())
		default:
			return fmt.Errorf("csv: cell %d has unsupported type %T", i+1, cell)
		}
		c.rec = append(c.rec, s)
	}
	return c.w.Write(c.rec)
}

// text neutralises spreadsheet formulas in the Excel dialect (CSV injection:
// a name like "=HYPERLINK(…)" would run when the file is opened). Numbers are
// never passed through here, so negative amounts are unaffected.
func (c *CSVWriter) text(s string) string {
	if c.d == DialectExcelFI && s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Flush writes buffered rows to the underlying writer and reports any error
// from earlier writes.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
