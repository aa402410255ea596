package export

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
)

// rowWriter writes the repeated rows of a bulk file (an earnings payment
// report, a credit transfer) straight to a buffer: element names are the
// writer's own constants and every value goes through encoding/xml's
// escaping. encoding/xml's reflection would cost a few microseconds a row,
// more than the database spends reading it. The document around the rows is
// written with an xml.Encoder (rowsAfter), which checks its own nesting.
type rowWriter struct{ w *bufio.Writer }

// rowsAfter returns a rowWriter on w for the rows that follow what enc wrote
// so far: the encoder's output is flushed first, so the rows land after it.
// The returned flush must run before the encoder writes again.
func rowsAfter(enc *xml.Encoder, w io.Writer) (rowWriter, func() error, error) {
	if err := enc.Flush(); err != nil {
		return rowWriter{}, nil, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	return rowWriter{bw}, bw.Flush, nil
}

func (x rowWriter) open(name string) {
	x.w.WriteByte('<')
	x.w.WriteString(name)
	x.w.WriteByte('>')
}

func (x rowWriter) close(name string) {
	x.w.WriteString("</")
	x.w.WriteString(name)
	x.w.WriteByte('>')
}

// leaf writes <name>value</name> with value escaped.
func (x rowWriter) leaf(name, value string) {
	x.open(name)
	xml.EscapeText(x.w, []byte(value)) // a bufio.Writer keeps its first error for Flush
	x.close(name)
}

func (x rowWriter) leafInt(name string, v int) {
	x.open(name)
	x.w.WriteString(strconv.Itoa(v))
	x.close(name)
}

// leafAttr writes <name attr="attrValue">value</name>, both escaped.
func (x rowWriter) leafAttr(name, attr, attrValue, value string) {
	x.w.WriteByte('<')
	x.w.WriteString(name)
	x.w.WriteByte(' ')
	x.w.WriteString(attr)
	x.w.WriteString(`="`)
	xml.EscapeText(x.w, []byte(attrValue))
	x.w.WriteString(`">`)
	xml.EscapeText(x.w, []byte(value))
	x.close(name)
}
