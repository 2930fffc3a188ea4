package database

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// messageFilter decides which server messages a framer removes.
type messageFilter interface {
	startMessage(typ byte) (drop bool)
	endMessage(typ byte, body []byte) // called for removed messages only
}

// framer follows the message boundaries of the server's byte stream, which
// reads split anywhere, so that whole messages can be removed from it. Every
// message is a type byte, a 4-byte big-endian length that counts itself, and
// the body.
type framer struct {
	typ    byte
	header [4]byte // the length bytes of the current message
	seen   int     // header bytes seen so far: 0 = at a message boundary, 5 = header complete
	left   int     // body bytes still to come
	drop   bool    // the current message is being removed
	body   []byte  // body of a removed ErrorResponse, kept to report it
}

// filter removes dropped messages from b in place and returns how many bytes
// are kept at the front of b.
func (f *framer) filter(b []byte, to messageFilter) int {
	kept := 0
	for i := 0; i < len(b); {
		if f.seen < 5 {
			c := b[i]
			i++
			if f.seen == 0 {
				f.typ = c
				f.drop = to.startMessage(c)
				f.body = f.body[:0]
			} else {
				f.header[f.seen-1] = c
			}
			f.seen++
			if !f.drop {
				b[kept] = c
				kept++
			}
			if f.seen == 5 {
				f.left = int(uint32(f.header[0])<<24|uint32(f.header[1])<<16|uint32(f.header[2])<<8|uint32(f.header[3])) - 4
				f.finishIfComplete(to)
			}
			continue
		}
		n := min(f.left, len(b)-i)
		if f.drop {
			if f.typ == 'E' {
				f.body = append(f.body, b[i:i+n]...)
			}
		} else {
			kept += copy(b[kept:], b[i:i+n])
		}
		i += n
		f.left -= n
		f.finishIfComplete(to)
	}
	return kept
}

// finishIfComplete moves to the next message once the current one's body is read.
func (f *framer) finishIfComplete(to messageFilter) {
	if f.left > 0 {
		return
	}
	if f.drop {
		to.endMessage(f.typ, f.body)
	}
	f.seen = 0
	f.drop = false
}

// decodeError turns an ErrorResponse body into pgx's error type.
func decodeError(body []byte) error {
	var msg pgproto3.ErrorResponse
	if err := msg.Decode(body); err != nil {
		return errors.New("held statements failed; their error could not be decoded")
	}
	return pgconn.ErrorResponseToPgError(&msg)
}
