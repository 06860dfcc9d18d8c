package config

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
)

// BurntSushi/toml keeps key positions private, and its MetaData keys carry
// no array index (every [[service]] shares "service.timeout"), so this
// small scanner maps key paths to offsets itself. Paths number arrays from
// 0: "service.2.timeout", "service.0.tags.1", "defaults.interval". It runs
// only on text the TOML parser has accepted, but it never panics on any.

// locations maps key paths to byte offsets in the source.
type locations struct {
	lineStarts []int
	key        map[string]int // the key, a table's header, or an array item
	val        map[string]int // the start of the value
}

// line and col of a byte offset, both 1-based.
func (l *locations) lineCol(off int) (int, int) {
	n := sort.Search(len(l.lineStarts), func(i int) bool { return l.lineStarts[i] > off })
	if n == 0 {
		return 1, 1
	}
	return n, off - l.lineStarts[n-1] + 1
}

// pos is where path was written, or its nearest ancestor; the file's start
// when nothing matches.
func (l *locations) pos(path string) (int, int) {
	for {
		if off, ok := l.key[path]; ok {
			return l.lineCol(off)
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return 1, 1
		}
		path = path[:i]
	}
}

func locate(src []byte) *locations {
	lines := bytes.Count(src, []byte{'\n'}) + 1
	// Roughly one key per line: sized once, the maps never rehash.
	l := &locations{key: make(map[string]int, lines), val: make(map[string]int, lines), lineStarts: make([]int, 1, lines)}
	for i, c := range src {
		if c == '\n' {
			l.lineStarts = append(l.lineStarts, i+1)
		}
	}
	s := &scanner{src: src, loc: l, arrays: map[string]int{}}
	s.run()
	return l
}

type scanner struct {
	src    []byte
	i      int
	loc    *locations
	arrays map[string]int // array-of-tables path → entries so far
}

func (s *scanner) cur() byte {
	if s.i < len(s.src) {
		return s.src[s.i]
	}
	return 0
}

func (s *scanner) has(prefix string) bool {
	return bytes.HasPrefix(s.src[min(s.i, len(s.src)):], []byte(prefix))
}

func (s *scanner) mark(path string, off int) {
	if _, ok := s.loc.key[path]; !ok {
		s.loc.key[path] = off
	}
}

func (s *scanner) run() {
	table := ""
	for {
		s.skipSpace(true)
		if s.i >= len(s.src) {
			return
		}
		before := s.i
		if s.cur() == '[' {
			table = s.header()
		} else {
			s.keyValue(table)
		}
		if s.i == before {
			s.i++ // not TOML we understand: step over it rather than loop
		}
	}
}

// header reads "[a.b]" or "[[a.b]]" and returns the table's path.
func (s *scanner) header() string {
	start := s.i
	array := s.has("[[")
	s.i++
	if array {
		s.i++
	}
	parts := s.key()
	path := ""
	for j, p := range parts {
		path = join(path, p)
		n, isArray := s.arrays[path]
		switch {
		case j == len(parts)-1 && array:
			s.arrays[path] = n + 1
			s.mark(path, start)
			path = join(path, strconv.Itoa(n))
		case isArray && n > 0:
			path = join(path, strconv.Itoa(n-1)) // [a.b] under the last [[a]]
		}
	}
	s.mark(path, start)
	for s.cur() == ' ' || s.cur() == '\t' || s.cur() == ']' {
		s.i++
	}
	return path
}

// keyValue reads "key = value" (dotted and quoted keys too) inside table.
func (s *scanner) keyValue(table string) {
	start := s.i
	parts := s.key()
	s.skipSpace(false)
	if len(parts) == 0 || s.cur() != '=' {
		return
	}
	s.i++
	s.skipSpace(false)
	path := table
	for _, p := range parts {
		path = join(path, p)
		s.mark(path, start)
	}
	s.loc.val[path] = s.i
	s.value(path)
}

// key reads a possibly dotted key into its parts.
func (s *scanner) key() []string {
	var parts []string
	for {
		s.skipSpace(false)
		switch c := s.cur(); {
		case c == '"':
			start := s.i
			s.basic()
			raw := string(s.src[start:s.i])
			if k, err := strconv.Unquote(raw); err == nil {
				parts = append(parts, k)
			} else {
				parts = append(parts, strings.Trim(raw, `"`))
			}
		case c == '\'':
			start := s.i
			s.literal()
			parts = append(parts, strings.Trim(string(s.src[start:s.i]), "'"))
		case isBare(c):
			start := s.i
			for isBare(s.cur()) {
				s.i++
			}
			parts = append(parts, string(s.src[start:s.i]))
		default:
			return parts
		}
		s.skipSpace(false)
		if s.cur() != '.' {
			return parts
		}
		s.i++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value steps over one value, recording the paths inside arrays and inline
// tables.
func (s *scanner) value(path string) {
	switch s.cur() {
	case '"':
		if s.has(`"""`) {
			s.multiline(`"""`, true)
		} else {
			s.basic()
		}
	case '\'':
		if s.has(`'''`) {
			s.multiline(`'''`, false)
		} else {
			s.literal()
		}
	case '[':
		s.array(path)
	case '{':
		s.inline(path)
	default:
		for s.i < len(s.src) && !strings.ContainsRune(",]}\n#", rune(s.cur())) {
			s.i++
		}
	}
}

func (s *scanner) array(path string) {
	s.i++
	for n := 0; s.i < len(s.src); {
		s.skipSpace(true)
		switch s.cur() {
		case ']':
			s.i++
			return
		case ',':
			s.i++
			continue
		}
		p := join(path, strconv.Itoa(n))
		s.mark(p, s.i)
		s.loc.val[p] = s.i
		before := s.i
		s.value(p)
		if s.i == before {
			s.i++
		}
		n++
	}
}

func (s *scanner) inline(path string) {
	s.i++
	for s.i < len(s.src) {
		s.skipSpace(true)
		switch s.cur() {
		case '}':
			s.i++
			return
		case ',':
			s.i++
			continue
		}
		before := s.i
		s.keyValue(path)
		if s.i == before {
			s.i++
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
