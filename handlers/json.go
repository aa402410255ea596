package handlers

import (
	"bytes"
	"encoding/json"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"
)

// jsonSerializer writes a response body whole, with its Content-Length,
// instead of streaming it through net/http's small chunk buffer: a page of
// fifty shifts is some 50 KB, which chunked took a dozen write system calls.
type jsonSerializer struct{ echo.DefaultJSONSerializer }

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (jsonSerializer) Serialize(c echo.Context, i any, indent string) error {
	buf := buffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // a rare huge body is not kept
			buf.Reset()
			buffers.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(i); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	_, err := c.Response().Write(buf.Bytes())
	return err
}
