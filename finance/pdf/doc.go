// Package pdf writes the documents people print or pay from (invoices now,
// payslips later): an A4 page in the reader's language with a header of two
// address blocks, label–value fields, tables, totals and, for invoices, the
// Finnish bank barcode.
//
// It uses github.com/go-pdf/fpdf (the maintained fork of gofpdf, pure Go) with
// the Go fonts of golang.org/x/image/font/gofont (BSD licence) embedded in
// the binary, so Ä, Ö and Å print without fonts on the host, and
// github.com/boombuler/barcode for Code 128, the barcode library fpdf's own
// contrib package uses.
package pdf

import (
	"fmt"
	"io"
	"time"

	"github.com/boombuler/barcode/code128"
	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

const (
	pageWidth = 210.0 // A4, mm
	margin    = 15.0
	bodyWidth = pageWidth - 2*margin
	lineH     = 5.0
	family    = "go"
)

// Document is one PDF being written in one language.
type Document struct {
	pdf  *fpdf.Fpdf
	lang string
}

// NewDocument starts an A4 document in lang (fi, sv or en; anything else
// reads Finnish). created is its creation date, so the same data always
// makes the same bytes.
func NewDocument(lang string, created time.Time) *Document {
	if _, ok := catalog[lang]; !ok {
		lang = "fi"
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(true, margin)
	p.AddUTF8FontFromBytes(family, "", goregular.TTF)
	p.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	p.SetCreationDate(created)
	p.SetModificationDate(created)
	p.SetCatalogSort(true)
	p.AddPage()
	p.SetFont(family, "", 10)
	return &Document{pdf: p, lang: lang}
}

// Lang is the document's language.
func (d *Document) Lang() string { return d.lang }

// T is the message of key in the document's language.
func (d *Document) T(key string) string {
	if s, ok := catalog[d.lang][key]; ok {
		return s
	}
	return catalog["fi"][key]
}

// Header writes the title and two address blocks side by side: who
// issues the document (left) and who it is for (right).
func (d *Document) Header(title string, from, to []string) {
	p := d.pdf
	p.SetFont(family, "B", 16)
	p.CellFormat(bodyWidth, 9, title, "", 1, "L", false, 0, "")
	p.Ln(2)
	y := p.GetY()
	half := bodyWidth / 2
	d.block(margin, y, half, from)
	yLeft := p.GetY()
	d.block(margin+half, y, half, to)
	p.SetY(max(yLeft, p.GetY()) + 4)
}

func (d *Document) block(x, y, w float64, lines []string) {
	p := d.pdf
	p.SetXY(x, y)
	for i, l := range lines {
		style := ""
		if i == 0 {
			style = "B"
		}
		p.SetFont(family, style, 10)
		p.SetX(x)
		p.CellFormat(w, lineH, l, "", 1, "L", false, 0, "")
	}
	p.SetFont(family, "", 10)
}

// Field is one label–value pair.
type Field struct{ Label, Value string }

// Fields writes label–value pairs in two columns.
func (d *Document) Fields(fields []Field) {
	p := d.pdf
	for _, f := range fields {
		p.SetFont(family, "B", 9)
		p.CellFormat(55, lineH, f.Label, "", 0, "L", false, 0, "")
		p.SetFont(family, "", 9)
		p.MultiCell(bodyWidth-55, lineH, f.Value, "", "L", false)
	}
	p.Ln(3)
}

// Column is a table column: its heading, width as a share of the body
// width, and alignment ("L" or "R").
type Column struct {
	Heading string
	Width   float64
	Align   string
}

// Table writes a table with a header row.
func (d *Document) Table(cols []Column, rows [][]string) {
	p := d.pdf
	p.SetFont(family, "B", 8)
	for _, c := range cols {
		p.CellFormat(c.Width*bodyWidth, 6, c.Heading, "B", 0, c.Align, false, 0, "")
	}
	p.Ln(-1)
	p.SetFont(family, "", 8)
	for _, r := range rows {
		for i, c := range cols {
			p.CellFormat(c.Width*bodyWidth, lineH, r[i], "", 0, c.Align, false, 0, "")
		}
		p.Ln(-1)
	}
	p.Ln(3)
}

// Totals writes label–amount pairs right-aligned; the last one in bold.
func (d *Document) Totals(totals []Field) {
	p := d.pdf
	for i, t := range totals {
		style := ""
		if i == len(totals)-1 {
			style = "B"
		}
		p.SetFont(family, style, 10)
		p.CellFormat(bodyWidth-35, lineH+1, t.Label, "", 0, "R", false, 0, "")
		p.CellFormat(35, lineH+1, t.Value, "", 1, "R", false, 0, "")
	}
	p.SetFont(family, "", 10)
	p.Ln(3)
}

// Text writes a paragraph.
func (d *Document) Text(s string) {
	d.pdf.SetFont(family, "", 9)
	d.pdf.MultiCell(bodyWidth, lineH, s, "", "L", false)
	d.pdf.Ln(2)
}

// Code128 draws content as a Code 128 barcode across the body width,
// height mm high, with the content printed under it.
func (d *Document) Code128(content string, height float64) error {
	bc, err := code128.Encode(content)
	if err != nil {
		return fmt.Errorf("code 128 of %q: %w", content, err)
	}
	p := d.pdf
	modules := bc.Bounds().Dx()
	module := bodyWidth / float64(modules)
	x0, y := margin, p.GetY()
	p.SetFillColor(0, 0, 0)
	for x := 0; x < modules; x++ {
		if r, _, _, _ := bc.At(x, 0).RGBA(); r == 0 {
			p.Rect(x0+float64(x)*module, y, module, height, "F")
		}
	}
	p.SetY(y + height + 1)
	p.SetFont(family, "", 9)
	p.CellFormat(bodyWidth, lineH, content, "", 1, "C", false, 0, "")
	return nil
}

// Write finishes the document into w.
func (d *Document) Write(w io.Writer) error {
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}
