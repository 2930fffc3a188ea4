package dbmigrate

import "strings"

// Split cuts a SQL script into its statements, for a server that takes one
// statement per query: Citus forwards some DDL (CREATE INDEX) to its workers
// with the whole query string over the extended protocol, which refuses more
// than one command. A ';' ends a statement only outside -- and (nested)
// /* */ comments, '...' strings (a doubled quote escapes one; E'...' also
// takes backslash escapes), "quoted identifiers" and $$ / $tag$ bodies.
// Each statement is returned without its ';', the space around it and the
// comments before it; what holds only comments and space is dropped. An
// unterminated quote or comment runs to the end of the script, so that the
// server reports it rather than this.
func Split(script string) []string {
	var out []string
	start := 0
	for i := 0; i < len(script); {
		c := script[i]
		switch {
		case c == ';':
			out = appendStatement(out, script[start:i])
			i++
			start = i
		case c == '-' && strings.HasPrefix(script[i:], "--"):
			i = skipLineComment(script, i)
		case c == '/' && strings.HasPrefix(script[i:], "/*"):
			i = skipBlockComment(script, i)
		case c == '\'':
			i = skipString(script, i, isEscapeString(script, i))
		case c == '"':
			i = skipQuoted(script, i, '"')
		case c == '$' && !identAt(script, i-1):
			if tag, ok := dollarTag(script, i); ok {
				i = skipDollar(script, i, tag)
			} else {
				i++
			}
		default:
			i++
		}
	}
	return appendStatement(out, script[start:])
}

// appendStatement adds s without the comments and space around its start
// and the space at its end, unless nothing is left.
func appendStatement(out []string, s string) []string {
	s = strings.TrimSpace(s[leadingComments(s):])
	if s == "" {
		return out
	}
	return append(out, s)
}

// leadingComments returns the length of the comments and space s begins with.
func leadingComments(s string) int {
	i := 0
	for i < len(s) {
		switch {
		case strings.HasPrefix(s[i:], "--"):
			i = skipLineComment(s, i)
		case strings.HasPrefix(s[i:], "/*"):
			i = skipBlockComment(s, i)
		case strings.IndexByte(" \t\n\r\f\v", s[i]) >= 0:
			i++
		default:
			return i
		}
	}
	return i
}

// skipLineComment returns the index after the -- comment at i (its newline
// included), or the end.
func skipLineComment(s string, i int) int {
	if n := strings.IndexByte(s[i:], '\n'); n >= 0 {
		return i + n + 1
	}
	return len(s)
}

// skipBlockComment returns the index after the /* */ comment at i, counting
// nested ones as PostgreSQL does.
func skipBlockComment(s string, i int) int {
	depth := 0
	for i < len(s) {
		switch {
		case strings.HasPrefix(s[i:], "/*"):
			depth++
			i += 2
		case strings.HasPrefix(s[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return len(s)
}

// isEscapeString reports whether the quote at i opens an E'...' string: an
// E or e just before it that does not end a longer word.
func isEscapeString(s string, i int) bool {
	return i > 0 && (s[i-1] == 'E' || s[i-1] == 'e') && !identAt(s, i-2)
}

// skipString returns the index after the '...' string opening at i; a
// doubled quote stays inside it, and with escapes so does a backslashed one.
func skipString(s string, i int, escapes bool) int {
	for i++; i < len(s); i++ {
		switch {
		case escapes && s[i] == '\\':
			i++
		case s[i] == '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}

// skipQuoted returns the index after the quoted identifier opening at i; a
// doubled quote stays inside it.
func skipQuoted(s string, i int, q byte) int {
	for i++; i < len(s); i++ {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}

// dollarTag returns the $tag$ (or $$) opening at i; a $ that starts no tag,
// as in a $1 parameter, is not one.
func dollarTag(s string, i int) (string, bool) {
	j := i + 1
	for j < len(s) && s[j] != '$' {
		c := s[j]
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
		if !letter && !(j > i+1 && c >= '0' && c <= '9') {
			return "", false
		}
		j++
	}
	if j >= len(s) {
		return "", false
	}
	return s[i : j+1], true
}

// skipDollar returns the index after the body that the tag at i opens.
func skipDollar(s string, i int, tag string) int {
	if n := strings.Index(s[i+len(tag):], tag); n >= 0 {
		return i + len(tag) + n + len(tag)
	}
	return len(s)
}

// identAt reports whether s[i] can be part of an unquoted identifier, so a
// quote or $ right after it belongs to that word (a$b, e'x' in "somee'x'").
func identAt(s string, i int) bool {
	if i < 0 {
		return false
	}
	c := s[i]
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
