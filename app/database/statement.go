package database

import (
	"strconv"
	"strings"
	"time"
)

// Statement is one statement that returns no rows, the only kind Ahead may
// hold in front of a query: its answer is removed from the stream unread, so
// a statement that returned rows would have them lost. Only the constructors
// below make one, each quoting what it is given, so no SQL string from
// elsewhere can be held.
type Statement struct{ sql string }

// Statements are sent together, in order, as one simple-protocol message.
type Statements []Statement

// SQL is the statements' text, separated by "; ": what Ahead sends, and what
// a pool that holds nothing sends as an ordinary statement.
func (s Statements) SQL() string {
	var b strings.Builder
	for i, st := range s {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(st.sql)
	}
	return b.String()
}

// Begin opens a transaction.
func Begin() Statement { return Statement{"BEGIN"} }

// BeginReadOnly opens a transaction in which PostgreSQL refuses every write.
func BeginReadOnly() Statement { return Statement{"BEGIN READ ONLY"} }

// SetLocalSearchPath makes schema the transaction's only search_path.
func SetLocalSearchPath(schema string) Statement {
	return Statement{withIdentifier("SET LOCAL search_path TO ", schema)}
}

// SetLocalRole runs the rest of the transaction as role.
func SetLocalRole(role string) Statement {
	return Statement{withIdentifier("SET LOCAL ROLE ", role)}
}

// withIdentifier returns prefix followed by name quoted as an SQL identifier
// (as pgx.Identifier.Sanitize: in double quotes, a double quote doubled, a
// NUL byte dropped), built in one allocation: every request makes two.
func withIdentifier(prefix, name string) string {
	var b strings.Builder
	b.Grow(len(prefix) + len(name) + 2 + strings.Count(name, `"`))
	b.WriteString(prefix)
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case 0:
		case '"':
			b.WriteString(`""`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// SetLocalStatementTimeout bounds each statement of the transaction to d.
func SetLocalStatementTimeout(d time.Duration) Statement {
	return setLocalMillis("statement_timeout", d)
}

// SetLocalLockTimeout bounds each lock wait of the transaction to d.
func SetLocalLockTimeout(d time.Duration) Statement {
	return setLocalMillis("lock_timeout", d)
}

// SetLocalIdleTimeout ends the transaction if it sits idle for d.
func SetLocalIdleTimeout(d time.Duration) Statement {
	return setLocalMillis("idle_in_transaction_session_timeout", d)
}

// setLocalMillis sets a time setting to d in whole milliseconds, rounded up
// and at least 1: PostgreSQL reads 0 as "no limit", the opposite of a short
// one. To keep the server's setting, send no statement at all.
func setLocalMillis(name string, d time.Duration) Statement {
	ms := max(1, (d+time.Millisecond-1)/time.Millisecond)
	return Statement{"SET LOCAL " + name + " = " + strconv.FormatInt(int64(ms), 10)}
}
