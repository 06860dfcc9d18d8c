package config

// The lexical steps of the locator: strings, blanks and comments. Each one
// stops at the end of the input, so a truncated file cannot loop.

// basic steps over a "string" with backslash escapes.
func (s *scanner) basic() {
	for s.i++; s.i < len(s.src); s.i++ {
		switch s.src[s.i] {
		case '\\':
			s.i++
		case '"':
			s.i++
			return
		case '\n':
			return
		}
	}
}

// literal steps over a 'string' (no escapes).
func (s *scanner) literal() {
	for s.i++; s.i < len(s.src); s.i++ {
		switch s.src[s.i] {
		case '\'':
			s.i++
			return
		case '\n':
			return
		}
	}
}

// multiline steps over a """…""" or ”'…”' string; up to two extra quotes
// before the closing delimiter belong to the content.
func (s *scanner) multiline(delim string, escapes bool) {
	for s.i += 3; s.i < len(s.src); s.i++ {
		if escapes && s.src[s.i] == '\\' {
			s.i++
			continue
		}
		if s.has(delim) {
			s.i += 3
			for extra := 0; extra < 2 && s.cur() == delim[0]; extra++ {
				s.i++
			}
			return
		}
	}
}

// skipSpace steps over blanks and comments, and newlines when asked.
func (s *scanner) skipSpace(newlines bool) {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r':
			s.i++
		case '\n':
			if !newlines {
				return
			}
			s.i++
		case '#':
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.i++
			}
		default:
			return
		}
	}
}
