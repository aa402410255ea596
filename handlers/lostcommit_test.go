package handlers_test

import (
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"

	"jobcenter/apitest"
	"jobcenter/store"
)

// commitCutter is a TCP proxy to PostgreSQL that, once armed, passes the
// next COMMIT to the server and cuts that connection as soon as the server
// has answered it, before the answer reaches the client: the transaction
// committed, and its client sees the connection die — a failover or a
// network fault at the worst moment.
type commitCutter struct {
	ln     net.Listener
	target string
	armed  atomic.Bool
}

func newCommitCutter(t *testing.T, target string) *commitCutter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &commitCutter{ln: ln, target: target}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(client)
		}
	}()
	return p
}

// pipe relays one connection message by message (the URL asks for no TLS).
func (p *commitCutter) pipe(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	var once sync.Once
	hangUp := func() { once.Do(func() { client.Close(); server.Close() }) }
	defer hangUp()
	var cut atomic.Bool
	go func() {
		defer hangUp()
		for {
			msg, err := readMessage(server, true)
			if err != nil {
				return
			}
			if cut.Load() {
				if msg[0] == 'Z' { // ReadyForQuery: the commit is done
					return
				}
				continue
			}
			if _, err := client.Write(msg); err != nil {
				return
			}
		}
	}()
	for typed := false; ; typed = true { // the startup message has no type byte
		msg, err := readMessage(client, typed)
		if err != nil {
			return
		}
		if typed && msg[0] == 'Q' && strings.EqualFold(strings.TrimRight(string(msg[5:]), "\x00; "), "commit") && p.armed.CompareAndSwap(true, false) {
			cut.Store(true)
		}
		if _, err := server.Write(msg); err != nil {
			return
		}
	}
}

// readMessage reads one protocol message: a type byte when typed, then a
// length that counts itself and the payload.
func readMessage(r io.Reader, typed bool) ([]byte, error) {
	head := 4
	if typed {
		head = 5
	}
	msg := make([]byte, head)
	if _, err := io.ReadFull(r, msg); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint32(msg[head-4:]))
	msg = append(msg, make([]byte, n-4)...)
	_, err := io.ReadFull(r, msg[head:])
	return msg, err
}

// On PostgreSQL, a request whose COMMIT reached the server but whose answer
// was lost with the connection answers 503; its retry with the same key
// answers 409 request_applied and the write exists once.
func TestIdempotencyRetryAfterLostCommit(t *testing.T) {
	if os.Getenv("JOBCENTER_TEST_POSTGRES") == "" {
		t.Skip("PostgreSQL only (a connection cut after COMMIT); run with JOBCENTER_TEST_POSTGRES")
	}
	direct, _ := apitest.OpenDB(t, true)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	cutter := newCommitCutter(t, u.Host)
	u.Host = cutter.ln.Addr().String()
	q := u.Query()
	q.Set("sslmode", "disable")
	u.RawQuery = q.Encode()
	db, err := store.Open(u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	w := newIdemWorld(t, db, func(w *idemWorld, c echo.Context, call int) error {
		cutter.armed.Store(true)
		if err := w.write(c, call); err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, map[string]int{"call": call})
	})
	expect(t, w.post("k", "Lost commit"), http.StatusServiceUnavailable, "")
	if cutter.armed.Load() {
		t.Fatal("the request failed before its COMMIT")
	}
	expect(t, w.post("k", "Lost commit"), http.StatusConflict, "request_applied")
	if calls, n := w.calls.Load(), w.written(t, "Lost commit"); calls != 1 || n != 1 {
		t.Fatalf("the handler ran %d times and wrote %d rows, want once and 1", calls, n)
	}
}
