package handlers

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// problemPointer finds the JSON pointer, array indexes included, of what
// encoding/json refused in body decoded into a value of type t: the value
// whose first token ends at offset (an UnmarshalTypeError's Offset; its Field
// leaves out array indexes), or, when unknown is set, the first member of
// that name where the request has no such field (the error names no place).
// ok is false when body holds no such place.
func problemPointer(body []byte, t reflect.Type, offset int64, unknown string) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var walk func(t reflect.Type, at string) (string, bool)
	walk = func(t reflect.Type, at string) (string, bool) {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		if unknown == "" && dec.InputOffset() == offset {
			return at, true
		}
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return "", false
				}
				name, _ := key.(string)
				ft, known := memberType(t, name)
				if !known && name == unknown {
					return at + "/" + name, true
				}
				if p, ok := walk(ft, at+"/"+name); ok {
					return p, true
				}
			}
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if p, ok := walk(elemType(t), at+"/"+strconv.Itoa(i)); ok {
					return p, true
				}
			}
		default:
			return "", false // a literal: nothing inside
		}
		_, _ = dec.Token() // the closing delimiter
		return "", false
	}
	return walk(t, "")
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// opaque is a type whose JSON encoding/json does not look into: unknown, an
// interface, or one that decodes itself.
func opaque(t reflect.Type) bool {
	return t == nil || t.Kind() == reflect.Interface || t.Implements(unmarshaler) || reflect.PointerTo(t).Implements(unmarshaler)
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// memberType is the type of t's member name, matched as encoding/json does
// (exact tag or field name first, then case-insensitively); known is false
// when t is a struct without it.
func memberType(t reflect.Type, name string) (member reflect.Type, known bool) {
	t = deref(t)
	switch {
	case opaque(t):
		return nil, true
	case t.Kind() == reflect.Map:
		return t.Elem(), true
	case t.Kind() != reflect.Struct:
		return nil, true
	}
	var folded reflect.Type
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous && deref(f.Type).Kind() == reflect.Struct {
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case tag == "-":
			continue
		case tag == "":
			tag = f.Name
		}
		if tag == name {
			return f.Type, true
		}
		if folded == nil && strings.EqualFold(tag, name) {
			folded = f.Type
		}
	}
	return folded, folded != nil
}

func elemType(t reflect.Type) reflect.Type {
	t = deref(t)
	if opaque(t) || (t.Kind() != reflect.Slice && t.Kind() != reflect.Array) {
		return nil
	}
	return t.Elem()
}
