package config

import (
	"encoding"
	"errors"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The decoder fills the schema structs from the generic tree the TOML
// parser produced. It is ours rather than toml.Decode's because toml stops
// at the first type error and its positions lose the array index; this one
// reports every unknown key and every wrong type at its own line:col, and
// derives the known keys from the `toml` struct tags.

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// decodeTable fills the struct rv from the table m found at path; where
// names the table in messages ("[defaults]").
func (c *checker) decodeTable(path, where string, m map[string]any, rv reflect.Value) {
	fields := tomlFields(rv.Type())
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := join(path, k)
		i, ok := fields[k]
		if !ok {
			c.unknownKey(p, k, where, fields)
			continue
		}
		c.present[p] = true
		c.decodeValue(p, k, m[k], rv.Field(i))
	}
}

// tomlFields maps each tagged field's key to its index.
func tomlFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if tag == "" || tag == "-" || !f.IsExported() {
			continue
		}
		out[tag] = i
	}
	return out
}

func (c *checker) unknownKey(path, key, where string, fields map[string]int) {
	known := make([]string, 0, len(fields))
	for k := range fields {
		known = append(known, k)
	}
	sort.Strings(known)
	if s, ok := closest(key, known); ok {
		c.errorf(path, "unknown key %q %s: did you mean %q?", key, where, s)
		return
	}
	c.errorf(path, "unknown key %q %s: remove it (known keys: %s)", key, where, strings.Join(known, ", "))
}

// decodeValue sets fv from v; name is the key, for messages.
func (c *checker) decodeValue(path, name string, v any, fv reflect.Value) {
	if fv.CanAddr() && fv.Addr().Type().Implements(textUnmarshaler) {
		s, ok := v.(string)
		if !ok {
			c.wrongType(path, name, fv.Type(), v)
			return
		}
		if err := fv.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			c.badValue(path, name, s, err)
		}
		return
	}
	if fv.Type() == reflect.TypeFor[Strings]() {
		if str, ok := v.(string); ok { // one string is a list of one
			fv.Set(reflect.ValueOf(Strings{str}))
			return
		}
	}
	switch fv.Kind() {
	case reflect.Map:
		c.decodeMap(path, name, v, fv)
	case reflect.Slice:
		c.decodeSlice(path, name, v, fv)
	case reflect.Pointer:
		m, ok := v.(map[string]any)
		if !ok {
			c.wrongType(path, name, fv.Type(), v)
			return
		}
		fv.Set(reflect.New(fv.Type().Elem()))
		c.decodeTable(path, "in ["+path+"]", m, fv.Elem())
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			c.wrongType(path, name, fv.Type(), v)
			return
		}
		c.decodeTable(path, "in ["+path+"]", m, fv)
	default:
		c.decodeScalar(path, name, v, fv)
	}
}

// decodeScalar sets a string, number, boolean or any-scalar field.
func (c *checker) decodeScalar(path, name string, v any, fv reflect.Value) {
	ok := true
	switch fv.Kind() {
	case reflect.Float64:
		switch n := v.(type) {
		case int64:
			fv.SetFloat(float64(n))
		case float64:
			fv.SetFloat(n)
		default:
			ok = false
		}
	case reflect.Interface: // a scalar of any type (json's equals)
		switch v.(type) {
		case string, int64, float64, bool:
			fv.Set(reflect.ValueOf(v))
		default:
			ok = false
		}
	case reflect.String:
		var s string
		if s, ok = v.(string); ok {
			fv.SetString(s)
		}
	case reflect.Int:
		var n int64
		if n, ok = v.(int64); ok && !fv.OverflowInt(n) {
			fv.SetInt(n)
		} else {
			ok = false
		}
	case reflect.Bool:
		var b bool
		if b, ok = v.(bool); ok {
			fv.SetBool(b)
		}
	default:
		panic("config: no decoder for " + fv.Type().String()) // a schema bug, caught by tests
	}
	if !ok {
		c.wrongType(path, name, fv.Type(), v)
	}
}

func (c *checker) decodeSlice(path, name string, v any, fv reflect.Value) {
	var items []any
	switch t := v.(type) {
	case []any:
		items = t
	case []map[string]any:
		for _, m := range t {
			items = append(items, m)
		}
	default:
		c.wrongType(path, name, fv.Type(), v)
		return
	}
	out := reflect.MakeSlice(fv.Type(), len(items), len(items))
	for i, item := range items {
		p := join(path, strconv.Itoa(i))
		if fv.Type().Elem().Kind() == reflect.Struct {
			m, ok := item.(map[string]any)
			if !ok {
				c.wrongType(path, name, fv.Type(), v)
				return
			}
			c.present[p] = true
			c.decodeTable(p, "in [["+path+"]]", m, out.Index(i))
			continue
		}
		c.decodeValue(p, "an item of "+name, item, out.Index(i))
	}
	fv.Set(out)
}

// decodeMap fills a map[string]string from a table of strings.
func (c *checker) decodeMap(path, name string, v any, fv reflect.Value) {
	m, ok := v.(map[string]any)
	if !ok {
		c.wrongType(path, name, fv.Type(), v)
		return
	}
	out := reflect.MakeMapWithSize(fv.Type(), len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		p := join(path, k)
		c.present[p] = true
		s, ok := m[k].(string)
		if !ok {
			c.wrongType(p, k, fv.Type().Elem(), m[k])
			continue
		}
		out.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s))
	}
	fv.Set(out)
}

func (c *checker) badValue(path, name, s string, err error) {
	c.bad[path] = true
	var de *durationError
	if errors.As(err, &de) {
		de.text = s
		if e, ok := c.expanded[path]; ok {
			de.text = e.raw
		}
		c.errorf(path, "%v", err) // the message names the value: the key is at the position
		return
	}
	c.errorf(path, "%s: %v", name, err)
}

func (c *checker) wrongType(path, name string, want reflect.Type, v any) {
	c.bad[path] = true
	if want.Kind() == reflect.Slice && want.Elem().Kind() == reflect.Struct {
		c.errorf(path, "%s must be a list of tables, not %s: write [[%s]] headers", name, describeValue(v), path)
		return
	}
	c.errorf(path, "%s must be %s, not %s", name, describeType(want), describeValue(v))
}

func describeType(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[Duration]():
		return `a duration string like "30s"`
	case t.Kind() == reflect.String:
		return "a string in quotes"
	case t.Kind() == reflect.Int:
		return "a whole number"
	case t.Kind() == reflect.Float64:
		return "a number"
	case t.Kind() == reflect.Interface:
		return "a string, number or boolean"
	case t.Kind() == reflect.Map:
		return `a table of strings like { "X-Api-Key" = "${API_KEY}" }`
	case t == reflect.TypeFor[Strings]():
		return `a string or a list of strings`
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Int:
		return "a list of whole numbers like [200, 204]"
	case t.Kind() == reflect.Slice:
		return `a list of strings like ["prod", "eu"]`
	}
	return "a table"
}

func describeValue(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "a number"
	case float64:
		return "a fractional number"
	case bool:
		return "a boolean"
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "a list"
	case time.Time:
		return "a date"
	}
	return "a date or time"
}
